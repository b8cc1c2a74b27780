"""The register's lines written in Python (attendance/register_markup.py) are the markup the former
template attendance/register_row.html wrote, kept here as the reference: every status, with and
without an organisation, a note, an error, recording open or not, in Dutch and English, and text
that needs escaping."""

import itertools

import pytest
from django.template import Context, engines
from django.utils import translation
from django.utils.html import format_html

from leergang.accounts.models import User
from leergang.attendance import register_markup
from leergang.attendance.models import Attendance
from leergang.attendance.selectors import RegisterRow
from leergang.catalog.models import Session
from leergang.enrolment.models import Enrolment

FORMER_ROW = """{% load i18n %}{% with pk=line.enrolment.pk status=line.status %}<li id="row-{{ pk }}" class="register-row" data-status="{{ status|default:'unrecorded' }}">
  <div class="register-who">
    <p class="register-name" id="name-{{ pk }}">{{ line.name }}</p>
    {% if line.enrolment.organisation %}<p class="register-org">{{ line.enrolment.organisation }}</p>{% endif %}
    <p class="register-state">{% if status == "present" %}{% translate "Present" %}{% elif status == "absent" %}{% translate "Absent" %}{% elif status == "excused" %}{% translate "Excused" %}{% if line.attendance.note %}: {{ line.attendance.note }}{% endif %}{% else %}{% translate "Not yet recorded" %}{% endif %}</p>
    {% if line.error %}<p class="field-error" role="alert">{{ line.error }}</p>{% endif %}
  </div>
  <form method="post" action="{% url 'attendance:record' session_id=session.pk enrolment_id=pk %}" hx-post="{% url 'attendance:record' session_id=session.pk enrolment_id=pk %}" hx-target="#row-{{ pk }}" hx-swap="outerHTML" hx-sync="#register-list:queue all" class="register-form">
    {% csrf_token %}
    <div class="register-buttons" role="group" aria-labelledby="name-{{ pk }}">
      <button type="submit" name="status" value="present" id="present-{{ pk }}" class="register-button register-present" aria-pressed="{% if status == 'present' %}true{% else %}false{% endif %}"{% if not open %} disabled aria-describedby="register-not-yet"{% endif %}>{% translate "Present" %}<span class="visually-hidden">: {{ line.name }}</span></button>
      <button type="submit" name="status" value="absent" id="absent-{{ pk }}" class="register-button register-absent" aria-pressed="{% if status == 'absent' %}true{% else %}false{% endif %}"{% if not open %} disabled aria-describedby="register-not-yet"{% endif %}>{% translate "Absent" %}<span class="visually-hidden">: {{ line.name }}</span></button>
      <button type="submit" name="status" value="excused" id="excused-{{ pk }}" class="register-button register-excused" aria-pressed="{% if status == 'excused' %}true{% else %}false{% endif %}">{% translate "Excused" %}<span class="visually-hidden">: {{ line.name }}</span></button>
    </div>
  </form>
</li>{% endwith %}
"""
TOKEN = "tok<&>en"


def _lines():
    people = [
        User(first_name="Anne", last_name="de <Jong> & Co", email="a@example.org"),
        User(first_name="", last_name="", email="o'brien@example.org"),
    ]
    statuses = [None, "present", "absent", "excused"]
    lines = []
    for n, (person, status, organisation, note, error) in enumerate(
        itertools.product(people, statuses, ["", 'Zorg & "Welzijn"'], ["", "ziek <b>"], ["", "Kies <iets>"]), start=1
    ):
        enrolment = Enrolment(pk=n, organisation=organisation)
        enrolment.participant = person
        attendance = None if status is None else Attendance(status=status, note=note)
        lines.append(RegisterRow(enrolment, attendance, error))
    return lines


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("recording_open", [True, False])
def test_the_lines_are_the_former_templates(language, recording_open):
    engine = engines["django"].engine
    row = engine.from_string(FORMER_ROW)
    session = Session(pk=42)
    lines = _lines()
    with translation.override(language):
        csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', TOKEN)
        for line in lines:
            former = row.render(Context({"line": line, "session": session, "open": recording_open, "csrf_token": TOKEN}))
            assert register_markup.line_html(line, session.pk, recording_open, csrf) == former
        former_all = "".join(
            row.render(Context({"line": line, "session": session, "open": recording_open, "csrf_token": TOKEN})) for line in lines
        )
        assert register_markup.lines_html(lines, session.pk, recording_open, csrf) == former_all
