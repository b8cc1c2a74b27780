"""Literature per session (M11): add and remove files or links. Atomic, actor explicit, audited (R8).

Adding literature while the edition has enrolled participants queues one outbox task
("learning.literature_added"); the worker writes one e-mail per enrolled participant in their
language, so the request's query count does not grow with the group.

Removing an item deletes its row and, once that is committed, its stored file: literature is course
material, not a participant's work, so nothing on disk is kept after removal. The audit entry keeps
the evidence of what was there (title, original file name, size and SHA-256, or the link).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from leergang.accounts.models import User
from leergang.catalog.models import Session
from leergang.core import audit
from leergang.core.errors import Invalid, NotFound, PermissionDenied
from leergang.enrolment.models import Enrolment, EnrolmentStatus
from leergang.notifications import tasks

from . import permissions as learning_permissions
from . import uploads
from .models import LiteratureItem, LiteratureKind
from .selectors import can_view_literature

LITERATURE_ADDED_TASK = "learning.literature_added"
AUDIT_FIELDS = [
    "session",
    "title",
    "kind",
    "url",
    "file_path",
    "original_filename",
    "content_type",
    "size",
    "sha256",
    "preparation_minutes",
    "order",
]
TITLE_MAX = 200
URL_MAX = 2000
PREPARATION_MAX_MINUTES = 100 * 60  # far beyond the seed's four hours; catches a typo


def upload_root() -> Path:
    return Path(settings.UPLOAD_ROOT)


def random_relative_path(kind: str) -> str:
    return uploads.random_relative_path(kind).replace("papers/", "literature/", 1)


def _invalid(field: str, message) -> Invalid:
    return Invalid(message, [{"field": field, "message": message}])


def _clean_title(title: Any) -> str:
    title = " ".join(str(title or "").split())
    if not title:
        raise _invalid("title", _("Give the literature a title."))
    if len(title) > TITLE_MAX:
        raise _invalid("title", _("The title is at most %(max)s characters long.") % {"max": TITLE_MAX})
    return title


def _clean_url(url: Any) -> str:
    url = str(url or "").strip()
    parts = urlsplit(url)
    message = _("Enter a web address that starts with http:// or https://.")
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or len(url) > URL_MAX:
        raise _invalid("url", message)
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise _invalid("url", message) from None
    return url


def _clean_minutes(minutes: Any) -> int:
    message = _("Enter the preparation time as whole minutes, from 0 to %(max)s.") % {"max": PREPARATION_MAX_MINUTES}
    if isinstance(minutes, bool):
        raise _invalid("preparation_minutes", message)
    try:
        value = int(minutes)
    except (TypeError, ValueError):
        raise _invalid("preparation_minutes", message) from None
    if value != minutes and str(value) != str(minutes).strip():
        raise _invalid("preparation_minutes", message)
    if not 0 <= value <= PREPARATION_MAX_MINUTES:
        raise _invalid("preparation_minutes", message)
    return value


def _session_for(actor: Any, session_id: int) -> Session:
    """The session if the actor may change its literature; 404 for those who may not even read it."""
    session = Session.objects.select_related("edition").filter(pk=session_id).first()
    if session is None or not can_view_literature(actor, session):
        raise NotFound(_("There is no session with this number."))
    if not learning_permissions.is_staff_of(actor, session.edition):
        raise PermissionDenied(_("Only a teacher of this edition or the programme office can change its literature."))
    return session


def add_literature(
    *,
    actor: Any,
    session_id: int,
    title: str,
    url: str | None = None,
    uploaded_file: Any = None,
    preparation_minutes: int = 0,
) -> LiteratureItem:
    """Add a file (PDF or DOCX, checked by content) or a link to a session. A coordinator or a
    teacher of the edition. The file is written only after it passed the checks, and removed again
    when the row is not committed."""
    stored: Path | None = None
    try:
        with transaction.atomic():
            session = _session_for(actor, session_id)
            title = _clean_title(title)
            minutes = _clean_minutes(preparation_minutes)
            has_url = bool(str(url or "").strip())
            if has_url == (uploaded_file is not None):
                message = _("Add either a file or a link, not both.") if has_url else _("Add a file or a link.")
                raise _invalid("file" if not has_url else "url", message)
            fields: dict[str, Any] = {"kind": LiteratureKind.LINK, "url": _clean_url(url)} if has_url else {}
            if uploaded_file is not None:
                checked = uploads.check(uploaded_file, max_bytes=settings.UPLOAD_MAX_BYTES)
                relative = random_relative_path(checked.kind)
                stored = uploads.store(uploaded_file, upload_root(), relative)
                fields = {
                    "kind": LiteratureKind.FILE,
                    "file_path": relative,
                    "original_filename": uploads.clean_filename(getattr(uploaded_file, "name", "")),
                    "content_type": checked.kind,
                    "size": checked.size,
                    "sha256": checked.sha256,
                }
            last = LiteratureItem.objects.filter(session=session).aggregate(last=Max("order"))["last"]
            item = LiteratureItem.objects.create(
                session=session,
                title=title,
                preparation_minutes=minutes,
                order=(last or 0) + 1,
                added_at=timezone.now(),
                added_by=actor,
                **fields,
            )
            audit.record(
                actor=actor, action="literature.added", obj=item, after=audit.snapshot(item, AUDIT_FIELDS) | {"id": item.pk}
            )
            enrolled = Enrolment.objects.filter(edition_id=session.edition_id, status=EnrolmentStatus.ENROLLED)
            if enrolled.exists():
                from leergang.notifications.services import queue_task

                queue_task(LITERATURE_ADDED_TASK, {"item": item.pk})
    except BaseException:
        if stored is not None:
            stored.unlink(missing_ok=True)
        raise
    return item


def remove_literature(*, actor: Any, item_id: int) -> None:
    """Remove an item (a coordinator or a teacher of the edition). The row goes and, after commit,
    its stored file; the audit entry keeps what it was."""
    with transaction.atomic():
        item = LiteratureItem.objects.select_for_update(of=("self",)).filter(pk=item_id).first()
        if item is None:
            raise NotFound(_("There is no literature with this number."))
        _session_for(actor, item.session_id)
        before = audit.snapshot(item, AUDIT_FIELDS) | {"id": item.pk}
        path = literature_file(item) if item.kind == LiteratureKind.FILE else None
        audit.record(actor=actor, action="literature.removed", obj=item, before=before)
        item.delete()
        if path is not None:
            transaction.on_commit(lambda: path.unlink(missing_ok=True))


def literature_file(item: LiteratureItem) -> Path:
    """The stored file of an item, never outside UPLOAD_ROOT."""
    root = upload_root().resolve()
    path = (root / item.file_path).resolve()
    if not item.file_path or root not in path.parents:
        raise NotFound(_("The file of this literature could not be found."))
    return path


def literature_url(item: LiteratureItem, language: str) -> str:
    """The absolute address of the item's page in `language` (what the e-mail links to)."""
    with translation.override(language):
        path = reverse("literature:item", kwargs={"item_id": item.pk})
    return f"{settings.PUBLIC_BASE_URL}{path}"


def write_literature_added_emails(payload: dict) -> None:
    """The task's handler: one e-mail per enrolled participant, in their language (three queries
    and one insert, whatever the group's size). An item removed since is skipped."""
    from leergang.notifications.services import build_templated_email, queue_all

    item = LiteratureItem.objects.select_related("session__edition__programme").filter(pk=payload["item"]).first()
    if item is None:
        return
    session = item.session
    edition = session.edition
    people = (
        User.objects.filter(is_active=True, enrolments__edition=edition, enrolments__status=EnrolmentStatus.ENROLLED)
        .distinct()
        .order_by("email")
    )
    emails = []
    for person in people:
        language = person.preferred_language or "nl"
        emails.append(
            build_templated_email(
                to=[person.email],
                template="literature_added",
                context={
                    "person": person,
                    "edition": edition,
                    "programme": edition.programme,
                    "session": session,
                    "item": item,
                    "page_url": literature_url(item, language),
                },
                language=language,
                kind="literature_added",
                related=item,
            )
        )
    queue_all(emails)


tasks.register(LITERATURE_ADDED_TASK, write_literature_added_emails)
