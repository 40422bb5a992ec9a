"""Who uses the report pages (see accounts.access.allow); reports/workflow.py uses these."""

from accounts.models import Role

# Anyone who may read reports gets a draft at once: asking for one changes no record.
REQUESTERS = (Role.BOARD_STAFF, Role.LEADER, Role.COMMUNE_OFFICER)
READERS = (*REQUESTERS, Role.ADMINISTRATOR)
# Who writes, issues and files a report, within the units they may change: the board's staff,
# and a commune's officers for their own commune (as they reported on it before). Leaders read.
EDITORS = (Role.BOARD_STAFF, Role.COMMUNE_OFFICER)
