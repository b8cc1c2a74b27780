"""M3-M6 and M21 in a real browser, the whole path through the pages: a visitor registers on a phone,
the programme office finds the application in the inbox, plans an intake, records how it went and
admits; the worker delivers the mails to a real SMTP server; the invitation's link lets the new
participant choose a password and log in. And axe finds nothing to fix on the inbox and the
application pages, in Dutch and English, at desktop and phone width.

It lives with the browser suite so it shares the suite's one Chromium (see test_schedule_page.py).
"""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from leergang.accounts.models import User
from leergang.catalog.models import Edition
from leergang.demo import content
from leergang.enrolment import services
from leergang.enrolment.models import Application, Enrolment, Intake
from leergang.invoicing.models import Invoice
from leergang.notifications.delivery import deliver_due
from leergang.notifications.models import OutboxEmail

from .conftest import assert_no_horizontal_scroll
from .test_registration import fill_in

pytestmark = pytest.mark.browser

AXE = Axe()
APPLICANT = "anna.pad@example.org"
NEW_PASSWORD = "Vertrouwen-is-goed-2027"
CONFIRMATION = re.compile(r"/nl/aanmelden/bevestiging/\d+/[^/]+/$")


def log_in(page, site: str, language: str, email: str = content.COORDINATOR["email"], password: str = content.DEMO_PASSWORD):
    page.goto(f"{site}/{language}/account/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main").get_by_role("button").click()
    page.wait_for_url(f"{site}/{language}/account/")


def open_edition() -> Edition:
    return Edition.objects.get(programme__slug=content.SLUG, status="open")


