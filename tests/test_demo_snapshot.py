"""The `demo` fixture replays a snapshot of one real `load_demo()`: the replay must leave every
table, every sequence and every paper as the real load left them."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction

from leergang.demo.loader import load_demo

from . import demo_snapshot

pytestmark = pytest.mark.django_db


def differences(expected: dict, actual: dict) -> list[str]:
    """Table by table, what differs between two dumps (empty when they are the same)."""
    found = [f"{name}: missing" for name in expected.keys() - actual.keys()]
    found += [f"{name}: unexpected" for name in actual.keys() - expected.keys()]
    for name in sorted(expected.keys() & actual.keys()):
        if expected[name] != actual[name]:
            only_expected = [row for row in expected[name] if row not in actual[name]]
            only_actual = [row for row in actual[name] if row not in expected[name]]
            found.append(f"{name}: {len(only_expected)} rows only in the load, {len(only_actual)} only in the replay")
    return found


def fresh_snapshot():
    """A snapshot of a real load made here and now, with the dump of that load."""
    snapshot = demo_snapshot.capture()
    assert snapshot is not None, "a test database with no rows of its own gives a snapshot that can be replayed"
    return snapshot


def test_a_replay_leaves_every_table_and_sequence_as_the_real_load_left_them():
    snapshot = fresh_snapshot()
    assert snapshot.rows, "the load wrote rows"
    before = demo_snapshot.dump()
    assert differences(snapshot.loaded, before), "the capture rolled its load back"

    demo_snapshot.replay(snapshot)

    assert differences(snapshot.loaded, demo_snapshot.dump()) == []


def test_the_comparison_tells_a_table_left_out_of_the_snapshot():
    snapshot = fresh_snapshot()
    left_out = "catalog_session_goals"  # an auto-created many-to-many table
    assert left_out in snapshot.rows
    del snapshot.rows[left_out]

    demo_snapshot.replay(snapshot)

    assert differences(snapshot.loaded, demo_snapshot.dump()) == [
        f"{left_out}: {len(snapshot.loaded[left_out])} rows only in the load, 0 only in the replay"
    ]


def test_the_fixtures_load_gives_what_the_real_load_of_its_snapshot_gave():
    """What the `demo` fixture does, against the real load its snapshot was taken of (in whichever
    test first used the fixture in this state)."""
    snapshot = demo_snapshot.snapshot_for_this_state()
    assert snapshot is not None

    demo_snapshot.load()

    loaded, now = dict(snapshot.loaded), demo_snapshot.dump()
    if connection.vendor == "postgresql":
        # Sequences are never rolled back on PostgreSQL: where they stand depends on every test that
        # ran before (in random order); the replay only keeps them above the highest id.
        loaded.pop(demo_snapshot.SEQUENCES), now.pop(demo_snapshot.SEQUENCES)
    assert differences(loaded, now) == []


def test_a_real_load_now_writes_as_many_rows_to_every_table_as_the_fixture_replays():
    """A real load now differs from the snapshot only in the moment and in what is random (key,
    salts, file names), never in which rows there are."""
    with transaction.atomic():
        load_demo()
        real = demo_snapshot.dump()
        transaction.set_rollback(True)
    demo_snapshot.load()
    replayed = demo_snapshot.dump()

    assert {name: len(rows) for name, rows in replayed.items()} == {name: len(rows) for name, rows in real.items()}
    sequences = dict(replayed[demo_snapshot.SEQUENCES])
    if connection.vendor == "sqlite":  # PostgreSQL's sequences went on counting during the real load
        assert sequences == dict(real[demo_snapshot.SEQUENCES])


def test_a_replay_registers_the_on_commit_callbacks_the_real_load_registered():
    def registered(load) -> list:
        with transaction.atomic():
            start = len(connection.run_on_commit)
            load()
            callbacks = [(func, robust) for _sids, func, robust in connection.run_on_commit[start:]]
            transaction.set_rollback(True)
        return callbacks

    assert registered(demo_snapshot.load) == registered(load_demo)


@pytest.mark.django_db(transaction=True)
def test_in_a_transactional_test_the_replay_is_committed_like_the_load():
    snapshot = demo_snapshot.snapshot_for_this_state()

    demo_snapshot.load()

    assert not connection.in_atomic_block, "autocommit: what the test sees is committed"
    now = demo_snapshot.dump()
    if snapshot is not None:
        assert {name: now[name] for name in snapshot.rows} == {name: snapshot.loaded[name] for name in snapshot.rows}
    else:
        # What earlier transactional tests left (in random order) was not a state to replay onto:
        # the fixture loaded for real, and that is committed too.
        from leergang.accounts.models import User
        from leergang.demo import content

        assert User.objects.filter(email=content.COORDINATOR["email"]).exists()


def test_the_papers_come_back_after_a_test_erased_them():
    snapshot = fresh_snapshot()
    assert snapshot.files, "the completed edition's papers are files"
    root = Path(settings.UPLOAD_ROOT)
    for path in snapshot.files:
        (root / path).unlink()

    demo_snapshot.replay(snapshot)

    assert {path: (root / path).read_bytes() for path in snapshot.files} == snapshot.files
    assert all(data.startswith(b"%PDF") for data in snapshot.files.values())


def test_a_state_the_loader_would_read_differently_is_loaded_for_real(coordinator):
    """A user made before the demo (the fixture `coordinator`) is in a table the loader writes:
    no snapshot for that state, the test gets a real load."""
    assert demo_snapshot.capture() is None
    assert demo_snapshot.snapshot_for_this_state() is None
