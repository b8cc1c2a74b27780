import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from leergang.catalog.models import Edition
from leergang.core.models import TimeStampedModel


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    CANCELLED = "cancelled", _("Cancelled")


def new_calendar_token() -> str:
    """A secret for the participant's private calendar link: 256 random bits, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


class Enrolment(TimeStampedModel):
    """A participant's place in an edition; an enrolled one takes a seat."""

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="enrolments")
    participant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(_("status"), max_length=20, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    # The key to the participant's private calendar feed (/kalender/<token>.ics): whoever has it
    # sees the person's sessions, so it is random and never derived from anything else.
    calendar_token = models.CharField(_("calendar token"), max_length=64, unique=True, default=new_calendar_token, editable=False)

    class Meta:
        ordering = ["edition", "participant__last_name", "participant__first_name"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "participant"],
                condition=Q(status="enrolled"),
                name="one_active_enrolment_per_participant",
            ),
            models.CheckConstraint(condition=Q(status__in=EnrolmentStatus.values), name="enrolment_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} in {self.edition}"
