"""Small helpers for services' transactions and reads on their hot paths."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.db import transaction
from django.db.models import QuerySet

P = ParamSpec("P")
R = TypeVar("R")


def atomic_unless_joined(flag: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """transaction.atomic for a service; without a savepoint of its own when the caller passes the
    keyword `flag` true: a caller that is one transaction and lets every error end it (a change of
    plan), where a savepoint per step only costs two statements. Other callers, and tests that
    catch a refusal and go on, keep the savepoint."""

    def decorate(service: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(service)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            with transaction.atomic(savepoint=not kwargs.get(flag, False)):
                return service(*args, **kwargs)

        return run

    return decorate


def single_row(queryset: QuerySet) -> Any:
    """The one row a filter on a unique key (or a lock on it) selects, or None. Unlike first(), no
    ORDER BY: a model's default ordering can join other tables (a place's joins its holder) and
    costs more to compile than the query takes to run."""
    return next(iter(queryset.order_by()[:1]), None)
