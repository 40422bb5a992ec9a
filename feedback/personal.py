"""Residents' personal data in opinions (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15): the one home
of who sees the name, phone and address of the person who raised an opinion, how they are
masked for everyone else, the access log, and erasing them (on the person's request, or once
the retention period after the opinion was closed has passed).

Who sees them, on every page, list, search, export and feed:
- board staff and commune officers, for the opinions of their unit and the units below it and
  of the units theirs succeeded (the same scope as `visible_to`);
- agency responders, for the opinions assigned to their agency now;
- leaders (in their scope) and administrators only when they ask, with a purpose, one opinion at
  a time or in an export; each such view or export is logged (PersonalDataAccess);
- an export carries them only when the user ticks the box (with a purpose), logged;
- everyone else, and printed reports always, see them masked: "Ông Nguyễn V. A.", "***".
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Role
from config.concurrency import lock

from .models import CLOSED, AccessAction, Opinion, OpinionEvent, PersonalDataAccess

PERSONAL_FIELDS = ("raised_by", "phone", "address")
# What an erased field says from then on (data, in the records' language, like the import's
# column headers).
ERASED_ON_REQUEST = "đã xóa theo yêu cầu"
ERASED_AFTER_RETENTION = "đã xóa do hết thời hạn lưu trữ"
MASK = "***"
# Kept in front of a masked name: they say nothing about who it is.
HONORIFICS = frozenset({"ông", "bà", "anh", "chị", "cô", "chú", "bác", "cụ", "em"})

# Who sees the personal data of every opinion in their scope without asking.
SEES_IN_SCOPE = (Role.BOARD_STAFF, Role.COMMUNE_OFFICER)


def _in_scope(user, opinion) -> bool:
    if user.unit_id is None:
        return False
    path = opinion.unit.path
    return any(path.startswith(prefix) for prefix in user.unit.scope_paths())


def may_see_personal(user, opinion) -> bool:
    """Whether the page shows this user the opinion's personal data as it is."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.sees_everything:
        return False  # administrators ask, like leaders
    if user.role == Role.AGENCY_RESPONDER:
        return user.agency_id is not None and opinion.agency_id == user.agency_id
    return user.role in SEES_IN_SCOPE and _in_scope(user, opinion)


def may_ask_personal(user, opinion) -> bool:
    """Whether the user may see them by asking, with a purpose (logged): leaders for the opinions
    of their scope, administrators for any; and those who see them anyway."""
    if may_see_personal(user, opinion):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.sees_everything:
        return True
    return user.role == Role.LEADER and _in_scope(user, opinion)


def searches_personal(user) -> bool:
    """Whether the opinion search looks in the person's name, phone and address for this user:
    only for those who see them on every opinion they can find (see may_see_personal)."""
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and not user.sees_everything
        and user.role in SEES_IN_SCOPE
        and user.unit_id is not None
    )


def mask_name(name: str) -> str:
    """ "Ông Nguyễn Văn An" → "Ông Nguyễn V. A.": the family name and initials."""
    if not name or name in (ERASED_ON_REQUEST, ERASED_AFTER_RETENTION):
        return name
    words = name.split()
    kept = [words.pop(0)] if len(words) > 1 and words[0].lower() in HONORIFICS else []
    if len(words) == 1:
        return " ".join([*kept, f"{words[0][0]}."])
    return " ".join([*kept, words[0], *(f"{word[0]}." for word in words[1:])])


def _mask(value: str) -> str:
    if not value or value in (ERASED_ON_REQUEST, ERASED_AFTER_RETENTION):
        return value
    return MASK


@dataclass(frozen=True)
class Person:
    name: str
    phone: str
    address: str
    shown: bool  # as recorded; otherwise masked
    may_ask: bool  # masked, and the user may ask to see them (a leader, an administrator)

    @property
    def has_data(self) -> bool:
        return bool(self.name or self.phone or self.address)


def person(user, opinion, *, asked: bool = False) -> Person:
    """The person's data of an opinion as this user sees it. `asked`: the user asked (the view
    logged it through log_access); it shows them only if the user has the right."""
    shown = may_see_personal(user, opinion) or (asked and may_ask_personal(user, opinion))
    if shown:
        return Person(opinion.raised_by, opinion.phone, opinion.address, True, False)
    has_data = any(
        getattr(opinion, name) not in ("", ERASED_ON_REQUEST, ERASED_AFTER_RETENTION)
        for name in PERSONAL_FIELDS
    )
    return Person(
        mask_name(opinion.raised_by),
        _mask(opinion.phone),
        _mask(opinion.address),
        False,
        has_data and may_ask_personal(user, opinion),
    )