def plain_text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_from_registration_on_a_phone_to_the_participants_first_login(site, open_page, smtp_server, settings):
    # The links in the e-mails lead to this live server.
    settings.PUBLIC_BASE_URL = site
    edition = open_edition()

    # 1. A visitor registers on a phone, through the programme page's Register button.
    phone = open_page("phone")
    phone.goto(f"{site}/nl/opleidingen/{content.SLUG}/")
    phone.locator("#register-button").click()
    phone.wait_for_url(f"{site}/nl/aanmelden/{edition.pk}/")
    fill_in(phone, APPLICANT)
    assert_no_horizontal_scroll(phone, "phone")
    phone.locator("main button[type=submit]").click()
    phone.wait_for_url(CONFIRMATION)
    application = Application.objects.get(email=APPLICANT)
    assert application.status == "submitted" and application.meets_profile

    # 2. The programme office, at a desk: the overview links to the inbox, which lists the application.
    desk = open_page("desktop")
    log_in(desk, site, "en")
    inbox_path = f"/en/coordinatie/edities/{edition.pk}/aanmeldingen/"
    link = desk.locator(f'a[href="{inbox_path}"]')
    assert "Applications (1 new)" in link.inner_text()
    link.click()
    desk.wait_for_url(site + inbox_path)
    row = desk.locator("tr.inbox-row", has_text="Anna de Vries")
    assert "Meets the profile" in row.inner_text()
    assert "Gemeente Voorbeeld" in row.inner_text()

    # The status filter swaps the table without a reload, and the address follows.
    desk.evaluate("window.noReload = true")
    desk.locator(".status-filter a", has_text="Intake planned").click()
    desk.wait_for_url(f"{site}{inbox_path}?status=intake_planned")
    desk.locator(".inbox-empty").wait_for()
    assert desk.evaluate("window.noReload === true")
    desk.locator(".status-filter a", has_text="Submitted").click()
    desk.wait_for_url(f"{site}{inbox_path}?status=submitted")
    desk.locator("tr.inbox-row", has_text="Anna de Vries").wait_for()
    assert desk.evaluate("window.noReload === true")
    assert desk.locator("#inbox-announcement").inner_text() == "1 application with status Submitted."
    assert desk.locator("#inbox-announcement").count() == 1

    # 3. The application's page: the challenge, then plan an intake (Dutch time).
    desk.get_by_role("link", name="Anna de Vries").click()
    desk.wait_for_url(f"{site}/en/coordinatie/aanmeldingen/{application.pk}/")
    assert "Meer ruimte voor professionals, minder formulieren." in desk.locator(".challenge").inner_text()
    day = timezone.localdate() + datetime.timedelta(days=10)
    desk.locator("#id_intake-scheduled_at").fill(f"{day.isoformat()}T10:30")
    desk.locator("label[for='id_intake-mode_1']").click()  # on site
    desk.locator("#id_intake-interviewer").fill("Ria Vos")
    desk.get_by_role("button", name="Plan the intake and invite").click()
    desk.locator(".message-success").wait_for()
    assert "has been invited by e-mail" in desk.locator(".messages").inner_text()
    intake = Intake.objects.get(application=application)
    assert timezone.localtime(intake.scheduled_at).replace(tzinfo=None) == datetime.datetime.combine(day, datetime.time(10, 30))
    assert (intake.mode, intake.interviewer) == ("on_site", "Ria Vos")
    assert desk.locator(".app-status").first.inner_text() == "Intake planned"

    # ... record how it went ...
    desk.locator(f"label[for='id_outcome-{intake.pk}-outcome_0']").click()  # positive
    desk.locator(f"#id_outcome-{intake.pk}-note").fill("Heldere casus, past goed in de groep.")
    desk.get_by_role("button", name="Save the outcome").click()
    desk.locator(".message-success").wait_for()
    intake.refresh_from_db()
    assert intake.outcome == "positive"

    # ... and admit.
    desk.locator("label[for='id_decision-decision_0']").click()  # admit
    desk.locator("#id_decision-note").fill("Welkom.")
    desk.get_by_role("button", name="Save the decision").click()
    desk.locator(".message-success").wait_for()
    enrolment = Enrolment.objects.get(application=application)
    invoice = Invoice.objects.get(enrolment=enrolment, kind="invoice")
    assert f"Invoice {invoice.number} has been issued." in desk.locator(".messages").inner_text()
    assert desk.locator(".app-status").first.inner_text() == "Admitted"
    assert f"Invoice {invoice.number}" in desk.locator(".summary-enrolment").inner_text()
    history = desk.locator(".history").inner_text()
    assert "Intake outcome recorded: positive" in history and "Admitted" in history

    # 4. The worker delivers the mails to the SMTP server.
    kinds = set(OutboxEmail.objects.filter(to=[APPLICANT]).values_list("kind", flat=True))
    assert kinds == {"application_received", "intake_invitation", "decision_admitted", "invitation"}
    assert deliver_due() == 4
    received = [m for m in smtp_server.messages if m["To"] == APPLICANT]
    assert len(received) == 4
    invitation = next(m for m in received if "/wachtwoord-instellen/" in plain_text(m))
    link = re.search(r"(https?://\S+/wachtwoord-instellen/\S+/)", plain_text(invitation)).group(1)
    assert urlsplit(link).netloc == urlsplit(site).netloc

    # 5. The new participant opens the link on the phone, chooses a password and is logged in.
    phone.goto(link)
    phone.locator("#id_new_password1").fill(NEW_PASSWORD)
    phone.locator("#id_new_password2").fill(NEW_PASSWORD)
    phone.locator("main button[type=submit]").click()
    phone.wait_for_url(f"{site}/nl/account/")
    assert content.PROGRAMME["title_nl"] in phone.locator("main").inner_text()
    assert_no_horizontal_scroll(phone, "phone")

    # ... and logs in again later with that password.
    phone.context.clear_cookies()
    log_in(phone, site, "nl", email=APPLICANT, password=NEW_PASSWORD)
    assert content.PROGRAMME["title_nl"] in phone.locator("main").inner_text()
    assert User.objects.get(email=APPLICANT).check_password(NEW_PASSWORD)


# -- accessibility -------------------------------------------------------------------------------


