"""Invoices and credit notes: immutable snapshots in one gapless series per year.

An invoice copies everything it shows at the moment it is issued (issuer, recipient, participant,
programme, amounts, texts in the invoice's language), so later changes to any of those never alter
it. It is never deleted and never changed after issue, except its `status`, which only services
set. A mistake is corrected by a credit note: a document of its own in the same series.

Status (the same field for both kinds):
- invoice: `open` when issued; `partly_paid`, then `paid` as payments are recorded; `credited` once a
  credit note corrects it (nothing is owed on it any more).
- credit note: `credited` when it settles an invoice on which nothing was paid (the two documents
  cancel each other out; nothing is refunded); `open` when something was paid on the invoice it
  corrects (that money is owed back), `paid` once refunds (`Refund`: a bank transfer, or the money
  carried over to another invoice of the same debtor) add up to what was paid.
- `cancelled` is reserved for a document withdrawn before it was sent (not used by any service yet).
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leergang.core.models import TimeStampedModel


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


class InvoiceStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("invoice status", "Open")
    PARTLY_PAID = "partly_paid", pgettext_lazy("invoice status", "Partly paid")
    PAID = "paid", pgettext_lazy("invoice status", "Paid")
    CREDITED = "credited", pgettext_lazy("invoice status", "Credited")
    CANCELLED = "cancelled", pgettext_lazy("invoice status", "Cancelled")


class InvoicePurpose(models.TextChoices):
    """What an invoice charges for (a credit note has the purpose of the invoice it corrects)."""

    PARTICIPATION = "participation", _("Participation")
    CANCELLATION_FEE = "cancellation_fee", _("Cancellation fee")


class InvoiceLanguage(models.TextChoices):
    NL = "nl", "Nederlands"
    EN = "en", "English"


class InvoiceCounter(models.Model):
    """The last number used in a year's series. Its row is locked while a number is taken and held
    until the issuing transaction ends, so numbers are consecutive and a rollback returns its number."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last_number = models.PositiveIntegerField(_("last number used"), default=0)

    class Meta:
        ordering = ["year"]
        verbose_name = _("invoice counter")
        verbose_name_plural = _("invoice counters")
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=9999), name="invoice_counter_year_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class InvoiceQuerySet(models.QuerySet):
    def delete(self):
        raise models.ProtectedError("Invoices are never deleted; correct one with a credit note.", set(self))

    def update(self, **kwargs):
        if not set(kwargs) <= Invoice.MUTABLE_FIELDS:
            raise ValueError("An issued invoice does not change; only its status, through a service.")
        return super().update(**kwargs)


