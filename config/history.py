"""A readable change log from django-simple-history: who, when, and each field's old → new."""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    when: object
    who: str
    kind: str
    changes: list[Change] = field(default_factory=list)


HIDDEN_FIELDS = {"updated_at", "created_at"}
FOLLOW_UP = datetime.timedelta(seconds=2)


def _display(model, field_name, value):
    if value is None or value == "":
        return "—"
    model_field = model._meta.get_field(field_name)
    if isinstance(value, list):  # many-to-many: rows of the through table
        target = model_field.related_model
        column = model_field.m2m_reverse_field_name()
        # Rows hold related objects (foreign_keys_are_objs) or, for deleted ones, their ids.
        ids = [getattr(row[column], "pk", row[column]) for row in value]
        names = sorted(str(obj) for obj in target._default_manager.filter(pk__in=ids))
        return ", ".join(names) or "—"
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, models.Model):
        return str(value)
    if hasattr(value, "strftime"):
        from django.utils import timezone

        if hasattr(value, "hour"):
            return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")
        return value.strftime("%d/%m/%Y")
    return str(value)


def _changes(model, record, before) -> list[tuple[str, Change]]:
    delta = record.diff_against(before, foreign_keys_are_objs=True)
    return [
        (
            change.field,
            Change(
                label=str(model._meta.get_field(change.field).verbose_name).capitalize(),
                old=_display(model, change.field, change.old),
                new=_display(model, change.field, change.new),
            ),
        )
        for change in delta.changes
        if change.field not in HIDDEN_FIELDS
    ]


def history_count(obj) -> int:
    """How many records of history obj has: a form keeps it to notice someone else's save."""
    return obj.history.count()


def history_entries(obj, *, limit=50, since: int | None = None) -> list[Entry]:
    """The latest changes of obj, newest first, at most `limit` records read.

    With `since` (a history_count() taken earlier), only the changes made after that moment.
    """
    model = type(obj)
    m2m_names = {f.name for f in model._meta.many_to_many}
    ordered = obj.history.select_related("history_user").order_by("history_date", "history_id")
    previous = None
    if since is None:
        records = list(ordered.reverse()[:limit])[::-1]
    else:
        records = list(ordered[max(since - 1, 0) : since + limit])
        if since > 0 and records:
            previous, records = records[0], records[1:]
    kinds = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
    entries: list[Entry] = []
    for record in records:
        user = record.history_user
        who = (user.get_full_name() or user.username) if user else _("the system")
        named = _changes(model, record, previous) if previous and record.history_type == "~" else []
        changes = [change for _name, change in named]
        follows_save = (
            (entries or since is not None)
            and previous is not None
            and record.history_user_id == previous.history_user_id
            and record.history_date - previous.history_date <= FOLLOW_UP
            and changes
            and all(name in m2m_names for name, _change in named)
        )
        if follows_save and entries:
            # Many-to-many fields are saved just after the row: one form, one entry.
            if entries[-1].kind != kinds["+"]:
                entries[-1].changes.extend(changes)
        elif record.history_type != "~" or changes:
            entries.append(Entry(when=record.history_date, who=who, kind=kinds[record.history_type],
                                 changes=changes))  # fmt: skip
        previous = record
    return entries[::-1]
