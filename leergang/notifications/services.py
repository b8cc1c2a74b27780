"""Queue e-mails in the outbox. Nothing here sends: `delivery.deliver_due` does, after commit.

Call these inside the service's transaction: the row is written in the current transaction, so
the e-mail exists exactly when the change it reports was committed, and never otherwise.
"""

import base64
from collections.abc import Iterable
from email.utils import parseaddr

from django.conf import settings
from django.db import models
from django.template import Context
from django.template.loader import get_template
from django.utils import translation

from . import rules
from .models import OutboxEmail

Attachment = tuple[str, bytes | str, str]


def queue_email(
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
    """Write one e-mail to the outbox. Attachments are (filename, content, mimetype); text content is stored as UTF-8.

    Raises ValueError for what could never be sent (no or malformed recipients, an unknown
    language, an attachment without a MIME type), so the mistake shows in the caller's transaction.
    """
    recipients = rules.normalise_recipients(to)
    _check_language(language)
    if reply_to:
        rules.normalise_recipients(reply_to)
    return OutboxEmail.objects.create(
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


def queue_templated_email(
    *,
    to: list[str] | str,
    template: str,
    context: dict,
    language: str,
    attachments: Iterable[Attachment] = (),
    kind: str = "",
    related: models.Model | None = None,
) -> OutboxEmail:
    """Render `emails/<template>_subject.txt` and `emails/<template>_body.txt` in `language` and queue the result.

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
    return queue_email(
        to=to,
        subject=subject,
        body=body,
        attachments=attachments,
        language=language,
        kind=kind or template,
        related=related,
    )


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


def _encode_attachment(filename: str, content: bytes | str, mimetype: str) -> dict:
    raw = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    if not filename or "/" not in (mimetype or ""):
        raise ValueError("An attachment needs a file name and a MIME type such as 'text/calendar'.")
    return {"filename": filename, "mimetype": mimetype, "content": base64.b64encode(raw).decode("ascii")}


def decode_attachment(stored: dict) -> tuple[str, bytes, str]:
    """The (filename, content, mimetype) that was queued."""
    return stored["filename"], base64.b64decode(stored["content"]), stored["mimetype"]
