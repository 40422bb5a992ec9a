"""Who uses the report pages (see accounts.access.allow)."""

from accounts.models import Role

# Board staff and leaders report on their unit; commune officers on their own commune.
REQUESTERS = (Role.BOARD_STAFF, Role.LEADER, Role.COMMUNE_OFFICER)
READERS = (*REQUESTERS, Role.ADMINISTRATOR)
