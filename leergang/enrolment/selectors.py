from django.db.models import Count, Q, QuerySet

from .models import EnrolmentStatus

# Counted in one query alongside the editions themselves (no query per edition).
SEATS_TAKEN = Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED), distinct=True)


def with_seats_taken(editions: QuerySet) -> QuerySet:
    return editions.annotate(seats_taken=SEATS_TAKEN)
