"""The home page's programme cards are written in Python (catalog.views._programme_cards) rather than
by a template loop, whose tags, filters and {% url %} were most of the page's time, and its
programmes are read with hand-written SQL (catalog.selectors.home_programmes) instead of the ORM's
subqueries. The former template and query are kept below as the reference: the programmes must be
the same, the page the same byte for byte, in both languages, with texts that need escaping, with
and without organiser, tagline and an open edition."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db.models import OuterRef, Subquery
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

from leergang.catalog import selectors, views
from leergang.catalog.models import Edition, EditionStatus
from tests import factories

pytestmark = pytest.mark.django_db

# The card list of leergang/templates/catalog/home.html as it was.
REFERENCE_LIST = """{% load i18n leergang %}<ul class="card-list">
        {% for programme in programmes %}
          <li class="card">
            <div class="card-body">
              {% if programme.organiser %}<p class="eyebrow">{{ programme.organiser }}</p>{% endif %}
              <h3><a href="{% url 'catalog:programme' slug=programme.slug %}">{{ programme.title }}</a></h3>
              {% if programme.tagline %}<p>{{ programme.tagline }}</p>{% endif %}
            </div>
            <dl class="card-facts">
              {% if programme.next_start %}
                <div><dt>{% translate "Next start" %}</dt><dd>{{ programme.next_start|long_date }}</dd></div>
                <div><dt>{% translate "Fee" %}</dt><dd>{{ programme.next_fee|money }}</dd></div>
              {% else %}
                <div><dt>{% translate "Next start" %}</dt><dd>{% translate "New dates follow soon" %}</dd></div>
              {% endif %}
            </dl>
          </li>
        {% endfor %}
      </ul>"""


@pytest.fixture
def programmes():
    awkward = factories.ProgrammeFactory(
        title_nl='Sturen & leiden <met> "vertrouwen"',
        title_en="Steering & 'trust'",
        organiser="School of <Governance> & Co",
        tagline_nl="Klein & fijn <b>",
        tagline_en="",
    )
    factories.EditionFactory(
        programme=awkward, status=EditionStatus.OPEN, start_date=datetime.date(2027, 1, 4), fee=Decimal("12995.50")
    )
    factories.EditionFactory(
        programme=awkward, status=EditionStatus.OPEN, start_date=datetime.date(2027, 3, 1), fee=Decimal("1.00")
    )
    plain = factories.ProgrammeFactory(title_nl="Leiderschap", title_en="Leadership", organiser="", tagline_nl="", tagline_en="")
    factories.EditionFactory(programme=plain, status=EditionStatus.RUNNING, start_date=datetime.date(2027, 2, 1))
    free = factories.ProgrammeFactory(title_nl="Gratis", title_en="Free", organiser="VU")
    factories.EditionFactory(programme=free, status=EditionStatus.OPEN, start_date=datetime.date(2027, 5, 1), fee=Decimal("0"))
    factories.ProgrammeFactory(title_nl="Verborgen", published=False)


def _list(html):
    return re.search(r'<ul class="card-list">.*?</ul>', html, re.S).group(0)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_cards_are_what_the_template_wrote(programmes, language, coordinator_or_none):
    with translation.override(language):
        request = RequestFactory().get(f"/{language}/")
        request.user = coordinator_or_none
        page = views.home.__wrapped__(request).content.decode()
        # The programmes the view read, as the reference template was given them.
        reference = engines["django"].from_string(REFERENCE_LIST).render({"programmes": _programmes()})
    assert _list(page) == reference
    assert reference.count('<li class="card">') == 3


def _programmes():
    """The home page's programmes as the view read them with the ORM (the reference)."""
    next_open = Edition.objects.filter(programme=OuterRef("pk"), status=EditionStatus.OPEN).order_by("start_date", "id")
    return list(
        selectors.published_programmes().annotate(
            next_start=Subquery(next_open.values("start_date")[:1]),
            next_fee=Subquery(next_open.values("fee")[:1]),
        )
    )


@pytest.fixture
def coordinator_or_none():
    return factories.CoordinatorFactory()


def _card(programme):
    fields = ("slug", "title_nl", "title_en", "tagline_nl", "tagline_en", "organiser", "next_start", "next_fee")
    return (type(programme), programme.pk, *(getattr(programme, name) for name in fields))


def test_the_same_programmes_as_the_orm_read(programmes):
    new = selectors.home_programmes()
    assert [_card(p) for p in new] == [_card(p) for p in _programmes()]
    assert [(p.next_start, p.next_fee) for p in new] == [
        (datetime.date(2027, 5, 1), Decimal("0.00")),
        (None, None),
        (datetime.date(2027, 1, 4), Decimal("12995.50")),
    ]
