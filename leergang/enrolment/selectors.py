from django.db.models import F, Func, IntegerField, QuerySet

from .models import Enrolment, EnrolmentStatus, Offer, OfferStatus


def _counted(model, status: str) -> str:
    # Table, column and status are our own constants (no user input); a literal status, not a
    # parameter, so that SQLite can count from the partial index of enrolled places.
    table, column = model._meta.db_table, model._meta.get_field("edition").column
    return f'(SELECT COUNT(*) FROM "{table}" WHERE "{column}" = %(expressions)s AND "status" = \'{status}\')'  # noqa: S608


class SeatsTaken(Func):
    """Seats taken: enrolled participants plus seats held for an open offer (contract: an offered
    seat counts, so only the offered applicant can be admitted into it). Two correlated counts, so
    one query for any number of editions and no join that multiplies rows.

    Written as SQL rather than as Subquery(...): building and compiling the two ORM subqueries cost
    some 1.4 ms for every list of editions, several times the counting itself. The edition's id is a
    resolved column (F("pk")), so the alias follows the query (also inside a subquery). Means the
    same on SQLite and PostgreSQL; a COUNT without GROUP BY is 0, never NULL."""

    template = f"({_counted(Enrolment, EnrolmentStatus.ENROLLED)} + {_counted(Offer, OfferStatus.OPEN)})"
    output_field = IntegerField()

    def __init__(self, edition: str = "pk"):
        """`edition`: the column holding the edition's id (its pk on an edition, `edition_id` elsewhere)."""
        super().__init__(F(edition))


SEATS_TAKEN = SeatsTaken()


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
