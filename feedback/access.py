"""Which roles use the opinion pages (see accounts.access.allow)."""

from accounts.access import READING_ROLES
from accounts.models import Role

# The opinion list, its export and the session's opinions; agency responders use their queue.
READERS = READING_ROLES
# One opinion's page: its agency's responders read it too (visible_to keeps them to their agency).
DETAIL_READERS = (*READING_ROLES, Role.AGENCY_RESPONDER)
# Enter and import opinions of a session. Which of the groups below takes which step of an
# opinion's workflow is declared in feedback/workflow.py.
RECORDERS = (Role.BOARD_STAFF, Role.COMMUNE_OFFICER)
# An agency's steps (progress, the final answer); board staff may take them on its behalf.
HANDLERS = (Role.AGENCY_RESPONDER, Role.BOARD_STAFF)
# The district's own steps (a new deadline).
ROUTERS = (Role.BOARD_STAFF,)
QUEUE_USERS = (Role.AGENCY_RESPONDER,)


def may_correct(user, opinion) -> bool:
    """Correct what was written down (text, field, who raised it, hamlet): those who record
    opinions, until it is forwarded; after that the agency works on it, so only board staff."""
    return user.role in (RECORDERS if opinion.forwarded_at is None else ROUTERS)
