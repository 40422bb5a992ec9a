"""The session's workflow, declared once (config/workflow.py says who reads it).

planned → held; planned → postponed (new date, reason; the old date kept) → planned again;
planned → cancelled (reason). Attendance and minutes only once held, never before it starts.
Once held, the day its results were made public is recorded (the 2025 law's deadline); once
recorded, only board staff correct it.
dialogues/services.py makes each change and checks the state here first.
"""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from config.workflow import Transition, Workflow

from .access import SESSION_EDITORS
from .models import SessionStatus

PLANNED, POSTPONED, HELD = SessionStatus.PLANNED, SessionStatus.POSTPONED, SessionStatus.HELD

SESSION_WORKFLOW = Workflow(
    states=SessionStatus,
    refusal=_("A session that is “%(status)s” cannot be %(action)s."),
    transitions=[
        Transition(
            "edit", (PLANNED, POSTPONED), (), SESSION_EDITORS, "dialogues:session-update",
            _("Edit"), _("edited"), "btn-outline-primary",
        ),
        Transition(
            "held", (PLANNED,), (HELD,), SESSION_EDITORS, "dialogues:session-mark-held",
            _("Record as held"), _("marked as held"), "btn-success", when="has_started",
        ),
        Transition(
            "postpone", (PLANNED,), (POSTPONED,), SESSION_EDITORS, "dialogues:session-postpone",
            _("Postpone"), _("postponed"), "btn-outline-warning",
        ),
        Transition(
            "cancel", (PLANNED,), (SessionStatus.CANCELLED,), SESSION_EDITORS,
            "dialogues:session-cancel", _("Cancel the session"), _("cancelled"),
            "btn-outline-danger",
        ),
        Transition(
            "reschedule", (POSTPONED,), (PLANNED,), SESSION_EDITORS,
            "dialogues:session-reschedule", _("Confirm the new date"), _("planned again"),
            "btn-primary", method="post",
        ),
        Transition(
            "record", (HELD,), (), SESSION_EDITORS, "dialogues:session-record",
            _("Edit attendance and minutes"), _("given attendance and minutes"),
            "btn-outline-primary",
        ),
        Transition(
            "publish", (HELD,), (), SESSION_EDITORS, "dialogues:session-publish",
            _("Results made public"), _("recorded as made public"), "btn-outline-success",
            when="results_not_public",
        ),
        Transition(
            "publish_correct", (HELD,), (), (Role.BOARD_STAFF,), "dialogues:session-publish",
            _("Correct the date results were made public"), _("date corrected"),
            "btn-outline-secondary", when="results_public",
        ),
    ],
)  # fmt: skip
