"""The office overview's reads written as SQL (catalog.selectors: the count of a programme's
editions, whether an edition had a session since the cutoff) pick what the ORM expressions they
replaced picked, for the office and for anybody else (drafts left out)."""

import datetime

import pytest
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from leergang.catalog import selectors
from leergang.catalog.models import Edition, EditionStatus, Programme, Session
from tests import factories

pytestmark = pytest.mark.django_db


def _old_current(user, today):
    cutoff = today - datetime.timedelta(days=selectors.RECENTLY_COMPLETED_DAYS)
    recent_session = Exists(Session.objects.filter(edition=OuterRef("pk"), date__gte=cutoff))
    editions = Edition.objects.all() if user.is_coordinator else Edition.objects.exclude(status=EditionStatus.DRAFT)
    return editions.filter(~Q(status=EditionStatus.COMPLETED) | Q(start_date__gte=cutoff) | recent_session)


def test_current_editions_and_counts_agree_with_the_orm_expressions():
    today = timezone.localdate()
    cutoff = today - datetime.timedelta(days=selectors.RECENTLY_COMPLETED_DAYS)
    busy, quiet = factories.ProgrammeFactory(), factories.ProgrammeFactory()
    factories.ProgrammeFactory()  # no editions at all
    long_ago = cutoff - datetime.timedelta(days=400)
    for days, status in ((-30, "open"), (0, "draft"), (-500, "completed"), (-200, "completed"), (-100, "running")):
        edition = factories.EditionFactory(programme=busy, status=status, start_date=cutoff + datetime.timedelta(days=days))
        factories.SessionFactory(edition=edition, number=1, date=edition.start_date)
    ended_recently = factories.EditionFactory(programme=busy, status="completed", start_date=long_ago)
    factories.SessionFactory(edition=ended_recently, number=1, date=long_ago)
    factories.SessionFactory(edition=ended_recently, number=2, date=cutoff)  # on the cutoff: still current
    factories.EditionFactory(programme=quiet, status="completed", start_date=long_ago)  # no sessions, old
    factories.EditionFactory(programme=quiet, status="draft", start_date=long_ago)
    for user in (factories.CoordinatorFactory(), factories.UserFactory()):
        new = set(selectors.current_editions(user, today).values_list("pk", flat=True))
        assert new == set(_old_current(user, today).values_list("pk", flat=True))
        assert ended_recently.pk in new
        drafts = None if user.is_coordinator else ~Q(editions__status=EditionStatus.DRAFT)
        old_counts = dict(Programme.objects.annotate(n=Count("editions", filter=drafts)).values_list("pk", "n"))
        found = selectors.programmes_with_current_editions(user, today)
        assert {p.pk: p.edition_count for p in found} == {pk: n for pk, n in old_counts.items() if pk in {p.pk for p in found}}
        for programme in found:
            old = _old_current(user, today).filter(programme=programme).order_by("start_date", "id")
            assert [e.pk for e in programme.current_editions] == [e.pk for e in old]
            assert all(e.programme is programme for e in programme.current_editions)
