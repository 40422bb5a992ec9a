"""Who publishes: board staff and the officers of the unit that hosts the session.

Publishing is not a change of the session's state, so it is not a workflow of config/workflow.py:
the roles are declared here (the views' @allow reads them) and the unit is checked with
communes.scope.changeable, so history seen through succession is never published by a successor
(the views load the session with `session_for(..., to_change=True)`).
"""

from accounts.models import Role
from communes.scope import changeable

PUBLISHERS = (Role.BOARD_STAFF, Role.COMMUNE_OFFICER)


def may_publish(user, session) -> bool:
    """Whether the session's page offers this user the publication page."""
    return user.role in PUBLISHERS and changeable(user, session.host_unit)
