"""The programme office's page of a place and its three changes of plan, through HTTP (issue 7):
the page shows who holds the place, its documents and its history; cancelling (the terms, the fee
today, waiving it), a colleague taking over (also to another invoice address) and a transfer to a
later edition each work from their own page and leave the right trail (credit note and new invoice
numbered consecutively); bad input is a form error in the reader's language and changes nothing;
for everybody but the programme office the pages do not exist. Also the application's cancel page
(terms, fee, waive tick) and its link to the place."""

import datetime
import html
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from leergang.core.models import AuditEntry
from leergang.enrolment import changes
from leergang.enrolment import services as enrolment_services
from leergang.enrolment.models import Application, ApplicationStatus, Enrolment, EnrolmentChange
from leergang.invoicing import payments, services
from leergang.invoicing.models import Invoice, Payment
from leergang.notifications.models import OutboxEmail
from tests import factories
from tests.invoicing.conftest import RECIPIENT

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def url(name: str, enrolment_id: int, language: str = "en") -> str:
    with translation.override(language):
        return reverse(f"places:{name}", kwargs={"enrolment_id": enrolment_id})


def text_of(response) -> str:
    """The page as a reader sees its characters (tags dropped, entities decoded, spaces collapsed)."""
    content = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(content).replace("\xa0", " ").split())


def stored() -> dict:
    """What a refused change must leave as it was."""
    return {
        "enrolments": list(Enrolment.objects.order_by("pk").values_list("pk", "status", "participant_id", "edition_id")),
        "invoices": list(Invoice.objects.order_by("pk").values_list("pk", "number", "status")),
        "payments": Payment.objects.count(),
        "changes": EnrolmentChange.objects.count(),
        "mails": OutboxEmail.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


@pytest.fixture
def programme(db):
    return factories.ProgrammeFactory(vat_exempt=True, title_nl="Sturen op vertrouwen", title_en="Steering on trust")


@pytest.fixture
def edition(programme):
    edition = factories.EditionFactory(programme=programme, start_date=datetime.date(2027, 1, 13), fee=D("2995.00"))
    factories.SessionFactory(edition=edition, number=1, date=datetime.date(2027, 1, 13))
    return edition


@pytest.fixture
def later_edition(programme):
    edition = factories.EditionFactory(
        programme=programme, start_date=datetime.date(2027, 9, 1), fee=D("3195.00"), capacity=2, status="open"
    )
    factories.SessionFactory(edition=edition, number=1, date=datetime.date(2027, 9, 1))
    return edition


@pytest.fixture
def office(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def make_place(edition, coordinator):
    """make_place(paid=None, email=None, edition=edition) -> (enrolment, its invoice), invoiced today."""

    def make(*, paid=None, email=None, edition=edition, organisation="Gemeente Utrecht"):
        person = factories.UserFactory(email=email) if email else factories.UserFactory()
        enrolment = factories.EnrolmentFactory(edition=edition, participant=person, organisation=organisation)
        invoice = services.issue_invoice(actor=coordinator, enrolment=enrolment, recipient=dict(RECIPIENT), language="nl")
        if paid:
            payments.record_payment(actor=coordinator, invoice_number=invoice.number, paid_on=TODAY, amount=paid)
        return enrolment, Invoice.objects.get(pk=invoice.pk)

    return make


def with_terms(edition, *, free_until, kind="percentage", value="50"):
    edition.cancellation_free_until, edition.cancellation_fee_kind, edition.cancellation_fee_value = free_until, kind, D(value)
    edition.save()
    return edition


# -- the place's page ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_place_page_shows_who_where_status_documents_and_actions(office, make_place, edition, language):
    enrolment, invoice = make_place(paid="1000.00")
    response = office.get(url("detail", enrolment.pk, language))
    assert response.status_code == 200
    page = response.content.decode()
    assert enrolment.participant.email in page
    assert 'data-place-status="enrolled"' in page
    assert f'data-document="{invoice.number}"' in page and 'data-status="partly_paid"' in page
    assert 'data-balance="1995.00"' in page
    with translation.override(language):
        assert f'href="{reverse("invoices:detail", kwargs={"number": invoice.number})}"' in page
    for action in ("cancel", "substitute", "transfer"):
        assert f'href="{url(action, enrolment.pk, language)}"' in page
    if language == "en":
        text = text_of(response)
        assert "Edition starting 13 January 2027" in text and "€1,995 still owed" in text


def test_the_place_page_takes_a_fixed_number_of_queries(
    office, make_place, later_edition, coordinator, django_assert_max_num_queries
):
    enrolment, _invoice = make_place(paid="500.00")
    moved = changes.transfer(actor=coordinator, enrolment_id=enrolment.pk, to_edition_id=later_edition.pk)
    with django_assert_max_num_queries(10):  # quality bar P1
        assert office.get(url("detail", moved.new.pk)).status_code == 200


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("detail", "get"),
        ("cancel", "get"),
        ("cancel", "post"),
        ("substitute", "get"),
        ("substitute", "post"),
        ("transfer", "get"),
        ("transfer", "post"),
    ],
)
def test_nobody_but_the_programme_office_finds_these_pages(client, make_place, teacher_user, name, method):
    enrolment, _invoice = make_place()
    data = {"confirm": "on", "first_name": "K", "last_name": "B", "email": "k@example.org"} if method == "post" else {}
    before = stored()
    anonymous = getattr(client, method)(url(name, enrolment.pk), data)
    assert anonymous.status_code == 302 and "/account/login/" in anonymous["Location"]
    for person in (teacher_user, enrolment.participant):  # the participant, on their own place too
        client.force_login(person)
        assert getattr(client, method)(url(name, enrolment.pk), data).status_code == 404
        client.logout()
    assert stored() == before


