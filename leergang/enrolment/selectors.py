from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Enrolment, EnrolmentStatus, Offer, OfferStatus


def _count(model, **filters) -> Coalesce:
    rows = model.objects.filter(edition=OuterRef("pk"), **filters).order_by().values("edition")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), Value(0))


# Seats taken: enrolled participants plus seats held for an open offer (contract: an offered
# seat counts, so only the offered applicant can be admitted into it). Subqueries, so one query
# for any number of editions and no join that multiplies rows.
SEATS_TAKEN = _count(Enrolment, status=EnrolmentStatus.ENROLLED) + _count(Offer, status=OfferStatus.OPEN)


def with_seats_taken(editions: QuerySet) -> QuerySet:
    return editions.annotate(seats_taken=SEATS_TAKEN)


def seats_taken(edition_id: int) -> int:
    """The count a capacity decision rests on (one query; call it under the edition's row lock)."""
    from leergang.catalog.models import Edition

    return Edition.objects.filter(pk=edition_id).annotate(taken=SEATS_TAKEN).values_list("taken", flat=True).get()


def participants(edition) -> list:
    """An edition's enrolments with everything the participant list shows (3 queries)."""
    from .models import Enrolment as EnrolmentModel

    return list(
        EnrolmentModel.objects.filter(edition=edition)
        .select_related("participant", "application")
        .prefetch_related("invoices")
        .order_by("status", "participant__last_name", "participant__first_name", "pk")
    )
