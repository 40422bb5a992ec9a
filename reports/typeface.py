"""The one typeface of the printed documents: Liberation Serif, shipped in reports/fonts/.

Times New Roman's metrics and every Vietnamese letter, under the SIL Open Font Licence
(reports/fonts/OFL.txt). The files come with the repository, so a PDF embeds the same font on
every machine; the documents name it by a family of our own, so that no font the machine happens
to have can stand in for it.
"""

from pathlib import Path
from urllib.parse import unquote, urlsplit

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FAMILY = "Tiep Xuc Serif"
FONT_FILES = [
    ("LiberationSerif-Regular.ttf", "normal", "normal"),
    ("LiberationSerif-Bold.ttf", "bold", "normal"),
    ("LiberationSerif-Italic.ttf", "normal", "italic"),
    ("LiberationSerif-BoldItalic.ttf", "bold", "italic"),
]
ALLOWED = frozenset((FONT_DIR / name).resolve() for name, _weight, _style in FONT_FILES)


def font_faces() -> list[dict]:
    """What the documents' @font-face rules declare: one file per weight and style."""
    return [
        {"url": (FONT_DIR / name).as_uri(), "weight": weight, "style": style}
        for name, weight, style in FONT_FILES
    ]


def is_font_file(url: str) -> bool:
    """True only for a file: URL that resolves to one of the font files above.

    The resolved path is compared, not a prefix: FONT_DIR/../../../etc/passwd is not a font.
    """
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    return Path(unquote(parts.path)).resolve() in ALLOWED
