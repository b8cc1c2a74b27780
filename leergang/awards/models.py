"""Issued diplomas and certificates (M19) and the key that signs their Open Badges credentials.

An award is a snapshot: the holder's name, the programme, the dates, the learning goals and the
signatories as they were when it was issued, with the signed credential made then; the PDF is made
from the snapshot, so it is the same whenever it is made. Later
changes to the programme or the person never alter an issued document. Revoking keeps the row (the
register of issued diplomas is kept, R9) and states who, when and why.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from leergang.enrolment.models import Enrolment


class AwardKind(models.TextChoices):
    DIPLOMA = "diploma", _("Diploma")
    CERTIFICATE = "certificate", _("Certificate of participation")


class Award(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="awards")
    kind = models.CharField(_("kind"), max_length=12, choices=AwardKind.choices)
    # The public verification code, printed on the document and in its QR code: random, unguessable.
    code = models.CharField(_("verification code"), max_length=32, unique=True)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # What the documents say, frozen at issue: holder_name, programme {nl, en}, organiser, start_date,
    # end_date, goals [{nl, en}], signatories [{name, position_nl, position_en}], kind.
    snapshot = models.JSONField(_("snapshot"))
    # Made from the snapshot when first needed (awards.pdf.document), empty until then.
    pdf = models.BinaryField(_("PDF"))
    credential = models.TextField(_("signed credential (VC-JWT)"))
    # The award's position in the revocation status list (a W3C Bitstring Status List).
    status_index = models.PositiveIntegerField(_("status list index"), unique=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AwardKind.values), name="award_kind_valid"),
            # One valid award per enrolment: a certificate is revoked before a diploma replaces it.
            models.UniqueConstraint(
                fields=["enrolment"], condition=Q(revoked_at__isnull=True), name="award_one_valid_per_enrolment"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True, revoked_reason="")
                | (Q(revoked_at__isnull=False, revoked_by__isnull=False) & ~Q(revoked_reason="")),
                name="award_revocation_complete",
            ),
        ]
        indexes = [
            # The status list reads only the revoked awards (a few among thousands); without this the
            # read walks every award and its stored PDF (26 ms on the large set, 0.1 ms with it).
            models.Index(fields=["status_index", "revoked_at"], condition=Q(revoked_at__isnull=False), name="award_revoked_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.code}"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class SigningKey(models.Model):
    """An RSA key that signs the credentials (RS256, as Open Badges 3.0 requires verifiers to
    support). Kept in the database so every app server signs with the same key and a backup holds
    it; the public halves of all keys are published as a JWK Set, so credentials signed with a
    retired key keep verifying."""

    kid = models.CharField(_("key id"), max_length=64, unique=True)
    private_pem = models.TextField(_("private key (PEM)"))
    created_at = models.DateTimeField(_("created at"))
    active = models.BooleanField(_("signs new credentials"), default=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        constraints = [models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="signing_key_one_active")]

    def __str__(self) -> str:
        return self.kid


class OutOfReachNotice(models.Model):
    """That the participant and the programme office were e-mailed that the diploma can no longer
    be reached (early warning, M18): sent once per enrolment, whatever happens after."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="out_of_reach_notice")
    noticed_at = models.DateTimeField(_("e-mailed at"))

    class Meta:
        verbose_name = _("early warning sent")
        verbose_name_plural = _("early warnings sent")

    def __str__(self) -> str:
        return f"{self.enrolment_id} at {self.noticed_at:%Y-%m-%d}"