def log_access(*, user=None, username: str = "", action, purpose: str, opinion_ids):
    ids = sorted(set(opinion_ids))
    return PersonalDataAccess.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=username or getattr(user, "username", ""),
        action=action,
        purpose=purpose.strip()[:500],
        opinion_ids=ids,
        count=len(ids),
    )


def person_opinions(*, unit, phone: str = "", name: str = ""):
    """A person's opinions among the unit's (its scope, successions included): by phone (digits
    only, whatever the spacing) or by name (ignoring diacritics and case)."""
    from .text import fold

    opinions = Opinion.objects.within(unit)
    if phone:
        digits = "".join(ch for ch in phone if ch.isdigit())
        if not digits:
            return opinions.none()
        opinions = opinions.filter(person_text__contains=digits)
    if name:
        wanted = fold(name).split()
        if not wanted:
            return opinions.none()
        # The whole name, not a word of it: "Nguyễn Văn An" must not find "Nguyễn Văn Anh".
        matches = [
            opinion.pk
            for opinion in opinions.filter(person_text__contains=" ".join(wanted)).only(
                "pk", "raised_by"
            )
            if _same_name(opinion.raised_by, wanted)
        ]
        opinions = opinions.filter(pk__in=matches)
    return opinions.select_related("session", "unit", "field", "hamlet", "agency").order_by("pk")


def _same_name(raised_by: str, wanted: list[str]) -> bool:
    from .text import fold

    honorifics = {fold(word) for word in HONORIFICS}
    words = fold(raised_by).split()
    if words and words[0] in honorifics and wanted[0] not in honorifics:
        words = words[1:]
    return words == wanted


def _scrub_traces(opinion, old: dict):
    """What the timeline and the audit log kept of the old values goes too."""
    from auditlog.models import LogEntry

    values = [value for value in old.values() if value]
    for event in OpinionEvent.objects.filter(opinion=opinion).exclude(text=""):
        text = event.text
        for value in values:
            text = text.replace(value, MASK)
        if text != event.text:
            OpinionEvent.objects.filter(pk=event.pk).update(text=text)
    hidden = {*PERSONAL_FIELDS, "search_text", "person_text"}
    for entry in LogEntry.objects.get_for_object(opinion):
        changes = entry.changes or {}
        if not hidden & set(changes):
            continue
        entry.changes = {key: value for key, value in changes.items() if key not in hidden}
        entry.changes_text = ""
        entry.serialized_data = None
        entry.save(update_fields=["changes", "changes_text", "serialized_data"])


def erase(opinion_ids, *, marker: str, action, purpose: str, user=None, username: str = ""):
    """Replace the personal fields of these opinions with `marker` (empty ones stay empty), and
    what the timeline and the audit log kept of them; one log entry for all. Each row is locked
    while it changes (a correction at the same instant waits). Returns the ids erased."""
    erased = []
    now = timezone.now()
    for pk in opinion_ids:
        with transaction.atomic():
            opinion = Opinion.objects.filter(pk=pk).select_related("field", "hamlet").first()
            if opinion is None:
                continue
            lock(opinion)
            old = {name: getattr(opinion, name) for name in PERSONAL_FIELDS}
            for name, value in old.items():
                if value and value not in (ERASED_ON_REQUEST, ERASED_AFTER_RETENTION):
                    setattr(opinion, name, marker)
            opinion.personal_erased_at = now
            opinion.save(update_fields=[*PERSONAL_FIELDS, "personal_erased_at"])
            _scrub_traces(opinion, old)
            erased.append(pk)
    if erased:
        log_access(user=user, username=username, action=action, purpose=purpose,
                   opinion_ids=erased)  # fmt: skip
    return erased


def _years_before(moment: datetime.datetime, years: int) -> datetime.datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def expired(now: datetime.datetime | None = None):
    """Opinions closed more than PERSONAL_DATA_RETENTION_YEARS ago whose person's data is still
    there."""
    now = now or timezone.now()
    cutoff = _years_before(now, settings.PERSONAL_DATA_RETENTION_YEARS)
    has_data = ~Q(raised_by="") | ~Q(phone="") | ~Q(address="")
    return Opinion.objects.filter(
        has_data, status__in=CLOSED, closed_at__lt=cutoff, personal_erased_at__isnull=True
    ).order_by("pk")


def erase_expired(*, dry_run: bool = False, now=None) -> list[int]:
    """The retention job: erase the expired ones (dry run: only say which). Running it again
    finds nothing more to do."""
    ids = list(expired(now).values_list("pk", flat=True))
    if dry_run or not ids:
        return ids
    return erase(
        ids,
        marker=ERASED_AFTER_RETENTION,
        action=AccessAction.RETENTION,
        purpose=f"PERSONAL_DATA_RETENTION_YEARS={settings.PERSONAL_DATA_RETENTION_YEARS}",
        username="celery beat",
    )
