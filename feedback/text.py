"""Folding Vietnamese text for search that ignores diacritics and case.

"Đất đai", "dat dai" and "ĐẤT ĐAI" all fold to "dat dai". The folded text is computed in Python
and stored, so the same query finds the same rows on PostgreSQL and SQLite.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower case, no diacritics, đ → d, single spaces."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()
