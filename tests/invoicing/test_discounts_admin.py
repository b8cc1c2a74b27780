"""The programme office keeps discount codes in the support admin (/beheer/); uses are read-only there."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from leergang.core.models import AuditEntry
from leergang.enrolment.models import Application
from leergang.invoicing.models import DiscountCode, DiscountRedemption
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client):
    user = factories.CoordinatorFactory(is_staff=True)
    client.force_login(user)
    client.user = user
    return client


def form_data(**changes) -> dict:
    data = {
        "code": " early 2027 ",
        "description": "Early bird",
        "kind": "percentage",
        "value": "10",
        "valid_from": "2027-01-01",
        "valid_until": "2027-03-31",
        "max_uses": "5",
        "programme": "",
        "edition": "",
        "active": "on",
    }
    data.update(changes)
    return data


def redeem_for(code: DiscountCode, edition) -> DiscountRedemption:
    application = Application.objects.create(
        edition=edition, first_name="A", last_name="B", email=f"use{DiscountRedemption.objects.count()}@example.org",
        organisation="O", job_title="J", education_level="wo", years_experience=5, leadership_role=True, challenge="-",
        invoice_organisation="O", invoice_address="S 1", invoice_postal_code="1000 AA", invoice_city="A",
        invoice_email="f@example.org", privacy_consent=True,
    )  # fmt: skip
    return DiscountRedemption.objects.create(discount=code, application=application, redeemed_at=timezone.now())


def test_a_coordinator_adds_a_code_stored_in_capitals_and_audited(office):
    response = office.post(reverse("admin:invoicing_discountcode_add"), form_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    code = DiscountCode.objects.get()
    assert (code.code, code.kind, code.value, code.max_uses) == ("EARLY2027", "percentage", Decimal("10.00"), 5)
    entry = AuditEntry.objects.get(action="discount_code.created")
    assert entry.actor == office.user and entry.after["code"] == "EARLY2027" and entry.before is None


def test_a_code_that_differs_only_in_case_is_refused(office):
    DiscountCode.objects.create(code="EARLY2027", kind="amount", value=100)
    response = office.post(reverse("admin:invoicing_discountcode_add"), form_data(code="Early2027"))
    assert response.status_code == 200
    assert DiscountCode.objects.count() == 1


def test_the_list_shows_kind_value_validity_and_uses(office, edition):
    code = DiscountCode.objects.create(code="EARLY2027", kind="amount", value=250, max_uses=5)
    DiscountCode.objects.create(code="OPEN", kind="percentage", value=5)
    redeem_for(code, edition)
    page = office.get(reverse("admin:invoicing_discountcode_changelist")).content.decode()
    assert "EARLY2027" in page and "1 / 5" in page
    assert "0 / \u221e" in page


def test_a_change_is_audited_with_before_and_after(office):
    code = DiscountCode.objects.create(code="EARLY2027", kind="percentage", value=10)
    url = reverse("admin:invoicing_discountcode_change", args=[code.pk])
    response = office.post(url, form_data(code="EARLY2027", value="15", max_uses=""))
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="discount_code.changed")
    assert entry.before["value"] == "10.00" and entry.after["value"] == "15.00"


def test_a_used_code_keeps_its_code_kind_and_value_and_is_never_deleted(office, edition):
    code = DiscountCode.objects.create(code="EARLY2027", kind="percentage", value=10)
    redeem_for(code, edition)
    url = reverse("admin:invoicing_discountcode_change", args=[code.pk])
    response = office.post(url, form_data(code="OTHER", kind="amount", value="900", active=""))
    assert response.status_code == 302
    code.refresh_from_db()
    assert (code.code, code.kind, code.value, code.active) == ("EARLY2027", "percentage", Decimal("10.00"), False)
    assert office.get(reverse("admin:invoicing_discountcode_delete", args=[code.pk])).status_code == 403


def test_uses_are_read_only(office, edition):
    redemption = redeem_for(DiscountCode.objects.create(code="EARLY2027", kind="percentage", value=10), edition)
    assert office.get(reverse("admin:invoicing_discountredemption_changelist")).status_code == 200
    assert office.get(reverse("admin:invoicing_discountredemption_add")).status_code == 403
    change = reverse("admin:invoicing_discountredemption_change", args=[redemption.pk])
    assert office.post(change, {"redeemed_at": "2020-01-01"}).status_code == 403
    assert office.get(reverse("admin:invoicing_discountredemption_delete", args=[redemption.pk])).status_code == 403


def test_other_staff_do_not_see_discount_codes(client):
    client.force_login(factories.TeacherUserFactory(is_staff=True))
    assert client.get(reverse("admin:invoicing_discountcode_changelist")).status_code == 403
    assert client.get(reverse("admin:invoicing_discountcode_add")).status_code == 403
