"""The inbox of an edition (M4, M6): the applications with their screening at a glance, the status
filter, the seats panel and the bulk decision, with and without htmx."""

import re

import pytest

from leergang.catalog.models import Edition
from leergang.enrolment import changes, services
from leergang.enrolment.models import Application, ApplicationStatus, Enrolment, Offer
from leergang.notifications.models import OutboxEmail

from .conftest import HTMX, apply, inbox_url, later, rows_of, text_of, weak

pytestmark = pytest.mark.django_db

# The screening's messages, already translated (leergang/enrolment/rules.py).
UNMET_NL = [
    "Het profiel vraagt om een wo- of hbo-opleiding",
    "Het profiel vraagt om minstens 5 jaar relevante werkervaring; de aanmelder heeft er 2.",
    "Het profiel vraagt om een leidinggevende taak of een samenwerkingsopdracht; de aanmelder heeft geen van beide.",
]
UNMET_EN = [
    "The profile asks for a university (WO) or higher professional (HBO) education",
    "The profile asks for at least 5 years of relevant experience; the applicant has 2.",
    "The profile asks for a leadership task or an assignment to collaborate; the applicant has neither.",
]


def set_capacity(edition: Edition, capacity: int) -> None:
    Edition.objects.filter(pk=edition.pk).update(capacity=capacity)


