import json

from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import JobRun, OutboxEmail, OutboxTask
from .services import decode_attachment


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
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
        retryable = Q(status=OutboxEmail.Status.FAILED) | Q(status=OutboxEmail.Status.PENDING, claim_token="")
        count = queryset.filter(retryable).update(
            status=OutboxEmail.Status.PENDING,
            attempts=0,
            claim_token="",
            next_attempt_at=timezone.now(),
            updated_at=timezone.now(),
        )
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxTask)
class OutboxTaskAdmin(admin.ModelAdmin):
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
        retryable = Q(status=OutboxTask.Status.FAILED) | Q(status=OutboxTask.Status.PENDING, claim_token="")
        count = queryset.filter(retryable).update(
            status=OutboxTask.Status.PENDING,
            attempts=0,
            claim_token="",
            next_attempt_at=timezone.now(),
            updated_at=timezone.now(),
        )
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["name", "last_started_at", "last_finished_at", "last_error"]
    readonly_fields = ["name", "last_started_at", "last_finished_at", "last_error"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
