"""The presentations table's rows written in Python (views_presentations.slots_html) are the markup
the former loop in learning/presentation_list.html wrote, kept here as the reference: each state of
`presented`, with and without reordering and recording, one slot and several, Dutch and English,
names that need escaping."""

import pytest
from django.template import Context, engines
from django.utils import translation
from django.utils.html import format_html

from leergang.accounts.models import User
from leergang.enrolment.models import Enrolment
from leergang.learning.models import PresentationSlot
from leergang.learning.views_presentations import slots_html

FORMER_LOOP = """{% load i18n %}      {% for slot in slots %}{% with participant=slot.enrolment.participant %}{% with name=participant.get_full_name|default:participant.email %}
      <tr id="slot-{{ slot.enrolment_id }}" data-presented="{% if slot.presented is None %}unknown{% elif slot.presented %}yes{% else %}no{% endif %}">
        <td class="slot-position">{{ slot.position }}</td>
        <th scope="row">{{ name }}</th>
        <td><span class="stack-label" aria-hidden="true">{% translate "Presented" %}</span>{% if slot.presented is None %}<span class="subtle">{% translate "Not recorded" %}</span>{% elif slot.presented %}<span class="presented-yes">{% translate "Presented" %}</span>{% else %}<span class="presented-no">{% translate "Did not present" %}</span>{% endif %}</td>
        {% if can_reorder %}<td>
          <form method="post" action="{% url 'presentations:move' edition_id=edition.pk %}" hx-post="{% url 'presentations:move' edition_id=edition.pk %}" hx-target="#presentation-list" hx-swap="outerHTML" class="slot-actions">
            {% csrf_token %}<input type="hidden" name="enrolment" value="{{ slot.enrolment_id }}">
            {% if not forloop.first %}<button type="submit" name="direction" value="up" id="move-up-{{ slot.enrolment_id }}" class="button button-secondary slot-button"><span aria-hidden="true">↑ </span>{% translate "Up" %}<span class="visually-hidden">: {{ name }}</span></button>{% endif %}
            {% if not forloop.last %}<button type="submit" name="direction" value="down" id="move-down-{{ slot.enrolment_id }}" class="button button-secondary slot-button"><span aria-hidden="true">↓ </span>{% translate "Down" %}<span class="visually-hidden">: {{ name }}</span></button>{% endif %}
          </form>
        </td>{% endif %}
        {% if recording_open %}<td>
          <form method="post" action="{% url 'presentations:record' edition_id=edition.pk %}" hx-post="{% url 'presentations:record' edition_id=edition.pk %}" hx-target="#presentation-list" hx-swap="outerHTML" class="slot-actions">
            {% csrf_token %}<input type="hidden" name="enrolment" value="{{ slot.enrolment_id }}">
            <button type="submit" name="presented" value="yes" id="presented-yes-{{ slot.enrolment_id }}" class="button button-secondary slot-button">{% translate "Presented" %}<span class="visually-hidden">: {{ name }}</span></button>
            <button type="submit" name="presented" value="no" id="presented-no-{{ slot.enrolment_id }}" class="button button-secondary slot-button">{% translate "Did not present" %}<span class="visually-hidden">: {{ name }}</span></button>
          </form>
        </td>{% endif %}
      </tr>
      {% endwith %}{% endwith %}{% endfor %}"""
TOKEN = "tok<&>en"


class _Edition:
    pk = 7


def _slots(count):
    people = [
        User(first_name="Anne", last_name="de <Jong> & Co", email="a@example.org"),
        User(first_name="", last_name="", email="o'brien@example.org"),
        User(first_name="Bram", last_name="", email="b@example.org"),
    ]
    slots = []
    for n in range(count):
        enrolment = Enrolment(pk=100 + n)
        enrolment.participant = people[n % len(people)]
        slot = PresentationSlot(enrolment=enrolment, position=n + 1, presented=[None, True, False][n % 3])
        slots.append(slot)
    return slots


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("can_reorder", [True, False])
@pytest.mark.parametrize("recording_open", [True, False])
@pytest.mark.parametrize("count", [0, 1, 2, 7])
def test_the_rows_are_the_former_templates(language, can_reorder, recording_open, count):
    former = engines["django"].engine.from_string(FORMER_LOOP)
    slots = _slots(count)
    with translation.override(language):
        expected = former.render(
            Context(
                {
                    "slots": slots,
                    "edition": _Edition(),
                    "can_reorder": can_reorder,
                    "recording_open": recording_open,
                    "csrf_token": TOKEN,
                }
            )
        )
        csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', TOKEN)
        assert "      " + slots_html(slots, _Edition.pk, can_reorder, recording_open, csrf) == expected
