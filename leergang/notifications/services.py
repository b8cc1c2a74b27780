"""Queue e-mails and tasks in the outbox. Nothing here sends: `delivery.deliver_due` does, after commit.

Call these inside the service's transaction: the row is written in the current transaction, so
the e-mail (or task) exists exactly when the change it reports was committed, and never otherwise.
A notice to a whole group is one task (`queue_task`): the worker writes the e-mails, so the request
costs one insert however large the group is.
"""

import base64
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.db import models
from django.template import Context
from django.template.loader import get_template
from django.utils import translation

from leergang.core import sql_rows

from . import rules, tasks
from .models import OutboxEmail, OutboxTask


@dataclass(frozen=True)
class Rendered:
    """An attachment made when the e-mail is sent, not when it is queued: a document that never
    changes once it exists (an issued invoice), named by `key` and made by the renderer registered
    under `renderer`. The request that queues the e-mail then spends no time rendering it."""

    renderer: str
    key: str


RENDERERS: dict[str, Callable[[str], bytes]] = {}


def register_renderer(name: str, render: Callable[[str], bytes]) -> None:
    RENDERERS[name] = render


Attachment = tuple[str, bytes | str | Rendered, str]


def build_email(
    *,
    to: list[str] | str,
    subject: str,
    body: str,
    attachments: Iterable[Attachment] = (),
    language: str = "nl",
    reply_to: str | None = None,
    kind: str = "",
    related: models.Model | None = None,
) -> OutboxEmail:
    """An unsaved outbox row, checked as `queue_email` checks it; `queue_all` writes many at once."""
    recipients = rules.normalise_recipients(to)
    _check_language(language)
    if reply_to:
        rules.normalise_recipients(reply_to)
    return OutboxEmail(
        to=recipients,
        subject=rules.one_line(subject)[:500],  # a header: a stray newline must not break it
        body=body,
        attachments=[_encode_attachment(*attachment) for attachment in attachments],
        language=language,
        reply_to=reply_to or "",
        kind=kind,
        related_type=related._meta.label_lower if related is not None else "",
        related_id=str(related.pk) if related is not None else "",
    )


def queue_email(**fields) -> OutboxEmail:
    """Write one e-mail to the outbox (arguments as `build_email`). Attachments are (filename,
    content, mimetype); text content is stored as UTF-8.

    Raises ValueError for what could never be sent (no or malformed recipients, an unknown
    language, an attachment without a MIME type), so the mistake shows in the caller's transaction.
    """
    return sql_rows.insert(build_email(**fields))


def queue_all(emails: list[OutboxEmail]) -> list[OutboxEmail]:
    """Write many built e-mails in one insert (a notice to a whole group costs one query)."""
    return sql_rows.insert_all(emails)


def build_templated_email(
    *,
    to: list[str] | str,
    template: str,
    context: dict,
    language: str,
    attachments: Iterable[Attachment] = (),
    kind: str = "",
    related: models.Model | None = None,
) -> OutboxEmail:
    """Render `emails/<template>_subject.txt` and `emails/<template>_body.txt` in `language`: an unsaved row.

    The templates are plain text: variables are not HTML-escaped. Besides `context` they see
    `public_base_url` (settings.PUBLIC_BASE_URL), `site_url` (its home page in `language`) and
    `sender_name`, which `{% include "emails/base_footer.txt" %}` uses.
    """
    _check_language(language)
    full_context = {
        "public_base_url": settings.PUBLIC_BASE_URL,
        "site_url": f"{settings.PUBLIC_BASE_URL}/{language}/",
        "sender_name": parseaddr(settings.DEFAULT_FROM_EMAIL)[0] or "Leergang",
        **context,
    }
    with translation.override(language):
        subject = rules.one_line(_render_text(f"emails/{template}_subject.txt", full_context))
        body = _render_text(f"emails/{template}_body.txt", full_context).strip() + "\n"
    return build_email(
        to=to,
        subject=subject,
        body=body,
        attachments=attachments,
        language=language,
        kind=kind or template,
        related=related,
    )


def queue_templated_email(**fields) -> OutboxEmail:
    """Render a templated e-mail in its recipient's language and queue it (arguments as
    `build_templated_email`: to, template, context, language, attachments, kind, related)."""
    return sql_rows.insert(build_templated_email(**fields))


def queue_task(name: str, payload: dict) -> OutboxTask:
    """Write one task to the outbox: the worker runs the handler registered under `name` with `payload`.

    One INSERT in the current transaction, so the task exists exactly when the caller's change is
    committed. The handler gets the payload as JSON gives it back (lists for tuples; pass dates as
    ISO strings and objects by primary key). The worker runs it after the commit, usually within
    seconds; see tasks.py for what a handler may do and delivery.py for the guarantees.

    Raises ValueError for a name without a registered handler in this process or a payload that is
    not a JSON object, so the mistake shows in the caller's transaction.
    """
    try:
        tasks.handler(name)
    except tasks.UnknownTaskError as exc:
        raise ValueError(str(exc)) from None
    if not isinstance(payload, dict):
        raise ValueError(f"A task's payload is a dict, not {type(payload).__name__}.")
    try:
        json.dumps(payload, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"The payload of task {name!r} is not JSON: {exc}") from None
    return OutboxTask.objects.create(name=name, payload=payload)


def _render_text(name: str, context: dict) -> str:
    template = get_template(name)
    engine_template = getattr(template, "template", None)
    if engine_template is None:  # not the Django template engine: render as it does
        return template.render(context)
    # A plain-text e-mail: a name like "O'Brien" must not become "O&#x27;Brien".
    return engine_template.render(Context(context, autoescape=False))


def _check_language(language: str) -> None:
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValueError(f"Unknown language {language!r}.")


def _encode_attachment(filename: str, content: bytes | str | Rendered, mimetype: str) -> dict:
    if not filename or "/" not in (mimetype or ""):
        raise ValueError("An attachment needs a file name and a MIME type such as 'text/calendar'.")
    if isinstance(content, Rendered):
        if content.renderer not in RENDERERS:
            raise ValueError(f"No renderer {content.renderer!r} for the attachment {filename!r}.")
        return {"filename": filename, "mimetype": mimetype, "render": content.renderer, "key": content.key}
    raw = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    return {"filename": filename, "mimetype": mimetype, "content": base64.b64encode(raw).decode("ascii")}


def decode_attachment(stored: dict) -> tuple[str, bytes, str]:
    """The (filename, content, mimetype) that was queued (a `Rendered` one made now)."""
    if "render" in stored:
        return stored["filename"], RENDERERS[stored["render"]](stored["key"]), stored["mimetype"]
    return stored["filename"], base64.b64decode(stored["content"]), stored["mimetype"]