def test_an_unknown_place_is_a_404(office):
    assert office.get(url("detail", 99999)).status_code == 404
    assert office.post(url("cancel", 99999), {"confirm": "on"}).status_code == 404


def test_the_application_page_links_to_the_place(office, edition, coordinator):
    application = factories_application(edition, "sanne@example.org")
    enrolment_services.decide(actor=coordinator, application_id=application.pk, decision="admit")
    enrolment = Enrolment.objects.get(application=application)
    with translation.override("en"):
        page = office.get(reverse("applications:detail", kwargs={"application_id": application.pk})).content.decode()
    assert f'href="{url("detail", enrolment.pk)}"' in page and "Place and changes" in page
    # The place a colleague took over still leads to the application it came from.
    change = changes.substitute(
        actor=coordinator, enrolment_id=enrolment.pk, first_name="K", last_name="B", email="k@example.org"
    )
    with translation.override("en"):
        application_url = reverse("applications:detail", kwargs={"application_id": application.pk})
    assert f'href="{application_url}"' in office.get(url("detail", change.new.pk)).content.decode()
    # ... and the application's history tells what happened to its place.
    history = text_of(office.get(application_url))
    assert (
        f"A colleague took over the place; credit note {change.credit_note.number}, new invoice {change.invoice.number}"
        in history
    )


def factories_application(edition, email):
    data = enrolment_services.ApplicationInput(
        first_name="Sanne", last_name="de Wit", email=email, phone="", organisation="Gemeente Zwolle",
        job_title="Manager", education_level="hbo", years_experience=9, leadership_role=True, challenge="Vertrouwen.",
        invoice_organisation="Gemeente Zwolle", invoice_address="Grote Kerkplein 15", invoice_postal_code="8011 PK",
        invoice_city="Zwolle", invoice_email="facturen@zwolle.example", invoice_po_number="", dietary_requirements="",
        privacy_consent=True, terms_accepted=True,
    )  # fmt: skip
    return enrolment_services.submit_application(edition_id=edition.pk, data=data)


# -- cancelling ----------------------------------------------------------------------------------


