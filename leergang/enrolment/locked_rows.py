"""The rows a change of plan locks, read as SQL (core.sql_rows): editions with their programme, the
place with its holder, the place's standing invoice; and the applicant a freed seat is offered to.
Each is what the ORM's select_for_update with
select_related loads (tests/enrolment/test_locked_rows.py compares them field by field); building
and compiling those three wide queries was a tenth of a transfer's time.

Lock order as in changes.py: the edition(s), by id, then the place, then its invoice.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from leergang.catalog.models import Edition, Programme
from leergang.core.sql_rows import fetch_all, lock_clause, read_joined, table
from leergang.invoicing.models import Invoice, InvoiceKind, InvoiceStatus

from .models import Application, ApplicationStatus, Enrolment
from .selectors import SeatsTaken


def editions(*, place_id: int, also: int | None = None) -> dict[int, Edition]:
    """The place's edition (and the edition `also`), each with its programme, locked in id order; an
    unknown place or edition is simply missing."""
    where = f'd."id" IN (SELECT "edition_id" FROM {table(Enrolment)} WHERE "id" = %s)'  # noqa: S608 - names from the models
    params: list[int] = [place_id]
    if also is not None:
        where, params = f'({where} OR d."id" = %s)', [place_id, also]
    rows = read_joined(
        f'FROM {table(Edition)} d JOIN {table(Programme)} p ON p."id" = d."programme_id" WHERE {where} ORDER BY d."id"'
        + lock_clause("d"),
        params,
        ((Edition, "d"), (Programme, "p")),
    )
    found = {}
    for edition, programme in rows:
        edition.programme = programme
        found[edition.pk] = edition
    return found


def place(place_id: int) -> Enrolment | None:
    """The place with its holder, locked (after its edition)."""
    user = get_user_model()
    rows = read_joined(
        f'FROM {table(Enrolment)} e JOIN {table(user)} u ON u."id" = e."participant_id" WHERE e."id" = %s' + lock_clause("e"),
        [place_id],
        ((Enrolment, "e"), (user, "u")),
    )
    if not rows:
        return None
    enrolment, holder = rows[0]
    enrolment.participant = holder
    return enrolment


def standing_invoice(place_id: int) -> Invoice | None:
    """The place's invoice that still counts, locked (after the place); at most one (a unique constraint)."""
    rows = read_joined(
        f'FROM {table(Invoice)} i WHERE i."enrolment_id" = %s AND i."kind" = %s AND i."status" <> %s' + lock_clause("i"),
        [place_id, InvoiceKind.INVOICE, InvoiceStatus.CREDITED],
        ((Invoice, "i"),),
    )
    return rows[0][0] if rows else None


def first_waitlisted(edition_id: int) -> tuple[Application, int] | None:
    """The applicant waitlisted earliest for the edition, locked, with the seats taken in it (call
    under the edition's lock, which every change of the seats takes first); None without one."""
    seats = SeatsTaken.template % {"expressions": 'a."edition_id"'}
    rows = read_joined(
        f'FROM {table(Application)} a WHERE a."edition_id" = %s AND a."status" = %s '
        'ORDER BY a."waitlisted_at", a."id" LIMIT 1' + lock_clause("a"),
        [edition_id, ApplicationStatus.WAITLISTED],
        ((Application, "a"),),
        extra=seats,
    )
    return (rows[0][0], rows[0][1]) if rows else None


def shown_place(place_id: int) -> Enrolment | None:
    """The place with its holder, edition and programme, not locked: what the action pages (cancel,
    substitute, transfer) show before anything changes; the ORM's select_related of the four wide
    rows took longer to build than to run."""
    user = get_user_model()
    rows = read_joined(
        f'FROM {table(Enrolment)} e JOIN {table(user)} u ON u."id" = e."participant_id" '
        f'JOIN {table(Edition)} d ON d."id" = e."edition_id" JOIN {table(Programme)} p ON p."id" = d."programme_id" '
        'WHERE e."id" = %s',
        [place_id],
        ((Enrolment, "e"), (user, "u"), (Edition, "d"), (Programme, "p")),
    )
    if not rows:
        return None
    enrolment, holder, edition, programme = rows[0]
    edition.programme = programme
    enrolment.participant, enrolment.edition = holder, edition
    return enrolment


def standing_invoice_number(place_id: int) -> str | None:
    """The number of the place's standing invoice (the action pages name it), not locked."""
    rows = fetch_all(
        f'SELECT "number" FROM {table(Invoice)} WHERE "enrolment_id" = %s AND "kind" = %s AND "status" <> %s',  # noqa: S608 - names from the model
        [place_id, InvoiceKind.INVOICE, InvoiceStatus.CREDITED],
    )
    return rows[0][0] if rows else None
