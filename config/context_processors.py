"""The section of the main menu the current page belongs to, for `aria-current` in base.html."""

# The first section whose view names start with one of these prefixes; order matters.
SECTIONS = [
    ("calendar", ("dialogues:session-calendar", "dialogues:feed-")),
    ("sessions", ("dialogues:session", "feedback:session-opinions", "feedback:opinion-import")),
    ("plans", ("dialogues:plan", "dialogues:target", "dialogues:document")),
    ("queue", ("feedback:agency-queue",)),
    ("opinions", ("feedback:",)),
    ("reports", ("reports:",)),
    ("compliance", ("obligations:",)),
    ("units", ("communes:",)),
    ("home", ("home",)),
]


def nav_section(request):
    match = getattr(request, "resolver_match", None)
    name = match.view_name if match else ""
    section = next((section for section, prefixes in SECTIONS if name.startswith(prefixes)), None)
    return {"nav_section": section}
