import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
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
    application = models.OneToOneField("Application", null=True, blank=True, on_delete=models.PROTECT, related_name="enrolment")
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

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


class EducationLevel(models.TextChoices):
    WO = "wo", _("University (WO)")
    HBO = "hbo", _("Higher professional education (HBO)")
    OTHER = "other", _("Other")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    INTAKE_PLANNED = "intake_planned", _("Intake planned")
    ADMITTED = "admitted", _("Admitted")
    WAITLISTED = "waitlisted", _("On the waiting list")
    OFFERED = "offered", _("Place offered")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# An application in one of these states blocks a second one with the same e-mail address.
CLOSED_APPLICATION_STATES = (ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN)


class Application(TimeStampedModel):
    """What the registration form creates: the applicant's details as they gave them."""

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(_("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED)
    language = models.CharField(_("language"), max_length=2, choices=[("nl", "Nederlands"), ("en", "English")], default="nl")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200)
    job_title = models.CharField(_("job title"), max_length=200)
    education_level = models.CharField(_("education level"), max_length=10, choices=EducationLevel.choices)
    education_note = models.CharField(_("education, explained"), max_length=500, blank=True)
    years_experience = models.PositiveSmallIntegerField(_("years of relevant experience"))
    leadership_role = models.BooleanField(_("leadership task or collaboration assignment"))
    challenge = models.TextField(_("the challenge you face"))
    invoice_organisation = models.CharField(_("invoice: organisation"), max_length=200)
    invoice_address = models.CharField(_("invoice: address"), max_length=200)
    invoice_postal_code = models.CharField(_("invoice: postal code"), max_length=20)
    invoice_city = models.CharField(_("invoice: city"), max_length=100)
    invoice_email = models.EmailField(_("invoice: e-mail address"))
    invoice_po_number = models.CharField(_("invoice: purchase order number"), max_length=100, blank=True)
    dietary_requirements = models.CharField(_("dietary requirements"), max_length=500, blank=True)
    discount_code = models.CharField(_("discount code"), max_length=50, blank=True)
    terms_accepted = models.BooleanField(_("terms accepted"), default=False)
    privacy_consent = models.BooleanField(_("privacy consent"))
    # The form sends a random key once per filled-in form: a second submit returns the first application.
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    meets_profile = models.BooleanField(_("meets the profile"), default=False)
    screening = models.JSONField(_("screening"), default=list, blank=True, help_text=_("Unmet criteria at submission."))
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decision_note = models.TextField(_("note with the decision"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "edition",
                condition=~Q(status__in=CLOSED_APPLICATION_STATES),
                name="one_open_application_per_email_and_edition",
            ),
            models.CheckConstraint(condition=Q(status__in=ApplicationStatus.values), name="application_status_valid"),
            models.CheckConstraint(condition=Q(education_level__in=EducationLevel.values), name="application_level_valid"),
            models.CheckConstraint(condition=Q(privacy_consent=True), name="application_needs_privacy_consent"),
            models.CheckConstraint(condition=Q(years_experience__lte=80), name="application_experience_plausible"),
        ]
        indexes = [models.Index(fields=["edition", "status", "waitlisted_at"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.email})"

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def invoice_recipient(self) -> dict:
        return {
            "organisation": self.invoice_organisation,
            "contact_name": self.name,
            "address": self.invoice_address,
            "postal_code": self.invoice_postal_code,
            "city": self.invoice_city,
            "email": self.invoice_email,
            "po_number": self.invoice_po_number,
        }


class IntakeMode(models.TextChoices):
    ONLINE = "online", _("Online")
    ON_SITE = "on_site", _("On site")


class IntakeOutcome(models.TextChoices):
    PENDING = "pending", _("Not held yet")
    POSITIVE = "positive", _("Positive")
    DOUBTFUL = "doubtful", _("Doubtful")
    NEGATIVE = "negative", _("Negative")


class Intake(TimeStampedModel):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="intakes")
    scheduled_at = models.DateTimeField(_("date and time"))
    mode = models.CharField(_("online or on site"), max_length=10, choices=IntakeMode.choices)
    interviewer = models.CharField(_("with whom"), max_length=200)
    outcome = models.CharField(_("outcome"), max_length=10, choices=IntakeOutcome.choices, default=IntakeOutcome.PENDING)
    outcome_note = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-scheduled_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(mode__in=IntakeMode.values), name="intake_mode_valid"),
            models.CheckConstraint(condition=Q(outcome__in=IntakeOutcome.values), name="intake_outcome_valid"),
        ]


class OfferStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    EXPIRED = "expired", _("Expired")


def new_offer_token() -> str:
    return secrets.token_urlsafe(32)


class Offer(TimeStampedModel):
    """A freed seat held for the first on the waiting list until it is accepted, refused or expires."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="offers")
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="offers")
    status = models.CharField(max_length=10, choices=OfferStatus.choices, default=OfferStatus.OPEN)
    expires_at = models.DateTimeField()
    token = models.CharField(max_length=64, unique=True, default=new_offer_token, editable=False)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=OfferStatus.values), name="offer_status_valid"),
            models.UniqueConstraint(fields=["application"], condition=Q(status="open"), name="one_open_offer_per_application"),
        ]


class ChangeKind(models.TextChoices):
    SUBSTITUTION = "substitution", _("A colleague took over the place")
    TRANSFER = "transfer", _("Moved to a later edition")


class EnrolmentChange(models.Model):
    """The history of a place that changed hands or editions (M7): the old enrolment is closed
    (status cancelled, it keeps its own records) and a new one takes its seat. The invoice
    documents involved are named, so the trail reads from either enrolment."""

    kind = models.CharField(_("kind"), max_length=20, choices=ChangeKind.choices)
    from_enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="change_out")
    to_enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="change_in")
    reason = models.TextField(_("reason"), blank=True)
    credit_note = models.ForeignKey(
        "invoicing.Invoice", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("credit note")
    )
    invoice = models.ForeignKey(
        "invoicing.Invoice", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("new invoice")
    )
    created_at = models.DateTimeField(_("when"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("change of enrolment")
        verbose_name_plural = _("changes of enrolment")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ChangeKind.values), name="enrolment_change_kind_valid"),
            models.CheckConstraint(condition=~Q(from_enrolment=models.F("to_enrolment")), name="enrolment_change_two_enrolments"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.from_enrolment_id} -> {self.to_enrolment_id}"