def test_the_inbox_lists_the_applications_with_their_screening_in_dutch(office_client, edition):
    apply(edition, "sanne@example.org")
    weak(edition)
    response = office_client.get(inbox_url(edition, "nl"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="nl">' in body
    rows = rows_of(response)
    assert len(rows) == 2
    sanne, jan = rows
    assert "Sanne de Wit" in sanne and "Gemeente Zwolle" in sanne and "Ingediend" in sanne
    assert "Jan Jansen" in jan and "Provincie Utrecht" in jan
    # The weak application's unmet criteria, each with its full message (in a details element).
    for message in UNMET_NL:
        assert message in jan
        assert message not in sanne
    assert body.count('<details class="screening-flags">') == 1
    assert body.count('class="screening-ok"') == 1


def test_the_inbox_lists_the_applications_with_their_screening_in_english(office_client, edition):
    apply(edition, "sanne@example.org")
    weak(edition, years_experience=2)
    response = office_client.get(inbox_url(edition, "en"))
    body = response.content.decode()
    assert '<html lang="en">' in body
    sanne, jan = rows_of(response)
    assert "Meets the profile" in sanne and "Submitted" in sanne
    assert "Not met: education level experience leadership task" in jan
    for message in UNMET_EN:
        assert message in jan
    # Visible text, not a title attribute: the labels sit in the summary, the messages in the details.
    summary = re.search(r"<summary>(.*?)</summary>", body, flags=re.S).group(1)
    assert "education level" in summary and "leadership task" in summary
    assert "title=" not in re.search(r'<details class="screening-flags">.*?</details>', body, flags=re.S).group(0)


def test_one_unmet_criterion_shows_only_that_one(office_client, edition):
    apply(edition, "kort@example.org", years_experience=3)
    (row,) = rows_of(office_client.get(inbox_url(edition, "en")))
    assert "Not met: experience" in row
    assert "the applicant has 3." in row
    assert "education level" not in row and "leadership task" not in row


def test_the_rows_link_to_the_application_and_show_the_submitted_date(office_client, edition):
    application = apply(edition, "sanne@example.org")
    body = office_client.get(inbox_url(edition, "en")).content.decode()
    assert f'href="/en/coordinatie/aanmeldingen/{application.pk}/"' in body
    assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">', body)


def test_the_filter_shows_one_status(office_client, edition, office):
    submitted = apply(edition, "a@example.org", first_name="Anna", last_name="Aalders")
    waiting = apply(edition, "b@example.org", first_name="Bert", last_name="Bakker")
    planned = apply(edition, "c@example.org", first_name="Cor", last_name="Claassen")
    services.decide(actor=office, application_id=waiting.pk, decision="waitlist")
    services.plan_intake(actor=office, application_id=planned.pk, scheduled_at=later(), mode="online", interviewer="Ria")

    everything = office_client.get(inbox_url(edition, "en"))
    names = [re.search(r"Anna Aalders|Bert Bakker|Cor Claassen", row).group(0) for row in rows_of(everything)]
    assert names == ["Anna Aalders", "Bert Bakker", "Cor Claassen"]  # in the order they applied
    assert 'aria-current="page">All' in everything.content.decode()

    only_waiting = office_client.get(inbox_url(edition, "en", status="waitlisted"))
    rows = rows_of(only_waiting)
    assert len(rows) == 1 and "Bert Bakker" in rows[0]
    assert "Number 1 on the list" in rows[0]
    body = only_waiting.content.decode()
    assert re.search(r'href="[^"]*\?status=waitlisted"[^>]*aria-current="page"', body)
    assert "1 application with status “On the waiting list”" in text_of(only_waiting)

    only_planned = rows_of(office_client.get(inbox_url(edition, "en", status="intake_planned")))
    assert len(only_planned) == 1 and "Cor Claassen" in only_planned[0] and "Intake " in only_planned[0]

    only_submitted = rows_of(office_client.get(inbox_url(edition, "en", status="submitted")))
    assert len(only_submitted) == 1 and submitted.first_name in only_submitted[0]

    assert rows_of(office_client.get(inbox_url(edition, "en", status="admitted"))) == []
    assert "No applications with status “Admitted”." in text_of(office_client.get(inbox_url(edition, "en", status="admitted")))
    # An unknown status shows everything rather than nothing.
    assert len(rows_of(office_client.get(inbox_url(edition, "en", status="nonsense")))) == 3


def test_the_filter_counts_per_status(office_client, edition, office):
    for n in range(3):
        apply(edition, f"p{n}@example.org")
    declined = apply(edition, "nee@example.org")
    services.decide(actor=office, application_id=declined.pk, decision="decline")
    text = text_of(office_client.get(inbox_url(edition, "en")))
    assert "All 4" in text and "Submitted 3" in text and "Declined 1" in text and "Admitted 0" in text


def test_htmx_gets_only_the_results_and_an_announcement(office_client, edition):
    apply(edition, "sanne@example.org")
    response = office_client.get(inbox_url(edition, "en", status="submitted"), **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<div id="inbox-body"')
    assert "<html" not in body
    assert 'id="inbox-announcement" hx-swap-oob="innerHTML">1 application with status Submitted.' in body
    assert "HX-Request" in response["Vary"]
    # The full page has no out-of-band part, and the links and the form carry their htmx attributes.
    page = office_client.get(inbox_url(edition, "en")).content.decode()
    assert "hx-swap-oob" not in page
    assert 'hx-target="#inbox-body"' in page and 'hx-push-url="true"' in page


def test_the_seats_panel(office_client, edition, office):
    set_capacity(edition, 2)
    first, second, third, fourth = (apply(edition, f"p{n}@example.org") for n in range(4))
    empty = text_of(office_client.get(inbox_url(edition, "en")))
    assert "Capacity 2 Seats taken 0 (0 enrolled, 0 held for an offer) Free seats 2 Waiting list 0" in empty
    assert "This edition is full" not in empty

    for application in (first, second):
        services.decide(actor=office, application_id=application.pk, decision="admit")
    for application in (third, fourth):
        services.decide(actor=office, application_id=application.pk, decision="waitlist")
    full = text_of(office_client.get(inbox_url(edition, "en")))
    assert "Capacity 2 Seats taken 2 (2 enrolled, 0 held for an offer) Free seats 0 Waiting list 2" in full
    assert "This edition is full." in full

    changes.cancel_enrolment(actor=office, enrolment_id=first.enrolment.pk, reason="Ziek")
    held = text_of(office_client.get(inbox_url(edition, "en")))
    assert "Capacity 2 Seats taken 2 (1 enrolled, 1 held for an offer) Free seats 0 Waiting list 1" in held
    offered = rows_of(office_client.get(inbox_url(edition, "en", status="offered")))
    assert len(offered) == 1 and "Place offered" in offered[0] and "Offer open until" in offered[0]
    admitted = rows_of(office_client.get(inbox_url(edition, "en", status="admitted")))
    assert "Enrolment cancelled" in admitted[0] and "Enrolment cancelled" not in admitted[1]


# -- bulk decisions ------------------------------------------------------------------------------


def test_a_bulk_decision_without_htmx_redirects_with_messages(office_client, edition):
    one, two, three = (apply(edition, f"p{n}@example.org", first_name=f"P{n}") for n in range(3))
    response = office_client.post(
        f"/en/coordinatie/edities/{edition.pk}/aanmeldingen/besluiten/",
        {"decision": "decline", "applications": [one.pk, three.pk], "status": "submitted"},
    )
    assert response.status_code == 302
    assert response["Location"] == inbox_url(edition, "en", status="submitted")
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses == {one.pk: "declined", two.pk: "submitted", three.pk: "declined"}
    assert OutboxEmail.objects.filter(kind="decision_declined").count() == 2
    page = office_client.get(response["Location"])
    assert "2 applications declined: P0 de Wit, P2 de Wit." in text_of(page)


def test_a_bulk_decision_with_htmx_swaps_the_results(office_client, edition):
    one, two = (apply(edition, f"p{n}@example.org", first_name=f"P{n}") for n in range(2))
    response = office_client.post(
        f"/en/coordinatie/edities/{edition.pk}/aanmeldingen/besluiten/",
        {"decision": "waitlist", "applications": [one.pk, two.pk]},
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<div id="inbox-body"')
    assert "2 applications put on the waiting list: P0 de Wit, P1 de Wit." in text_of(response)
    assert "Waiting list 2" in text_of(response)
    assert set(Application.objects.values_list("status", flat=True)) == {"waitlisted"}
    # Nothing is left over for the next page load.
    assert "put on the waiting list" not in text_of(office_client.get(inbox_url(edition, "en")))


def test_a_bulk_admission_stops_at_capacity_oldest_first(office_client, edition):
    set_capacity(edition, 1)
    first = apply(edition, "eerste@example.org", first_name="Eerste")
    second = apply(edition, "tweede@example.org", first_name="Tweede")
    response = office_client.post(
        f"/en/coordinatie/edities/{edition.pk}/aanmeldingen/besluiten/",
        {"decision": "admit", "applications": [second.pk, first.pk]},
        **HTMX,
    )
    text = text_of(response)
    assert "1 application admitted: Eerste de Wit." in text
    assert "Tweede de Wit: This edition is full: all 1 seats are taken or held for an offer." in text
    assert Enrolment.objects.filter(edition=edition, status="enrolled").count() == 1
    assert Application.objects.get(pk=second.pk).status == "submitted"


def test_a_bulk_decision_needs_a_selection_and_a_decision(office_client, edition):
    application = apply(edition, "sanne@example.org")
    path = f"/en/coordinatie/edities/{edition.pk}/aanmeldingen/besluiten/"
    nothing = office_client.post(path, {"decision": "decline"}, **HTMX)
    assert "Select one or more applications first." in text_of(nothing)
    no_decision = office_client.post(path, {"applications": [application.pk]}, follow=True)
    assert "Choose a decision for the selected applications." in text_of(no_decision)
    assert Application.objects.get(pk=application.pk).status == "submitted"


def test_a_bulk_waitlist_skips_who_is_on_it_already(office_client, edition, office):
    application = apply(edition, "sanne@example.org")
    services.decide(actor=office, application_id=application.pk, decision="waitlist")
    response = office_client.post(
        f"/en/coordinatie/edities/{edition.pk}/aanmeldingen/besluiten/",
        {"decision": "waitlist", "applications": [application.pk]},
        **HTMX,
    )
    assert "Sanne de Wit: already on the waiting list or offered a seat from it." in text_of(response)
    assert OutboxEmail.objects.filter(kind="decision_waitlisted").count() == 1


def test_decided_applications_have_no_checkbox(office_client, edition, office):
    open_one = apply(edition, "open@example.org")
    done = apply(edition, "klaar@example.org")
    services.decide(actor=office, application_id=done.pk, decision="decline")
    body = office_client.get(inbox_url(edition, "en")).content.decode()
    assert f'value="{open_one.pk}" id="select-{open_one.pk}"' in body
    assert f'id="select-{done.pk}"' not in body
    # A decided application cannot be smuggled into a bulk decision.
    office_client.post(
        f"/en/coordinatie/edities/{edition.pk}/aanmeldingen/besluiten/", {"decision": "admit", "applications": [done.pk]}
    )
    assert Application.objects.get(pk=done.pk).status == ApplicationStatus.DECLINED
    assert not Offer.objects.exists()