def test_cancelling_in_the_free_period_credits_the_invoice_and_stays_on_the_page(office, make_place, edition):
    with_terms(edition, free_until=TODAY + datetime.timedelta(days=10))
    enrolment, invoice = make_place()
    page = office.get(url("cancel", enrolment.pk))
    assert page.status_code == 200
    text = text_of(page)
    assert "Cancelling is free of charge until and including" in text
    assert "is free of charge." in text and "waive_fee" not in page.content.decode()
    assert f"Invoice {invoice.number} is credited in full" in text

    before = stored()
    refused = office.post(url("cancel", enrolment.pk), {"reason": "Ziek"})
    assert refused.status_code == 422 and "Tick the box to confirm the cancellation." in text_of(refused)
    assert stored() == before

    response = office.post(url("cancel", enrolment.pk), {"reason": "Ziek", "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == url("detail", enrolment.pk)
    credit_note = Invoice.objects.get(corrects=invoice)
    assert credit_note.sequence == invoice.sequence + 1
    assert not Invoice.objects.filter(purpose="cancellation_fee").exists()
    shown = office.get(response["Location"])
    text = text_of(shown)
    assert f"Credit note {credit_note.number} has been issued." in text
    assert 'data-place-status="cancelled"' in shown.content.decode()
    assert f'data-document="{credit_note.number}"' in shown.content.decode()
    assert "Cancel this place" not in text  # no actions any more
    # The action pages send a cancelled place back to its page.
    again = office.post(url("cancel", enrolment.pk), {"confirm": "on"})
    assert again.status_code == 302 and Invoice.objects.count() == 2


def test_after_the_free_period_the_fee_is_shown_invoiced_and_paid_money_carried_over(office, make_place, edition):
    with_terms(edition, free_until=TODAY - datetime.timedelta(days=1), kind="percentage", value="50")
    enrolment, invoice = make_place(paid="2995.00")
    page = office.get(url("cancel", enrolment.pk))
    text = text_of(page)
    assert "after that it costs 50% of the invoiced amount" in text
    assert "costs €1,497.50" in text and 'data-fee="1497.50"' in page.content.decode()
    assert 'name="waive_fee"' in page.content.decode()
    assert "€1,497.50 is carried over to the fee invoice and €1,497.50 is to be paid back" in text

    response = office.post(url("cancel", enrolment.pk), {"confirm": "on"}, follow=True)
    credit_note = Invoice.objects.get(corrects=invoice)
    fee = Invoice.objects.get(purpose="cancellation_fee")
    assert [credit_note.sequence, fee.sequence] == [invoice.sequence + 1, invoice.sequence + 2]
    assert fee.total == D("1497.50") and fee.status == "paid"
    text = text_of(response)
    assert f"Credit note {credit_note.number} has been issued." in text
    assert f"Cancellation fee invoice {fee.number} of €1,497.50 has been issued." in text
    assert f"€1,497.50 is still to be paid back on credit note {credit_note.number}" in text


def test_the_fee_can_be_waived(office, make_place, edition):
    with_terms(edition, free_until=None, kind="amount", value="750")
    enrolment, invoice = make_place()
    response = office.post(url("cancel", enrolment.pk), {"confirm": "on", "waive_fee": "on", "reason": "Overlijden"}, follow=True)
    assert "The cancellation fee was waived." in text_of(response)
    assert not Invoice.objects.filter(purpose="cancellation_fee").exists()
    assert Invoice.objects.get(corrects=invoice).status == "credited"
    assert AuditEntry.objects.filter(action="enrolment.cancelled").latest("pk").after["fee_waived"] is True


def test_the_application_cancel_page_shows_the_terms_and_can_waive_the_fee(office, edition, coordinator):
    with_terms(edition, free_until=None, kind="amount", value="250")
    application = factories_application(edition, "sanne@example.org")
    enrolment_services.decide(actor=coordinator, application_id=application.pk, decision="admit")
    with translation.override("en"):
        cancel = reverse("applications:cancel", kwargs={"application_id": application.pk})
    page = office.get(cancel)
    text = text_of(page)
    assert "The edition's cancellation terms: Cancelling costs €250." in text
    assert 'name="waive_fee"' in page.content.decode()
    response = office.post(cancel, {"confirm": "on", "waive_fee": "on"})
    assert response.status_code == 302
    assert not Invoice.objects.filter(purpose="cancellation_fee").exists()
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.ADMITTED


def test_the_application_cancel_page_issues_the_fee_and_says_so(office, edition, coordinator):
    with_terms(edition, free_until=None, kind="amount", value="250")
    application = factories_application(edition, "sanne@example.org")
    enrolment_services.decide(actor=coordinator, application_id=application.pk, decision="admit")
    with translation.override("en"):
        cancel = reverse("applications:cancel", kwargs={"application_id": application.pk})
    response = office.post(cancel, {"confirm": "on"}, follow=True)
    fee = Invoice.objects.get(purpose="cancellation_fee")
    assert f"Cancellation fee invoice {fee.number} of €250 has been issued." in text_of(response)


# -- a colleague takes over ----------------------------------------------------------------------


def test_a_colleague_takes_over_and_the_new_place_shows_its_new_invoice(office, make_place):
    enrolment, invoice = make_place(paid="1000.00", organisation="Gemeente Utrecht")
    page = office.get(url("substitute", enrolment.pk))
    assert page.status_code == 200
    assert f"Invoice {invoice.number} is credited in full and a new invoice follows" in text_of(page)
    assert re.search(
        r'name="organisation"[^>]*value="Gemeente Utrecht"|value="Gemeente Utrecht"[^>]*name="organisation"',
        page.content.decode(),
    )

    response = office.post(
        url("substitute", enrolment.pk),
        {"first_name": "Karin", "last_name": "Bos", "email": "karin@example.org", "organisation": "Gemeente Utrecht", "confirm": "on",
         # Filled in but not ticked: ignored, the invoice stays with the current debtor.
         "invoice_organisation": "Elders", "invoice_address": "Weg 1", "invoice_postal_code": "1234 AB", "invoice_city": "Ergens",
         "invoice_email": "elders@example.org"},
    )  # fmt: skip
    new = Enrolment.objects.get(participant__email="karin@example.org")
    assert response.status_code == 302 and response["Location"] == url("detail", new.pk)
    credit_note = Invoice.objects.get(corrects=invoice)
    reissued = Invoice.objects.get(enrolment=new)
    assert [credit_note.sequence, reissued.sequence] == [invoice.sequence + 1, invoice.sequence + 2]
    assert reissued.recipient_organisation == "Gemeente Utrecht" and reissued.recipient_contact_name == "Karin Bos"
    assert reissued.status == "partly_paid"  # the 1000.00 came along

    shown = office.get(response["Location"])
    text, page = text_of(shown), shown.content.decode()
    assert f"Credit note {credit_note.number} and invoice {reissued.number} have been issued." in text
    assert "Karin Bos has taken over the place and has been invited by e-mail." in text
    assert f'data-document="{reissued.number}"' in page and 'data-place-status="enrolled"' in page
    assert 'data-change="substitution"' in page
    assert f"took over the place from {enrolment.participant.get_full_name()}" in text
    assert f"Credit note {credit_note.number}, new invoice {reissued.number}." in text
    assert f'href="{url("detail", enrolment.pk)}"' in page  # the earlier place
    assert OutboxEmail.objects.filter(to__icontains="karin@example.org").exists()

    old = office.get(url("detail", enrolment.pk))
    assert 'data-place-status="cancelled"' in old.content.decode() and f'href="{url("detail", new.pk)}"' in old.content.decode()


def test_a_colleague_with_a_different_invoice_address(office, make_place):
    enrolment, invoice = make_place(paid="2995.00")
    data = {"first_name": "Piet", "last_name": "Jansen", "email": "piet@example.org", "organisation": "Provincie", "confirm": "on",
            "other_invoice": "on", "invoice_organisation": "Provincie Utrecht", "invoice_address": "Archimedeslaan 6",
            "invoice_postal_code": "3584 BA", "invoice_city": "Utrecht", "invoice_email": "facturen@provincie.example.org"}  # fmt: skip
    before = stored()
    refused = office.post(url("substitute", enrolment.pk), {**data, "invoice_city": ""})
    assert refused.status_code == 422
    assert 'id="id_invoice_city_error"' in refused.content.decode()
    assert "Fill in the city of the invoice address." in text_of(refused)
    assert stored() == before

    response = office.post(url("substitute", enrolment.pk), data, follow=True)
    new = Enrolment.objects.get(participant__email="piet@example.org")
    reissued = Invoice.objects.get(enrolment=new)
    assert reissued.recipient_organisation == "Provincie Utrecht" and reissued.status == "open"
    credit_note = Invoice.objects.get(corrects=invoice)
    assert credit_note.status == "open"  # the 2995.00 is owed back to the first debtor
    assert f"€2,995 is still to be paid back on credit note {credit_note.number}" in text_of(response)


@pytest.mark.parametrize(
    ("fields", "status", "field", "message"),
    [
        ({"first_name": ""}, 422, "first_name", "Fill in the colleague's first name."),
        ({"email": "geen-adres"}, 422, "email", "Enter an e-mail address, for example name@municipality.nl."),
        ({"confirm": ""}, 422, "confirm", "Tick the box to confirm that the colleague takes over the place."),
        ({"email": "anna@example.org"}, 422, "email", "This is the current participant's address."),
        ({"email": "bert@example.org"}, 409, "email", "Already enrolled."),
    ],
)
def test_taking_over_refuses_bad_input_and_changes_nothing(office, make_place, fields, status, field, message):
    enrolment, _invoice = make_place(email="anna@example.org")
    make_place(email="bert@example.org")
    data = {"first_name": "Karin", "last_name": "Bos", "email": "karin@example.org", "confirm": "on", **fields}
    before = stored()
    response = office.post(url("substitute", enrolment.pk), data)
    assert response.status_code == status
    assert f'id="id_{field}_error"' in response.content.decode() and message in text_of(response)
    assert stored() == before


def test_form_errors_come_in_the_readers_language(office, make_place):
    enrolment, _invoice = make_place()
    dutch = office.post(url("cancel", enrolment.pk, "nl"), {})
    assert dutch.status_code == 422 and "Vink het vakje aan om de annulering te bevestigen." in text_of(dutch)
    english = office.post(url("cancel", enrolment.pk, "en"), {})
    assert "Tick the box to confirm the cancellation." in text_of(english)


# -- a transfer to a later edition ---------------------------------------------------------------


def test_the_transfer_page_lists_only_later_editions_of_the_programme(office, make_place, edition, later_edition, programme):
    earlier = factories.EditionFactory(programme=programme, start_date=datetime.date(2026, 9, 2))
    completed = factories.EditionFactory(programme=programme, start_date=datetime.date(2027, 10, 6), status="completed")
    elsewhere = factories.EditionFactory(start_date=datetime.date(2027, 11, 3))
    draft = factories.EditionFactory(programme=programme, start_date=datetime.date(2028, 1, 12), status="draft", capacity=10)
    enrolment, invoice = make_place()
    page = office.get(url("transfer", enrolment.pk))
    body = page.content.decode()
    assert f"Invoice {invoice.number} is credited in full and a new invoice follows" in text_of(page)
    offered = set(map(int, re.findall(r'name="edition" value="(\d+)"', body)))
    assert offered == {later_edition.pk, draft.pk}
    assert not offered & {earlier.pk, completed.pk, elsewhere.pk, edition.pk}
    text = text_of(page)
    assert "Wednesday 1 September 2027 – 2 of 2 seats free" in text
    assert "10 of 10 seats free (draft)" in text


def test_no_later_edition_says_so(office, make_place):
    enrolment, _invoice = make_place()
    page = office.get(url("transfer", enrolment.pk))
    assert "data-no-later-edition" in page.content.decode() and 'name="edition"' not in page.content.decode()


def test_a_transfer_moves_the_place_and_reissues_the_invoice_at_the_new_fee(office, make_place, later_edition):
    enrolment, invoice = make_place(paid="2995.00")
    response = office.post(url("transfer", enrolment.pk), {"edition": later_edition.pk, "confirm": "on", "reason": "Ziek"})
    new = Enrolment.objects.get(edition=later_edition)
    assert response.status_code == 302 and response["Location"] == url("detail", new.pk)
    credit_note = Invoice.objects.get(corrects=invoice)
    reissued = Invoice.objects.get(enrolment=new)
    assert [credit_note.sequence, reissued.sequence] == [invoice.sequence + 1, invoice.sequence + 2]
    assert reissued.total == D("3195.00") and reissued.status == "partly_paid"
    shown = office.get(response["Location"])
    text = text_of(shown)
    assert "The place has moved to the edition starting 1 September 2027." in text
    assert f"Credit note {credit_note.number} and invoice {reissued.number} have been issued." in text
    assert "Moved from the edition of 13 January 2027 to the edition of 1 September 2027." in text and "Ziek" in text


def test_a_transfer_to_a_full_edition_is_a_409_and_changes_nothing(office, make_place, later_edition):
    for _n in range(2):
        factories.EnrolmentFactory(edition=later_edition)
    enrolment, _invoice = make_place()
    page = office.get(url("transfer", enrolment.pk))
    assert "Wednesday 1 September 2027 – full" in text_of(page)
    before = stored()
    response = office.post(url("transfer", enrolment.pk), {"edition": later_edition.pk, "confirm": "on"})
    assert response.status_code == 409
    assert "edition is full" in text_of(response)
    assert stored() == before


def test_a_transfer_needs_a_choice_and_the_tick(office, make_place, later_edition, edition):
    enrolment, _invoice = make_place()
    before = stored()
    for data, message in (
        ({"confirm": "on"}, "Choose the edition to move the place to."),
        ({"edition": later_edition.pk}, "Tick the box to confirm the move."),
        ({"edition": edition.pk, "confirm": "on"}, "Choose one of the editions shown."),
    ):
        response = office.post(url("transfer", enrolment.pk), data)
        assert response.status_code == 422 and message in text_of(response), message
    assert stored() == before


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("cancel", {"reason": "Ziek"}),
        ("substitute", {"first_name": "", "last_name": "Bos", "email": "karin@example.org", "confirm": "on"}),
        ("transfer", {"confirm": "on"}),
    ],
)
def test_a_refused_form_shows_the_place_in_full_again(office, make_place, later_edition, action, data):
    # A form sent reads only what the service needs first; the page shown again reads the rest.
    enrolment, invoice = make_place()
    shown = text_of(office.get(url(action, enrolment.pk)))
    refused = office.post(url(action, enrolment.pk), data)
    assert refused.status_code == 422
    text = text_of(refused)
    for part in (enrolment.participant.get_full_name(), enrolment.edition.programme.title, invoice.number):
        assert part in shown and part in text, part
    if action == "transfer":
        assert "Wednesday 1 September 2027 – 2 of 2 seats free" in text


