"""Attendance per session and participant (M17): present, absent or excused."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from leergang.enrolment.models import Enrolment


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class Attendance(models.Model):
    """One participant at one session. Excused can be recorded ahead (a participant reports their
    absence); present and absent only once the session's date has come."""

    session = models.ForeignKey("catalog.Session", on_delete=models.PROTECT, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Any change to the row: the participant's overview is cached under a stamp of it (core/fragment_cache.py).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session", "enrolment"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_once_per_session"),
            models.CheckConstraint(condition=Q(status__in=AttendanceStatus.values), name="attendance_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.enrolment_id}: {self.status}"


class CheckInCode(models.Model):
    """The code a teacher shows on screen (also as a QR code) so participants record themselves
    present (M17). One per session; renewing replaces the code. It works only until `expires_at`
    and only on the session's date."""

    session = models.OneToOneField("catalog.Session", on_delete=models.CASCADE, related_name="check_in_code")
    code = models.CharField(_("check-in code"), max_length=12)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("valid until"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("check-in code")
        verbose_name_plural = _("check-in codes")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="check_in_code_expires_after_creation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: until {self.expires_at:%H:%M}"
