"""Short reference tables every page reads and administrators rarely edit (the rules in force,
the holiday list, the fields), kept in the cache so a page does not pay a query for each.

The cache is Redis when REDIS_URL is set (shared by every web process: a change is seen by all
at once) and each process's memory otherwise (a single process for `make run`). A save or a
delete of a row empties its table's entry, once the transaction commits and at once;
REFERENCE_CACHE_SECONDS bounds how long an entry is kept in any case (0: not cached). A bulk
write that sends no signal calls `forget` itself.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)


def _key(name: str) -> str:
    return f"reference:{name}"


def reference(name: str, load):
    """The table's rows as `load()` returns them, from the cache when it has them."""
    seconds = settings.REFERENCE_CACHE_SECONDS
    if seconds <= 0:
        return load()
    try:
        rows = cache.get(_key(name))
    except Exception:  # the cache is down: read the table
        rows = None
    if rows is None:
        rows = load()
        try:
            cache.set(_key(name), rows, seconds)
        except Exception:
            logger.warning("reference tables: the cache is not answering")
    return rows


def forget(name: str) -> None:
    """The table changed: its entry is emptied now and again once the change is committed (a
    page read in between would otherwise keep the old rows)."""

    def empty():
        try:
            cache.delete(_key(name))
        except Exception:
            logger.warning("reference tables: the cache could not be told of a change")

    empty()
    transaction.on_commit(empty)


def forget_on_change(name: str, *models) -> None:
    """Connects `forget(name)` to every save and delete of these models."""
    from django.db.models.signals import post_delete, post_save

    def handler(**kwargs):
        forget(name)

    for model in models:
        post_save.connect(handler, sender=model, weak=False, dispatch_uid=f"{name}:{model}:save")
        post_delete.connect(
            handler, sender=model, weak=False, dispatch_uid=f"{name}:{model}:delete"
        )
