"""The programme office's list of programmes on the overview is written in Python for speed
(performance bar P2, leergang.accounts.office_list): it must stay exactly what the template's loop
wrote, from the reads the template was given before (the catalogue's programmes with their current
editions, the new applications counted by the ORM, the places out of reach as the awards list them),
in both languages, for every state a programme and an edition can be in."""

import pytest
from django.db.models import Count
from django.template import Context, Template
from django.utils import translation

from leergang.accounts import office_list, office_overview
from leergang.awards import selectors as award_selectors
from leergang.catalog import selectors as catalog_selectors
from leergang.enrolment.models import Application
from tests import factories
from tests.awards.standing_data import attend, day, edition_with_sessions, finished_edition, participant_in, running_edition
from tests.inbox.conftest import apply

pytestmark = pytest.mark.django_db

# The loop of accounts/dashboard.html over the programmes as it was before office_list, with the
# edition items as the template wrote them before they moved to Python (the whitespace between two
# items is what the page has had since then).
FORMER_LOOP = Template(
    "{% load i18n leergang %}"
    """{% for programme in programmes %}
          <li><a href="{% url 'catalog:programme' slug=programme.slug %}">{{ programme.title }}</a>{% if not programme.published %} <span class="muted">({% translate "not published" %})</span>{% endif %}
            {% with editions=programme.current_editions %}{% if editions and can_manage_editions %}
            <ul class="edition-list">
              {% for edition in editions %}{% blocktranslate with date=edition.start_date|long_date asvar edition_name trimmed %}Edition starting {{ date }}{% endblocktranslate %}{% if not forloop.first %}
              {% endif %}<li><span>{{ edition_name }} <span class="muted">({{ edition.get_status_display|lower }})</span></span>
                  <a href="{% url 'learning_sessions:edition' edition_id=edition.pk %}">{% translate "Sessions and learning" %}<span class="visually-hidden"> ({{ edition_name }})</span></a>
                  <a href="{% url 'schedule:page' edition_id=edition.pk %}">{% translate "Schedule" %}<span class="visually-hidden"> ({{ edition_name }})</span></a>
                  <a href="{% url 'inbox:edition' edition_id=edition.pk %}">{% blocktranslate count counter=edition.new_applications trimmed %}Applications ({{ counter }} new){% plural %}Applications ({{ counter }} new){% endblocktranslate %}<span class="visually-hidden"> ({{ edition_name }})</span></a>
                  <a href="{% url 'awards:edition' edition_id=edition.pk %}">{% translate "Diplomas" %}{% if edition.out_of_reach %} <span class="award-warning">({% blocktranslate count counter=edition.out_of_reach trimmed %}{{ counter }} out of reach{% plural %}{{ counter }} out of reach{% endblocktranslate %})</span>{% endif %}<span class="visually-hidden"> ({{ edition_name }})</span></a>
                  <a href="{% url 'money:edition' edition_id=edition.pk %}">{% translate "Money" %}<span class="visually-hidden"> ({{ edition_name }})</span></a></li>{% endfor %}
            </ul>
            {% endif %}{% if can_manage_editions and programme.edition_count > editions|length %}
            <p class="edition-archive-link"><a href="{% url 'catalog:editions' %}?programma={{ programme.slug|urlencode }}">{% blocktranslate with count=programme.edition_count trimmed %}All editions ({{ count }}){% endblocktranslate %}<span class="visually-hidden"> – {{ programme.title }}</span></a></p>
            {% endif %}{% endwith %}</li>
        {% empty %}
          <li>{% translate "There are no programmes yet." %}</li>
        {% endfor %}"""
)


def former_list(user, *, can_manage_editions: bool = True) -> str:
    """The list as the template wrote it from the former reads."""
    programmes = catalog_selectors.programmes_with_current_editions(user)
    editions = [edition for programme in programmes for edition in programme.current_editions]
    submitted = Application.objects.filter(status="submitted", edition__in=editions).values("edition")
    new = dict(submitted.annotate(n=Count("pk")).values_list("edition", "n"))
    running = [edition for edition in editions if edition.status in ("open", "running")]
    reach = {pk: len(places) for pk, places in award_selectors.out_of_reach_by_edition(running).items()}
    for edition in editions:
        edition.new_applications, edition.out_of_reach = new.get(edition.pk, 0), reach.get(edition.pk, 0)
    return FORMER_LOOP.render(Context({"programmes": programmes, "can_manage_editions": can_manage_editions}))


