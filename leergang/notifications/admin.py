import json

from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from leergang.core.admin import ReadOnlyAdmin

from .models import JobRun, OutboxEmail, OutboxTask
from .services import decode_attachment


def make_due_now(queryset, status) -> int:
    """Failed and unclaimed waiting rows become due now with a fresh count of attempts; a row a
    worker holds a claim on (or one already done) is left alone, so nothing is sent twice."""
    retryable = Q(status=status.FAILED) | Q(status=status.PENDING, claim_token="")
    now = timezone.now()
    return queryset.filter(retryable).update(
        status=status.PENDING, attempts=0, claim_token="", next_attempt_at=now, updated_at=now
    )


@admin.register(OutboxEmail)
class OutboxEmailAdmin(ReadOnlyAdmin):
    """Support reads the outbox; only the worker changes it, and "retry now" sends a message again."""

    list_display = ["created_at", "subject", "recipients", "kind", "language", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "kind", "language"]
    search_fields = ["subject", "to", "message_id", "related_id"]
    date_hierarchy = "created_at"
    actions = ["retry_now"]
    fields = [
        "status",
        "to",
        "reply_to",
        "subject",
        "body",
        "attachment_list",
        "language",
        "kind",
        "related_type",
        "related_id",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
        "message_id",
        "created_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("recipients"))
    def recipients(self, obj: OutboxEmail) -> str:
        return ", ".join(obj.to or [])

    @admin.display(description=_("attachments"))
    def attachment_list(self, obj: OutboxEmail) -> str:
        items = [decode_attachment(stored) for stored in obj.attachments]
        return ", ".join(f"{name} ({mimetype}, {len(content)} bytes)" for name, content, mimetype in items) or "-"

    @admin.action(description=_("Retry now"))
    def retry_now(self, request, queryset):
        """Failed and waiting messages become due now, with a fresh count of attempts.

        A message a worker is sending right now (it holds a claim) is left alone: retrying it would
        make a second copy.
        """
        count = make_due_now(queryset, OutboxEmail.Status)
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail will be sent by the worker's next round.",
                "%(count)d e-mails will be sent by the worker's next round.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(OutboxTask)
class OutboxTaskAdmin(ReadOnlyAdmin):
    """Support reads the tasks; only the worker changes them, and "retry now" runs a task again."""

    list_display = ["created_at", "name", "status", "attempts", "next_attempt_at", "done_at"]
    list_filter = ["status", "name"]
    search_fields = ["name", "last_error"]
    date_hierarchy = "created_at"
    actions = ["retry_now"]
    fields = ["status", "name", "payload_json", "attempts", "next_attempt_at", "done_at", "last_error", "created_at"]
    readonly_fields = fields

    @admin.display(description=_("payload"))
    def payload_json(self, obj: OutboxTask) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.payload, indent=2, ensure_ascii=False, sort_keys=True))

    @admin.action(description=_("Retry now"))
    def retry_now(self, request, queryset):
        """Failed and waiting tasks become due now, with a fresh count of attempts.

        A task a worker is running right now (it holds a claim) is left alone, and a task that is
        done stays done: running it again would write its e-mails twice.
        """
        count = make_due_now(queryset, OutboxTask.Status)
        self.message_user(
            request,
            ngettext(
                "%(count)d task will be run by the worker's next round.",
                "%(count)d tasks will be run by the worker's next round.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    list_display = ["name", "last_started_at", "last_finished_at", "last_error"]
    readonly_fields = ["name", "last_started_at", "last_finished_at", "last_error"]
