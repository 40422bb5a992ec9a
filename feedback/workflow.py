"""The opinion's workflow, declared once (config/workflow.py says who reads it).

The model's methods (Opinion.answer_at_session, forward_to, …) make each change and check the
state here first; the views admit the roles here; the opinion's page offers the buttons here;
the scale generator (reports/scale.py) writes its timelines step by step from here.
"""

from django.utils.translation import gettext_lazy as _

from config.workflow import Transition, Workflow

from .access import HANDLERS, RECORDERS, ROUTERS
from .models import AWAITING_AGENCY, CLOSED, EventKind, OpinionStatus

NEW, FORWARDED = OpinionStatus.NEW, OpinionStatus.FORWARDED

OPINION_WORKFLOW = Workflow(
    states=OpinionStatus,
    refusal=_("An opinion that is “%(status)s” cannot be %(action)s."),
    transitions=[
        Transition(
            "answer", (NEW,), (OpinionStatus.ANSWERED,), RECORDERS, "feedback:opinion-answer",
            _("Answered at the session"), _("answered at the session"), "btn-success",
            event=EventKind.ANSWERED,
        ),
        Transition(
            "forward", (NEW,), (FORWARDED,), RECORDERS, "feedback:opinion-forward",
            _("Forward to an agency"), _("forwarded to an agency"), "btn-primary",
            event=EventKind.FORWARDED,
        ),
        Transition(
            "reforward", AWAITING_AGENCY, (FORWARDED,), RECORDERS, "feedback:opinion-forward",
            _("Forward to another agency"), _("forwarded to an agency"), "btn-primary",
            event=EventKind.REFORWARDED,
        ),
        Transition(
            "progress", AWAITING_AGENCY, (OpinionStatus.IN_PROGRESS,), HANDLERS,
            "feedback:opinion-progress", _("Record progress"), _("given progress"),
            "btn-outline-primary", event=EventKind.PROGRESS,
        ),
        Transition(
            "resolve", AWAITING_AGENCY, (OpinionStatus.RESOLVED,), HANDLERS,
            "feedback:opinion-resolve", _("Record the answer"), _("resolved"), "btn-success",
            event=EventKind.RESOLVED,
        ),
        Transition(
            "unresolvable", AWAITING_AGENCY, (OpinionStatus.UNRESOLVABLE,), HANDLERS,
            "feedback:opinion-unresolvable", _("Cannot be resolved"),
            _("closed as unresolvable"), event=EventKind.UNRESOLVABLE,
        ),
        Transition(
            "deadline", AWAITING_AGENCY, (), ROUTERS, "feedback:opinion-deadline",
            _("Change the deadline"), _("given a new deadline"), event=EventKind.DEADLINE,
        ),
        Transition(
            "duplicate", (NEW, *AWAITING_AGENCY), (OpinionStatus.DUPLICATE,), RECORDERS,
            "feedback:opinion-duplicate", _("Mark as a duplicate"), _("marked as a duplicate"),
            event=EventKind.DUPLICATE,
        ),
        # Its author told in writing that it was taken up or passed on (Kết luận 215-KL/TW);
        # the state does not change. A duplicate's author is told with the original.
        Transition(
            "acknowledge", tuple(s for s in OpinionStatus.values if s != OpinionStatus.DUPLICATE),
            (), RECORDERS, "feedback:opinion-acknowledge", _("Author told"),
            _("recorded as told to its author"), "btn-outline-success",
            when="awaiting_acknowledgement", event=EventKind.ACKNOWLEDGED,
        ),
        # Back to new, or to forwarded when it had an agency.
        Transition(
            "reopen", CLOSED, (NEW, FORWARDED), RECORDERS, "feedback:opinion-reopen",
            _("Reopen"), _("reopened"), "btn-outline-warning", event=EventKind.REOPENED,
        ),
    ],
)  # fmt: skip
