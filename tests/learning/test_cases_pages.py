"""The own case pages (M13) through real HTTP and the real services: who sees the case and which
entries (the permission matrix), who may write and respond, what a refusal changes (nothing), the
response e-mail, and the case page's query count. The world is described in cases_fixtures.py."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from leergang.core.models import AuditEntry
from leergang.enrolment.models import EnrolmentStatus
from leergang.learning import cases
from leergang.learning.models import CaseEntry, CaseResponse, OwnCase
from leergang.notifications.models import OutboxEmail
from tests import factories
from tests.learning.cases_fixtures import (
    HTMX,
    case_url,
    entry_url,
    make_groups,
    respond_url,
    url,
    world,  # noqa: F401 (fixture)
    write_case,
    write_entry,
    written,  # noqa: F401 (fixture)
)

pytestmark = pytest.mark.django_db

MARKERS = {1: "Gedaan-S1", 2: "Gedaan-S2", 3: "Gedaan-S3"}
TITLE = "Vertrouwen in het wijkteam"


@pytest.fixture
def people(world, teacher_user, other_teacher, coordinator):  # noqa: F811
    return {
        "owner": world.writer.participant,
        "peer": world.peer.participant,
        "later": world.later.participant,
        "stranger": world.stranger.participant,
        "teacher": teacher_user,
        "other_teacher": other_teacher,
        "coordinator": coordinator,
    }


def sessions_shown(html: str) -> set[int]:
    return {number for number, marker in MARKERS.items() if marker in html}


def state() -> tuple:
    """Everything a refused request must leave as it was."""
    return (
        list(OwnCase.objects.order_by("pk").values_list("title", "question", "context", "updated_at")),
        list(CaseEntry.objects.order_by("pk").values_list("done", "learned", "next_step", "updated_at")),
        CaseResponse.objects.count(),
        OutboxEmail.objects.count(),
        AuditEntry.objects.count(),
    )


def text_in(language: str, message, params: dict | None = None) -> str:
    """A message as a reader of `language` sees it (a lazy message or an English source string)."""
    with translation.override(language):
        text = translation.gettext(message) if isinstance(message, str) else str(message)
        return text % params if params else text


# -- who sees what --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, sessions",
    [("owner", {1, 2, 3}), ("teacher", {1, 2, 3}), ("coordinator", {1, 2, 3}), ("peer", {1, 2}), ("later", {3})],
)
def test_the_case_page_shows_the_case_and_only_the_entries_of_shared_sessions(client, written, people, who, sessions):  # noqa: F811
    client.force_login(people[who])
    response = client.get(case_url(written))
    assert response.status_code == 200
    html = response.content.decode()
    assert TITLE in html and "Hoe geef ik het wijkteam meer ruimte?" in html
    assert sessions_shown(html) == sessions
    # Sessions that were not shared are not even listed.
    assert {n for n in (1, 2, 3) if f'id="session-{n}"' in html} == sessions
    # Everyone who sees an entry may respond to it.
    assert {e.session.number for e in written.entries if f'id="responses-{e.pk}"' in html} == sessions
    assert html.count('class="case-response-form"') == len(sessions)
    # Only the writer gets the writer's forms.
    assert (url("edit", enrolment_id=written.writer.pk) in html) == (who == "owner")
    assert (entry_url(written, written.sessions[0]) in html) == (who == "owner")
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # several response forms, still unique ids


def test_the_case_page_speaks_english_at_en(client, written, people):  # noqa: F811
    client.force_login(people["teacher"])
    html = client.get(case_url(written, "en")).content.decode()
    assert '<html lang="en">' in html
    assert "Progress per session" in html and "What I learned" in html


@pytest.mark.parametrize("who", ["stranger", "other_teacher"])
def test_outsiders_get_a_404_for_every_address_of_the_case(client, written, people, who):  # noqa: F811
    client.force_login(people[who])
    before = state()
    data = {"title": "Gekaapt", "question": "x", "context": "y", "done": "x", "learned": "y", "next_step": "z", "text": "Hallo"}
    answers = [
        client.get(case_url(written)).status_code,
        client.get(url("edit", enrolment_id=written.writer.pk)).status_code,
        client.post(url("edit", enrolment_id=written.writer.pk), data).status_code,
    ]
    for session in written.sessions:
        answers += [
            client.get(entry_url(written, session)).status_code,
            client.post(entry_url(written, session), data).status_code,
        ]
    for entry in written.entries:
        answers += [
            client.post(respond_url(written, entry), data).status_code,
            client.post(respond_url(written, entry), data, **HTMX).status_code,
        ]
    assert set(answers) == {404}
    assert state() == before


def test_a_missing_case_is_a_404_like_a_forbidden_one(client, written, people):  # noqa: F811
    client.force_login(people["coordinator"])
    missing = written.writer.pk + 1000
    assert client.get(url("case", enrolment_id=missing)).status_code == 404
    assert (
        client.post(
            url("respond", enrolment_id=written.writer.pk, entry_id=written.entries[-1].pk + 1000), {"text": "x"}
        ).status_code
        == 404
    )
    # An entry of this case under another participant's address.
    other = url("respond", enrolment_id=written.peer.pk, entry_id=written.entries[0].pk)
    assert client.post(other, {"text": "x"}).status_code == 404
    client.force_login(people["owner"])
    other_session = factories.SessionFactory()  # of another edition
    assert client.get(url("entry", enrolment_id=written.writer.pk, session_id=other_session.pk)).status_code == 404


def test_a_group_member_cannot_reach_entries_of_sessions_they_did_not_share(client, written, people):  # noqa: F811
    client.force_login(people["peer"])
    before = state()
    third = written.entries[2]
    assert client.post(respond_url(written, third), {"text": "Mag ik meelezen?"}).status_code == 404
    assert client.post(respond_url(written, third), {"text": "Mag ik meelezen?"}, **HTMX).status_code == 404
    # Nor the writer's forms, even for a shared session.
    assert client.get(entry_url(written, written.sessions[0])).status_code == 404
    assert (
        client.post(url("edit", enrolment_id=written.writer.pk), {"title": "x", "question": "y", "context": "z"}).status_code
        == 404
    )
    assert state() == before


def test_anonymous_visitors_are_sent_to_the_login_page(client, written):  # noqa: F811
    before = state()
    for response in (
        client.get(case_url(written)),
        client.get(entry_url(written, written.sessions[0])),
        client.post(respond_url(written, written.entries[0]), {"text": "Hallo"}),
        client.post(url("edit", enrolment_id=written.writer.pk), {"title": "x", "question": "y", "context": "z"}),
    ):
        assert response.status_code == 302
        assert "/login" in response["Location"] or "inloggen" in response["Location"]
    assert state() == before


def test_a_cancelled_group_member_no_longer_sees_the_case(client, written, people):  # noqa: F811
    written.peer.status = EnrolmentStatus.CANCELLED
    written.peer.save()
    client.force_login(people["peer"])
    assert client.get(case_url(written)).status_code == 404


# -- writing --------------------------------------------------------------------------------------


def test_the_writer_is_invited_to_write_the_case_and_then_records_progress(client, world, people):  # noqa: F811
    client.force_login(people["owner"])
    html = client.get(case_url(world)).content.decode()
    assert text_in("nl", "Write your case") in html
    assert f'action="{url("edit", enrolment_id=world.writer.pk)}"' in html
    assert entry_url(world, world.sessions[0]) not in html  # no entries before the case

    response = client.post(
        url("edit", enrolment_id=world.writer.pk),
        {"title": "  Ruimte   voor het team ", "question": "Hoe?", "context": "Bij de gemeente."},
    )
    assert response.status_code == 302 and response["Location"] == case_url(world)
    case = OwnCase.objects.get(enrolment=world.writer)
    assert (case.title, case.question, case.context) == ("Ruimte voor het team", "Hoe?", "Bij de gemeente.")
    assert AuditEntry.objects.filter(action="case.written", object_id=str(case.pk)).count() == 1

    session = world.sessions[1]
    page = client.get(entry_url(world, session))
    assert page.status_code == 200 and 'name="next_step"' in page.content.decode()
    response = client.post(
        entry_url(world, session), {"done": "Gesprek gevoerd", "learned": "Luisteren", "next_step": "Evalueren"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#session-2")
    entry = CaseEntry.objects.get(case=case, session=session)
    assert (entry.done, entry.learned, entry.next_step) == ("Gesprek gevoerd", "Luisteren", "Evalueren")

    # Editing brings the saved text back and changes the same entry.
    assert "Gesprek gevoerd" in client.get(entry_url(world, session)).content.decode()
    client.post(entry_url(world, session), {"done": "Twee gesprekken", "learned": "Luisteren", "next_step": "Evalueren"})
    assert CaseEntry.objects.get(pk=entry.pk).done == "Twee gesprekken"
    assert CaseEntry.objects.filter(case=case).count() == 1
    assert (
        AuditEntry.objects.filter(action="case_entry.changed", object_id=str(entry.pk)).get().before["done"] == "Gesprek gevoerd"
    )
    assert "Twee gesprekken" in client.get(case_url(world)).content.decode()


def test_an_entry_needs_the_case_first(client, world, people):  # noqa: F811
    client.force_login(people["owner"])
    before = state()
    page = client.get(entry_url(world, world.sessions[0]))
    assert page.status_code == 200
    html = page.content.decode()
    assert text_in("nl", cases.CASE_FIRST) in html and 'name="done"' not in html
    response = client.post(entry_url(world, world.sessions[0]), {"done": "a", "learned": "b", "next_step": "c"})
    assert response.status_code == 409
    assert state() == before


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    "data, field, message, params",
    [
        ({"title": "", "question": "Vraag", "context": "Context"}, "title", cases.TITLE_MISSING, None),
        ({"title": "x" * 201, "question": "Vraag", "context": "Context"}, "title", cases.TITLE_TOO_LONG, {"max": 200}),
        ({"title": "Titel", "question": "   ", "context": "Context"}, "question", cases.QUESTION_MISSING, None),
        (
            {"title": "Titel", "question": "Vraag", "context": "y" * 10_001},
            "context",
            cases.TEXT_TOO_LONG,
            {"max": 10_000, "count": 10_001},
        ),
    ],
)
def test_a_refused_case_changes_nothing_and_says_what_to_do(client, written, people, language, data, field, message, params):  # noqa: F811
    client.force_login(people["owner"])
    before = state()
    response = client.post(url("edit", language, enrolment_id=written.writer.pk), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert text_in(language, message, params) in html
    assert f'id="id_{field}_error"' in html
    assert state() == before


def test_several_empty_fields_are_reported_at_once(client, world, people):  # noqa: F811
    client.force_login(people["owner"])
    response = client.post(url("edit", "en", enrolment_id=world.writer.pk), {"title": "", "question": "", "context": ""})
    assert response.status_code == 422
    html = response.content.decode()
    for message in (cases.TITLE_MISSING, cases.QUESTION_MISSING, cases.CONTEXT_MISSING):
        assert text_in("en", message) in html
    assert not OwnCase.objects.exists()


def test_a_refused_entry_changes_nothing(client, written, people):  # noqa: F811
    client.force_login(people["owner"])
    before = state()
    response = client.post(entry_url(written, written.sessions[0], "en"), {"done": "Iets", "learned": "", "next_step": "Verder"})
    assert response.status_code == 422
    html = response.content.decode()
    assert text_in("en", cases.LEARNED_MISSING) in html
    assert "Iets" in html  # what was typed stays in the form
    assert state() == before


def test_control_characters_are_refused_without_an_error_page(client, written, people):  # noqa: F811
    client.force_login(people["owner"])
    before = state()
    response = client.post(url("edit", enrolment_id=written.writer.pk), {"title": "Ti\x00tel", "question": "a", "context": "b"})
    assert response.status_code == 422
    response = client.post(respond_url(written, written.entries[0]), {"text": "a\x00b"})
    assert response.status_code == 422
    assert state() == before


def test_a_cancelled_participant_can_read_but_no_longer_write(client, written, people):  # noqa: F811
    written.writer.status = EnrolmentStatus.CANCELLED
    written.writer.save()
    client.force_login(people["owner"])
    before = state()
    page = client.get(case_url(written))
    assert page.status_code == 200
    html = page.content.decode()
    assert TITLE in html and sessions_shown(html) == {1, 2, 3}
    assert url("edit", enrolment_id=written.writer.pk) not in html
    assert "case-response-form" not in html
    assert 'name="done"' not in client.get(entry_url(written, written.sessions[0])).content.decode()
    assert (
        client.post(url("edit", enrolment_id=written.writer.pk), {"title": "Nieuw", "question": "a", "context": "b"}).status_code
        == 409
    )
    assert (
        client.post(entry_url(written, written.sessions[0]), {"done": "a", "learned": "b", "next_step": "c"}).status_code == 409
    )
    response = client.post(respond_url(written, written.entries[0]), {"text": "Nog één ding"})
    assert response.status_code == 409
    assert text_in("nl", cases.CANCELLED_RESPONSE) in response.content.decode()
    assert state() == before


# -- responding -----------------------------------------------------------------------------------


def test_a_teacher_responds_and_the_writer_is_emailed_in_their_language(client, written, people, settings):  # noqa: F811
    writer = people["owner"]
    writer.preferred_language = "en"
    writer.save()
    client.force_login(people["teacher"])
    entry = written.entries[1]
    response = client.post(respond_url(written, entry), {"text": "Mooie stap.\n\nWat zei de wethouder?"})
    assert response.status_code == 302 and response["Location"].endswith(f"#entry-{entry.pk}")
    saved = CaseResponse.objects.get(entry=entry)
    assert (saved.author, saved.text) == (people["teacher"], "Mooie stap.\n\nWat zei de wethouder?")
    assert AuditEntry.objects.filter(action="case_response.added", object_id=str(saved.pk)).exists()

    email = OutboxEmail.objects.get(kind="case_response")
    assert email.to == [writer.email] and email.language == "en"
    assert email.subject == "New response to your progress entry for session 2"
    assert "Wat zei de wethouder?" in email.body
    assert f"{settings.PUBLIC_BASE_URL}{case_url(written, 'en')}#entry-{entry.pk}" in email.body
    assert (email.related_type, email.related_id) == ("learning.caseresponse", str(saved.pk))

    html = client.get(case_url(written)).content.decode()
    assert "Wat zei de wethouder?" in html


def test_the_response_email_is_dutch_for_a_dutch_writer(client, written, people):  # noqa: F811
    client.force_login(people["coordinator"])
    assert client.post(respond_url(written, written.entries[0]), {"text": "Goed bezig"}).status_code == 302
    email = OutboxEmail.objects.get(kind="case_response")
    assert email.language == "nl" and f"{case_url(written, 'nl')}#entry-" in email.body


def test_a_group_member_responds_with_htmx_and_gets_the_responses_back(client, written, people):  # noqa: F811
    client.force_login(people["peer"])
    entry = written.entries[0]
    response = client.post(respond_url(written, entry), {"text": "Herkenbaar!"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and html.lstrip().startswith("<div") and f'id="responses-{entry.pk}"' in html
    assert "Herkenbaar!" in html
    assert 'id="case-announcement" hx-swap-oob="innerHTML"' in html
    assert 'name="text"' in html and "Herkenbaar!</textarea>" not in html  # a fresh form
    assert CaseResponse.objects.filter(entry=entry, author=people["peer"]).count() == 1
    assert OutboxEmail.objects.filter(kind="case_response", to=[people["owner"].email]).count() == 1
    assert "HX-Request" in response["Vary"]


def test_an_empty_response_is_refused_with_htmx_and_without(client, written, people):  # noqa: F811
    client.force_login(people["teacher"])
    before = state()
    entry = written.entries[0]
    response = client.post(respond_url(written, entry, "en"), {"text": "  "}, **HTMX)
    assert response.status_code == 200  # so htmx swaps it in
    assert text_in("en", cases.RESPONSE_MISSING) in response.content.decode()
    response = client.post(respond_url(written, entry, "en"), {"text": ""})
    assert response.status_code == 422
    assert text_in("en", cases.RESPONSE_MISSING) in response.content.decode()
    assert state() == before


def test_the_writer_replies_without_emailing_themselves(client, written, people):  # noqa: F811
    client.force_login(people["teacher"])
    client.post(respond_url(written, written.entries[0]), {"text": "Vraag van de docent"})
    client.force_login(people["owner"])
    response = client.post(respond_url(written, written.entries[0]), {"text": "Antwoord van de schrijver"})
    assert response.status_code == 302
    assert list(CaseResponse.objects.filter(entry=written.entries[0]).values_list("text", flat=True)) == [
        "Vraag van de docent",
        "Antwoord van de schrijver",
    ]
    assert OutboxEmail.objects.filter(kind="case_response").count() == 1


# -- queries --------------------------------------------------------------------------------------


def page_queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries)


def test_the_case_page_costs_the_same_queries_with_one_entry_as_with_six(client, edition, enrolment, teacher_user, coordinator):
    sessions = [factories.SessionFactory(edition=edition, number=number) for number in range(1, 7)]
    peer = factories.EnrolmentFactory(edition=edition)
    make_groups(edition, sessions[0], [[enrolment, peer]], coordinator)
    write_case(enrolment)
    address = url("case", enrolment_id=enrolment.pk)

    def respond(entry, *authors):
        for author in authors:
            cases.respond(actor=author, entry_id=entry.pk, text=f"Reactie van {author.email}")

    respond(write_entry(enrolment, sessions[0]), teacher_user)
    viewers = {"owner": enrolment.participant, "peer": peer.participant, "teacher": teacher_user, "coordinator": coordinator}
    counts = {}
    for name, user in viewers.items():
        client.force_login(user)
        counts[name] = page_queries(client, address)
    for session in sessions[1:]:
        respond(write_entry(enrolment, session), teacher_user, peer.participant, enrolment.participant)
    for name, user in viewers.items():
        client.force_login(user)
        html = client.get(address).content.decode()
        assert html.count('class="case-entry"') == 6
        assert page_queries(client, address) == counts[name], name
        assert counts[name] <= 10, name
