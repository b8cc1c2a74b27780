"""The audit log: every service that changes something records it here."""

import contextlib
import datetime
import decimal
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.db import connection, models

from . import sql_rows
from .models import AuditEntry


def _jsonable(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.time, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of an instance as JSON-ready values (foreign keys as their id)."""
    data = {}
    for name in fields:
        field = instance._meta.get_field(name)
        value = getattr(instance, field.attname)
        data[name] = _jsonable(value)
    return data


_batch: ContextVar[list[AuditEntry] | None] = ContextVar("audit_batch", default=None)


@contextlib.contextmanager
def batched() -> Iterator[None]:
    """Entries recorded inside the block are written together, one INSERT, when it ends without an
    error; an error leaves them unwritten, as the rollback it causes would.

    For a service that is one transaction from start to end and lets every error end it (the changes
    of plan write up to nine entries; one INSERT each was a fifth of their time). Not for code that
    catches an error from a savepoint and goes on: an entry recorded inside that savepoint would
    still be written. Must be entered inside the transaction, so the entries commit with the action.
    """
    if _batch.get() is not None:  # inside another batch: that one writes
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("audit.batched() belongs inside the action's transaction.")
    entries: list[AuditEntry] = []
    token = _batch.set(entries)
    try:
        yield
    finally:
        _batch.reset(token)
    if entries:
        sql_rows.insert_all(entries)


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Write an entry (inside `batched()`: keep it for the batch's INSERT; it is returned unsaved)."""
    entry = AuditEntry(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        before=before,
        after=after,
    )
    pending = _batch.get()
    if pending is None:
        sql_rows.insert(entry)
    else:
        pending.append(entry)
    return entry