def applications_in_every_state(edition: Edition) -> dict[str, Application]:
    office = User.objects.get(email=content.COORDINATOR["email"])

    def apply(email: str, **changes) -> Application:
        fields = dict(
            first_name="Sanne", last_name="de Wit", email=email, organisation="Gemeente Zwolle", job_title="Manager",
            education_level="hbo", years_experience=9, leadership_role=True,
            challenge="Mijn team verantwoordt alles in formulieren.\n\nIk wil sturen op vertrouwen.",
            invoice_organisation="Gemeente Zwolle", invoice_address="Grote Kerkplein 15", invoice_postal_code="8011 PK",
            invoice_city="Zwolle", invoice_email="facturen@zwolle.example", privacy_consent=True, terms_accepted=True,
        )  # fmt: skip
        fields.update(changes)
        return services.submit_application(edition_id=edition.pk, data=services.ApplicationInput(**fields))

    found = {
        "open": apply("open@example.org"),
        "weak": apply(
            "zwak@example.org",
            first_name="Jan",
            last_name="Jansen",
            organisation="Provincie Utrecht",
            education_level="other",
            education_note="MBO",
            years_experience=2,
            leadership_role=False,
        ),
        "admitted": apply("binnen@example.org", first_name="Bram", last_name="Bos"),
        "waiting": apply("wacht@example.org", first_name="Wim", last_name="Wachter"),
    }
    moment = timezone.now() + datetime.timedelta(days=5)
    services.plan_intake(actor=office, application_id=found["weak"].pk, scheduled_at=moment, mode="online", interviewer="Ria Vos")
    services.decide(actor=office, application_id=found["admitted"].pk, decision="admit")
    services.decide(actor=office, application_id=found["waiting"].pk, decision="waitlist")
    return found


def axe_failures(page, label: str) -> list[str]:
    result = AXE.run(page)
    return [f"{label}:\n{result.generate_report()}"] if result.violations_count else []


def scroll_failures(page, viewport: str) -> list[str]:
    try:
        assert_no_horizontal_scroll(page, viewport)
    except AssertionError as exc:
        return [str(exc)]
    return []


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_inbox_and_application_pages_have_no_axe_violations(site, open_page, language, viewport):
    edition = open_edition()
    found = applications_in_every_state(edition)
    page = open_page(viewport)
    log_in(page, site, language)
    failures: list[str] = []

    page.goto(f"{site}/{language}/coordinatie/edities/{edition.pk}/aanmeldingen/")
    failures += axe_failures(page, f"{language} {viewport}: inbox")
    failures += scroll_failures(page, viewport)
    page.locator(".screening-flags summary").first.click()  # the unmet criteria opened
    failures += axe_failures(page, f"{language} {viewport}: inbox with the screening opened")
    failures += scroll_failures(page, viewport)

    # A bulk decision's outcome, swapped in by htmx.
    page.locator(f"label[for='select-{found['open'].pk}']").click()
    page.locator("#id_decision").select_option("decline")
    page.locator("#bulk-form button[type=submit]").click()
    page.locator(".inbox-results").wait_for()
    failures += axe_failures(page, f"{language} {viewport}: inbox after a bulk decision")
    failures += scroll_failures(page, viewport)

    # A filter, swapped in by htmx.
    page.locator('.status-filter a[href$="?status=waitlisted"]').click()
    page.wait_for_url(re.compile(r"\?status=waitlisted$"))
    page.locator("tr.inbox-row", has_text="Wim Wachter").wait_for()
    failures += axe_failures(page, f"{language} {viewport}: inbox filtered")
    failures += scroll_failures(page, viewport)

    for name in ("weak", "admitted", "waiting"):
        page.goto(f"{site}/{language}/coordinatie/aanmeldingen/{found[name].pk}/")
        failures += axe_failures(page, f"{language} {viewport}: application ({name})")
        failures += scroll_failures(page, viewport)

    # The form's errors: an intake in the past.
    page.goto(f"{site}/{language}/coordinatie/aanmeldingen/{found['weak'].pk}/")
    page.locator("#id_intake-scheduled_at").fill("2020-01-01T10:00")
    page.locator("label[for='id_intake-mode_0']").click()
    page.locator("#plan-heading ~ form button[type=submit]").click()
    page.locator("#id_intake-scheduled_at_error").wait_for()
    failures += axe_failures(page, f"{language} {viewport}: application with a form error")
    failures += scroll_failures(page, viewport)

    page.goto(f"{site}/{language}/coordinatie/aanmeldingen/{found['admitted'].pk}/annuleren/")
    failures += axe_failures(page, f"{language} {viewport}: cancel the enrolment")
    failures += scroll_failures(page, viewport)
    for failure in failures:
        print(failure)
    assert not failures, "\n\n".join(failures)
