"""The session list as a spreadsheet: one dataset, written out as .xlsx or .csv."""

import tablib
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.exports import neutralise

# Beyond this a download is no longer a list anyone reads; the user narrows the filter instead.
MAX_EXPORT_ROWS = 20_000

HEADERS = (
    _("No."),
    _("Date"),
    _("Start time"),
    _("End time"),
    _("Level"),
    _("Host unit"),
    _("Residents of"),
    _("Kind of session"),
    _("Dialogue for"),
    _("Form"),
    _("Topic"),
    _("Venue"),
    _("Chaired by"),
    _("Invited organisations"),
    _("Residents notified on"),
    _("How to take part"),
    _("Status"),
    _("Residents attending"),
    _("Cadres attending"),
    _("Results made public on"),
    _("Plan"),
    _("Logged by"),
    _("Session ID"),
    _("Link"),
)


def _date(value):
    return f"{value:%d/%m/%Y}" if value else ""


def _row(number, session, base_url):
    starts = timezone.localtime(session.starts_at)
    ends = timezone.localtime(session.ends_at)
    logged_by = session.logged_by
    cells = [
        number,
        _date(starts),
        f"{starts:%H:%M}",
        f"{ends:%H:%M}",
        str(session.get_level_display()),
        session.host_unit.full_name,
        # Prefetched: .all() reads the cache, where .order_by() would query again.
        ", ".join(unit.full_name for unit in session.attending_units.all()),
        str(session.get_kind_display()),
        str(session.scope_label),
        str(session.get_mode_display()),
        session.topic,
        session.venue,
        "; ".join(f"{chair.person} ({chair.position})" for chair in session.chairs.all()),
        session.invited_organisations,
        _date(session.notice_date),
        session.participation,
        str(session.get_status_display()),
        session.attendance_residents if session.attendance_residents is not None else "",
        session.attendance_cadres if session.attendance_cadres is not None else "",
        _date(session.results_published_on),
        session.plan.number,
        (logged_by.get_full_name() or logged_by.username) if logged_by else "",
        session.pk,
        base_url + session.get_absolute_url(),
    ]
    return [neutralise(cell) for cell in cells]


def session_dataset(queryset, *, base_url: str = "") -> tablib.Dataset:
    """One row per session of the queryset, oldest first, in a fixed number of queries.

    `base_url` ("https://host") makes the links absolute, so they work from a downloaded file.
    """
    sessions = queryset.for_list().select_related("logged_by").order_by("starts_at", "pk")
    dataset = tablib.Dataset(headers=[str(header) for header in HEADERS])
    dataset.title = str(_("Sessions"))
    for number, session in enumerate(sessions, start=1):
        dataset.append(_row(number, session, base_url))
    return dataset