class Invoice(TimeStampedModel):
    """An issued invoice or credit note (see the module's docstring for the status values)."""

    # Only these may change after issue, and only through services.
    MUTABLE_FIELDS = frozenset({"status", "updated_at"})

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    sequence = models.PositiveIntegerField(_("number within the year"), editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=InvoiceKind.choices, default=InvoiceKind.INVOICE)
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_notes",
        verbose_name=_("corrects invoice"),
    )
    enrolment = models.ForeignKey("enrolment.Enrolment", null=True, blank=True, on_delete=models.PROTECT, related_name="invoices")
    status = models.CharField(_("status"), max_length=20, choices=InvoiceStatus.choices, default=InvoiceStatus.OPEN)
    purpose = models.CharField(
        _("purpose"), max_length=20, choices=InvoicePurpose.choices, default=InvoicePurpose.PARTICIPATION, editable=False
    )
    reason = models.TextField(_("reason for the correction"), blank=True)

    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("due on"))
    payment_term_days = models.PositiveSmallIntegerField(_("payment term (days)"))
    language = models.CharField(_("language"), max_length=2, choices=InvoiceLanguage.choices)
    currency = models.CharField(_("currency"), max_length=3, default="EUR", editable=False)

    # The issuer's legal details as they were at issue (settings INVOICE_ISSUER_*).
    issuer_name = models.CharField(_("issuer: name"), max_length=200)
    issuer_address = models.TextField(_("issuer: address"), help_text=_("One line per address line."))
    issuer_postal_code = models.CharField(_("issuer: postal code"), max_length=20)
    issuer_city = models.CharField(_("issuer: city"), max_length=100)
    issuer_kvk = models.CharField(_("issuer: KvK number"), max_length=20)
    issuer_vat_id = models.CharField(_("issuer: VAT identification number"), max_length=20, blank=True)
    issuer_iban = models.CharField(_("issuer: IBAN"), max_length=34)
    issuer_bic = models.CharField(_("issuer: BIC"), max_length=11, blank=True)
    issuer_email = models.EmailField(_("issuer: e-mail address"))

    # Whom the invoice is addressed to, as given with the application.
    recipient_organisation = models.CharField(_("recipient: organisation"), max_length=200, blank=True)
    recipient_contact_name = models.CharField(_("recipient: contact name"), max_length=200, blank=True)
    recipient_address = models.CharField(_("recipient: address"), max_length=200)
    recipient_postal_code = models.CharField(_("recipient: postal code"), max_length=20)
    recipient_city = models.CharField(_("recipient: city"), max_length=100)
    recipient_email = models.EmailField(_("recipient: e-mail address"), blank=True)
    recipient_po_number = models.CharField(_("recipient: purchase order number"), max_length=100, blank=True)

    # What the invoice is for, in the invoice's language.
    participant_name = models.CharField(_("participant"), max_length=300, blank=True)
    programme_title = models.CharField(_("programme"), max_length=200, blank=True)
    edition_start_date = models.DateField(_("edition starts"), null=True, blank=True)
    edition_end_date = models.DateField(_("edition ends"), null=True, blank=True)

    # [{"description": str, "amount": "2995.00"}, ...]: amounts as decimal strings with two places.
    lines = models.JSONField(_("lines"), default=list)
    total = models.DecimalField(_("total"), max_digits=11, decimal_places=2)
    vat_amount = models.DecimalField(_("VAT"), max_digits=11, decimal_places=2, default=0)
    vat_exemption_note = models.TextField(_("VAT exemption note"), blank=True)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["year", "sequence"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        indexes = [
            # The finance export reads a period by date of issue (a month of 10,000 documents).
            models.Index(fields=["issued_on"], name="invoice_issued_on"),
            # The invoice list: its page of invoices (kind) newest first is read in this order, and its
            # count and the sum of what is owed on the open ones find every column they need here, so
            # neither reads (or sorts) the table itself.
            models.Index(fields=["kind", "year", "sequence", "status", "total"], name="invoice_kind_series"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="invoice_sequence_unique_per_year"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="invoice_sequence_positive"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=9999), name="invoice_year_valid"),
            models.CheckConstraint(condition=Q(kind__in=InvoiceKind.values), name="invoice_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=InvoiceStatus.values), name="invoice_status_valid"),
            models.CheckConstraint(condition=Q(language__in=InvoiceLanguage.values), name="invoice_language_valid"),
            models.CheckConstraint(condition=Q(purpose__in=InvoicePurpose.values), name="invoice_purpose_valid"),
            models.CheckConstraint(condition=Q(currency="EUR"), name="invoice_currency_eur"),
            # A credit note names the invoice it corrects; an invoice corrects nothing.
            models.CheckConstraint(
                condition=(Q(kind=InvoiceKind.INVOICE) & Q(corrects__isnull=True))
                | (Q(kind=InvoiceKind.CREDIT_NOTE) & Q(corrects__isnull=False)),
                name="invoice_credit_note_corrects_an_invoice",
            ),
            # One credit note per invoice (it corrects the whole invoice).
            models.UniqueConstraint(fields=["corrects"], name="invoice_one_credit_note_per_invoice"),
            # An invoice charges, a credit note gives back.
            models.CheckConstraint(
                condition=(Q(kind=InvoiceKind.INVOICE) & Q(total__gte=0)) | (Q(kind=InvoiceKind.CREDIT_NOTE) & Q(total__lte=0)),
                name="invoice_total_sign_matches_kind",
            ),
            models.CheckConstraint(condition=Q(due_on__gte=F("issued_on")), name="invoice_due_not_before_issue"),
            # At most one invoice per enrolment that still counts (not corrected by a credit note).
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(kind=InvoiceKind.INVOICE) & ~Q(status=InvoiceStatus.CREDITED),
                name="invoice_one_standing_invoice_per_enrolment",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_credit_note(self) -> bool:
        return self.kind == InvoiceKind.CREDIT_NOTE

    # core.sql_rows may write it: save() below only guards updates, and sql_rows.update keeps the same
    # rule (MUTABLE_FIELDS).
    plain_writes = True

    def save(self, *args, **kwargs):
        """Insert once; afterwards only the status may be saved (`save(update_fields=["status", ...])`)."""
        if not self._state.adding:
            update_fields = kwargs.get("update_fields")
            if update_fields is None or not set(update_fields) <= self.MUTABLE_FIELDS:
                raise ValueError("An issued invoice does not change; only its status, through a service.")
            if "status" in update_fields:
                kwargs["update_fields"] = {*update_fields, "updated_at"}
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise models.ProtectedError("Invoices are never deleted; correct one with a credit note.", {self})


class DiscountKind(models.TextChoices):
    PERCENTAGE = "percentage", _("Percentage")
    AMOUNT = "amount", _("Fixed amount")


class DiscountCode(TimeStampedModel):
    """A code typed on the registration form (M7) that lowers the fee: a percentage or a fixed amount,
    valid between two dates, for a number of uses, for one programme or one edition (or all).
    Codes are stored in capitals and matched regardless of case."""

    code = models.CharField(_("code"), max_length=50, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=DiscountKind.choices)
    value = models.DecimalField(_("value"), max_digits=9, decimal_places=2, validators=[MinValueValidator(0)])
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    max_uses = models.PositiveIntegerField(_("maximum number of uses"), null=True, blank=True, help_text=_("Empty: unlimited."))
    programme = models.ForeignKey(
        "catalog.Programme", null=True, blank=True, on_delete=models.PROTECT, related_name="discount_codes"
    )
    edition = models.ForeignKey("catalog.Edition", null=True, blank=True, on_delete=models.PROTECT, related_name="discount_codes")
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("discount code")
        verbose_name_plural = _("discount codes")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DiscountKind.values), name="discount_kind_valid"),
            models.CheckConstraint(condition=Q(value__gt=0), name="discount_value_positive"),
            models.CheckConstraint(
                condition=~Q(kind=DiscountKind.PERCENTAGE) | Q(value__lte=100), name="discount_percentage_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="discount_period_ordered",
            ),
            models.CheckConstraint(condition=Q(max_uses__isnull=True) | Q(max_uses__gte=1), name="discount_max_uses_positive"),
            models.CheckConstraint(condition=~Q(code=""), name="discount_code_not_empty"),
        ]

    def __str__(self) -> str:
        return self.code


