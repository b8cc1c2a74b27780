"""The demo content for tests: loaded for real once, then replayed from the rows it wrote.

`load_demo()` runs the real services (typst renders the papers, a signing key is generated,
credentials are signed): about a second, and some 300 tests start from it. `load()` runs it once
per process and starting state, inside a savepoint, reads what it left and rolls the savepoint back:

- every table's new rows, raw as the database stores them (SQLite: each column through `+`, which
  keeps the driver's type converters out; PostgreSQL: COPY's text format), tables in foreign-key
  order;
- the sequences it moved (`sqlite_sequence`; PostgreSQL's sequences, which no rollback puts back);
- the files it wrote under UPLOAD_ROOT (the papers), as bytes;
- the callbacks it registered with transaction.on_commit (the public page cache's invalidation).

Then, and at every later use, it inserts those rows with their own ids (executemany; COPY on
PostgreSQL), sets the sequences where the load left them (never below a table's highest id),
writes the files again (a test may have erased them) and registers the callbacks again. The test
sees what the load left: the same rows byte for byte, the same next ids. What differs from loading
again is what differs between any two loads: the moment of loading stamped on rows, and what is
random (signing key, password salts, file names, the deal of the study groups), now the same in
every test of the run.

A snapshot is replayed only onto the state it was taken from. The key is the day (the demo places
its editions around today), the active language and every table's row count, so rows a test made
before the demo give another key and another snapshot; a table the new rows point into that had
rows of its own (none today) must also have the same ids, so a flush by a transactional test that
made those rows anew takes a new snapshot. A load that wrote to a table that had rows, or changed a
row that was there, is not replayed: those states are loaded for real. Rows a test made before the
demo in a table the loader does not write to are counted, not compared.
"""

from __future__ import annotations

import collections
import inspect
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import connection, models, transaction
from django.utils import timezone, translation

from leergang.demo.loader import load_demo

# A few states are enough: the clean one per language, and the clean one after a flush.
MAX_SNAPSHOTS = 8
SEQUENCES = "(sequences)"  # dump()'s entry for the sequences: a name no table has


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    pk: str | None
    integer_pk: bool


@dataclass
class Snapshot:
    rows: dict[str, list]  # table -> its new rows (tuples on SQLite, COPY lines on PostgreSQL), in insert order
    sequences: dict[str, tuple]  # sequence -> its state right after the load
    files: dict[str, bytes]  # path under UPLOAD_ROOT -> contents
    on_commit: list[tuple]  # (function, robust) the load registered with transaction.on_commit
    pinned: dict[str, int]  # table the new rows point into that had rows of its own -> the sum of its ids
    loaded: dict[str, list] = field(repr=False)  # dump() right after the load, for tests/test_demo_snapshot.py


_tables: list[Table] | None = None
_sequence_columns: dict[str, tuple[str, str]] = {}  # PostgreSQL: sequence -> (table, column)
_snapshots: dict[tuple, Snapshot | None] = {}  # None: this state is loaded for real


def load() -> None:
    """The demo content, as `load_demo()` leaves it (committed, as there, in a transactional test)."""
    with transaction.atomic():
        snapshot = snapshot_for_this_state()
        if snapshot is None:
            load_demo()
        else:
            replay(snapshot)


def snapshot_for_this_state() -> Snapshot | None:
    """The snapshot for the database as it is now, taken on first use; None when it cannot be replayed."""
    key = (timezone.localdate(), translation.get_language(), _row_counts())
    snapshot = _snapshots.get(key)
    if key not in _snapshots or (snapshot is not None and _id_sums(snapshot.pinned) != snapshot.pinned):
        if len(_snapshots) >= MAX_SNAPSHOTS:
            del _snapshots[next(iter(_snapshots))]
        _snapshots[key] = capture()
    return _snapshots[key]


