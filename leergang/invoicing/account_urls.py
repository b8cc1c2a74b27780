"""A participant's own invoices, under /<language>/account/facturen/ (`my_invoices:` names)."""

from django.urls import path

from . import (
    page_urls,  # noqa: F401  (registers the invoice_number converter)
    views_account,
)

app_name = "my_invoices"

urlpatterns = [
    path("", views_account.my_invoices, name="list"),
    path("<invoice_number:number>.pdf", views_account.my_invoice_pdf, name="pdf"),
]
