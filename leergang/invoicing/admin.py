from django.contrib import admin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from leergang.core.admin import ReadOnlyAdmin

from . import selectors
from .models import Invoice, InvoiceCounter
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
