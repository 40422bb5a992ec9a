"""Publishing a session's announcement and results, and withdrawing them.

Every write locks the session's publication row (config/concurrency.py) and counts itself in
`version`, so two people publishing at once are served one after the other and a page opened
before the other's change is told instead of overwriting it.
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.concurrency import changed_since, lock
from dialogues.models import SessionStatus
from feedback.text import fold

from .models import OpinionPublication, SessionPublication

# A phone number as residents write it: 9 to 11 digits, maybe in groups ("0912 345 678",
# "0227.3826.123", "+84 912345678").
PHONE = re.compile(r"(?:\+84[\s.-]?|\b0)\d(?:[\s.-]?\d){7,9}\b")
ERASED = "…"


class StalePage(ValidationError):
    """Someone changed the publication since the page was opened."""


def session_results_record_public(*, session, by, on=None):
    """Records that the session's results were made public (the obligation "results made public
    within N days" reads Session.results_published_on): the first time only, so a later
    re-publication does not move the date the deadline was met on. Posting the results at the
    office and publishing them here are the same fact; both call this."""
    if session.results_published_on is not None:
        return False
    session.results_published_on = on or timezone.localdate()
    session.results_published_by = by
    session.save(update_fields=["results_published_on", "results_published_by", "updated_at"])
    return True


def default_text(opinion) -> str:
    """The opinion's content with its author's name, address and any phone number taken out."""
    text = PHONE.sub(ERASED, opinion.content)
    for personal in (opinion.raised_by, opinion.address):
        personal = (personal or "").strip()
        if personal:
            text = re.sub(re.escape(personal), ERASED, text, flags=re.IGNORECASE)
    return text.strip()


def text_error(opinion, text: str) -> str | None:
    """Why this text may not be published for this opinion, or None."""
    if not text.strip():
        return _("Write what was raised, as residents will read it.")
    name = fold(opinion.raised_by or "")
    if name and name in fold(text):
        return _("The text names who raised it. Take the name out before publishing.")
    address = fold(opinion.address or "")
    if address and address in fold(text):
        return _("The text holds the address of who raised it. Take it out before publishing.")
    if PHONE.search(text):
        return _("The text holds a phone number. Take it out before publishing.")
    return None


def _publication(session) -> SessionPublication:
    """The session's publication row, locked until the transaction ends."""
    publication, _created = SessionPublication.objects.get_or_create(session=session)
    return lock(publication)


def _check_seen(publication, seen):
    if changed_since(seen, publication.version):
        raise StalePage(
            _(
                "Someone changed what is published of this session since you opened the page. "
                "Look at it again, then repeat your change."
            )
        )


def _save(publication, **changes):
    for name, value in changes.items():
        setattr(publication, name, value)
    publication.version += 1
    publication.save()
    return publication


@transaction.atomic
def session_announce(*, session, by, seen=None):
    """Makes the announcement public (time, place, topic, chairs, how to take part)."""
    publication = _publication(session)
    _check_seen(publication, seen)
    if publication.is_announced:
        return publication
    return _save(
        publication, announced_at=timezone.now(), announced_by=by,
        announcement_withdrawn_at=None, announcement_withdrawn_by=None,
    )  # fmt: skip


@transaction.atomic
def session_withdraw_announcement(*, session, by, seen=None):
    publication = _publication(session)
    _check_seen(publication, seen)
    if not publication.is_announced:
        return publication
    return _save(
        publication, announcement_withdrawn_at=timezone.now(), announcement_withdrawn_by=by
    )


@transaction.atomic
def session_publish_results(*, session, texts: dict, by, seen=None):
    """Publishes these opinions of the session ({opinion: text}) and the session's results.

    All at once is every opinion of the session; one by one is a dict of one. Each text is
    checked for its author's name and phone numbers; nothing is published if one fails.
    """
    if session.status != SessionStatus.HELD:
        raise ValidationError(_("Only the results of a session held can be published."))
    errors = {opinion.pk: text_error(opinion, text) for opinion, text in texts.items()}
    errors = {pk: error for pk, error in errors.items() if error}
    if errors:
        raise ValidationError(errors)
    publication = _publication(session)
    _check_seen(publication, seen)
    now = timezone.now()
    existing = {row.opinion_id: row for row in session.published_opinions.all()}
    for opinion, text in texts.items():
        if opinion.session_id != session.pk:
            raise ValidationError(_("This opinion was raised at another session."))
        row = existing.get(opinion.pk) or OpinionPublication(opinion=opinion, session=session)
        row.text = text.strip()
        if not row.is_live:
            row.published_at, row.published_by = now, by
            row.withdrawn_at, row.withdrawn_by = None, None
        row.save()
    if not publication.results_are_public:
        _save(
            publication, results_published_at=now, results_published_by=by,
            results_withdrawn_at=None, results_withdrawn_by=None,
        )  # fmt: skip
    else:
        _save(publication)
    session_results_record_public(session=session, by=by, on=timezone.localdate(now))
    return publication


@transaction.atomic
def session_withdraw_results(*, session, by, seen=None):
    """Takes every result of the session off the public pages (the rows say what was there)."""
    publication = _publication(session)
    _check_seen(publication, seen)
    if not publication.results_are_public:
        return publication
    return _save(publication, results_withdrawn_at=timezone.now(), results_withdrawn_by=by)


@transaction.atomic
def opinion_withdraw(*, opinion, by, seen=None):
    """Takes one opinion off the public pages; the session's other results stay."""
    publication = _publication(opinion.session)
    _check_seen(publication, seen)
    row = OpinionPublication.objects.select_for_update().filter(opinion=opinion).first()
    if row is None or not row.is_live:
        return publication
    row.withdrawn_at, row.withdrawn_by = timezone.now(), by
    row.save()
    return _save(publication)