SENT = {
    "cancel": {"reason": "Ziek", "confirm": "on"},
    "substitute": {"first_name": "Karin", "last_name": "Bos", "email": "karin@example.org", "confirm": "on"},
    "transfer": {"confirm": "on"},  # the later edition is added in the test
}


@pytest.mark.parametrize("action", ["cancel", "substitute", "transfer"])
@pytest.mark.parametrize("complete", [True, False])
def test_a_form_sent_for_a_place_no_longer_taken_goes_back_to_the_place(
    office, coordinator, make_place, later_edition, action, complete
):
    # The service finds the place closed (complete form) or the page does, when showing the form
    # again (incomplete form): either way back to the place, saying why, and nothing changes.
    enrolment, _invoice = make_place()
    changes.cancel_enrolment(actor=coordinator, enrolment_id=enrolment.pk)
    data = {**SENT[action], "edition": later_edition.pk}
    if not complete:
        data.pop("confirm")
    before = stored()
    response = office.post(url(action, enrolment.pk), data, follow=True)
    assert response.redirect_chain == [(url("detail", enrolment.pk), 302)]
    assert "This place has been cancelled; it can no longer change." in text_of(response)
    assert stored() == before


@pytest.mark.parametrize("action", ["cancel", "substitute", "transfer"])
@pytest.mark.parametrize("complete", [True, False])
def test_a_form_sent_for_a_place_that_does_not_exist_is_a_404(office, later_edition, action, complete):
    data = {**SENT[action], "edition": later_edition.pk}
    if not complete:
        data.pop("confirm")
    before = stored()
    assert office.post(url(action, 999999), data).status_code == 404
    assert stored() == before


