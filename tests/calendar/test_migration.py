"""enrolment 0002 gives every existing enrolment its own calendar token."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import factories

BEFORE = [("enrolment", "0001_initial")]
AFTER = [("enrolment", "0002_enrolment_calendar_token")]


@pytest.fixture
def executor(transactional_db):
    """Migrates enrolment back for the test and forward to the latest state afterwards, whatever happens."""
    yield MigrationExecutor(connection)
    final = MigrationExecutor(connection)
    final.migrate(final.loader.graph.leaf_nodes())


def test_existing_enrolments_get_distinct_tokens(executor):
    editions = factories.EditionFactory.create_batch(2)
    people = factories.UserFactory.create_batch(30)
    executor.migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps.get_model("enrolment", "Enrolment")
    assert "calendar_token" not in {field.name for field in old._meta.get_fields()}
    old.objects.bulk_create(
        [old(edition_id=editions[i % 2].id, participant_id=person.id) for i, person in enumerate(people)]
        + [old(edition_id=editions[1].id, participant_id=people[0].id, status="cancelled")]
    )

    MigrationExecutor(connection).migrate(AFTER)

    new = MigrationExecutor(connection).loader.project_state(AFTER).apps.get_model("enrolment", "Enrolment")
    tokens = list(new.objects.values_list("calendar_token", flat=True))
    assert len(tokens) == 31
    assert None not in tokens and "" not in tokens
    assert len(set(tokens)) == 31
    assert min(len(token) for token in tokens) >= 22  # at least 128 bits
    field = new._meta.get_field("calendar_token")
    assert field.unique and not field.null
    # New rows get a fresh token by default.
    assert (
        new.objects.create(edition_id=editions[0].id, participant_id=people[0].id, status="cancelled").calendar_token
        not in tokens
    )
