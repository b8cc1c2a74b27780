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
