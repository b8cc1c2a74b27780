"""Learning in a real browser: a participant's week (read the literature, write a progress entry,
see the teacher's response) and a teacher assessing a paper; axe on every learning page."""

import datetime
from pathlib import Path

import pytest
import typst
from axe_playwright_python.sync_playwright import Axe
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from leergang.catalog.models import EditionStatus, ProgrammeTeacher
from leergang.learning import cases, groups, literature, services
from tests import factories

from .conftest import assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory
AXE = Axe()


@pytest.fixture
def week(settings, tmp_path, site):
    """A running edition: one session held, the next in a week with a PDF to read; a teacher and
    three participants (two in one group)."""
    settings.UPLOAD_ROOT = tmp_path / "uploads"
    today = timezone.localdate()
    programme = factories.ProgrammeFactory(preparation_hours_per_session=4, paper_hours=50)
    edition = factories.EditionFactory(
        programme=programme, status=EditionStatus.RUNNING, start_date=today - datetime.timedelta(days=21)
    )
    sessions = [
        factories.SessionFactory(
            edition=edition,
            number=number,
            kind="closing" if number == 7 else "content",
            date=today + datetime.timedelta(days=28 * (number - 2) + 7),
            theme_nl=f"Thema {number}",
            theme_en=f"Theme {number}",
        )
        for number in range(1, 8)
    ]
    teacher = factories.TeacherUserFactory(email="docent.week@example.org", first_name="Frédérique", last_name="Six")
    ProgrammeTeacher.objects.create(programme=programme, teacher=factories.TeacherFactory(user=teacher, name="Frédérique Six"))
    people = [
        factories.EnrolmentFactory(
            edition=edition,
            organisation=org,
            participant=factories.UserFactory(email=f"p{n}@example.org", first_name=f"Deelnemer{n}"),
        )
        for n, org in enumerate(["Gemeente Utrecht", "Provincie Utrecht", "GGD Utrecht"], start=1)
    ]
    pdf = typst.compile(b"= Vertrouwen\n\nEen tekst over sturen vanuit vertrouwen.")
    item = literature.add_literature(
        actor=teacher,
        session_id=sessions[1].pk,
        title="Six – Vertrouwen en beheersing",
        uploaded_file=SimpleUploadedFile("six.pdf", pdf),
        preparation_minutes=240,
    )
    groups.form_groups(actor=teacher, edition_id=edition.pk, session_id=sessions[0].pk, size=2)
    return {"edition": edition, "sessions": sessions, "teacher": teacher, "people": people, "item": item, "pdf": pdf}


def log_in(page, site: str, email: str, language: str = "nl") -> None:
    page.goto(f"{site}/{language}/account/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button").click()
    page.wait_for_url(f"{site}/{language}/account/")


