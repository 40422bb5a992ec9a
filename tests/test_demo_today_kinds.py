"""The demo of today (issue 12): each of today's sessions has its kind, and the states the rules
are about are there to see — a commune behind on its reception days this month, a dialogue
conference whose results are overdue, an announcement late, authors told and not yet told —
while the 2019 story keeps its own kinds."""

from django.utils import timezone

from dialogues.models import DialogueScope, Session, SessionKind, SessionStatus
from feedback.models import EventKind, Opinion
from obligations.models import Measure
from obligations.rules import RuleBook

from .reform import XA_TAN_THUAN, XA_VU_THU


def test_the_demo_of_today_has_its_kinds_and_who_is_behind(full_demo):
    today = timezone.localdate()
    book = RuleBook.load(today)
    this_year = Session.objects.filter(starts_at__year=today.year)
    # 2019 is untouched: its sessions keep the kinds of Quy định 11-QĐi/TW.
    assert set(Session.objects.filter(starts_at__year=2019).values_list("kind", flat=True)) == {
        SessionKind.REGULAR
    }
    assert set(this_year.values_list("kind", flat=True)) == {
        SessionKind.DIALOGUE, SessionKind.RECEPTION, SessionKind.AD_HOC_RECEPTION,
    }  # fmt: skip
    cluster = this_year.get(topic__startswith="Đối thoại với Nhân dân cụm thôn")
    assert cluster.dialogue_scope == DialogueScope.CLUSTER and cluster.results_published_on
    assert not this_year.filter(kind=SessionKind.DIALOGUE, dialogue_scope="").exists()
    # The Bí thư receives citizens: xã Vũ Thư on its 2 days this month, xã Tân Thuận behind.
    quota = book.rule(Measure.PER_MONTH, level="commune", kind=SessionKind.RECEPTION)
    assert quota.number == 2 and quota.position.name == "Bí thư"
    month = this_year.filter(
        kind=SessionKind.RECEPTION, starts_at__month=today.month
    ).exclude(status=SessionStatus.CANCELLED)  # fmt: skip
    assert month.filter(host_unit__code=XA_VU_THU).count() >= quota.number
    assert month.filter(host_unit__code=XA_TAN_THUAN).count() < quota.number
    for reception in this_year.filter(kind=SessionKind.RECEPTION):
        assert [chair.position.name for chair in reception.chairs.all()] == ["Bí thư"]
    assert this_year.filter(kind=SessionKind.AD_HOC_RECEPTION, status=SessionStatus.HELD).exists()
    # Behind on the deadlines: results overdue, an announcement late, authors not yet told.
    overdue = book.results_overdue(Session.objects.all())
    assert overdue.filter(kind=SessionKind.DIALOGUE).exists()
    assert book.announce_late(Session.objects.all()).exists()
    opinions = Opinion.objects.filter(session__starts_at__year=today.year)
    told = opinions.exclude(acknowledged_on=None)
    assert told.exists() and book.unacknowledged_overdue(opinions).exists()
    assert told.count() == opinions.filter(events__kind=EventKind.ACKNOWLEDGED).count()
    assert (
        not Opinion.objects.filter(session__starts_at__year=2019)
        .exclude(acknowledged_on=None)
        .exists()
    )
