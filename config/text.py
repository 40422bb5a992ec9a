"""Text that can be stored, printed and exported: one check for every form, one filter for every
file the app writes.

Control characters (C0 and C1, except tab, newline and carriage return) break spreadsheets, XML
and calendar files; emoji have no glyph in the PDFs' fonts and print as empty boxes. Forms refuse
both with a message next to the field (`validate_printable_text`, installed on every CharField by
`config.apps`); writers drop what their format cannot hold (`exportable`), so a row stored before
this check cannot break an export either.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext_lazy

# The longest free text printed in a PDF (a report's assessment, a session's minutes): about
# six pages, rendered in a second or two; a megabyte would hold a worker for a minute.
LONG_TEXT_MAX = 20_000

# Django's own messages that its Vietnamese catalogue leaves in English, translated in ours.
# NUL is refused by Django's validator on every CharField, so the check below leaves NUL to it
# and the user reads one message, not two.
DJANGO_MESSAGES = (
    gettext_noop("Null characters are not allowed."),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
)

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_BUT_NUL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Pictographs, emoticons, flags and the rest of the planes above the basic one (nothing
# Vietnamese lives there), the symbol and dingbat blocks, and the emoji presentation selector.
EMOJI = re.compile(r"[\U00010000-\U0010ffff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d]")
# XML 1.0 (xlsx) allows neither control characters nor unpaired surrogates.
NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def validate_printable_text(value) -> None:
    """Refuse control characters and emoji, saying which, so the user can remove them."""
    if not isinstance(value, str):
        return
    if CONTROL_BUT_NUL.search(value):
        raise ValidationError(
            _(
                "The text holds invisible control characters (often pasted from another "
                "program); remove them, or retype the text."
            ),
            code="control_characters",
        )
    if EMOJI.search(value):
        raise ValidationError(
            _("Emoji and pictographs cannot be printed in documents; remove them."),
            code="emoji",
        )


def exportable(value):
    """The text without the characters no file format the app writes can hold."""
    if isinstance(value, str):
        return NOT_IN_XML.sub("", CONTROL.sub("", value))
    return value
