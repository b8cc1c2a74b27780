"""The inbox reads its rows in one query and writes them in Python for speed (performance bar P2,
leergang.enrolment.inbox_rows): the rows must stay exactly what the former template loop of
enrolment/inbox_body.html (with enrolment/application_status.html) wrote from the former reads (a
select_related and two prefetches), for every state a row can be in, in both languages."""

from types import SimpleNamespace

import pytest
from django.db.models import Prefetch
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from leergang.enrolment import changes, inbox, inbox_rows, services
from leergang.enrolment.models import Application, Intake, IntakeOutcome, Offer, OfferStatus

from .conftest import HTMX, apply, inbox_url, later
from .test_query_counts import varied

pytestmark = pytest.mark.django_db

# The former enrolment/application_status.html, included once per row.
STATUS_TEMPLATE = (
    '<span class="app-status app-status-{{ application.status }}">{{ application.get_status_display }}</span>\n'
    '{% if application.status == "intake_planned" and row.next_intake %}<span class="status-extra">{% blocktranslate with date=row.next_intake.scheduled_at|localtime_weekday_date time=row.next_intake.scheduled_at|localtime_clock trimmed %}Intake {{ date }}, {{ time }}{% endblocktranslate %}</span>{% endif %}\n'
    '{% if row.waiting_position %}<span class="status-extra">{% blocktranslate with position=row.waiting_position trimmed %}Number {{ position }} on the list{% endblocktranslate %}</span>{% endif %}\n'
    '{% if row.open_offer %}<span class="status-extra">{% blocktranslate with date=row.open_offer.expires_at|localtime_weekday_date trimmed %}Offer open until {{ date }}{% endblocktranslate %}</span>{% endif %}\n'
    '{% if row.enrolment and row.enrolment.status == "cancelled" %}<span class="status-extra">{% translate "Enrolment cancelled" %}</span>{% endif %}\n'
)

# The former loop of enrolment/inbox_body.html over the table's rows.
ROWS_TEMPLATE = Template(
    "{% load i18n leergang %}"
    """{% translate "Select" as label_select %}{% translate "Organisation" as label_organisation %}{% translate "Submitted" as label_submitted %}{% translate "Status" as label_status %}{% translate "Screening" as label_screening %}{% translate "Meets the profile" as label_meets %}{% translate "Not met:" as label_not_met %}"""
    """{% for row in rows %}{% with application=row.application %}
        <tr class="inbox-row" data-status="{{ application.status }}">
          <td class="cell-select">{% if row.decidable %}<label class="select-label" for="select-{{ application.pk }}"><input type="checkbox" name="applications" value="{{ application.pk }}" id="select-{{ application.pk }}"><span class="select-text">{{ label_select }}</span><span class="visually-hidden"> {{ application.name }}</span></label>{% endif %}</td>
          <th scope="row" class="cell-name"><a href="{{ row.url }}">{{ application.name }}</a><span class="cell-sub">{{ application.job_title }}</span></th>
          <td class="cell-organisation"><span class="inbox-label" aria-hidden="true">{{ label_organisation }}</span>{{ application.organisation }}</td>
          <td class="cell-submitted"><span class="inbox-label" aria-hidden="true">{{ label_submitted }}</span><time datetime="{{ row.submitted|date:'Y-m-d' }}">{{ row.submitted|long_date }}</time></td>
          <td class="cell-status"><span class="inbox-label" aria-hidden="true">{{ label_status }}</span>"""
    + STATUS_TEMPLATE
    + """</td>
          <td class="cell-screening"><span class="inbox-label" aria-hidden="true">{{ label_screening }}</span>
            {% if row.screening.meets_profile %}<span class="screening-ok">{{ label_meets }}</span>
            {% else %}<details class="screening-flags">
              <summary><span class="screening-not-met">{{ label_not_met }}</span> {% for item in row.screening.unmet %}<span class="flag">{{ item.label }}</span>{% endfor %}</summary>
              <ul>{% for item in row.screening.unmet %}<li>{{ item.message }}</li>{% endfor %}</ul>
            </details>{% endif %}</td>
        </tr>
        {% endwith %}{% endfor %}"""
)


