# The English interface keeps the Vietnamese day/month/year order, so printed dates never differ;
# only the number separators follow English.
from config.formats.vi.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
