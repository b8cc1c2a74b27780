"""Habit 6: support reads invoices in the admin and downloads their PDF; nobody adds, changes or deletes one there."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def support(client):
    user = factories.CoordinatorFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_support_reads_invoices_but_cannot_add_change_or_delete_them(support, issue, enrolment):
    invoice = issue(enrolment, language="en")

    assert support.get(reverse("admin:invoicing_invoice_changelist")).status_code == 200
    detail = support.get(reverse("admin:invoicing_invoice_change", args=[invoice.pk]))
    assert detail.status_code == 200
    assert b"2027-0001" in detail.content
    assert b'name="_save"' not in detail.content
    assert support.get(reverse("admin:invoicing_invoice_add")).status_code == 403
    assert support.get(reverse("admin:invoicing_invoice_delete", args=[invoice.pk])).status_code == 403
    assert support.post(reverse("admin:invoicing_invoice_change", args=[invoice.pk]), {"total": "1.00"}).status_code == 403
    assert support.get(reverse("admin:invoicing_invoicecounter_changelist")).status_code == 200
    assert support.get(reverse("admin:invoicing_invoicecounter_add")).status_code == 403


def test_support_downloads_the_pdf(support, issue, enrolment):
    invoice = issue(enrolment, language="en")

    response = support.get(reverse("admin:invoicing_invoice_pdf", args=[invoice.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_pdf_is_not_for_people_outside_the_admin(client, issue, enrolment):
    invoice = issue(enrolment, language="en")
    client.force_login(enrolment.participant)

    response = client.get(reverse("admin:invoicing_invoice_pdf", args=[invoice.pk]))

    assert response.status_code == 302
    assert "/login/" in response["Location"]