class DiscountRedemption(models.Model):
    """One use of a discount code: by the application it was typed on (the use counts from then on)."""

    discount = models.ForeignKey(DiscountCode, on_delete=models.PROTECT, related_name="redemptions")
    application = models.OneToOneField("enrolment.Application", on_delete=models.PROTECT, related_name="discount_redemption")
    redeemed_at = models.DateTimeField(_("redeemed at"))

    class Meta:
        verbose_name = _("use of a discount code")
        verbose_name_plural = _("uses of discount codes")

    def __str__(self) -> str:
        return f"{self.discount_id} by {self.application_id}"


class Payment(models.Model):
    """Money received for an invoice (M7), recorded by the programme office; partial payments add up."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount"), max_digits=11, decimal_places=2)
    reference = models.CharField(_("reference"), max_length=140, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["paid_on", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.amount}"


class PaymentReminder(models.Model):
    """That the overdue reminder for an invoice was sent: once per invoice, whatever happens after."""

    invoice = models.OneToOneField(Invoice, on_delete=models.PROTECT, related_name="payment_reminder")
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("payment reminder")
        verbose_name_plural = _("payment reminders")

    def __str__(self) -> str:
        return f"{self.invoice_id} at {self.sent_at:%Y-%m-%d}"


class RefundMethod(models.TextChoices):
    BANK = "bank", _("Bank transfer")
    OFFSET = "offset", _("Carried over to another invoice")


class Refund(models.Model):
    """Money given back on an open credit note (what was paid on the invoice it corrects): paid out by
    bank, or carried over to another invoice of the same debtor, where `offset_payment` is the
    payment it became (a place taken over by a colleague, a transfer, a cancellation fee)."""

    credit_note = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="refunds")
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount"), max_digits=11, decimal_places=2)
    method = models.CharField(_("method"), max_length=10, choices=RefundMethod.choices, default=RefundMethod.BANK)
    reference = models.CharField(_("reference"), max_length=140, blank=True)
    offset_payment = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="offset_from", verbose_name=_("became payment")
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["paid_on", "pk"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            models.CheckConstraint(condition=Q(method__in=RefundMethod.values), name="refund_method_valid"),
            # A carried-over refund names the payment it became; a bank transfer does not.
            models.CheckConstraint(
                condition=(Q(method=RefundMethod.OFFSET) & Q(offset_payment__isnull=False))
                | (Q(method=RefundMethod.BANK) & Q(offset_payment__isnull=True)),
                name="refund_offset_names_its_payment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.credit_note_id}: {self.amount}"
