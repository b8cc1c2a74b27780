"""The public verification page /verify/<code>: no account, no redirect, Dutch by default with a
switch to English, valid or revoked said plainly, an explaining 404, never cached, never the e-mail."""

import re

import pytest
from django.utils import timezone

from leergang.awards import codes, services
from leergang.core.formatting import long_date

from .test_issuing import finished_edition, participant_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(coordinator):
    edition = finished_edition()
    enrolment = participant_in(edition, "anna@example.org", "Anna", "Jansen")
    return services.issue_award(actor=coordinator, enrolment_id=enrolment.pk, kind="diploma")


def page(client, path, **extra):
    response = client.get(path, **extra)
    return response, response.content.decode()


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_anyone_checks_a_diploma_without_logging_in_in_dutch_by_default(client, award):
    response, html = page(client, f"/verify/{award.code}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200  # directly: no redirect to a login or language prefix
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Language"] == "nl"
    assert '<html lang="nl">' in html
    assert 'data-valid="true"' in html and f'data-code="{award.code}"' in html
    text = text_of(html)
    for expected in ("Anna Jansen", "Sturen vanuit vertrouwen", "VU School of Governance", "Eerste leerdoel", "Tweede leerdoel"):
        assert expected in text, expected
    assert "Dr. ir. Frédérique Six" in text and "Programmaleider" in text and "Dr. Tjerk Budding" in text
    assert text.index("Eerste leerdoel") < text.index("Tweede leerdoel")
    assert "anna@example.org" not in html
    assert f'href="/verify/{award.code}?lang=en"' in html
    assert f'href="/api/v1/credentials/{award.code}"' in html


def test_in_english_with_a_link_back_to_dutch(client, award):
    response, html = page(client, f"/verify/{award.code}?lang=en")
    assert response.status_code == 200 and response["Content-Language"] == "en"
    assert '<html lang="en">' in html
    text = text_of(html)
    assert "This diploma is valid." in text
    assert "Leading from trust" in text and "First goal" in text and "Programme lead" in text
    sessions = list(award.enrolment.edition.sessions.order_by("number"))
    first, last = sessions[0].date, sessions[-1].date
    assert f"{first.day} {first:%B %Y} – {last.day} {last:%B %Y}" in text
    assert f"It was issued by VU School of Governance on {long_date(timezone.localtime(award.issued_at).date())}" in text
    assert f'href="/verify/{award.code}"' in html and 'lang="nl"' in html


def test_an_unknown_language_is_dutch(client, award):
    response, html = page(client, f"/verify/{award.code}?lang=fr")
    assert response.status_code == 200 and '<html lang="nl">' in html


def test_codes_are_found_in_any_case_with_or_without_dashes_and_a_slash(client, award):
    for typed in (award.code.lower(), award.code.replace("-", ""), f"{award.code}/", award.code.lower().replace("-", " ")):
        response, html = page(client, f"/verify/{typed}")
        assert response.status_code == 200, typed
        assert f'data-code="{award.code}"' in html


def test_a_revoked_diploma_says_so_when_and_why_at_once(client, coordinator, award):
    page(client, f"/verify/{award.code}")  # seen once while valid: nothing may be cached
    services.revoke_award(actor=coordinator, code=award.code, reason="Issued to the wrong person.")
    response, html = page(client, f"/verify/{award.code}?lang=en")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert 'data-valid="false"' in html
    text = text_of(html)
    assert "This diploma was revoked and is no longer valid." in text
    assert f"Revoked on {long_date(timezone.localdate())}." in text
    assert "Issued to the wrong person." in text
    assert "is valid" not in text


def test_an_unknown_code_is_a_404_that_explains(client, award):
    response, html = page(client, "/verify/ZZZZ-ZZZZ-ZZZZ?lang=en")
    assert response.status_code == 404 and response["Cache-Control"] == "no-store"
    text = text_of(html)
    assert "Unknown verification code" in text and "ZZZZ-ZZZZ-ZZZZ" in text
    assert "twelve letters and digits" in text
    response, html = page(client, "/verify/nonsense")
    assert response.status_code == 404 and '<html lang="nl">' in html


def test_a_typed_code_is_escaped(client, award):
    response, html = page(client, "/verify/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
    assert response.status_code == 404
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_code_form_leads_to_the_page(client, award):
    response, html = page(client, "/verify/")
    assert response.status_code == 200 and 'name="code"' in html
    response = client.get("/verify/", {"code": award.code.lower(), "lang": "en"})
    assert response.status_code == 302 and response["Location"] == f"/verify/{award.code}?lang=en"
    response, html = page(client, "/verify/?code=not-a-code&lang=en")
    assert response.status_code == 200 and 'aria-invalid="true"' in html and "This is not a verification code" in html


def test_a_logged_in_person_sees_the_same(client, award):
    client.force_login(award.enrolment.participant)
    response, html = page(client, f"/verify/{award.code}")
    assert response.status_code == 200 and "anna@example.org" not in html.replace('"anna@example.org"', "")


def test_only_reading_is_allowed(client, award):
    assert client.post(f"/verify/{award.code}").status_code == 405
    assert client.head(f"/verify/{award.code}").status_code == 200


def test_few_queries(client, award, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        assert client.get(f"/verify/{award.code}").status_code == 200


# -- the codes ---------------------------------------------------------------------------------------------------------


def test_codes_are_random_readable_and_sixty_bits():
    made = {codes.new_code() for _ in range(2000)}
    assert len(made) == 2000
    for code in made:
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", code), code
    assert len(codes.ALPHABET) ** codes.LENGTH >= 2**60
    assert set("".join(made).replace("-", "")) == set(codes.ALPHABET)  # every symbol is used


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("7kq2-m9xd-4hna", "7KQ2-M9XD-4HNA"),
        ("7KQ2M9XD4HNA", "7KQ2-M9XD-4HNA"),
        (" 7kq2 m9xd 4hna ", "7KQ2-M9XD-4HNA"),
        ("7KQ2\u2013M9XD\u20134HNA", "7KQ2-M9XD-4HNA"),
        ("OIL2-M9XD-4HNA", "0112-M9XD-4HNA"),  # letters Crockford leaves out, read as the digits they look like
        ("7KQ2-M9XD-4HN", None),
        ("7KQ2-M9XD-4HNU", None),
        ("", None),
    ],
)
def test_a_code_is_read_as_people_type_it(typed, found):
    assert codes.normalise(typed) == found


def test_only_what_a_stored_code_can_be_is_looked_up():
    assert codes.candidates("7kq2m9xd4hna") == ["7KQ2-M9XD-4HNA", "7kq2m9xd4hna"]
    assert codes.candidates("abc\x00def") == []  # PostgreSQL refuses NUL in a query
    assert codes.candidates("x" * 33) == [] and codes.candidates("<b>") == []


def test_the_sites_language_switch_and_alternates_lead_to_the_other_language(client, award):
    _response, html = page(client, f"/verify/{award.code}")
    assert f'<link rel="alternate" hreflang="en" href="/verify/{award.code}?lang=en">' in html
    assert f'<link rel="alternate" hreflang="nl" href="/verify/{award.code}">' in html
    assert f'<a href="/verify/{award.code}?lang=en" lang="en" hreflang="en">' in html  # the header's switch
    _response, html = page(client, f"/verify/{award.code}?lang=en")
    assert f'<a href="/verify/{award.code}" lang="nl" hreflang="nl">' in html
