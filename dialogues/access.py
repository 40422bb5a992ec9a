"""Which roles use the dialogues pages (see accounts.access.allow)."""

from accounts.access import READING_ROLES
from accounts.models import Role

READERS = READING_ROLES
# Board staff schedule at their level and below; commune officers only their own commune
# (their scope is the commune, so visible_to() already keeps them there).
SESSION_EDITORS = (Role.BOARD_STAFF, Role.COMMUNE_OFFICER)
PLAN_EDITORS = (Role.BOARD_STAFF,)
