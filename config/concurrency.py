"""Writes that can race. Two people save the same record at the same instant: the row is locked
in the transaction that checks and writes it, so the second waits for the first, then sees what
the first saved (and is told), instead of both being accepted and one change lost."""

from .parsing import as_id


def lock(instance):
    """Read the row again, locked until the transaction ends. Call inside `transaction.atomic`."""
    manager = type(instance)._default_manager
    instance.refresh_from_db(from_queryset=manager.select_for_update())
    return instance


def changed_since(seen, current: int) -> bool:
    """Whether the record moved on since the page was opened at `seen` (what the form carried).

    A page without the number (an old tab, a script) has nothing to compare: the workflow's own
    checks, made on the locked row, still hold.
    """
    return as_id(seen) is not None and as_id(seen) != current