def capture() -> Snapshot | None:
    """Run the real loader in a savepoint and keep what it wrote; None when its rows cannot be
    replayed onto this state. Raises when the loader did something a replay would not redo."""
    outbox = len(getattr(mail, "outbox", []))
    cache_keys = _cache_keys()
    files_before = _files()
    with transaction.atomic():
        registered = len(connection.run_on_commit)
        before = dump()
        load_demo()
        after = dump()
        # Read inside the savepoint: rolling it back drops the callbacks registered in it.
        on_commit = [(func, robust) for _sids, func, robust in connection.run_on_commit[registered:]]
        transaction.set_rollback(True)
    for func, _robust in on_commit:
        # A plain function can be registered again as it is; a closure or a bound method would
        # carry objects of the rolled back load.
        if not inspect.isfunction(func) or func.__closure__:
            raise RuntimeError(f"load_demo() registered {func!r} on commit; tests/demo_snapshot.py cannot replay that")
    if len(getattr(mail, "outbox", [])) != outbox:
        raise RuntimeError("load_demo() sent e-mail; tests/demo_snapshot.py cannot replay that")
    if _cache_keys() != cache_keys:
        raise RuntimeError("load_demo() wrote to the cache; tests/demo_snapshot.py cannot replay that")
    root = Path(settings.UPLOAD_ROOT)
    files = {path: (root / path).read_bytes() for path in sorted(_files() - files_before)}

    unknown = set(after) - {table.name for table in _table_order()} - {SEQUENCES}
    if unknown:  # a table made after the first capture (a migration test): not for replaying
        return None
    rows = {}
    for table in _table_order():
        old = collections.Counter(before[table.name])
        if old - collections.Counter(after[table.name]):
            return None  # it changed or deleted a row that was there: a replay would not
        added = [row for row in after[table.name] if row not in old]
        if added and old:
            return None  # it may have read those rows (a user with a demo address): load for real
        if added:
            rows[table.name] = added
    old_sequences = dict(before[SEQUENCES])
    sequences = {name: state for name, state in after[SEQUENCES] if old_sequences.get(name) != state}
    counts = {name: len(table_rows) for name, table_rows in before.items()}
    pinned = _id_sums(sorted(name for name in _targets(rows) if counts.get(name)))
    return Snapshot(rows=rows, sequences=sequences, files=files, on_commit=on_commit, pinned=pinned, loaded=after)


def replay(snapshot: Snapshot) -> None:
    """Put the snapshot's rows, sequences and files back, as the load left them."""
    quote = connection.ops.quote_name
    tables = {table.name: table for table in _table_order()}
    with transaction.atomic(), connection.cursor() as cursor:
        for name, rows in snapshot.rows.items():
            columns = ", ".join(quote(column) for column in tables[name].columns)
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {quote(name)} ({columns}) FROM STDIN") as copy:
                    copy.write(b"".join(rows))
            else:
                values = ", ".join(["%s"] * len(tables[name].columns))
                cursor.executemany(f"INSERT INTO {quote(name)} ({columns}) VALUES ({values})", rows)  # noqa: S608 - names from introspection
        _set_sequences(cursor, snapshot.sequences)
        for func, robust in snapshot.on_commit:
            transaction.on_commit(func, robust=robust)
    root = Path(settings.UPLOAD_ROOT)
    for path, data in snapshot.files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def dump() -> dict[str, list]:
    """Every table in the database (asked of the database, not of the models) with all its rows,
    raw as stored, ordered by primary key; under SEQUENCES the state of every sequence."""
    quote = connection.ops.quote_name
    described = {table.name: table for table in _table_order()}
    result = {}
    with connection.cursor() as cursor:
        for name in connection.introspection.table_names(cursor):
            table = described.get(name) or _describe(cursor, name)
            order = quote(table.pk) if table.pk else ", ".join(quote(c) for c in table.columns)
            if connection.vendor == "postgresql":
                columns = ", ".join(quote(c) for c in table.columns)
                with cursor.copy(f"COPY (SELECT {columns} FROM {quote(name)} ORDER BY {order}) TO STDOUT") as copy:  # noqa: S608 - names from introspection
                    data = b"".join(bytes(block) for block in copy)
                result[name] = data.splitlines(keepends=True)
            else:
                # `+` makes each value an expression without a declared type, so the driver's
                # converters leave it as stored (a datetime stays the text it is stored as).
                columns = ", ".join(f"+{quote(c)}" for c in table.columns)
                cursor.execute(f"SELECT {columns} FROM {quote(name)} ORDER BY {order}")  # noqa: S608 - names from introspection
                result[name] = [tuple(row) for row in cursor.fetchall()]
        result[SEQUENCES] = _sequences(cursor)
    return result


def _sequences(cursor) -> list[tuple]:
    if connection.vendor != "postgresql":
        cursor.execute("SELECT name, seq FROM sqlite_sequence ORDER BY name")
        return [(name, (seq,)) for name, seq in cursor.fetchall()]
    _table_order()  # fills _sequence_columns
    if not _sequence_columns:
        return []
    names = sorted(_sequence_columns)
    quote = connection.ops.quote_name
    parts = [f"SELECT %s, last_value, is_called FROM {quote(name)}" for name in names]  # noqa: S608 - names from introspection
    cursor.execute(" UNION ALL ".join(parts), names)
    return sorted((name, (last_value, is_called)) for name, last_value, is_called in cursor.fetchall())


