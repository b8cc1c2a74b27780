import uuid
from email.utils import parseaddr

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leergang.core.models import TimeStampedModel


def new_message_id() -> str:
    """A Message-ID chosen once per outbox row, so a message sent twice can be recognised as one."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    domain = address.rpartition("@")[2] or "leergang.invalid"
    return f"<{uuid.uuid4().hex}.outbox@{domain}>"


class OutboxEmail(TimeStampedModel):
    """One e-mail to send, written in the same transaction as the change it reports.

    Only `leergang.notifications.services` creates rows and only `leergang.notifications.delivery`
    changes them (and the admin's "retry now"). A row is never deleted by the application.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    to = models.JSONField(help_text="List of recipient addresses.")
    subject = models.CharField(max_length=500)
    body = models.TextField()
    # [{"filename": ..., "mimetype": ..., "content": <base64>}]
    attachments = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=10)
    reply_to = models.CharField(max_length=254, blank=True)
    kind = models.CharField(max_length=100, blank=True)
    related_type = models.CharField(max_length=100, blank=True)
    related_id = models.CharField(max_length=64, blank=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # Set when a worker claims the row; completing an attempt checks it (see delivery.py).
    claim_token = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    message_id = models.CharField(max_length=255, unique=True, default=new_message_id)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbox e-mail")
        verbose_name_plural = _("outbox e-mails")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx"),
            models.Index(fields=["related_type", "related_id"], name="outbox_related_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["pending", "sent", "failed"]), name="outbox_status_valid"),
            models.CheckConstraint(
                condition=(Q(status="sent") & Q(sent_at__isnull=False)) | (~Q(status="sent") & Q(sent_at__isnull=True)),
                name="outbox_sent_at_iff_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} -> {', '.join(self.to or [])} ({self.status})"


class JobRun(TimeStampedModel):
    """When a scheduled job (see jobs.py) last started, so several workers start it once per period."""

    name = models.CharField(max_length=100, unique=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")

    def __str__(self) -> str:
        return self.name


class OutboxTask(TimeStampedModel):
    """Work for the worker, written in the same transaction as the change it follows from.

    Only `services.queue_task` creates rows and only `delivery.run_due_tasks` changes them (and the
    admin's "retry now"). The handler registered under `name` (see tasks.py) gets `payload`; it runs
    in one transaction with the "done" mark, so what it writes is committed exactly once.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    name = models.CharField(max_length=100)
    payload = models.JSONField(default=dict, blank=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # Set when a worker claims the row; running the task checks it (see delivery.py).
    claim_token = models.CharField(max_length=32, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbox task")
        verbose_name_plural = _("outbox tasks")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_task_due_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["pending", "done", "failed"]), name="outbox_task_status_valid"),
            models.CheckConstraint(
                condition=(Q(status="done") & Q(done_at__isnull=False)) | (~Q(status="done") & Q(done_at__isnull=True)),
                name="outbox_task_done_at_iff_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} #{self.pk} ({self.status})"
