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
from django.db.models import Q

from .models import AuditEntry

DEPTH = 3
# Rows that point at a person without being about them.
NOT_ABOUT = {"actor", "author", "created_by", "decided_by", "recorded_by", "issued_by", "revoked_by", "assessed_by",
             "submitted_by", "added_by", "formed_by"}  # fmt: skip
SKIPPED_MODELS = {"core.auditentry"}


def related_objects(user: Any) -> dict[str, set[int]]:
    """{model label: primary keys} of the rows about `user` (their own rows included)."""
    from leergang.enrolment.models import Application, Enrolment

    found: dict[str, set[int]] = defaultdict(set)
    user_model = type(user)
    frontier: dict[type, set[int]] = {user_model: {user.pk}}
    applications = set(Application.objects.filter(email__iexact=user.email).values_list("pk", flat=True))
    applications |= set(
        Enrolment.objects.filter(participant=user, application__isnull=False).values_list("application_id", flat=True)
    )
    frontier[Application] = applications
    for model, keys in frontier.items():
        found[model._meta.label_lower] |= keys
    for _depth in range(DEPTH):
        following: dict[type, set[int]] = defaultdict(set)
        for model in apps.get_models():
            label = model._meta.label_lower
            if label in SKIPPED_MODELS:
                continue
            for field in model._meta.get_fields():
                if not (field.many_to_one or field.one_to_one) or not field.concrete or field.name in NOT_ABOUT:
                    continue
                keys = frontier.get(field.related_model)
                if not keys:
                    continue
                rows = set(model.objects.filter(**{f"{field.name}__in": keys}).values_list("pk", flat=True))
                new = rows - found[label]
                if new:
                    found[label] |= new
                    following[model] |= new
        if not following:
            break
        frontier = following
    return found


def entries_for(user: Any, *, limit: int = 1000) -> list[AuditEntry]:
    """Audit entries about `user` or by them, newest first (at most `limit`)."""
    wanted = Q(actor=user)
    for label, keys in related_objects(user).items():
        if keys:
            wanted |= Q(object_type=label, object_id__in=[str(key) for key in keys])
    return list(AuditEntry.objects.filter(wanted).select_related("actor").order_by("-at", "-id")[:limit])


def changes(entry: AuditEntry) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for each value the entry changed (or set, when there was no before)."""
    before, after = entry.before or {}, entry.after or {}
    keys = list(dict.fromkeys([*after.keys(), *before.keys()]))
    return [(key, before.get(key), after.get(key)) for key in keys if before.get(key) != after.get(key)]