@pytest.fixture
def office():
    return factories.CoordinatorFactory()


@pytest.fixture
def every_state():
    """A programme with an edition in every status: one running with two places out of reach (and one
    that is not) and two new applications, one open with one new application (and one already
    handled) and one place out of reach, a draft, and one completed last month; besides those one
    completed long ago, for the archive link. An unpublished programme with markup in its titles and
    a running edition without anything to report; a programme without editions; one whose only
    edition is in the archive."""
    busy = running_edition(held=3, title_nl='Sturen <b>"A&B"</b>', title_en="Steering 'A' & <i>B</i>")
    programme = busy.programme
    for number, statuses in enumerate((["absent", "absent", "present"], ["excused", "absent", "absent"], ["present"] * 3)):
        attend(participant_in(busy, f"busy{number}@example.org"), statuses)
    open_one = edition_with_sessions(first=-7, programme=programme, status="open")
    attend(participant_in(open_one, "gone@example.org"), ["absent", "excused"])  # excused ahead
    moved = [apply(open_one, "new1@example.org").pk, apply(open_one, "new2@example.org").pk]
    Application.objects.filter(pk__in=moved).update(edition=busy)  # only open editions take applications
    apply(open_one, "new3@example.org")
    handled = apply(open_one, "handled@example.org")
    Application.objects.filter(pk=handled.pk).update(status="waitlisted")
    edition_with_sessions(first=200, programme=programme, status="draft")
    finished_edition(programme=programme, status="completed", content=1)  # its last session a week ago
    factories.EditionFactory(programme=programme, status="completed", start_date=day(-900))
    hidden = factories.ProgrammeFactory(published=False, slug="verborgen", title_nl="<script>x</script>", title_en="O'Neil & co")
    running_edition(held=1, programme=hidden)
    factories.ProgrammeFactory(slug="leeg")
    archived = factories.ProgrammeFactory(slug="oud")
    factories.EditionFactory(programme=archived, status="completed", start_date=day(-2000))
    return programme


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_list_is_what_the_template_loop_wrote(office, every_state, language):
    with translation.override(language):
        expected = former_list(office)
        assert office_overview.programme_list(office) == expected
    # Every state is in there.
    out_of_reach = "out of reach" if language == "en" else "niet meer haalbaar"
    assert expected.count('class="award-warning"') == 2
    assert f"(2 {out_of_reach})" in expected and f"(1 {out_of_reach})" in expected
    assert expected.count("<li><span>") == 5 and expected.count('class="edition-archive-link"') == 2
    assert "Applications (2 new)" in expected or "Aanmeldingen (2 nieuw)" in expected
    assert "&lt;script&gt;x&lt;/script&gt;" in expected or "O&#x27;Neil &amp; co" in expected


@pytest.mark.parametrize("language", ["nl", "en"])
def test_without_editions_to_manage_only_the_programmes_are_listed(office, every_state, language):
    with translation.override(language):
        programmes = office_overview.programmes(office)
        written = office_list.programme_items(programmes, can_manage_editions=False)
        assert written == former_list(office, can_manage_editions=False)
    assert "edition-list" not in written and written.count("<li>") == 4


@pytest.mark.parametrize("language", ["nl", "en"])
def test_without_programmes_the_list_says_so(office, language):
    with translation.override(language):
        assert office_overview.programme_list(office) == former_list(office)


def test_the_counts_are_in_the_pages_language(office, every_state):
    # The plural counts had once dropped out of the catalogue (passed to ngettext through a helper,
    # so makemessages missed them) and the Dutch page counted in English.
    with translation.override("nl"):
        dutch = office_overview.programme_list(office)
    with translation.override("en"):
        english = office_overview.programme_list(office)
    assert "Aanmeldingen (2 nieuw)" in dutch and "(2 niet meer haalbaar)" in dutch and "(niet gepubliceerd)" in dutch
    assert "out of reach" not in dutch and "not published" not in dutch
    assert "Applications (2 new)" in english and "(2 out of reach)" in english and "(not published)" in english
