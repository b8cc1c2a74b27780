"""Attendance in a real browser (M17): a teacher takes the register on a phone, a participant checks
in with the code on the teacher's screen; axe on the register, the code page and the check-in page."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from leergang.attendance.models import Attendance
from leergang.catalog.models import EditionStatus, ProgrammeTeacher
from tests import factories

from .conftest import assert_no_horizontal_scroll
from .test_learning import log_in

pytestmark = pytest.mark.browser

AXE = Axe()


@pytest.fixture
def today(site):
    """A running edition with a session today that the teacher teaches, and three participants."""
    day = timezone.localdate()
    programme = factories.ProgrammeFactory()
    edition = factories.EditionFactory(programme=programme, status=EditionStatus.RUNNING, start_date=day - datetime.timedelta(28))
    factories.SessionFactory(edition=edition, number=1, date=day - datetime.timedelta(28), theme_nl="Begin", theme_en="Start")
    session = factories.SessionFactory(
        edition=edition, number=2, date=day, theme_nl="Vertrouwen en ruimte", theme_en="Trust and room"
    )
    teacher = factories.TeacherUserFactory(email="docent.presentie@example.org", first_name="Frédérique", last_name="Six")
    ProgrammeTeacher.objects.create(programme=programme, teacher=factories.TeacherFactory(user=teacher, name="Frédérique Six"))
    people = [
        factories.EnrolmentFactory(
            edition=edition,
            organisation=organisation,
            participant=factories.UserFactory(
                email=f"deelnemer{n}@example.org", first_name=f"Deelnemer{n}", last_name="Aanwezig-Testpersoon-Met-Lange-Naam"
            ),
        )
        for n, organisation in enumerate(["Gemeente Utrecht", "Provincie Noord-Holland", "Veiligheidsregio Utrecht"], start=1)
    ]
    return {"edition": edition, "session": session, "teacher": teacher, "people": people}


def pressed(page, status: str, enrolment) -> str | None:
    return page.locator(f"#{status}-{enrolment.pk}").get_attribute("aria-pressed")


def test_a_teacher_takes_attendance_on_a_phone(site, today, open_page):
    session, (first, second, third) = today["session"], today["people"]
    page = open_page("phone")
    log_in(page, site, today["teacher"].email)
    page.goto(f"{site}/nl/leren/bijeenkomst/{session.pk}/")
    page.locator(f"a[href$='/leren/bijeenkomst/{session.pk}/presentie/']").first.click()
    page.wait_for_selector(f"#row-{first.pk}")
    assert_no_horizontal_scroll(page, "phone")
    for button in page.locator(".register-button").all():
        box = button.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, box

    page.evaluate("window.noPageLoad = true")  # gone if the tap loaded a new page
    page.locator(f"#present-{first.pk}").click()
    expect(page.locator(f"#present-{first.pk}")).to_have_attribute("aria-pressed", "true")
    page.locator(f"#absent-{second.pk}").click()
    expect(page.locator(f"#absent-{second.pk}")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.noPageLoad === true")
    assert pressed(page, "absent", first) == "false" and pressed(page, "present", second) == "false"
    expect(page.locator("#register-summary [data-count='present'] strong")).to_have_text("1")
    expect(page.locator("#register-summary [data-count='unrecorded'] strong")).to_have_text("1")
    assert_no_horizontal_scroll(page, "phone")

    page.reload()
    assert pressed(page, "present", first) == "true"
    assert pressed(page, "absent", second) == "true"
    assert pressed(page, "present", third) == "false"
    stored = dict(Attendance.objects.filter(session=session).values_list("enrolment_id", "status"))
    assert stored == {first.pk: "present", second.pk: "absent"}

    page.locator("#all-present").click()
    expect(page.locator(f"#present-{third.pk}")).to_have_attribute("aria-pressed", "true")
    assert Attendance.objects.get(session=session, enrolment=third).status == "present"
    assert pressed(page, "absent", second) == "true"  # a recorded status stays as it was


def test_a_participant_checks_in_with_the_code_on_the_teachers_screen(site, today, open_page):
    session, participant = today["session"], today["people"][0]
    teacher = open_page("desktop")
    log_in(teacher, site, today["teacher"].email, "en")
    teacher.goto(f"{site}/en/leren/bijeenkomst/{session.pk}/incheckcode/")
    teacher.locator("button[name=action][value=open]").click()
    code = teacher.locator("#check-in-code").get_attribute("data-code")
    assert code and len(code) == 6 and code.isdigit()
    assert teacher.locator(".check-in-qr svg").count() == 1

    register = open_page("desktop")
    log_in(register, site, today["teacher"].email, "en")
    register.goto(f"{site}/en/leren/bijeenkomst/{session.pk}/presentie/")
    assert pressed(register, "present", participant) == "false"

    phone = open_page("phone")
    log_in(phone, site, participant.participant.email, "en")
    phone.goto(f"{site}/en/leren/inchecken/")
    phone.locator("#id_code").fill(code)
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_selector(".check-in-done")
    confirmation = phone.locator(".check-in-done").inner_text()
    assert f"session {session.number}" in confirmation and "Trust and room" in confirmation
    assert_no_horizontal_scroll(phone, "phone")
    assert Attendance.objects.get(session=session, enrolment=participant).status == "present"

    # The open register picks up the check-in by itself (it polls while the code may be in use).
    expect(register.locator(f"#present-{participant.pk}")).to_have_attribute("aria-pressed", "true", timeout=40_000)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_attendance_pages_have_no_axe_violations(site, today, open_page, language, viewport):
    session, edition = today["session"], today["edition"]
    upcoming = factories.SessionFactory(edition=edition, number=3, date=timezone.localdate() + datetime.timedelta(28))
    failures: list[str] = []

    def check(page, path: str | None = None, label: str = "") -> None:
        if path:
            page.goto(f"{site}/{language}{path}")
        result = AXE.run(page)
        if result.violations_count:
            failures.append(f"{label or path} ({viewport}):\n{result.generate_report()}")
        try:
            assert_no_horizontal_scroll(page, viewport)
        except AssertionError as exc:
            failures.append(str(exc))

    page = open_page(viewport)
    log_in(page, site, today["teacher"].email, language)
    page.goto(f"{site}/{language}/leren/bijeenkomst/{session.pk}/presentie/")
    page.locator(f"#present-{today['people'][0].pk}").click()
    page.locator(f"#excused-{today['people'][1].pk}").click()
    expect(page.locator(f"#excused-{today['people'][1].pk}")).to_have_attribute("aria-pressed", "true")
    check(page, label="register after taps")
    check(page, f"/leren/bijeenkomst/{upcoming.pk}/presentie/")  # before the day: buttons disabled
    check(page, f"/leren/bijeenkomst/{session.pk}/incheckcode/")
    page.locator("button[name=action][value=open]").click()
    page.wait_for_selector("#check-in-code")
    check(page, label="code page with a code")
    check(page, f"/leren/bijeenkomst/{upcoming.pk}/incheckcode/")
    check(page, f"/leren/bijeenkomst/{session.pk}/")
    check(page, f"/leren/editie/{edition.pk}/")

    phone = open_page(viewport)
    log_in(phone, site, today["people"][2].participant.email, language)
    check(phone, "/leren/inchecken/?code=12")
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_selector(".field-error")
    check(phone, label="check-in with an error")
    check(phone, f"/leren/bijeenkomst/{session.pk}/")
    for failure in failures:
        print(failure)
    assert not failures, "\n\n".join(failures)
