"""The programme page's timeline written in Python (catalog.timeline) prints exactly what the
template loop it replaced printed, escaping included; the page reads its programme, goals, lead
teachers, editions and sessions in plain queries (no more than before)."""

import datetime

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from leergang.catalog import selectors, timeline
from leergang.catalog.models import ProgrammeTeacher, SessionPart
from leergang.catalog.models import Session as SessionModel
from tests import factories

pytestmark = pytest.mark.django_db

# The template's loop as it was (leergang/templates/catalog/programme.html), the reference.
TEMPLATE_LOOP = """{% load i18n leergang %}{% translate "Closing session" as closing_label %}
        {% for session in sessions %}{% with theme=session.theme|theme_parts %}
          <li class="timeline-item{% if session.kind == 'closing' %} timeline-closing{% endif %}{% if session.date < today %} timeline-past{% endif %}">
            <p class="timeline-when">
              <time datetime="{{ session.date|date:'Y-m-d' }}">{{ session.date|weekday_date }}</time>
              <span class="timeline-time">{% time_range session.start_time session.end_time %}</span>
            </p>
            <div class="timeline-what">
              <p class="timeline-kind">{% blocktranslate with number=session.number trimmed %}Session {{ number }}{% endblocktranslate %}{% if session.kind == "closing" and theme.0|lower != closing_label|lower %} · {{ closing_label }}{% endif %}{% if session.delivery_mode != "on_site" %} <span class="tag">{{ session.get_delivery_mode_display }}</span>{% endif %}</p>
              <h3 class="timeline-theme">{{ theme.0 }}</h3>
              {% if theme.1 %}<p>{{ theme.1 }}</p>{% endif %}
              {% with parts=session.parts.all %}{% if parts %}
                <ul class="parts">{% for part in parts %}<li>{{ part.title }}{% if part.teacher %} <span class="subtle">– {{ part.teacher.name }}</span>{% endif %}</li>{% endfor %}</ul>
              {% endif %}{% endwith %}
            </div>
          </li>
        {% endwith %}{% endfor %}"""  # noqa: E501


@pytest.fixture
def edition():
    today = timezone.localdate()
    edition = factories.EditionFactory(start_date=today - datetime.timedelta(days=40))
    teacher = factories.TeacherFactory(name="Dr. <b>Ruud</b> & Co")

    def session(number, days, **fields):
        return factories.SessionFactory(edition=edition, number=number, date=today + datetime.timedelta(days=days), **fields)

    session(1, -40, theme_nl="Sturen: wat <is> het & waarom", theme_en="Steering: what it is")
    session(2, -10, theme_nl="Zonder uitleg", theme_en="", delivery_mode="online")
    middle = session(3, 0, theme_nl="", theme_en="", delivery_mode="hybrid")
    SessionPart.objects.create(session=middle, order=2, title_nl="Tweede <deel>", teacher=teacher)
    SessionPart.objects.create(session=middle, order=1, title_nl="Eerste deel", title_en="First part")
    session(4, 30, theme_nl="Een titel die veel te lang is om als titel te gelden, want hij gaat maar door: en door", theme_en="")
    session(5, 60, kind="closing", theme_nl="Slotbijeenkomst: presentaties", theme_en="Closing session: presentations")
    session(6, 90, kind="closing", theme_nl="Afsluiting 'samen'", theme_en='Wrap-up "together"')
    return edition


def test_the_timeline_prints_what_the_template_printed(edition):
    today = timezone.localdate()
    reference = Template(TEMPLATE_LOOP)
    for language in ("nl", "en"):
        with translation.override(language):
            sessions = list(SessionModel.objects.filter(edition=edition).order_by("number").prefetch_related("parts__teacher"))
            expected = reference.render(Context({"sessions": sessions, "today": today}))
            written = "\n        " + timeline.timeline(selectors.sessions_for_page(edition), today)
            assert written == expected
            assert "&lt;b&gt;Ruud&lt;/b&gt; &amp; Co" in written and "timeline-past" in written


def test_the_page_reads_in_plain_queries(client, edition):
    ProgrammeTeacher.objects.create(programme=edition.programme, teacher=factories.TeacherFactory(), order=1)
    factories.LearningGoalFactory(programme=edition.programme)
    factories.EditionFactory(programme=edition.programme, status="draft")
    client.force_login(factories.CoordinatorFactory())
    url = f"/nl/opleidingen/{edition.programme.slug}/?editie={edition.pk}"
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    # session and user, programme, goals, lead teachers, editions, sessions, parts
    assert len(captured) == 8
    assert b"Tweede &lt;deel&gt;" in response.content
