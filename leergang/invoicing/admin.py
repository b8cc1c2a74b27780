from django import forms
from django.contrib import admin
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from leergang.accounts import permissions
from leergang.core import audit
from leergang.core.admin import ReadOnlyAdmin

from . import discounts, selectors
from .models import DiscountCode, DiscountRedemption, Invoice, InvoiceCounter, Payment, Refund
from .pdf import filename, invoice_pdf

# Invoices are evidence: support reads them; only services issue, credit or change their status.


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "issued_on", "due_on", "recipient_organisation", "participant_name", "total", "status"]
    list_filter = ["kind", "status", "year", "language"]
    search_fields = ["number", "recipient_organisation", "participant_name", "recipient_po_number"]
    date_hierarchy = "issued_on"
    list_select_related = True
    readonly_fields = ["pdf_link"]

    def get_urls(self):
        urls = [path("<path:object_id>/pdf/", self.admin_site.admin_view(self.pdf_view), name="invoicing_invoice_pdf")]
        return urls + super().get_urls()

    def pdf_view(self, request, object_id):
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        invoice = get_object_or_404(selectors.documents(), pk=object_id)
        response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename(invoice)}"'
        return response

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj: Invoice) -> str:
        if obj.pk is None:
            return "-"
        return format_html('<a href="{}">{}</a>', reverse("admin:invoicing_invoice_pdf", args=[obj.pk]), filename(obj))


@admin.register(InvoiceCounter)
class InvoiceCounterAdmin(ReadOnlyAdmin):
    list_display = ["year", "last_number"]


UNLIMITED = "\u221e"
FIELDS = ["code", "description", "kind", "value", "valid_from", "valid_until", "max_uses", "programme", "edition", "active"]


def _office(request) -> bool:
    return permissions.is_coordinator(request.user) or request.user.is_superuser


class DiscountCodeForm(forms.ModelForm):
    class Meta:
        model = DiscountCode
        fields = FIELDS

    def clean_code(self) -> str:
        code = discounts.normalise(self.cleaned_data.get("code"))
        if not code:
            raise forms.ValidationError(_("Enter a code, for example EARLY2027."))
        if DiscountCode.objects.filter(code__iexact=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This code already exists."))
        return code  # stored as applicants' codes are matched: capitals, no spaces


@admin.register(DiscountCode)
class DiscountCodeAdmin(admin.ModelAdmin):
    """The programme office adds and changes codes here (audited). A code is never deleted: untick
    `active` to stop it. Once used, its code, kind and value are fixed, since invoices still to be
    issued for its applications follow them."""

    form = DiscountCodeForm
    list_display = ["code", "kind", "value", "valid_from", "valid_until", "uses", "programme", "edition", "active"]
    list_filter = ["active", "kind", "programme"]
    search_fields = ["code", "description"]
    fields = FIELDS

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("programme", "edition__programme")
            .annotate(use_count=Count("redemptions"))
        )

    @admin.display(description=_("uses / maximum"), ordering="use_count")
    def uses(self, obj: DiscountCode) -> str:
        return f"{obj.use_count} / {obj.max_uses if obj.max_uses is not None else UNLIMITED}"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.redemptions.exists():
            return ["code", "kind", "value"]
        return []

    def has_module_permission(self, request):
        return _office(request)

    def has_view_permission(self, request, obj=None):
        return _office(request)

    def has_add_permission(self, request):
        return _office(request)

    def has_change_permission(self, request, obj=None):
        return _office(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        before = None
        if change:
            before = audit.snapshot(DiscountCode.objects.get(pk=obj.pk), discounts.AUDIT_FIELDS)
        super().save_model(request, obj, form, change)
        discounts.record_saved(actor=request.user, discount=obj, before=before)


@admin.register(DiscountRedemption)
class DiscountRedemptionAdmin(ReadOnlyAdmin):
    """Uses of codes: made only by registrations, never here."""

    list_display = ["redeemed_at", "discount", "application"]
    list_filter = ["discount"]
    search_fields = ["discount__code", "application__email"]
    list_select_related = ["discount", "application"]

    def has_module_permission(self, request):
        return _office(request)

    def has_view_permission(self, request, obj=None):
        return _office(request)


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["invoice", "paid_on", "amount", "reference", "recorded_by"]
    search_fields = ["invoice__number", "reference"]
    list_select_related = True


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ["credit_note", "paid_on", "amount", "method", "reference", "recorded_by"]
    list_filter = ["method"]
    search_fields = ["credit_note__number", "reference"]
    list_select_related = True
