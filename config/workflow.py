"""A workflow declared once: its states, its transitions and which roles may take each.

The model or service that makes a change asks the workflow whether the state allows it
(`require`); the views take their roles from it (`@allow(*WORKFLOW.roles(...))`); the pages
offer the buttons it lists for the user's role and the record's state (`offered`); the role
matrix test, the scale generator and the README's table (`tests/test_workflows.py`) read it too.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError


class TransitionNotAllowed(ValidationError):
    """The record's state does not allow this change; the message says why, for the user."""


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]  # the states it may be taken from
    targets: tuple[str, ...]  # the state after it (one of them); (): the state does not change
    roles: tuple[str, ...]
    url_name: str  # the page that takes it, with the record's pk
    label: str  # the button (lazy)
    verb: str  # "… cannot be %(verb)s" (lazy)
    style: str = "btn-outline-secondary"
    method: str = "get"  # "post": the button posts at once (no form page)
    when: str = ""  # a property of the record that must also be true to offer it
    event: str = ""  # what the record's timeline calls it, if it keeps one


class Workflow:
    def __init__(
        self, *, states, refusal: str, transitions: Iterable[Transition], field: str = "status"
    ):
        self.states = states  # the TextChoices of the states
        self.field = field  # the record's attribute that holds its state
        self.refusal = refusal  # "An opinion that is “%(status)s” cannot be %(action)s."
        self.transitions = {transition.name: transition for transition in transitions}

    def __getitem__(self, name: str) -> Transition:
        return self.transitions[name]

    def roles(self, *names: str) -> tuple[str, ...]:
        """The roles that may take any of these transitions: what the view's @allow admits."""
        return tuple(dict.fromkeys(role for name in names for role in self[name].roles))

    def allows(self, status: str, *names: str) -> bool:
        return any(status in self[name].sources for name in names)

    def require(self, status: str, *names: str) -> None:
        """Raises TransitionNotAllowed unless the state allows one of these transitions."""
        if not self.allows(status, *names):
            raise TransitionNotAllowed(
                self.refusal % {"status": self.states(status).label, "action": self[names[0]].verb}
            )

    def offered(self, record, role: str) -> list[Transition]:
        """The transitions a user of this role may take on the record now, in declared order."""
        return [
            transition
            for transition in self.transitions.values()
            if getattr(record, self.field) in transition.sources
            and role in transition.roles
            and (not transition.when or getattr(record, transition.when))
        ]

    def as_markdown(self) -> str:
        """The table of the README's "Workflows" section (tests/test_workflows.py compares)."""
        from django.utils import translation

        from accounts.models import Role

        def states(values):
            return ", ".join(str(self.states(value).label).lower() for value in values)

        with translation.override("en"):
            rows = ["| step | from | to | who |", "| --- | --- | --- | --- |"]
            for t in self.transitions.values():
                who = ", ".join(str(Role(role).label).lower() for role in t.roles)
                rows.append(
                    f"| {t.label} | {states(t.sources)} | {states(t.targets) or '(unchanged)'} "
                    f"| {who} |"
                )
        return "\n".join(rows)
