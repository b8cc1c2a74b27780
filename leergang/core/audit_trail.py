"""A person's audit trail (R8, M23): every audit entry about them (their account, applications,
places, and everything hanging off those: attendance, papers, presentations, awards, invoices,
payments, refunds, case entries) and every entry of what they did themselves.

What is "about" a person is found by walking foreign keys from the person's own rows, so a model
added later is covered without a change here. Foreign keys that name who did something
(`recorded_by`, `issued_by`, `actor`, ...) are not followed: a teacher who recorded attendance is
not what that attendance is about.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.apps import apps
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from .models import AuditEntry

DEPTH = 3
# Rows that point at a person without being about them.
NOT_ABOUT = {"actor", "author", "created_by", "decided_by", "recorded_by", "issued_by", "revoked_by", "assessed_by",
             "submitted_by", "added_by", "formed_by"}  # fmt: skip
SKIPPED_MODELS = {"core.auditentry"}


def _about(user: Any) -> dict[type, QuerySet]:
    """{model: a lazy queryset of its rows about `user`}: nothing runs until it is used, so the
    history below is one query however many models hang off a person."""
    from leergang.enrolment.models import Application, Enrolment

    user_model = type(user)
    applications = Application.objects.filter(
        Q(email__iexact=user.email) | Q(pk__in=Enrolment.objects.filter(participant=user).values("application_id"))
    )
    conditions: dict[type, Q] = {user_model: Q(pk=user.pk), Application: Q(pk__in=applications.values("pk"))}
    frontier = dict(conditions)
    for _depth in range(DEPTH):
        following: dict[type, Q] = {}
        for model in apps.get_models():
            if model._meta.label_lower in SKIPPED_MODELS:
                continue
            for field in model._meta.get_fields():
                if not (field.many_to_one or field.one_to_one) or not field.concrete or field.name in NOT_ABOUT:
                    continue
                related = field.related_model
                if related not in frontier:
                    continue
                rows = related.objects.filter(frontier[related]).values("pk")
                condition = Q(**{f"{field.name}__in": rows})
                following[model] = following[model] | condition if model in following else condition
        if not following:
            break
        for model, condition in following.items():
            conditions[model] = conditions[model] | condition if model in conditions else condition
        frontier = following
    return {model: model.objects.filter(condition) for model, condition in conditions.items()}


def related_objects(user: Any) -> dict[str, set[int]]:
    """{model label: primary keys} of the rows about `user` (their own rows included); a query per model."""
    found: dict[str, set[int]] = defaultdict(set)
    for model, rows in _about(user).items():
        found[model._meta.label_lower] |= set(rows.values_list("pk", flat=True))
    return found


def entries_for(user: Any, *, limit: int = 1000) -> list[AuditEntry]:
    """Audit entries about `user` or by them, newest first (at most `limit`): one query."""
    wanted = Q(actor=user)
    for model, rows in _about(user).items():
        keys = rows.annotate(key=Cast("pk", output_field=CharField())).values("key")
        wanted |= Q(object_type=model._meta.label_lower, object_id__in=keys)
    return list(AuditEntry.objects.filter(wanted).select_related("actor").order_by("-at", "-id")[:limit])


def changes(entry: AuditEntry) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for each value the entry changed (or set, when there was no before)."""
    before, after = entry.before or {}, entry.after or {}
    keys = list(dict.fromkeys([*after.keys(), *before.keys()]))
    return [(key, before.get(key), after.get(key)) for key in keys if before.get(key) != after.get(key)]
