"""The report's workflow, declared once (config/workflow.py says who reads it).

draft (edited as often as needed) → issued (number, date, signer; its content stored and
read only from then on) → signed (the signed copy attached, kept as given). An issued report is
corrected by a new draft that says which report it replaces. reports/services.py makes each
change and checks the stage here first.
"""

from django.utils.translation import gettext_lazy as _

from config.workflow import Transition, Workflow

from .access import EDITORS
from .models import ReportStage

DRAFT, ISSUED, SIGNED = ReportStage.DRAFT, ReportStage.ISSUED, ReportStage.SIGNED

REPORT_WORKFLOW = Workflow(
    states=ReportStage,
    field="stage",
    refusal=_("A report that is “%(status)s” cannot be %(action)s."),
    transitions=[
        Transition(
            "edit", (DRAFT,), (), EDITORS, "reports:report-edit",
            _("Edit the draft"), _("edited"), "btn-outline-primary",
        ),
        Transition(
            "issue", (DRAFT,), (ISSUED,), EDITORS, "reports:report-issue",
            _("Issue the report"), _("issued"), "btn-primary",
        ),
        Transition(
            "attach", (ISSUED,), (SIGNED,), EDITORS, "reports:report-attach",
            _("Attach the signed copy"), _("given a signed copy"), "btn-primary",
        ),
        Transition(
            "correct", (ISSUED, SIGNED), (), EDITORS, "reports:report-correct",
            _("Correct it with a new report"), _("corrected"), "btn-outline-secondary",
            method="post", when="may_be_corrected",
        ),
    ],
)  # fmt: skip
