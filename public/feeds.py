"""An Atom feed per unit: its announcements and its published results (Django's syndication)."""

import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .http import public_view
from .models import ANNOUNCED, RESULTS_PUBLIC
from .selectors import page_unit, unit_sessions

FEED_ITEMS = 50


class UnitFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, code):
        unit = page_unit(code)
        if not unit.is_active:
            raise Http404
        return unit

    def title(self, unit):
        return _("Dialogues with residents – %(unit)s") % {"unit": unit.full_name}

    def subtitle(self, unit):
        return _("Sessions announced and results published by %(unit)s.") % {"unit": unit.full_name}

    def link(self, unit):
        return reverse("public:unit", args=[unit.code])

    def feed_url(self, unit):
        return reverse("public:unit-feed", args=[unit.code])

    def items(self, unit):
        sessions = unit_sessions(unit).select_related("publication").order_by("-starts_at")
        entries = []
        for session in sessions.filter(ANNOUNCED)[:FEED_ITEMS]:
            entries.append(("announcement", session, session.publication.announced_at, unit.code))
        for session in sessions.filter(RESULTS_PUBLIC)[:FEED_ITEMS]:
            at = session.publication.results_published_at
            entries.append(("results", session, at, unit.code))
        if not entries:
            raise Http404
        return sorted(entries, key=lambda entry: entry[2], reverse=True)[:FEED_ITEMS]

    def item_title(self, item):
        kind, session = item[:2]
        day = timezone.localtime(session.starts_at).strftime("%d/%m/%Y")
        if kind == "results":
            return _("Results: %(topic)s (%(day)s)") % {"topic": session.topic, "day": day}
        return _("Announced: %(topic)s (%(day)s)") % {"topic": session.topic, "day": day}

    def item_description(self, item):
        kind, session = item[:2]
        start = timezone.localtime(session.starts_at)
        if kind == "results":
            return _("The results of the session of %(day)s are published.") % {
                "day": start.strftime("%d/%m/%Y")
            }
        return _("%(time)s on %(day)s at %(venue)s.") % {
            "time": start.strftime("%H:%M"), "day": start.strftime("%d/%m/%Y"),
            "venue": session.venue,
        }  # fmt: skip

    def item_link(self, item):
        kind, session, _at, code = item
        url = reverse("public:session", args=[code, session.publication.public_id])
        return f"{url}#ket-qua" if kind == "results" else url

    def item_guid(self, item):
        kind, session = item[:2]
        return f"tag:tiepxuc,2026:{kind}-{session.publication.public_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item[2]

    def item_updateddate(self, item):
        return item[2] or datetime.datetime.now(tz=datetime.UTC)


unit_feed = public_view(UnitFeed())