def former_rows(edition, status: str) -> list[SimpleNamespace]:
    """The rows as the inbox read them before: the applications with their enrolment, pending intakes
    and open offers loaded by a select_related and two prefetches."""
    pending = Intake.objects.filter(outcome=IntakeOutcome.PENDING).order_by("scheduled_at", "id")
    applications = (
        Application.objects.filter(edition=edition)
        .select_related("enrolment")
        .prefetch_related(
            Prefetch("intakes", queryset=pending, to_attr="pending_intakes"),
            Prefetch("offers", queryset=Offer.objects.filter(status=OfferStatus.OPEN), to_attr="open_offers"),
        )
        .order_by("created_at", "id")
    )
    if status:
        applications = applications.filter(status=status)
    waiting = sorted((a for a in applications if a.status == "waitlisted"), key=lambda a: (a.waitlisted_at or a.created_at, a.pk))
    positions = {a.pk: number for number, a in enumerate(waiting, start=1)}
    return [
        SimpleNamespace(
            application=a,
            screening=inbox._screening(a),
            submitted=inbox._local_date(a.created_at),
            next_intake=a.pending_intakes[0] if a.pending_intakes else None,
            open_offer=a.open_offers[0] if a.open_offers else None,
            waiting_position=positions.get(a.pk),
            enrolment=getattr(a, "enrolment", None),
            decidable=a.status in inbox.forms.DECIDABLE,
            url=reverse("applications:detail", kwargs={"application_id": a.pk}),
        )
        for a in applications
    ]


@pytest.fixture
def every_state(edition, office):
    """Open, weak, intake done, waitlisted, declined and admitted applications; one with markup in its
    name and a planned intake; a cancelled enrolment whose seat is offered to the waiting list."""
    varied(edition, office, 0, 12)
    odd = apply(
        edition, "odd@example.org", first_name="<b>Ä & 'x'\"</b>", last_name="O'Neil", organisation="A&B <c>", job_title='"Chef"'
    )
    services.plan_intake(actor=office, application_id=odd.pk, scheduled_at=later(), mode="online", interviewer="Ria")
    admitted = Application.objects.filter(edition=edition, status="admitted").first()
    changes.cancel_enrolment(actor=office, enrolment_id=admitted.enrolment.pk, reason="ziek")
    assert Offer.objects.filter(status=OfferStatus.OPEN).exists()
    return edition


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("status", ["", "submitted", "intake_planned", "waitlisted", "offered", "admitted", "declined"])
def test_the_rows_are_what_the_template_loop_wrote(every_state, language, status):
    edition = inbox._edition(every_state.pk)
    with translation.override(language):
        context = inbox._inbox_context(edition, status)
        expected = ROWS_TEMPLATE.render(Context({"rows": former_rows(edition, status)}))
        assert inbox_rows.table_rows(context["rows"]) == expected
    assert len(context["rows"]) == len(former_rows(edition, status))


def test_every_state_is_written(every_state):
    with translation.override("en"):
        written = inbox_rows.table_rows(inbox._inbox_context(inbox._edition(every_state.pk), "")["rows"])
    for text in ("Intake ", "Number 1 on the list", "Offer open until", "Enrolment cancelled", "Not met:", "Meets the profile"):
        assert text in written, text
    assert "&lt;b&gt;Ä &amp; &#x27;x&#x27;&quot;&lt;/b&gt; O&#x27;Neil" in written and "A&amp;B &lt;c&gt;" in written


def test_the_counts_come_from_the_rows_read(every_state):
    edition = inbox._edition(every_state.pk)
    filters = inbox._inbox_context(edition, "waitlisted")["filters"]
    counted = {item["value"]: item["count"] for item in filters}
    for value in inbox.forms.FILTER_STATUSES:
        assert counted[value] == Application.objects.filter(edition=edition, status=value).count(), value
    assert counted[""] == Application.objects.filter(edition=edition).count()


@pytest.mark.parametrize("status", ["", "waitlisted"])
def test_the_inbox_takes_five_queries(office_client, every_state, status, django_assert_num_queries):
    # The session, the user, the stamp, the edition with its seats, the applications.
    with django_assert_num_queries(5):
        assert office_client.get(inbox_url(every_state, "nl", status)).status_code == 200
    with django_assert_num_queries(5):
        assert office_client.get(inbox_url(every_state, "nl", status), **HTMX).status_code == 200
