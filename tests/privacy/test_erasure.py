"""Erasure on request (M23, R9): the programme office erases a person. Afterwards their name and
address are nowhere in the database except in the documents the law keeps (invoices and the register
of issued diplomas); invoices are unchanged; the diploma still verifies; the erasure is audited; a
refused erasure changes nothing."""

import json
import re

import pytest
from django.apps import apps
from django.db import models
from django.forms.models import model_to_dict
from django.utils import translation

from leergang.accounts.models import ApiToken, Role, User
from leergang.accounts.services import user_for_token
from leergang.attendance.models import Attendance
from leergang.awards.models import Award
from leergang.core.errors import Conflict, Invalid, PermissionDenied
from leergang.core.models import AuditEntry
from leergang.enrolment.models import Application, Enrolment
from leergang.invoicing.models import Invoice, Payment
from leergang.learning import services as learning_services
from leergang.learning.models import PaperSubmission
from leergang.notifications.models import OutboxEmail
from leergang.privacy import erasure
from tests import factories

from .conftest import ANNA, url


@pytest.fixture(autouse=True)
def english():
    """The refusals are asserted in English (the service speaks the active language)."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db

# The financial administration (invoices, the bank references of payments and refunds: seven years) and the
# register of issued diplomas.
KEPT_BY_LAW = {"invoicing.invoice", "invoicing.payment", "invoicing.refund", "awards.award"}
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def traces(words: list[str]) -> dict[str, list]:
    """Every row of every model whose text (char, text or JSON fields) contains one of `words`."""
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)
    found: dict[str, list] = {}
    for model in apps.get_models():
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if not names:
            continue
        for row in model._default_manager.values_list("pk", *names):
            text = json.dumps(row[1:], ensure_ascii=False, default=str)
            if pattern.search(text):
                found.setdefault(model._meta.label_lower, []).append(row[0])
    return found


def documents(user_pk: int) -> list[dict]:
    invoices = Invoice.objects.filter(enrolment__participant_id=user_pk).order_by("pk")
    return [
        model_to_dict(i, fields=[f.name for f in Invoice._meta.concrete_fields]) | {"updated_at": i.updated_at} for i in invoices
    ]


def test_nothing_personal_is_left_but_invoices_and_diplomas(
    office, anna, full_anna, cancel_running, client, django_capture_on_commit_callbacks
):
    cancel_running(anna)
    words = [ANNA, "Anna", "Jansen"]
    before = traces(words)
    assert {"accounts.user", "enrolment.application", "core.auditentry", "notifications.outboxemail"} <= set(before)
    invoices_before = documents(anna.pk)
    payments_before = list(Payment.objects.filter(invoice__enrolment__participant=anna).values())
    award = Award.objects.get(enrolment__participant=anna, revoked_at__isnull=True)
    award_before = model_to_dict(award, fields=[f.name for f in Award._meta.concrete_fields])
    attendance_before = Attendance.objects.filter(enrolment__participant=anna).count()
    paper = PaperSubmission.objects.get(enrolment__participant=anna)
    paper_path = learning_services.paper_file(paper)
    assert paper_path.exists()

    with django_capture_on_commit_callbacks(execute=True):  # the file is deleted once the erasure is committed
        erasure.erase_person(actor=office, user_id=anna.pk, reason="Verzoek van Anna Jansen per e-mail, 3 maart")

    left = traces(words)
    assert set(left) <= KEPT_BY_LAW, {label: ids for label, ids in left.items() if label not in KEPT_BY_LAW}
    # What the law keeps is kept exactly: invoices field for field, payments, the diploma register.
    assert documents(anna.pk) == invoices_before
    assert list(Payment.objects.filter(invoice__enrolment__participant_id=anna.pk).values()) == payments_before
    assert model_to_dict(Award.objects.get(pk=award.pk), fields=list(award_before)) == award_before
    response = client.get(f"/verify/{award.code}")
    assert response.status_code == 200 and "Anna Jansen" in response.content.decode()
    assert Attendance.objects.filter(enrolment__participant_id=anna.pk).count() == attendance_before
    # The paper's file is gone, its result kept.
    paper.refresh_from_db()
    assert not paper_path.exists() and paper.result == "sufficient" and paper.original_filename == ""
    # The account cannot be used any more, nor its API key or calendar link.
    anna = User.objects.get(pk=anna.pk)
    assert (anna.first_name, anna.last_name) == ("Verwijderd", f"#{anna.pk}")
    assert anna.email == f"erased-person-{anna.pk}@erased.invalid"
    assert not anna.is_active and not anna.has_usable_password()
    assert user_for_token(full_anna["token"]) is None and ApiToken.objects.get(user=anna).revoked_at is not None
    # The erasure is audited: who, when, why (cleaned of the name), not the erased data.
    entry = AuditEntry.objects.get(action="person.erased")
    assert entry.actor == office and entry.object_id == str(anna.pk)
    assert entry.after["reason"] == "Verzoek van [verwijderd] per e-mail, 3 maart"
    # Her own words in her case journal are gone.
    full_anna["own_response"].refresh_from_db()
    assert full_anna["own_response"].text == "[verwijderd]"
    # E-mails to her lost address and text; pending ones will not be sent.
    for email in OutboxEmail.objects.filter(to__icontains="erased-person"):
        assert email.body == "[verwijderd]" and email.attachments == [] and email.status != "pending"


def test_the_application_keeps_only_its_status_and_dates(office, anna, full_anna, cancel_running):
    cancel_running(anna)
    erasure.erase_person(actor=office, user_id=anna.pk, reason="Verzoek")
    application = Application.objects.get(pk=full_anna["application"].pk)
    assert application.status == "declined" and application.decided_at is not None
    assert application.challenge == application.phone == application.dietary_requirements == application.organisation == ""
    assert application.email.endswith("@erased.invalid") and application.decision_note == ""


def test_a_person_in_a_running_edition_is_refused_until_the_place_is_cancelled(office, anna, full_anna):
    snapshot = traces([ANNA])
    with pytest.raises(Conflict, match="Cancel that place first"):
        erasure.erase_person(actor=office, user_id=anna.pk, reason="Verzoek")
    assert traces([ANNA]) == snapshot
    assert not AuditEntry.objects.filter(action="person.erased").exists()


def test_the_office_cannot_erase_its_own_account(office):
    with pytest.raises(Conflict, match="own account"):
        erasure.erase_person(actor=office, user_id=office.pk, reason="Verzoek")
    assert User.objects.get(pk=office.pk).is_active


def test_the_last_programme_manager_is_never_erased(office, anna):
    # Through the service the acting coordinator is always another one; the rule itself holds whoever asks.
    assert User.objects.filter(role=Role.COORDINATOR, is_active=True).count() == 1
    assert "last programme manager" in erasure.refusal(actor=anna, user=office)
    other = factories.CoordinatorFactory(email="tweede@example.org")
    assert erasure.refusal(actor=other, user=office) is None


def test_only_the_programme_office_erases(anna, bram, cancel_running):
    cancel_running(bram)
    with pytest.raises(PermissionDenied):
        erasure.erase_person(actor=anna, user_id=bram.pk, reason="Verzoek")
    assert User.objects.get(pk=bram.pk).email == "bram.devries@example.org"


def test_a_reason_is_required(office, bram, cancel_running):
    cancel_running(bram)
    with pytest.raises(Invalid):
        erasure.erase_person(actor=office, user_id=bram.pk, reason="  ")


def test_a_person_is_erased_once(office, bram, cancel_running):
    cancel_running(bram)
    erasure.erase_person(actor=office, user_id=bram.pk, reason="Verzoek")
    with pytest.raises(Conflict, match="already been erased"):
        erasure.erase_person(actor=office, user_id=bram.pk, reason="Nog eens")
    assert AuditEntry.objects.filter(action="person.erased").count() == 1


# -- the page ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_office_erases_through_the_page(client, office, bram, cancel_running, language):
    cancel_running(bram)
    client.force_login(office)
    page = url("erasure:erase", language, user_id=bram.pk)
    response = client.get(page)
    assert response.status_code == 200 and "bram.devries@example.org" in response.content.decode()
    response = client.post(page, {"reason": "Verzoek per e-mail"})
    assert response.status_code == 422 and 'id="id_confirm_error"' in response.content.decode()
    assert User.objects.get(pk=bram.pk).is_active
    response = client.post(page, {"reason": "Verzoek per e-mail", "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == page
    assert not User.objects.get(pk=bram.pk).is_active
    assert "data-erased" in client.get(page).content.decode()


def test_the_page_shows_why_a_person_cannot_be_erased_yet(client, office, anna):
    client.force_login(office)
    page = url("erasure:erase", "en", user_id=anna.pk)
    response = client.get(page)
    assert (
        "data-refusal" in response.content.decode() and '<form method="post" class="inbox-form' not in response.content.decode()
    )
    response = client.post(page, {"reason": "Verzoek", "confirm": "on"})
    assert response.status_code == 409 and "Cancel that place first" in response.content.decode()
    assert User.objects.get(pk=anna.pk).is_active and Enrolment.objects.filter(participant=anna).count() == 2


def test_the_page_exists_only_for_the_office(client, anna, bram, demo):
    page = url("erasure:erase", user_id=bram.pk)
    response = client.get(page)
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    teacher = User.objects.get(email="docent@example.org")
    for user in (anna, teacher, bram):
        client.force_login(user)
        assert client.get(page).status_code == 404
        assert client.post(page, {"reason": "x", "confirm": "on"}).status_code == 404
    assert User.objects.get(pk=bram.pk).is_active


def test_an_unknown_person_is_a_404(client, office):
    client.force_login(office)
    assert client.get(url("erasure:erase", user_id=999999)).status_code == 404
