"""R2: the permission matrix. Every page and API operation (inventory.py) x anonymous, participant
(own object / another participant's), teacher (own edition / another edition), coordinator.

Each cell is asserted exactly. A request that changes something is sent with a body that is valid
for a role that may send it; for every role that is refused, nothing in the database changed (every
row of every table of the app, the audit log and the outbox included). Each role's request runs in a
savepoint that is rolled back, so every role meets the same data.

The world (demo content plus what world.py adds) is built once for this module, inside a transaction
that is rolled back at the end; each test runs in a savepoint of it.
"""

from __future__ import annotations

import hashlib

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from leergang.core.models import AuditEntry
from leergang.notifications.models import OutboxEmail
from tests.performance.measure import logged_in_clients

from . import inventory
from .inventory import ADMIN, OK, Entry
from .sending import outcome, send
from .world import (
    PARTICIPANT_OTHER,
    PARTICIPANT_OWN,
    ROLES,
    TEACHER_OTHER,
    World,
    world_in_rollback,
)

IGNORED_FIELDS = {"last_login"}  # logging the matrix's clients in stamps it; nothing else may change


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), world_in_rollback() as built:
        yield built


@pytest.fixture
def clients(world, db):
    cache.clear()
    yield logged_in_clients(world)
    cache.clear()


