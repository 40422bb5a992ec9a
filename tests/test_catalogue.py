"""Every string the code marks for translation reaches the Vietnamese catalogue, translated.

The extraction runs `makemessages` with the project's own settings on a copy of the source tree,
so the committed catalogue is untouched; a string added to the code but not to locale/vi (or left
untranslated or fuzzy there) fails here. A string wrapped in a name the extractor does not know
(`from django.utils.translation import gettext as _t`) never reaches any catalogue, so the second
test refuses such names.
"""

import ast
import shutil
import subprocess
import sys

from django.conf import settings

ROOT = settings.BASE_DIR
SKIPPED = shutil.ignore_patterns(
    ".git",
    ".venv",
    "node_modules",
    "var",
    "staticfiles",
    "__pycache__",
    "*.sqlite3",
    ".env",
    "test-artifacts",
    "*.egg-info",
)
TRANSLATION_FUNCTIONS = {
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}


def _entries(po, flag):
    out = subprocess.run(
        ["msgattrib", flag, "--no-wrap", str(po)], capture_output=True, text=True, check=True
    ).stdout
    return [line for line in out.splitlines() if line.startswith('msgid "') and line != 'msgid ""']


def test_every_string_in_the_code_is_in_the_vietnamese_catalogue_and_translated(tmp_path):
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=SKIPPED)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-location", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    po = copy / "locale" / "vi" / "LC_MESSAGES" / "django.po"
    # msgmerge leaves a new string empty, or fuzzy when it looks like an existing one.
    missing = _entries(po, "--untranslated") + _entries(po, "--only-fuzzy")
    assert missing == [], f"not in locale/vi or not translated (run make makemessages): {missing}"


def _python_sources():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {".venv", "node_modules", ".git"}:
            continue
        yield path


def _aliases(source):
    """The translation functions imported under a name xgettext does not look for."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for name in node.names:
                if name.name in TRANSLATION_FUNCTIONS and name.asname not in (None, "_"):
                    found.append(f"{name.name} as {name.asname}")
    return found


def test_code_marks_strings_only_with_names_the_extractor_knows():
    aliases = {
        str(path.relative_to(ROOT)): found
        for path in _python_sources()
        if (found := _aliases(path.read_text(encoding="utf-8")))
    }
    assert aliases == {}


def test_an_alias_such_as_t_is_noticed_and_the_standard_names_are_not():
    source = (
        "from django.utils.translation import gettext as _t, gettext_lazy as _\n"
        "from django.utils.translation import ngettext, pgettext_lazy\n"
    )
    assert _aliases(source) == ["gettext as _t"]
