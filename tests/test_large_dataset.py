"""The benchmark's generated history (leergang/demo/large.py) is data the app could have written:
every series gapless, no edition over capacity, every place with its invoice, awards only where the
edition was completed, and the pages that list it answer."""

import datetime

import pytest
from django.db.models import Count

from leergang.awards.models import Award
from leergang.catalog.models import Edition, EditionStatus
from leergang.demo.large import EMAIL_DOMAIN, generate
from leergang.enrolment.models import Enrolment
from leergang.invoicing.models import Invoice, InvoiceCounter

pytestmark = pytest.mark.django_db


def test_generated_history_keeps_the_invariants(demo):
    today = datetime.date(2026, 6, 15)
    counts = generate(editions=40, per_edition=3, years=2, today=today)

    assert counts.editions == 40 and counts.participants == 120 and counts.enrolments == 120
    assert set(counts.by_status) == {EditionStatus.COMPLETED, EditionStatus.RUNNING, EditionStatus.OPEN}
    generated = Edition.objects.filter(enrolments__participant__email__endswith=EMAIL_DOMAIN).distinct()
    over = generated.annotate(n=Count("enrolments")).values_list("capacity", "n")
    assert all(n <= capacity for capacity, n in over)
    for year in Invoice.objects.values_list("year", flat=True).distinct():
        sequences = sorted(Invoice.objects.filter(year=year).values_list("sequence", flat=True))
        assert sequences == list(range(1, len(sequences) + 1)), year
        assert InvoiceCounter.objects.get(year=year).last_number == len(sequences)
    places = Enrolment.objects.filter(participant__email__endswith=EMAIL_DOMAIN)
    assert places.filter(invoices__isnull=True).count() == 0
    awarded_editions = set(Award.objects.filter(enrolment__in=places).values_list("enrolment__edition__status", flat=True))
    assert awarded_editions == {EditionStatus.COMPLETED}
    assert Award.objects.filter(enrolment__in=places).count() == counts.awards > 0
    for award in Award.objects.filter(enrolment__in=places)[:3]:
        assert award.snapshot["holder_name"] == award.enrolment.participant.get_full_name()


def test_generating_twice_adds_a_second_history(demo):
    first = generate(editions=4, per_edition=3, years=1)
    second = generate(editions=4, per_edition=3, years=1)
    assert first.participants == second.participants == 12
    assert Enrolment.objects.filter(participant__email__endswith=EMAIL_DOMAIN).count() == 24
