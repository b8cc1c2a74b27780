"""The diplomas page writes its participants' rows in Python for speed (performance bar P2,
leergang.awards.edition_rows): the page must stay exactly what it was when the former loop of
awards/edition.html wrote them, for every state a row can be in, in both languages, on the page, on a
refused revocation (the form opened with its error) and on a refused issue."""

import re

import pytest
from django.template import engines
from django.template.loader import get_template
from django.utils import timezone, translation

from leergang.awards import selectors, services
from leergang.awards.models import Award
from leergang.enrolment.models import Enrolment

from .standing_data import attend, complete, finished_edition, hand_in, participant_in, record_presented, running_edition
from .test_coordinator_page import url

pytestmark = pytest.mark.django_db

# The line of awards/edition.html that now writes the rows.
MARK = "{# The rows are written in Python (awards/edition_rows.py), the markup of the former loop here. #}{{ rows_html }}"

# The former loop of awards/edition.html over the table's rows, verbatim.
FORMER_LOOP = """{% for row in rows %}{% with standing=row.standing participant=row.participant award=row.standing.award %}{% with name=participant.get_full_name|default:participant.email enrolment=standing.enrolment %}
        <tr id="participant-{{ enrolment.pk }}" data-award="{{ standing.outcome.award }}" data-out-of-reach="{% if standing.out_of_reach %}yes{% else %}no{% endif %}" data-issued="{% if award %}{{ award.kind }}{% endif %}">
          <th scope="row">{{ name }}{% if enrolment.organisation %}<span class="cell-sub">{{ enrolment.organisation }}</span>{% endif %}</th>
          <td><span class="stack-label" aria-hidden="true">{% translate "Content sessions attended" %}</span>{% blocktranslate with attended=standing.attended total=standing.content_sessions trimmed %}{{ attended }} of {{ total }}{% endblocktranslate %}{% if standing.missed %}<span class="cell-sub">{% blocktranslate count counter=standing.missed trimmed %}{{ counter }} missed{% plural %}{{ counter }} missed{% endblocktranslate %}</span>{% endif %}</td>
          <td><span class="stack-label" aria-hidden="true">{% translate "Final paper" %}</span>{% include "learning/paper_status.html" with status=standing.paper %}</td>
          <td><span class="stack-label" aria-hidden="true">{% translate "Presented" %}</span>{% if standing.presented is None %}<span class="subtle">{% translate "Not recorded" %}</span>{% elif standing.presented %}<span class="presented-yes">{% translate "Presented" %}</span>{% else %}<span class="presented-no">{% translate "Did not present" %}</span>{% endif %}</td>
          <td><span class="stack-label" aria-hidden="true">{% translate "Standing" %}</span>{% include "awards/award_badge.html" with award=standing.outcome.award %}{% if not standing.final %}<span class="cell-sub">{% translate "so far" %}</span>{% endif %}{% if standing.out_of_reach %}<span class="award-warning award-warning-mark">{% translate "Diploma out of reach" %}</span>{% endif %}</td>
          <td><span class="stack-label" aria-hidden="true">{% translate "Issued" %}</span>{% if award %}<span class="award-issued">{{ award.get_kind_display }}</span>
            <span class="cell-sub"><a href="/verify/{{ award.code }}">{{ award.code }}</a> · <a href="/api/v1/credentials/{{ award.code }}/document.pdf">{% translate "PDF" %}<span class="visually-hidden"> – {{ name }}</span></a></span>{% elif not standing.revoked_awards %}<span class="subtle">{% translate "Not yet" %}</span>{% endif %}
            {% for old in standing.revoked_awards %}<span class="cell-sub award-revoked">{% blocktranslate with kind=old.get_kind_display code=old.code date=old.revoked_at|localtime_weekday_date trimmed %}{{ kind }} {{ code }} revoked on {{ date }}:{% endblocktranslate %} {{ old.revoked_reason }}</span>{% endfor %}</td>
          <td class="awards-actions">
            {% if row.can_diploma or row.can_certificate %}
            <form method="post" action="{{ row.issue_url }}" class="slot-actions">{% csrf_token %}
              {% if row.can_diploma %}<button type="submit" name="kind" value="diploma" id="issue-diploma-{{ enrolment.pk }}" class="button button-secondary slot-button">{% translate "Issue diploma" %}<span class="visually-hidden">: {{ name }}</span></button>{% endif %}
              {% if row.can_certificate %}<button type="submit" name="kind" value="certificate" id="issue-certificate-{{ enrolment.pk }}" class="button button-secondary slot-button">{% translate "Issue certificate" %}<span class="visually-hidden">: {{ name }}</span></button>{% endif %}
            </form>
            {% endif %}
            {% if award %}{% with failed=revoke_error.code %}
            <details class="awards-revoke"{% if failed == award.code %} open{% endif %}>
              <summary>{% translate "Revoke" %}<span class="visually-hidden">: {{ award.get_kind_display }} – {{ name }}</span></summary>
              <form method="post" action="{{ revoke_url }}" class="awards-revoke-form">{% csrf_token %}
                <input type="hidden" name="code" value="{{ award.code }}">
                <label for="reason-{{ enrolment.pk }}">{% translate "Reason for revoking (required)" %}</label>
                {% if failed == award.code %}<p class="field-error" id="reason-{{ enrolment.pk }}-error">{{ revoke_error.message }}</p>{% endif %}
                <textarea id="reason-{{ enrolment.pk }}" name="reason" rows="3" maxlength="{{ reason_max }}" aria-describedby="reason-{{ enrolment.pk }}-help{% if failed == award.code %} reason-{{ enrolment.pk }}-error{% endif %}"{% if failed == award.code %} aria-invalid="true"{% endif %}></textarea>
                <p class="form-help" id="reason-{{ enrolment.pk }}-help">{% translate "The verification page shows the reason; the holder keeps the document but it no longer counts as valid." %}</p>
                <button type="submit" class="button button-danger slot-button" id="revoke-{{ enrolment.pk }}">{% translate "Revoke" %}<span class="visually-hidden">: {{ award.get_kind_display }} – {{ name }}</span></button>
              </form>
            </details>
            {% endwith %}{% endif %}
          </td>
        </tr>
        {% endwith %}{% endwith %}{% endfor %}"""


