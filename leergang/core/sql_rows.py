"""Model instances read with hand-written SQL, for the few hot reads where building and compiling the
ORM's query costs several times what running it does (a wide row locked in a change of plan or an
award: 0.2-0.4 ms of Python for a 0.05 ms query).

`read_joined` takes the FROM/WHERE part of a query and the models it selects, in order, each with
its table alias; it writes the select list of every concrete column and turns each row back into
model instances with the converters the ORM's compiler applies to those columns (dates, times,
decimals, booleans, JSON), so an instance is what `select_related` would have loaded (the tests
compare them field by field). The select list and converters depend on the schema only, so they
are worked out once per connection and kept.

`insert` and `update` are the same for writes: one row written with the statement the ORM's
`save()` would send (the same columns, each value prepared by its field, `auto_now` applied, the
model's post_save receivers called), without building a query object for it, which in a change of
plan was most of every insert's 0.25 ms. They are for plain models; `update` keeps a model's rule
about which fields may change after insert (`MUTABLE_FIELDS`, as on Invoice).
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Model
from django.db.models.signals import post_save, pre_save


@functools.lru_cache(maxsize=64)
def _shape(db: Any, parts: tuple[tuple, ...]) -> tuple[str, tuple[tuple[type[Model], list[str], list], ...]]:
    """The select list, and per model its field names and each column's converters (kept per
    connection: a converter may ask its connection)."""
    columns, loaded = [], []
    for model, alias, *only in parts:
        fields = model._meta.concrete_fields
        if only:  # the id and the named fields, as only() loads them (the rest deferred)
            fields = [field for field in fields if field.primary_key or field.name in only[0] or field.attname in only[0]]
        columns += [f"{alias}.{db.ops.quote_name(field.column)}" for field in fields]
        cols = [field.get_col(alias) for field in fields]
        converters = [(col, db.ops.get_db_converters(col) + col.get_db_converters(db)) for col in cols]
        loaded.append((model, [field.attname for field in fields], converters))
    return ", ".join(columns), tuple(loaded)


def table(model: type[Model], using: str = DEFAULT_DB_ALIAS) -> str:
    return connections[using].ops.quote_name(model._meta.db_table)


def lock_clause(*aliases: str, using: str = DEFAULT_DB_ALIAS) -> str:
    """FOR UPDATE OF the aliases' rows where the database has row locks (PostgreSQL); nothing on
    SQLite, where the transaction itself holds the database's write lock."""
    features = connections[using].features
    if not features.has_select_for_update:
        return ""
    return f" FOR UPDATE OF {', '.join(aliases)}" if features.has_select_for_update_of else " FOR UPDATE"


def fetch_all(sql: str, params: list[Any], using: str = DEFAULT_DB_ALIAS) -> list[tuple]:
    """The rows a SELECT finds. A number beyond what an integer column holds (an id typed into a
    URL, say) matches nothing, as in the ORM's lookups; SQLite refuses to bind one (OverflowError),
    PostgreSQL compares it and finds nothing: both are no rows here."""
    try:
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    except OverflowError:
        return []


def read_joined(
    from_where: str,
    params: list[Any],
    parts: tuple[tuple, ...],
    using: str = DEFAULT_DB_ALIAS,
    extra: str = "",
) -> list[list[Any]]:
    """Rows of `SELECT <every column of parts> <from_where>`, each as one instance per model of
    `parts` ((model, alias) pairs, in the order of the select list; (model, alias, names) reads only
    the id and the named fields, the others deferred, as only() would); `extra`, more of the select
    list (a count, say), adds its values, as the database gives them, after the instances."""
    db = connections[using]
    columns, models = _shape(db, parts)
    rows = fetch_all(f"SELECT {columns}{', ' + extra if extra else ''} {from_where}", params, using=using)
    found = []
    for row in rows:
        instances, start = [], 0
        for model, names, converters in models:
            values = []
            for value, (col, functions) in zip(row[start : start + len(names)], converters, strict=True):
                for function in functions:
                    value = function(value, col, db)
                values.append(value)
            instances.append(model.from_db(db.alias, names, values))
            start += len(names)
        found.append([*instances, *row[start:]])
    return found


def scalar(sql: str, params: list[Any], field: Any, alias: str = "t", using: str = DEFAULT_DB_ALIAS) -> Any:
    """The one value `sql` selects (None without a row), converted as the ORM converts `field`'s
    column (a date read on SQLite is a date, a sum of amounts a Decimal with the field's places)."""
    db = connections[using]
    col = field.get_col(alias)
    rows = fetch_all(sql, params, using=using)
    value = rows[0][0] if rows else None
    if value is not None:
        for function in db.ops.get_db_converters(col) + col.get_db_converters(db):
            value = function(value, col, db)
    return value


def _plain(model: type[Model]) -> None:
    """Refuse what `save()` does beyond one table's row: inherited tables, ordering fields, a save()
    of the model's own that is not declared harmless for these writes (`plain_writes = True`)."""
    meta = model._meta
    if meta.parents or meta.order_with_respect_to or meta.pk is not meta.auto_field:
        raise TypeError(f"{model.__name__} is not a plain model; save() it.")
    if model.save is not Model.save and not getattr(model, "plain_writes", False):
        raise TypeError(f"{model.__name__} has a save() of its own; use it, or declare plain_writes.")