def _set_sequences(cursor, sequences: dict[str, tuple]) -> None:
    """Each sequence where the load left it, but never below its table's highest id: a row a test
    made before the demo (another state than the snapshot's, with as many rows) keeps its id free."""
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        for name, (last_value, is_called) in sequences.items():
            table, column = _sequence_columns[name]
            highest = f"(SELECT COALESCE(MAX({quote(column)}), 0) FROM {quote(table)})"  # noqa: S608 - names from introspection
            cursor.execute(
                f"SELECT setval(%s, GREATEST(%s, {highest}), CASE WHEN {highest} >= %s THEN true ELSE %s END)",
                [name, last_value, last_value, is_called],
            )
        return
    # SQLite hands out ids above both the sequence and the highest id, so setting it is enough.
    for name, (seq,) in sequences.items():
        cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [seq, name])
        if cursor.rowcount == 0:
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [name, seq])


def _row_counts() -> tuple[int, ...]:
    quote = connection.ops.quote_name
    parts = [f"SELECT COUNT(*) FROM {quote(table.name)}" for table in _table_order()]  # noqa: S608 - names from introspection
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return tuple(count for (count,) in cursor.fetchall())


def _id_sums(names) -> dict[str, int]:
    """Per table the sum of its ids: content types made anew by a flush have other ids."""
    if not names:
        return {}
    quote = connection.ops.quote_name
    tables = {table.name: table for table in _table_order()}
    parts = [f"SELECT %s, COALESCE(SUM({quote(tables[name].pk)}), 0) FROM {quote(name)}" for name in names]  # noqa: S608 - names from introspection
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), list(names))
        return {name: int(total) for name, total in cursor.fetchall()}


def _targets(rows: dict[str, list]) -> set[str]:
    """The tables that the foreign keys of the tables with new rows point into, those tables left out."""
    written = set(rows)
    targets = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.db_table in written:
            for field_ in model._meta.concrete_fields:
                if field_.is_relation and field_.remote_field.model:
                    targets.add(field_.remote_field.model._meta.db_table)
    return {name for name in targets - written if _is_integer_keyed(name)}


def _is_integer_keyed(name: str) -> bool:
    return any(table.name == name and table.integer_pk for table in _table_order())


def _table_order() -> list[Table]:
    """Every table of the database, each after the tables its foreign keys point to (as far as
    cycles allow: the keys are checked at commit, so the order only has to be sensible)."""
    global _tables
    if _tables is None:
        with connection.cursor() as cursor:
            names = sorted(connection.introspection.table_names(cursor))
            described = {name: _describe(cursor, name) for name in names}
            if connection.vendor == "postgresql":
                for name in names:
                    for sequence in connection.introspection.get_sequences(cursor, name):
                        _sequence_columns[sequence["name"]] = (name, sequence["column"])
        depends = {name: set() for name in names}
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in depends:
                for field_ in model._meta.concrete_fields:
                    if field_.is_relation and field_.remote_field.model:
                        target = field_.remote_field.model._meta.db_table
                        if target in depends and target != table:
                            depends[table].add(target)
        ordered, placed = [], set()
        while len(ordered) < len(names):
            ready = [name for name in names if name not in placed and depends[name] <= placed]
            if not ready:  # a cycle: take the first left, its keys are checked at commit anyway
                ready = [next(name for name in names if name not in placed)]
            for name in ready:
                ordered.append(described[name])
                placed.add(name)
        _tables = ordered
    return _tables


def _describe(cursor, name: str) -> Table:
    columns = tuple(column.name for column in connection.introspection.get_table_description(cursor, name))
    pk = connection.introspection.get_primary_key_column(cursor, name)
    model = next((m for m in apps.get_models(include_auto_created=True) if m._meta.db_table == name), None)
    if model is not None:
        pk_field = model._meta.pk.target_field if model._meta.pk.is_relation else model._meta.pk
        integer_pk = isinstance(pk_field, models.IntegerField)
    else:
        integer_pk = False
    return Table(name=name, columns=columns, pk=pk, integer_pk=integer_pk)


def _files() -> set[str]:
    root = Path(settings.UPLOAD_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def _cache_keys() -> set:
    return set(getattr(cache, "_cache", {}))  # LocMemCache's store; other backends are not checked
