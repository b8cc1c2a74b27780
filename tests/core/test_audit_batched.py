"""audit.batched(): the entries of one action written with one INSERT when it ends well, none when it
fails, and only inside the action's transaction."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from leergang.core import audit
from leergang.core.models import AuditEntry
from tests import factories


def _record(n: int, actor=None) -> None:
    audit.record(actor=actor, action=f"test.step{n}", obj=actor or factories.UserFactory(), after={"n": n})


@pytest.mark.django_db
def test_entries_are_written_together_in_order_when_the_block_ends():
    person = factories.UserFactory()
    with CaptureQueriesContext(connection) as queries, transaction.atomic(), audit.batched():
        for n in range(3):
            audit.record(actor=person, action=f"test.step{n}", obj=person, after={"n": n})
        assert not AuditEntry.objects.filter(action__startswith="test.").exists()  # not yet
    inserts = [q for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "core_auditentry"')]
    assert len(inserts) == 1
    written = AuditEntry.objects.filter(action__startswith="test.").order_by("pk")
    assert [(e.action, e.actor_id, e.object_id, e.after) for e in written] == [
        (f"test.step{n}", person.pk, str(person.pk), {"n": n}) for n in range(3)
    ]
    assert all(e.at is not None for e in written)


@pytest.mark.django_db
def test_an_error_in_the_block_writes_none_of_its_entries():
    person = factories.UserFactory()
    with pytest.raises(ValueError), transaction.atomic(), audit.batched():
        _record(1, person)
        raise ValueError("the action failed")
    assert not AuditEntry.objects.filter(action__startswith="test.").exists()


@pytest.mark.django_db
def test_a_batch_inside_a_batch_leaves_the_writing_to_the_outer_one():
    person = factories.UserFactory()
    with transaction.atomic(), audit.batched():
        _record(1, person)
        with audit.batched():
            _record(2, person)
        assert not AuditEntry.objects.filter(action__startswith="test.").exists()
    assert list(AuditEntry.objects.filter(action__startswith="test.").order_by("pk").values_list("action", flat=True)) == [
        "test.step1",
        "test.step2",
    ]


@pytest.mark.django_db
def test_outside_a_batch_each_entry_is_written_at_once():
    person = factories.UserFactory()
    _record(1, person)
    assert AuditEntry.objects.filter(action="test.step1").exists()


@pytest.mark.django_db(transaction=True)
def test_a_batch_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the action's transaction"), audit.batched():
        pass
