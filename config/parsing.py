"""Reading numbers that arrive in a URL or a hidden field, where anything may be typed."""


def as_id(value) -> int | None:
    """A row id or a small count from user input, or None: "12" → 12; "²", "-1", "9"*30 → None."""
    text = str(value or "")
    # isdigit() accepts "²"; int() refuses it. And a database id fits in 63 bits.
    if text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text)
    return None