def test_a_participants_week_read_write_and_see_the_teachers_response(site, week, open_page):
    participant = week["people"][0]
    page = open_page("phone")
    log_in(page, site, participant.participant.email)
    cases.write_case(
        actor=participant.participant,
        enrolment_id=participant.pk,
        title="Minder controle in de wijkteams",
        question="Hoe?",
        context="Gemeente",
    )

    # The dashboard names the next session and what to read; the session page serves the PDF.
    assert "Six – Vertrouwen en beheersing" in page.locator("main").inner_text()
    page.locator(".dashboard-next a").first.click()
    page.wait_for_selector("#literature")
    assert_no_horizontal_scroll(page, "phone")
    with page.expect_download() as download:
        page.get_by_role("link", name="Six – Vertrouwen en beheersing").click()
    assert download.value.suggested_filename == "six.pdf"
    assert Path(download.value.path()).read_bytes() == week["pdf"]

    # Write the progress entry for this session.
    page.get_by_role("link", name="voortgangsverslag", exact=False).first.click()
    page.locator("#id_done").fill("Twee gesprekken gevoerd met teamleiders.")
    page.locator("#id_learned").fill("Vertrouwen groeit door ruimte te geven.")
    page.locator("#id_next_step").fill("Een pilot zonder urenverantwoording.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".messages")
    assert "Twee gesprekken gevoerd met teamleiders." in page.locator("main").inner_text()

    # The teacher finds the entry on their dashboard and responds (htmx, no page reload).
    teacher_page = open_page("desktop")
    log_in(teacher_page, site, week["teacher"].email)
    teacher_page.locator("a[href*='#entry-']").first.click()
    entry_id = teacher_page.url.split("#entry-")[1]
    teacher_page.locator(f"#response-{entry_id}-text").fill("Mooie stap. Lees ook hoofdstuk 4 voor de pilot.")
    teacher_page.locator(f"#responses-{entry_id} button[type=submit]").click()
    teacher_page.wait_for_selector(f"#responses-{entry_id} .case-response")

    # The participant sees the response on their case page.
    page.goto(f"{site}/nl/leren/casus/{participant.pk}/")
    assert "Mooie stap. Lees ook hoofdstuk 4 voor de pilot." in page.locator("main").inner_text()
    assert_no_horizontal_scroll(page, "phone")


def test_a_participant_of_another_group_does_not_see_the_case(site, week, open_page):
    writer = week["people"][0]
    in_group = groups.peers_at(week["edition"].pk, 1, writer.pk) | {writer.pk}
    outsider = next(e for e in week["people"] if e.pk not in in_group)
    cases.write_case(
        actor=writer.participant, enrolment_id=writer.pk, title="Vertrouwelijke casus", question="Vraag", context="Context"
    )
    page = open_page("desktop")
    log_in(page, site, outsider.participant.email)
    response = page.goto(f"{site}/nl/leren/casus/{writer.pk}/")
    assert response.status == 404
    assert "Vertrouwelijke casus" not in page.content()


def test_a_teacher_assesses_a_paper_and_the_participant_reads_the_feedback(site, week, open_page):
    participant = week["people"][1]
    services.submit_paper(
        actor=participant.participant, enrolment_id=participant.pk, uploaded_file=SimpleUploadedFile("paper.pdf", week["pdf"])
    )
    page = open_page("phone")
    log_in(page, site, week["teacher"].email)
    page.locator(f"a[href$='/leren/eindopdracht/{participant.pk}/']").first.click()
    page.wait_for_selector("#id_feedback")
    page.locator("input[name=result][value=insufficient]").check()
    page.locator("#id_feedback").fill("Werk de reflectie op uw eigen rol verder uit.")
    page.get_by_role("button", name="Beoordeling opslaan").click()
    page.wait_for_selector(".messages")
    assert_no_horizontal_scroll(page, "phone")

    own = open_page("phone")
    log_in(own, site, participant.participant.email)
    own.goto(f"{site}/nl/leren/eindopdracht/{participant.pk}/")
    text = own.locator("main").inner_text()
    assert "Werk de reflectie op uw eigen rol verder uit." in text
    assert "onvoldoende" in text.lower()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_learning_pages_have_no_axe_violations(site, week, open_page, language, viewport):
    edition, participant = week["edition"], week["people"][0]
    cases.write_case(
        actor=participant.participant, enrolment_id=participant.pk, title="Casus", question="Vraag", context="Context"
    )
    cases.write_entry(
        actor=participant.participant,
        enrolment_id=participant.pk,
        session_id=week["sessions"][0].pk,
        done="Gedaan",
        learned="Geleerd",
        next_step="Verder",
    )
    services.submit_paper(
        actor=participant.participant, enrolment_id=participant.pk, uploaded_file=SimpleUploadedFile("paper.pdf", week["pdf"])
    )
    session = week["sessions"][1]
    failures: list[str] = []

    def check(page, path: str) -> None:
        page.goto(f"{site}/{language}{path}")
        result = AXE.run(page)
        if result.violations_count:
            failures.append(f"{path} ({viewport}):\n{result.generate_report()}")
        try:
            assert_no_horizontal_scroll(page, viewport)
        except AssertionError as exc:
            failures.append(str(exc))

    page = open_page(viewport)
    log_in(page, site, participant.participant.email, language)
    for path in [
        "/account/",
        f"/leren/bijeenkomst/{session.pk}/",
        f"/leren/editie/{edition.pk}/",
        f"/leren/editie/{edition.pk}/groepen/",
        f"/leren/casus/{participant.pk}/",
        f"/leren/casus/{participant.pk}/bijeenkomst/{session.pk}/",
        f"/leren/eindopdracht/{participant.pk}/",
        f"/leren/tijd/{participant.pk}/",
        f"/leren/bijeenkomst/{session.pk}/afmelden/",
    ]:
        check(page, path)
    teacher = open_page(viewport)
    log_in(teacher, site, week["teacher"].email, language)
    for path in [
        "/account/",
        f"/leren/bijeenkomst/{session.pk}/",
        f"/leren/editie/{edition.pk}/groepen/",
        f"/leren/casus/{participant.pk}/",
        f"/leren/eindopdracht/{participant.pk}/",
        f"/leren/editie/{edition.pk}/eindopdrachten/",
        f"/leren/editie/{edition.pk}/presentaties/",
        f"/leren/editie/{edition.pk}/maaltijden/",
        f"/leren/tijd/{participant.pk}/",
    ]:
        check(teacher, path)
    for failure in failures:
        print(failure)
    assert not failures, "\n\n".join(failures)