def former_page(response, language: str, revoke_error: dict | None = None) -> str:
    """The page as the former template wrote it, from the same context (and the same CSRF token)."""
    source = get_template("awards/edition.html").template.source
    assert source.count(MARK) == 1
    template = engines["django"].from_string(source.replace(MARK, FORMER_LOOP))
    context = next(c for c in response.context if "rows_html" in c).flatten()
    edition = context["edition"]
    context.update(
        revoke_error=revoke_error or {},
        reason_max=services.REASON_MAX,
        revoke_url=url("revoke", language, edition_id=edition.pk),
    )
    del context["rows_html"]
    with translation.override(language):
        return template.render(context, response.wsgi_request)


def assert_same_page(response, language: str, revoke_error: dict | None = None) -> str:
    page = response.content.decode()
    assert page == former_page(response, language, revoke_error)
    return page


@pytest.fixture
def office(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def finished(coordinator):
    """A finished edition with a participant in each state a row can be in."""
    edition = finished_edition()
    people = {
        "diploma due": complete(participant_in(edition, "anna@example.org", "Anna", "Jansen")),
        "certificate due": complete(participant_in(edition, "ben@example.org", "Ben", "Bakker"), attended=4),
        "nothing": complete(participant_in(edition, "carl@example.org", "Carl", "Claes"), attended=0, paper=None, presented=None),
        "pending paper": complete(
            participant_in(edition, "dirk@example.org", "Dirk", "Dekker"), paper="pending", presented=False
        ),
        "insufficient": complete(participant_in(edition, "hal@example.org", "Hal", "Hals")),
        "markup": complete(participant_in(edition, "eva@example.org", "<b>Ä & 'x'\"</b>", "O'Neil", organisation="A&B <c>")),
        "reissued": complete(participant_in(edition, "fay@example.org", "Fay", "Fransen", organisation="Gemeente")),
        "revoked only": complete(participant_in(edition, "gus@example.org", "", ""), attended=1),
        "cancelled": complete(participant_in(edition, "ida@example.org", "Ida", "Ibens", status="cancelled")),
    }
    hand_in(people["insufficient"], "insufficient")  # a newer version, which counts
    services.issue_award(actor=coordinator, enrolment_id=people["markup"].pk, kind="diploma")
    for key in ("reissued", "revoked only"):
        first = services.issue_award(actor=coordinator, enrolment_id=people[key].pk, kind="certificate")
        services.revoke_award(actor=coordinator, code=first.code, reason="Naam <fout> & 'oud'")
    second = services.issue_award(actor=coordinator, enrolment_id=people["reissued"].pk, kind="certificate")
    services.revoke_award(actor=coordinator, code=second.code, reason="Nog eens")
    services.issue_award(actor=coordinator, enrolment_id=people["reissued"].pk, kind="diploma")
    return edition, people


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_page_of_a_finished_edition_is_what_the_template_loop_wrote(office, finished, language):
    edition, people = finished
    page = assert_same_page(office.get(url("edition", language, edition_id=edition.pk)), language)
    # Every state is on it.
    for marker in (
        "issue-diploma-",
        "issue-certificate-",
        "award-revoked",
        "paper-status-submitted",
        "presented-no",
        "paper-status-insufficient",
        "&lt;b&gt;Ä &amp; &#x27;x&#x27;&quot;&lt;/b&gt; O&#x27;Neil",
        "A&amp;B &lt;c&gt;",
        "gus@example.org",
        "csrfmiddlewaretoken",
        "awards-revoke",
    ):
        assert marker in page, marker
    assert f"participant-{people['cancelled'].pk}" not in page


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_refused_revocation_opens_its_form_as_the_template_loop_did(office, finished, language):
    edition, people = finished
    award = Award.objects.get(enrolment=people["markup"], revoked_at__isnull=True)
    response = office.post(url("revoke", language, edition_id=edition.pk), {"code": award.code, "reason": " "})
    assert response.status_code == 422
    with translation.override(language):
        error = {"code": award.code, "message": str(services.REASON_REQUIRED)}
    page = assert_same_page(response, language, error)
    assert re.search(r'<details class="awards-revoke" open>', page) and 'aria-invalid="true"' in page


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_running_edition_and_a_refused_issue_are_what_the_template_loop_wrote(office, language):
    edition = running_edition(held=3)
    warned = participant_in(edition, "anna@example.org", "Anna", "Jansen")
    attend(warned, ["absent", "absent", "present"])
    fine = participant_in(edition, "ben@example.org", "Ben", "Bakker")
    attend(fine, ["present", "excused", "present"])
    record_presented(fine, None)
    page = assert_same_page(office.get(url("edition", language, edition_id=edition.pk)), language)
    assert 'data-out-of-reach="yes"' in page and "award-warning-mark" in page
    refused = office.post(url("issue-all", language, edition_id=edition.pk))
    assert refused.status_code == 409
    assert_same_page(refused, language)


def test_an_edition_without_participants_is_what_the_template_wrote(office):
    edition = running_edition(held=1)
    response = office.get(url("edition", "en", edition_id=edition.pk))
    assert "No participants are enrolled" in assert_same_page(response, "en")


def test_the_revocation_date_is_the_local_one(office, finished):
    edition, people = finished
    # Just before midnight UTC is already the next day in Amsterdam.
    Award.objects.filter(revoked_at__isnull=False).update(revoked_at=timezone.now().replace(hour=23, minute=30))
    assert_same_page(office.get(url("edition", "en", edition_id=edition.pk)), "en")


def test_the_standings_read_at_once_equal_those_read_per_place(finished, django_assert_num_queries):
    """edition_standings reads the places with their paper and presentation in one query: the same
    facts, outcome, attendance, paper and awards as standings_for, which reads them apart."""
    edition, _people = finished
    edition = type(edition).objects.select_related("programme").get(pk=edition.pk)
    with django_assert_num_queries(5):  # the sessions, the places, the attendance, the papers, the awards
        together = selectors.edition_standings(edition)
    apart = selectors.standings_for(
        Enrolment.objects.select_related("edition__programme").filter(pk__in=[s.enrolment.pk for s in together])
    )
    apart = {s.enrolment.pk: s for s in apart}

    def seen(standing):
        return (standing.facts, standing.outcome, standing.attendance, standing.paper_info, [a.pk for a in standing.awards])

    assert len(together) == 8
    assert {s.paper for s in together} == {"sufficient", "insufficient", "submitted", "missing"}
    assert {s.presented for s in together} == {True, False, None}
    for standing in together:
        assert seen(standing) == seen(apart[standing.enrolment.pk])
