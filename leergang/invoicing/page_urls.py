"""The programme office's invoice pages, under /<language>/coordinatie/facturen/ (`invoices:` names)."""

from django.urls import path, register_converter

from . import views, views_export


class InvoiceNumberConverter:
    """`2027-0001`: the shape of an invoice number (anything else is a 404 before a query)."""

    regex = "[0-9]{4}-[0-9]{4,9}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(InvoiceNumberConverter, "invoice_number")

app_name = "invoices"

urlpatterns = [
    path("", views.invoice_list, name="list"),
    path("export/", views_export.export_page, name="export"),
    path("export/facturen.csv", views_export.export_csv, name="export_csv"),
    path("<invoice_number:number>/", views.invoice_detail, name="detail"),
    path("<invoice_number:number>/betalingen/", views.record_payment, name="record_payment"),
    path("<invoice_number:number>/betalingen/<int:payment_id>/verwijderen/", views.remove_payment, name="remove_payment"),
    path("<invoice_number:number>/terugbetalingen/", views.record_refund, name="record_refund"),
]