def snapshot() -> dict[str, str]:
    """A digest of every row of every table of the app (and Django's auth tables)."""
    digests = {}
    for model in apps.get_models(include_auto_created=True):
        config = apps.get_app_config(model._meta.app_label)
        if not (config.name.startswith("leergang") or config.label == "auth"):
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in IGNORED_FIELDS]
        rows = model._default_manager.order_by("pk").values_list(*fields)
        digests[model._meta.label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return digests


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(label for label in before if before[label] != after.get(label))


def describe(entry: Entry, world: World, role: str, response, expected) -> str:
    got = outcome(entry, response)
    body = response.content[:200].decode(errors="replace") if response.status_code >= 400 else ""
    where = response.headers.get("Location", "")
    pending = f" [pending: {entry.pending}]" if entry.pending else ""
    return (
        f"{entry.method.upper()} {entry.url(world)} as {role}: expected {expected}, got {got} "
        f"(status {response.status_code}{' -> ' + where if where else ''}){pending} {body!r}"
    )


# ---------------------------------------------------------------------------------------------


def test_every_url_and_api_operation_has_an_inventory_entry():
    missing, stale = inventory.uncovered()
    message = []
    if missing:
        message.append("URLs / API operations without an entry in tests/security/inventory.py:\n  " + "\n  ".join(missing))
    if stale:
        message.append("Inventory entries the app no longer serves:\n  " + "\n  ".join(stale))
    assert not message, "\n".join(message)


def test_every_entry_names_every_role():
    for entry in inventory.ENTRIES:
        assert set(entry.expect) == set(ROLES), entry.key


@pytest.mark.parametrize("entry", inventory.ENTRIES, ids=[e.key for e in inventory.ENTRIES])
def test_matrix(entry: Entry, world: World, clients):
    failures = []
    before = snapshot() if entry.writes else None
    # Refused roles first; a role's request never leaves anything behind (savepoint rolled back).
    order = sorted(ROLES, key=lambda role: entry.expect[role] == OK)
    for role in order:
        expected = entry.expect[role]
        if entry.key == ADMIN and expected == 302:
            expected = "admin_login"
        with transaction.atomic():
            response = send(entry, world, role, clients[role])
            got = outcome(entry, response)
            if got != expected:
                failures.append(describe(entry, world, role, response, expected))
            if before is not None and expected != OK:
                difference = changed(before, snapshot())
                if difference:
                    failures.append(f"{entry.key} as {role} was refused but changed: {', '.join(difference)}")
            transaction.set_rollback(True)
    assert not failures, "\n".join(failures)


# ---------------------------------------------------------------------------------------------
# R2 in so many words: nobody sees another participant's case, paper, invoice or application.
# ---------------------------------------------------------------------------------------------

PRIVATE_PAGES = {
    "case": lambda w: inventory.page("cases:case", enrolment_id=w.enrolment.pk),
    "paper": lambda w: inventory.page("papers:paper", enrolment_id=w.enrolment_2021.pk),
    "paper file": lambda w: inventory.page("papers:file", submission_id=w.submission_id),
    "time log": lambda w: inventory.page("timelog:enrolment", enrolment_id=w.enrolment.pk),
    "invoice PDF": lambda w: inventory.page("my_invoices:pdf", number=w.invoice_number),
    "invoice (office page)": lambda w: inventory.page("invoices:detail", number=w.invoice_number),
    "application": lambda w: inventory.page("applications:detail", application_id=w.application_id),
    "place": lambda w: inventory.page("places:detail", enrolment_id=w.enrolment_upcoming.pk),
}
PRIVATE_API = {
    "enrolment": lambda w: f"/api/v1/enrolments/{w.enrolment.pk}",
    "paper file": lambda w: f"/api/v1/enrolments/{w.enrolment_2021.pk}/paper/file",
    "invoice": lambda w: f"/api/v1/invoices/{w.invoice_number}",
    "invoice PDF": lambda w: f"/api/v1/invoices/{w.invoice_number}.pdf",
    "payments": lambda w: f"/api/v1/invoices/{w.invoice_number}/payments",
    "application": lambda w: f"/api/v1/applications/{w.application_id}",
    "award": lambda w: f"/api/v1/enrolments/{w.enrolment_2021.pk}/award",
    "diploma PDF": lambda w: f"/api/v1/credentials/{w.award_code}/document.pdf",
}


@pytest.mark.parametrize("role", [PARTICIPANT_OTHER, TEACHER_OTHER])
def test_nobody_sees_another_participants_private_things(world, clients, role):
    client = clients[role]
    leaks = []
    for what, url in PRIVATE_PAGES.items():
        response = client.get(url(world))
        if response.status_code != 404:
            leaks.append(f"page {what} {url(world)}: {response.status_code}")
    api = Client()
    for what, url in PRIVATE_API.items():
        response = api.get(url(world), HTTP_AUTHORIZATION=f"Bearer {world.tokens[role]}")
        if response.status_code not in (403, 404):
            leaks.append(f"API {what} {url(world)}: {response.status_code}")
    assert not leaks, "\n".join(leaks)


def test_the_own_invoice_list_shows_only_ones_own(world, clients):
    """Zoë's invoice list does not name Anna's invoice; Anna's does."""
    mine = clients[PARTICIPANT_OWN].get(inventory.page("my_invoices:list"))
    theirs = clients[PARTICIPANT_OTHER].get(inventory.page("my_invoices:list"))
    assert world.invoice_number in mine.content.decode()
    assert world.invoice_number not in theirs.content.decode()


def test_session_login_does_not_open_another_participants_documents(world, clients):
    """The document endpoints also accept a session: another participant's session gets nothing."""
    for url in (
        f"/api/v1/invoices/{world.invoice_number}.pdf",
        f"/api/v1/enrolments/{world.enrolment_2021.pk}/paper/file",
        f"/api/v1/credentials/{world.award_code}/document.pdf",
    ):
        assert clients[PARTICIPANT_OTHER].get(url).status_code in (403, 404), url
        assert clients[PARTICIPANT_OWN].get(url).status_code == 200, url


def test_refused_writes_leave_no_audit_entry_or_email(world, clients):
    """A summary check of the matrix: every refused write, together, adds no audit entry and no e-mail."""
    audit, outbox = AuditEntry.objects.count(), OutboxEmail.objects.count()
    for entry in inventory.ENTRIES:
        if not entry.writes:
            continue
        for role in ROLES:
            if entry.expect[role] == OK:
                continue
            with transaction.atomic():
                send(entry, world, role, clients[role])
                assert AuditEntry.objects.count() == audit, (entry.key, role)
                assert OutboxEmail.objects.count() == outbox, (entry.key, role)
                transaction.set_rollback(True)
