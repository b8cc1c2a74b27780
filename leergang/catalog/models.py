import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from leergang.core.i18n import translated
from leergang.core.models import TimeStampedModel


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class HolidayRegion(models.TextChoices):
    NOORD = "noord", _("North")
    MIDDEN = "midden", _("Middle")
    ZUID = "zuid", _("South")


class Teacher(TimeStampedModel):
    """A teacher as shown to the public; linked to a user account when they take attendance."""

    name = models.CharField(_("name"), max_length=200)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="teacher_profile"
    )
    position_nl = models.CharField(_("position (Dutch)"), max_length=300, blank=True)
    position_en = models.CharField(_("position (English)"), max_length=300, blank=True)
    bio_nl = models.TextField(_("short bio (Dutch)"), blank=True)
    bio_en = models.TextField(_("short bio (English)"), blank=True)

    position = translated("position")
    bio = translated("bio")

    class Meta:
        ordering = ["name"]
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")

    def __str__(self) -> str:
        return self.name

    @property
    def initials(self) -> str:
        parts = [p for p in self.name.replace(".", " ").split() if p[:1].isupper()]
        return "".join(p[0] for p in parts[-2:])


class Location(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=20)
    city = models.CharField(_("city"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        return f"{self.name}, {self.address}, {self.postal_code} {self.city}"


class Room(TimeStampedModel):
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(_("name"), max_length=100)
    area_m2 = models.DecimalField(
        _("floor area (m²)"), max_digits=7, decimal_places=1, validators=[MinValueValidator(Decimal("1"))]
    )

    class Meta:
        ordering = ["location__name", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="room_area_positive"),
            models.UniqueConstraint(fields=["location", "name"], name="room_unique_per_location"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.location.name})"


class Programme(TimeStampedModel):
    """A course as the school offers it; its editions are the cohorts that run it."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    published = models.BooleanField(_("published"), default=False)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    tagline_nl = models.CharField(_("tagline (Dutch)"), max_length=300, blank=True)
    tagline_en = models.CharField(_("tagline (English)"), max_length=300, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    approach_nl = models.TextField(_("approach (Dutch)"), blank=True)
    approach_en = models.TextField(_("approach (English)"), blank=True)
    profile_nl = models.TextField(_("participant profile (Dutch)"), blank=True)
    profile_en = models.TextField(_("participant profile (English)"), blank=True)
    fee_includes_nl = models.CharField(_("fee includes (Dutch)"), max_length=300, blank=True)
    fee_includes_en = models.CharField(_("fee includes (English)"), max_length=300, blank=True)
    vat_exempt = models.BooleanField(_("VAT exempt"), default=True)
    preparation_hours_per_session = models.PositiveSmallIntegerField(_("preparation hours per session"), default=0)
    paper_hours = models.PositiveSmallIntegerField(_("hours for own case and paper"), default=0)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_url = models.URLField(_("contact page"), blank=True)
    intake_note_nl = models.CharField(_("intake note (Dutch)"), max_length=300, blank=True)
    intake_note_en = models.CharField(_("intake note (English)"), max_length=300, blank=True)
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    lead_teachers = models.ManyToManyField(Teacher, through="ProgrammeTeacher", related_name="programmes")
    # The award rule as data (M18); the lead teachers sign the diploma and the certificate.
    award_min_content_sessions = models.PositiveSmallIntegerField(
        _("content sessions to attend for the diploma"), default=5, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    award_requires_paper = models.BooleanField(_("diploma requires a sufficient final paper"), default=True)
    award_requires_presentation = models.BooleanField(_("diploma requires the presentation"), default=True)

    title = translated("title")
    tagline = translated("tagline")
    description = translated("description")
    approach = translated("approach")
    profile = translated("profile")
    fee_includes = translated("fee_includes")
    intake_note = translated("intake_note")

    class Meta:
        ordering = ["title_nl"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(award_min_content_sessions__gte=1, award_min_content_sessions__lte=50),
                name="programme_award_minimum_sensible",
            )
        ]

    def __str__(self) -> str:
        return self.title_nl


class ProgrammeTeacher(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="teacher_links")
    teacher = models.ForeignKey(Teacher, on_delete=models.PROTECT, related_name="programme_links")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["programme", "teacher"], name="programme_teacher_unique")]


class LearningGoal(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="learning_goals")
    order = models.PositiveSmallIntegerField(default=0)
    text_nl = models.TextField(_("text (Dutch)"))
    text_en = models.TextField(_("text (English)"), blank=True)

    text = translated("text")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("learning goal")
        verbose_name_plural = _("learning goals")

    def __str__(self) -> str:
        return self.text_nl[:80]


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for registration")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")


class CancellationFeeKind(models.TextChoices):
    PERCENTAGE = "percentage", _("Percentage of the invoice")
    AMOUNT = "amount", _("Fixed amount")


class Edition(TimeStampedModel):
    """One run (cohort) of a programme, with its own dates, place, capacity and fee."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="editions")
    start_date = models.DateField(_("start date"))
    status = models.CharField(_("status"), max_length=20, choices=EditionStatus.choices, default=EditionStatus.DRAFT)
    language = models.CharField(
        _("teaching language"), max_length=2, choices=[("nl", "Nederlands"), ("en", "English")], default="nl"
    )
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1), MaxValueValidator(10000)])
    fee = models.DecimalField(_("fee (EUR)"), max_digits=9, decimal_places=2)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, default=Weekday.WEDNESDAY)
    start_time = models.TimeField(_("start time"), default="13:30")
    end_time = models.TimeField(_("end time"), default="19:30")
    min_gap_days = models.PositiveSmallIntegerField(
        _("minimum days between sessions"), default=28, validators=[MaxValueValidator(365)]
    )
    holiday_region = models.CharField(
        _("school holiday region"), max_length=10, choices=HolidayRegion.choices, default=HolidayRegion.NOORD
    )
    location = models.CharField(_("location"), max_length=300, blank=True, help_text=_("As shown to participants."))
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="editions")
    staff_on_site = models.PositiveSmallIntegerField(
        _("staff on site"), default=2, help_text=_("Teachers and organisers in the room, counted for the distancing rule.")
    )
    paper_deadline = models.DateField(
        _("final paper deadline"), null=True, blank=True, help_text=_("The last day participants can hand in their paper.")
    )
    # Cancellation terms (M7): free up to and including `cancellation_free_until`, a fee after it.
    # Without a date a fee applies from the start; without a fee (value 0) cancelling is always free.
    cancellation_free_until = models.DateField(
        _("free cancellation until"), null=True, blank=True, help_text=_("Cancelling on or before this date costs nothing.")
    )
    cancellation_fee_kind = models.CharField(
        _("cancellation fee: kind"), max_length=12, choices=CancellationFeeKind.choices, default=CancellationFeeKind.PERCENTAGE
    )
    cancellation_fee_value = models.DecimalField(
        _("cancellation fee"),
        max_digits=9,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("A percentage of the invoiced amount, or an amount in euros; 0 for none."),
    )

    class Meta:
        ordering = ["start_date", "id"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="edition_capacity_positive"),
            models.CheckConstraint(condition=Q(fee__gte=0), name="edition_fee_not_negative"),
            models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="edition_times_ordered"),
            models.CheckConstraint(condition=Q(status__in=EditionStatus.values), name="edition_status_valid"),
            models.CheckConstraint(condition=Q(holiday_region__in=HolidayRegion.values), name="edition_region_valid"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="edition_weekday_valid"),
            models.CheckConstraint(
                condition=Q(cancellation_fee_kind__in=CancellationFeeKind.values), name="edition_cancellation_fee_kind_valid"
            ),
            models.CheckConstraint(condition=Q(cancellation_fee_value__gte=0), name="edition_cancellation_fee_not_negative"),
            models.CheckConstraint(
                condition=~Q(cancellation_fee_kind=CancellationFeeKind.PERCENTAGE) | Q(cancellation_fee_value__lte=100),
                name="edition_cancellation_percentage_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.title_nl} – {self.start_date:%Y-%m-%d}"

    @property
    def is_public(self) -> bool:
        return self.status != EditionStatus.DRAFT

    @property
    def accepts_applications(self) -> bool:
        return self.status == EditionStatus.OPEN

    @property
    def place(self) -> str:
        """What participants read as the place: the free text, else the room's location."""
        if self.location:
            return self.location
        if self.room_id:
            return str(self.room.location)
        return ""


class SessionKind(models.TextChoices):
    CONTENT = "content", _("Content session")
    CLOSING = "closing", _("Closing session")


class DeliveryMode(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class Session(TimeStampedModel):
    """One meeting day of an edition."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=SessionKind.choices, default=SessionKind.CONTENT)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    theme_nl = models.TextField(_("theme (Dutch)"), blank=True)
    theme_en = models.TextField(_("theme (English)"), blank=True)
    delivery_mode = models.CharField(
        _("delivery mode"), max_length=10, choices=DeliveryMode.choices, default=DeliveryMode.ON_SITE
    )
    online_url = models.URLField(
        _("online meeting link"), max_length=500, blank=True, help_text=_("For online and hybrid sessions.")
    )
    goals = models.ManyToManyField(LearningGoal, blank=True, related_name="sessions", verbose_name=_("learning goals"))
    # The calendar identity survives date changes; `sequence` rises with every change.
    calendar_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    calendar_sequence = models.PositiveIntegerField(default=0)

    theme = translated("theme")

    class Meta:
        ordering = ["edition", "number"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        # Whether an edition has a session since a day (the office's overview asks it of every
        # edition to tell the recently completed ones) is one probe of this index.
        indexes = [models.Index(fields=["edition", "date"], name="session_edition_date")]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="session_number_unique_per_edition"),
            models.CheckConstraint(condition=Q(number__gte=1), name="session_number_positive"),
            models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="session_times_ordered"),
            models.CheckConstraint(condition=Q(kind__in=SessionKind.values), name="session_kind_valid"),
            models.CheckConstraint(condition=Q(delivery_mode__in=DeliveryMode.values), name="session_mode_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.date:%Y-%m-%d} {self.theme_nl[:40]}"


class SessionPart(models.Model):
    """A shorter lecture within a session, each with its own teacher (the seed's session 6)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="parts")
    order = models.PositiveSmallIntegerField(default=0)
    title_nl = models.CharField(_("title (Dutch)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    teacher = models.ForeignKey(Teacher, null=True, blank=True, on_delete=models.SET_NULL, related_name="session_parts")

    title = translated("title")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("session part")
        verbose_name_plural = _("session parts")

    def __str__(self) -> str:
        return self.title_nl
