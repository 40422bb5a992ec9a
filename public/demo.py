"""The demo publishes, as staff would have: results of a few 2019 sessions of the old communes
and the district, and this year's announcements and results of xã Vũ Thư, Thư Trì and Tân
Thuận. One held session of this year (xã Vạn Xuân's) is left unpublished, so the demo also
shows what staff have not yet decided. Dates are set as if each was published a few days after
(or, for an announcement, 8 days before) its session. Running it again changes nothing."""

import datetime

from django.utils import timezone

from accounts.models import User
from dialogues.demo import XA_VU_THU
from dialogues.models import Session, SessionStatus

from .models import SessionPublication
from .services import (
    default_text,
    session_announce,
    session_publish_results,
    text_error,
)

# This year's communes whose held sessions have public results (xã Vũ Thư, Thư Trì, Tân Thuận).
RESULTS_TODAY = (XA_VU_THU, "33802", "33803")
# This year's communes whose sessions to come are announced.
ANNOUNCED_TODAY = (XA_VU_THU, "33803", "33804")
# 2019: the old communes (Dũng Nghĩa, Bách Thuận, Hòa Bình…) and the district itself.
SESSIONS_2019 = 6


def load(stdout=None):
    if SessionPublication.objects.exists():
        return
    staff_2019 = User.objects.get(username="bandanvan")
    staff = User.objects.get(username="bandanvantinh")
    officer = User.objects.get(username="xavuthu")
    this_year = timezone.localdate().year
    published = announced = 0

    held_2019 = (
        Session.objects.filter(status=SessionStatus.HELD, starts_at__year=2019)
        .select_related("host_unit")
        .order_by("starts_at", "pk")
    )
    chosen, hosts = [], set()
    for session in held_2019:
        if session.host_unit_id not in hosts and session.opinions.exists():
            hosts.add(session.host_unit_id)
            chosen.append(session)
        if len(chosen) == SESSIONS_2019:
            break
    today = Session.objects.filter(starts_at__year=this_year).select_related("host_unit")
    for session in today.filter(status=SessionStatus.HELD, host_unit__code__in=RESULTS_TODAY):
        chosen.append(session)
    for session in chosen:
        by = staff_2019 if session.start_date.year == 2019 else (
            officer if session.host_unit.code == XA_VU_THU else staff
        )  # fmt: skip
        texts = {
            opinion: default_text(opinion)
            for opinion in session.opinions.select_related("field")
            if not text_error(opinion, default_text(opinion))
        }
        session_publish_results(session=session, texts=texts, by=by)
        _backdate_results(session, days=4 if session.start_date.year == 2019 else 5)
        published += 1

    for session in today.filter(host_unit__code__in=ANNOUNCED_TODAY).exclude(
        status=SessionStatus.HELD
    ):
        by = officer if session.host_unit.code == XA_VU_THU else staff
        session_announce(session=session, by=by)
        at = min(session.starts_at - datetime.timedelta(days=8), timezone.now())
        SessionPublication.objects.filter(session=session).update(announced_at=at)
        announced += 1
    if stdout is not None:
        stdout.write(f"Public: {announced} announcements, the results of {published} sessions.")


def _backdate_results(session, *, days):
    """As if the results had been published `days` after the session (never in the future)."""
    at = min(session.starts_at + datetime.timedelta(days=days), timezone.now())
    SessionPublication.objects.filter(session=session).update(results_published_at=at)
    session.published_opinions.update(published_at=at)
    Session.objects.filter(pk=session.pk).update(results_published_on=timezone.localdate(at))