def _plain_placeholders(db: Any, fields: Any, model: type[Model]) -> None:
    """A field may ask for a placeholder of its own (GIS, ranges; binary data on MySQL): refused
    unless it is the plain one on this database (binary data on SQLite and PostgreSQL)."""
    for field in fields:
        if hasattr(field, "get_placeholder") and field.get_placeholder(b"", None, db) != "%s":
            raise TypeError(f"{model.__name__}.{field.name} needs a placeholder of its own here; save() it.")


@functools.lru_cache(maxsize=64)
def _insert_shape(db: Any, model: type[Model]) -> tuple[tuple, str, bool]:
    _plain(model)
    meta = model._meta
    fields = tuple(field for field in meta.local_concrete_fields if not field.generated and field is not meta.auto_field)
    _plain_placeholders(db, fields, model)
    if list(meta.db_returning_fields) != [meta.auto_field]:
        raise TypeError(f"{model.__name__} returns more than its id on insert; save() it.")
    quote = db.ops.quote_name
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "  # noqa: S608 - names from the model
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    returning = db.features.can_return_columns_from_insert
    if returning:
        sql += f" RETURNING {quote(meta.auto_field.column)}"
    return fields, sql, returning


def insert(instance: Model, using: str = DEFAULT_DB_ALIAS) -> Model:
    """Insert a new, unsaved instance as `instance.save()` would, and return it with its id."""
    model = type(instance)
    db = connections[using]
    fields, sql, returning = _insert_shape(db, model)
    if instance._state.adding is False or instance.pk is not None:
        raise ValueError(f"This {model.__name__} is saved already.")
    if pre_save.has_listeners(model):
        pre_save.send(sender=model, instance=instance, raw=False, using=using, update_fields=None)
    values = [field.get_db_prep_save(field.pre_save(instance, True), connection=db) for field in fields]
    with db.cursor() as cursor:
        cursor.execute(sql, values)
        instance.pk = cursor.fetchone()[0] if returning else db.ops.last_insert_id(cursor, model._meta.db_table, "id")
    instance._state.adding, instance._state.db = False, using
    if post_save.has_listeners(model):
        post_save.send(sender=model, instance=instance, created=True, update_fields=None, raw=False, using=using)
    return instance


def insert_all(instances: list[Model], using: str = DEFAULT_DB_ALIAS) -> list[Model]:
    """Insert new instances of one model in one statement (as many as the database takes in one),
    as `insert` inserts one; returns them with their ids."""
    if not instances:
        return instances
    model = type(instances[0])
    db = connections[using]
    fields, sql, returning = _insert_shape(db, model)
    if not returning or any(type(instance) is not model for instance in instances):
        return [insert(instance, using=using) for instance in instances]
    head, _values, tail = sql.partition(" VALUES ")
    row, _space, returned = tail.partition(" RETURNING ")
    size = max(db.ops.bulk_batch_size(fields, instances), 1)
    for start in range(0, len(instances), size):
        chunk = instances[start : start + size]
        values = []
        for instance in chunk:
            if instance._state.adding is False or instance.pk is not None:
                raise ValueError(f"This {model.__name__} is saved already.")
            if pre_save.has_listeners(model):
                pre_save.send(sender=model, instance=instance, raw=False, using=using, update_fields=None)
            values += [field.get_db_prep_save(field.pre_save(instance, True), connection=db) for field in fields]
        with db.cursor() as cursor:
            cursor.execute(f"{head} VALUES {', '.join([row] * len(chunk))} RETURNING {returned}", values)
            ids = [found[0] for found in cursor.fetchall()]
        for instance, pk in zip(chunk, ids, strict=True):
            instance.pk = pk
            instance._state.adding, instance._state.db = False, using
            if post_save.has_listeners(model):
                post_save.send(sender=model, instance=instance, created=True, update_fields=None, raw=False, using=using)
    return instances


@functools.lru_cache(maxsize=64)
def _update_shape(db: Any, model: type[Model], names: tuple[str, ...]) -> tuple[tuple, str]:
    _plain(model)
    meta = model._meta
    mutable = getattr(model, "MUTABLE_FIELDS", None)
    if mutable is not None and not set(names) <= {*mutable, "updated_at"}:
        raise ValueError(f"Only {sorted(mutable)} of a {model.__name__} change once it is saved.")
    fields = tuple(meta.get_field(name) for name in names)
    _plain_placeholders(db, fields, model)
    quote = db.ops.quote_name
    sets = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608 - names from the model
    return fields, sql


def update(instance: Model, *names: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Write the named fields of a saved instance as `save(update_fields=names)` would (name
    `updated_at` to have it set); DatabaseError when the row is gone."""
    model = type(instance)
    db = connections[using]
    fields, sql = _update_shape(db, model, names)
    if pre_save.has_listeners(model):
        pre_save.send(sender=model, instance=instance, raw=False, using=using, update_fields=frozenset(names))
    values = [field.get_db_prep_save(field.pre_save(instance, False), connection=db) for field in fields]
    with db.cursor() as cursor:
        cursor.execute(sql, [*values, instance.pk])
        if cursor.rowcount != 1:
            raise DatabaseError(f"{model.__name__} {instance.pk} was not updated.")
    if post_save.has_listeners(model):
        post_save.send(sender=model, instance=instance, created=False, update_fields=frozenset(names), raw=False, using=using)
