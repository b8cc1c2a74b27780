"""The final paper (M14): every upload is kept; the latest one is the current paper."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from leergang.enrolment.models import Enrolment


class PaperKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"


class PaperResult(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUFFICIENT = "sufficient", _("Sufficient")
    INSUFFICIENT = "insufficient", _("Insufficient")


class PaperSubmission(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="paper_submissions")
    # Relative to settings.UPLOAD_ROOT ("papers/<random hex>.pdf"); never the uploader's name.
    file_path = models.CharField(_("stored file"), max_length=200, unique=True)
    original_filename = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=10, choices=PaperKind.choices)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=20, choices=PaperResult.choices, default=PaperResult.PENDING)
    feedback = models.TextField(_("feedback"), blank=True)
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Any change to the row (pages that show it are cached under a stamp of it: core/fragment_cache.py).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["enrolment", "-submitted_at", "-id"]
        verbose_name = _("paper submission")
        verbose_name_plural = _("paper submissions")
        constraints = [
            models.CheckConstraint(condition=Q(result__in=PaperResult.values), name="paper_result_valid"),
            models.CheckConstraint(condition=Q(content_type__in=PaperKind.values), name="paper_kind_valid"),
            models.CheckConstraint(
                condition=Q(result="pending", assessed_at__isnull=True) | (~Q(result="pending") & Q(assessed_at__isnull=False)),
                name="paper_assessed_when_judged",
            ),
        ]
        indexes = [models.Index(fields=["enrolment", "-submitted_at", "-id"])]

    def __str__(self) -> str:
        return f"{self.original_filename} ({self.enrolment_id})"

    @property
    def status(self) -> str:
        return "submitted" if self.result == PaperResult.PENDING else self.result


class PresentationSlot(models.Model):
    """A participant's turn to present at the closing session (M15) and whether they presented.

    `position` is the place in the edition's order (1, 2, ...); a cancelled enrolment keeps its slot
    (and what was recorded) but drops out of the order (position empty). `presented` is empty until
    a teacher or the programme office records it.
    """

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="presentation_slot")
    # The enrolment's edition, copied so that positions can be unique per edition in the database.
    edition = models.ForeignKey("catalog.Edition", on_delete=models.PROTECT, related_name="presentation_slots")
    position = models.PositiveIntegerField(_("position"), null=True, blank=True)
    presented = models.BooleanField(_("presented"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)  # any change, the order included (see PaperSubmission)

    class Meta:
        ordering = ["edition", "position", "id"]
        verbose_name = _("presentation slot")
        verbose_name_plural = _("presentation slots")
        constraints = [
            models.UniqueConstraint(fields=["edition", "position"], name="presentation_position_unique_per_edition"),
            models.CheckConstraint(
                condition=Q(position__isnull=True) | Q(position__gte=1), name="presentation_position_positive"
            ),
            models.CheckConstraint(
                condition=Q(presented__isnull=True, recorded_at__isnull=True, recorded_by__isnull=True)
                | Q(presented__isnull=False, recorded_at__isnull=False),
                name="presentation_recorded_when_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position or '-'}: {self.enrolment_id}"


class LiteratureKind(models.TextChoices):
    FILE = "file", _("File")
    LINK = "link", _("Link")


class LiteratureItem(models.Model):
    """Reading for a session (M11): an uploaded PDF/DOCX or a link, for enrolled participants only.

    A link has a url (http or https) and no file; a file has a stored file and no url. The stored
    file lives under settings.UPLOAD_ROOT with a random name ("literature/<hex>.pdf") and is served
    only by the literature view after its access check.
    """

    session = models.ForeignKey("catalog.Session", on_delete=models.PROTECT, related_name="literature")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=LiteratureKind.choices)
    url = models.URLField(_("link"), max_length=2000, blank=True)
    # Relative to settings.UPLOAD_ROOT; never the uploader's name.
    file_path = models.CharField(_("stored file"), max_length=200, blank=True)
    original_filename = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(_("file type"), max_length=10, choices=PaperKind.choices, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    preparation_minutes = models.PositiveIntegerField(_("preparation time in minutes"), default=0)
    order = models.PositiveIntegerField(_("order"), default=0)
    added_at = models.DateTimeField(_("added at"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)  # any change (see PaperSubmission)

    class Meta:
        ordering = ["session", "order", "id"]
        verbose_name = _("literature item")
        verbose_name_plural = _("literature items")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=LiteratureKind.values), name="literature_kind_valid"),
            models.CheckConstraint(
                condition=(
                    Q(kind="link", file_path="", original_filename="", content_type="")
                    & ~Q(url="")
                    & (Q(url__startswith="http://") | Q(url__startswith="https://"))
                )
                | (Q(kind="file", url="") & ~Q(file_path="") & Q(content_type__in=PaperKind.values)),
                name="literature_link_or_file",
            ),
            models.UniqueConstraint(fields=["file_path"], condition=~Q(file_path=""), name="literature_file_path_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.session_id})"


class StudyGroup(models.Model):
    """A small group for case work (M12), formed at a session and kept for the sessions after it
    until the edition's groups are reshuffled at a later session.

    The grouping in force at session n is the one formed at the latest session numbered n or lower
    (before the first grouping: the first one). Reshuffling forms a new grouping at a session; the
    old groups stay as they were, so who was in whose group at each session remains known.
    """

    edition = models.ForeignKey("catalog.Edition", on_delete=models.PROTECT, related_name="study_groups")
    from_session = models.ForeignKey("catalog.Session", on_delete=models.PROTECT, related_name="study_groups")
    number = models.PositiveSmallIntegerField(_("group number"))
    formed_at = models.DateTimeField(_("formed at"))
    formed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["edition", "from_session__number", "number"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        constraints = [
            models.UniqueConstraint(fields=["from_session", "number"], name="study_group_number_unique_per_session"),
            models.CheckConstraint(condition=Q(number__gte=1), name="study_group_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.from_session_id}/{self.number}"


class StudyGroupMember(models.Model):
    group = models.ForeignKey(StudyGroup, on_delete=models.CASCADE, related_name="members")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="group_memberships")
    # The group's session, copied so that one grouping holds a participant once, in the database.
    from_session = models.ForeignKey("catalog.Session", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["group", "id"]
        constraints = [
            models.UniqueConstraint(fields=["from_session", "enrolment"], name="study_group_member_once_per_grouping"),
        ]


class OwnCase(models.Model):
    """The participant's own case or work assignment from their practice (M13), written at the start."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="own_case")
    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(_("question"))
    context = models.TextField(_("context in your organisation"))
    created_at = models.DateTimeField(_("written at"))
    updated_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("own case")
        verbose_name_plural = _("own cases")
        constraints = [models.CheckConstraint(condition=~Q(title=""), name="own_case_has_title")]

    def __str__(self) -> str:
        return self.title