def test_the_ids_a_transfer_form_checks_are_the_editions_the_page_lists(make_place, edition, later_edition, programme):
    from leergang.enrolment import views_changes

    factories.EditionFactory(programme=programme, start_date=datetime.date(2026, 9, 2))  # earlier
    factories.EditionFactory(programme=programme, start_date=datetime.date(2027, 10, 6), status="completed")
    factories.EditionFactory(start_date=datetime.date(2027, 11, 3))  # another programme
    draft = factories.EditionFactory(programme=programme, start_date=datetime.date(2028, 1, 12), status="draft")
    same_day = factories.EditionFactory(programme=programme, start_date=edition.start_date)
    seen = []
    for place_edition in (edition, later_edition, draft, same_day):
        enrolment, _invoice = make_place(edition=place_edition)
        listed = [e.pk for e in views_changes._later_editions(enrolment)]
        assert sorted(views_changes._later_edition_ids(enrolment.pk)) == sorted(listed)
        seen.append(len(listed))
    assert seen == [2, 1, 0, 2]  # later: the open and the draft one; the draft; none; as the first
    assert views_changes._later_edition_ids(999999) == []


@pytest.mark.parametrize("name", ["detail", "cancel", "substitute", "transfer"])
def test_a_place_number_beyond_any_id_is_not_found(office, make_place, name, coordinator, bearer):
    """An id no integer column holds matches nothing (SQLite refuses to even bind it): 404, never 500."""
    enrolment, _invoice = make_place()
    huge, headers = 2**70, bearer(coordinator)
    before = stored()
    assert office.get(url(name, huge)).status_code == 404
    if name != "detail":
        data = {"confirm": "on", "reason": "x", "edition": huge, "first_name": "A", "last_name": "B", "email": "a@b.nl"}
        assert office.post(url(name, huge), data).status_code == 404
    if name == "transfer":
        assert office.post(url(name, enrolment.pk), {"confirm": "on", "edition": huge}).status_code == 422  # no such choice
        for place in (huge, enrolment.pk):
            response = office.post(
                f"/api/v1/enrolments/{place}/transfer", {"edition_id": huge}, content_type="application/json", **headers
            )
            assert response.status_code in (404, 422), response.content
    assert stored() == before
