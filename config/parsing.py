"""Reading numbers that arrive in a URL or a hidden field, where anything may be typed."""

from django import forms
from django.core.exceptions import ValidationError


def as_id(value) -> int | None:
    """A row id or a small count from user input, or None: "12" → 12; "²", "-1", "9"*30 → None."""
    text = str(value or "")
    # isdigit() accepts "²"; int() refuses it. And a database id fits in 63 bits.
    if text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text)
    return None


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Ticked rows by id: a value that cannot be a row id is not one of the choices.

    Django sends "9223372036854775808" to the database, where SQLite overflows comparing it.
    """

    def _check_values(self, value):
        for pk in value:
            if as_id(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)