class CaseEntry(models.Model):
    """The progress of a case at one session: what was done, what was learned, the next step."""

    case = models.ForeignKey(OwnCase, on_delete=models.PROTECT, related_name="entries")
    session = models.ForeignKey("catalog.Session", on_delete=models.PROTECT, related_name="case_entries")
    done = models.TextField(_("what I did"))
    learned = models.TextField(_("what I learned"))
    next_step = models.TextField(_("my next step"))
    created_at = models.DateTimeField(_("written at"))
    updated_at = models.DateTimeField(_("changed at"))

    class Meta:
        ordering = ["case", "session__number"]
        verbose_name = _("case entry")
        verbose_name_plural = _("case entries")
        constraints = [models.UniqueConstraint(fields=["case", "session"], name="case_entry_once_per_session")]

    def __str__(self) -> str:
        return f"{self.case_id}@{self.session_id}"


class CaseResponse(models.Model):
    """A teacher's or group member's response to a case entry."""

    entry = models.ForeignKey(CaseEntry, on_delete=models.PROTECT, related_name="responses")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("response"))
    created_at = models.DateTimeField(_("written at"))

    class Meta:
        ordering = ["entry", "created_at", "id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="case_response_has_text")]


class TimeKind(models.TextChoices):
    PREPARATION = "preparation", _("Preparation")
    CASE = "case", _("Own case and paper")


class TimeEntry(models.Model):
    """Hours a participant logged (M16): preparation for a session, or work on their case and paper."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="time_entries")
    kind = models.CharField(_("kind"), max_length=20, choices=TimeKind.choices)
    session = models.ForeignKey("catalog.Session", null=True, blank=True, on_delete=models.PROTECT, related_name="time_entries")
    day = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(_("minutes"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    logged_at = models.DateTimeField(_("logged at"))
    updated_at = models.DateTimeField(auto_now=True)  # any change (see PaperSubmission)

    class Meta:
        ordering = ["enrolment", "-day", "-id"]
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=TimeKind.values), name="time_entry_kind_valid"),
            models.CheckConstraint(condition=Q(minutes__gte=1, minutes__lte=24 * 60), name="time_entry_minutes_in_a_day"),
            models.CheckConstraint(
                condition=Q(kind="case") | Q(session__isnull=False), name="time_entry_preparation_has_session"
            ),
        ]
        indexes = [models.Index(fields=["enrolment", "kind"])]


class SessionReminder(models.Model):
    """That the reminder for a session on a date was written to the outbox: sent once per date, so a
    session moved after its reminder gets a new one for its new date."""

    session = models.ForeignKey("catalog.Session", on_delete=models.CASCADE, related_name="reminders")
    session_date = models.DateField()
    queued_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "session_date"], name="session_reminder_once_per_date"),
        ]
