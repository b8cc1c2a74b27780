"""`make backup` / `make restore` (M24, R6): a round trip keeps every row of every table and every
uploaded file's bytes, on SQLite and on PostgreSQL; a backup from an older version migrates
forward; a damaged, foreign, newer or wrong-kind file is refused with one clear line and nothing
changes. Everything runs as separate processes (make, manage.py) on databases of the test's own."""

import io
import json
import os
import sqlite3
import tarfile
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest
from django.apps import apps

from .conftest import app_env, make, manage, require_make

DEMO_TABLES = {"accounts_user", "catalog_programme", "catalog_edition", "enrolment_enrolment", "awards_award"}


# --- What a database and the uploads folder hold -------------------------------------------------


def model_tables() -> set[str]:
    """Every table behind a model of every installed app, including many-to-many tables."""
    return {model._meta.db_table for model in apps.get_models(include_auto_created=True) if model._meta.managed}


def sqlite_snapshot(path: Path) -> dict[str, list]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        schema = sorted(db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_autoindex%'"))
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        snapshot = {table: sorted(db.execute(f'SELECT * FROM "{table}"'), key=repr) for table in tables}  # noqa: S608
    finally:
        db.close()
    return {"<schema>": schema, **snapshot}


def plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


def postgres_snapshot(url: str) -> dict[str, list]:
    with psycopg.connect(url) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            )
        ]
        snapshot = {
            table: sorted((tuple(plain(v) for v in row) for row in conn.execute(f'SELECT * FROM "{table}"')), key=repr)  # noqa: S608
            for table in tables
        }
        snapshot["<sequences>"] = sorted(
            conn.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
        )
        # Names and kinds, not definitions: PostgreSQL re-prints some CHECK expressions after a reload.
        snapshot["<indexes>"] = sorted(conn.execute("SELECT tablename, indexname FROM pg_indexes WHERE schemaname = 'public'"))
        snapshot["<constraints>"] = sorted(
            conn.execute(
                "SELECT conrelid::regclass::text, conname, contype FROM pg_constraint WHERE connamespace = 'public'::regnamespace"
            )
        )
    return snapshot


def uploads(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def assert_complete(snapshot: dict[str, list]) -> None:
    """The snapshot covers every model's table and Django's own, and the demo content is in it."""
    missing = model_tables() - set(snapshot)
    assert not missing, f"tables missing: {sorted(missing)}"
    assert {"django_migrations", "django_content_type", "django_session", "auth_permission"} <= set(snapshot)
    assert all(snapshot[table] for table in DEMO_TABLES)
    assert sum(1 for table in model_tables() if snapshot[table]) >= 20


def assert_one_line_error(result, *needles: str) -> None:
    assert result.returncode != 0
    message = result.stderr.strip()
    assert message.startswith("CommandError: ") and "\n" not in message, result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in message, message


def add_uploads(env: dict[str, str]) -> None:
    """Files beside the demo's papers: binary bytes, a nested folder, an empty file."""
    root = Path(env["UPLOAD_ROOT"])
    (root / "literature" / "2021").mkdir(parents=True, exist_ok=True)
    (root / "literature" / "2021" / "reader.pdf").write_bytes(bytes(range(256)) * 400 + os.urandom(4096))
    (root / "literature" / "empty.pdf").write_bytes(b"")


def source(tmp: Path, database_url: str | None = None) -> SimpleNamespace:
    """A migrated database with the demo content and uploads, as `make run` leaves it."""
    env = app_env(tmp, database_url=database_url)
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    add_uploads(env)
    return SimpleNamespace(
        env=env, database_url=database_url, db=tmp / "var" / "leergang.sqlite3", uploads=Path(env["UPLOAD_ROOT"])
    )


# --- SQLite ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sqlite_source(tmp_path_factory):
    require_make()
    tmp = tmp_path_factory.mktemp("sqlite-source")
    built = source(tmp)
    built.backup = tmp / "backup.tar.gz"
    result = make(built.env, "backup", f"FILE={built.backup}")
    assert f"Backup written to {built.backup}" in result.stdout
    built.snapshot = sqlite_snapshot(built.db)
    built.files = uploads(built.uploads)
    assert_complete(built.snapshot)
    assert len([name for name in built.files if name.startswith("papers/")]) >= 5  # the demo's final papers
    return built


@pytest.mark.sqlite_file
def test_a_backup_is_one_private_tar_gz_with_manifest_database_and_uploads(sqlite_source):
    assert oct(sqlite_source.backup.stat().st_mode & 0o777) == "0o600"  # personal data: the owner only
    with tarfile.open(sqlite_source.backup, "r:gz") as tar:
        names = set(tar.getnames())
        manifest = json.load(tar.extractfile("manifest.json"))
    assert names == {"manifest.json", "database.sqlite3", *(f"uploads/{name}" for name in sqlite_source.files)}
    assert manifest["format"] == "leergang-backup"
    assert manifest["database"] == "sqlite"
    assert manifest["uploads"] == {"files": len(sqlite_source.files), "bytes": sum(map(len, sqlite_source.files.values()))}
    assert ["notifications", "0002_outboxtask"] in manifest["migrations"]


@pytest.mark.sqlite_file
def test_the_default_file_name_is_in_backups_with_kind_and_utc_time(sqlite_source, tmp_path):
    from leergang.core.management.commands.backup import default_output

    path = default_output("sqlite")
    assert path.parent.name == "backups"
    assert path.name.startswith("leergang-sqlite-") and path.name.endswith("Z.tar.gz")


@pytest.mark.sqlite_file
def test_sqlite_round_trip_through_make_keeps_every_row_and_every_upload(sqlite_source, tmp_path):
    env = app_env(tmp_path)
    result = make(env, "restore", f"FILE={sqlite_source.backup}")  # an empty target needs no YES
    assert "Restored" in result.stdout

    assert sqlite_snapshot(tmp_path / "var" / "leergang.sqlite3") == sqlite_source.snapshot
    assert uploads(tmp_path / "uploads") == sqlite_source.files
    assert manage(env, "migrate", "--check").returncode == 0  # nothing left to migrate


@pytest.mark.sqlite_file
def test_restoring_over_data_needs_yes_and_then_replaces_everything(sqlite_source, tmp_path):
    env = app_env(tmp_path)
    manage(env, "restore", str(sqlite_source.backup))
    db = tmp_path / "var" / "leergang.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE accounts_user SET first_name = 'Changed after the backup'")
    (tmp_path / "uploads" / "papers" / "new-after-backup.pdf").write_bytes(b"%PDF new")
    changed, changed_files = sqlite_snapshot(db), uploads(tmp_path / "uploads")

    refused = make(env, "restore", f"FILE={sqlite_source.backup}", check=False)
    assert refused.returncode != 0
    assert "already holds data" in refused.stderr and "YES=1" in refused.stderr
    assert sqlite_snapshot(db) == changed
    assert uploads(tmp_path / "uploads") == changed_files

    make(env, "restore", f"FILE={sqlite_source.backup}", "YES=1")
    assert sqlite_snapshot(db) == sqlite_source.snapshot
    assert uploads(tmp_path / "uploads") == sqlite_source.files  # the file added later is gone too


def rebuilt(backup: Path, target: Path, *, manifest=None, replace: dict[str, bytes] | None = None) -> Path:
    """A copy of `backup` with the manifest changed or members' bytes replaced."""
    with tarfile.open(backup, "r:gz") as source_tar, tarfile.open(target, "w:gz") as out:
        for member in source_tar.getmembers():
            data = source_tar.extractfile(member).read() if member.isfile() else None
            if member.name == "manifest.json" and manifest is not None:
                data = json.dumps(manifest(json.loads(data))).encode()
            if replace and member.name in replace:
                data = replace[member.name]
            member.size = len(data) if data is not None else 0
            out.addfile(member, io.BytesIO(data) if data is not None else None)
    return target


@pytest.mark.sqlite_file
def test_damaged_foreign_and_newer_files_are_refused_in_one_line_and_change_nothing(sqlite_source, tmp_path):
    target = tmp_path / "target"
    env = app_env(target)
    manage(env, "restore", str(sqlite_source.backup))
    with sqlite3.connect(target / "var" / "leergang.sqlite3") as conn:
        conn.execute("UPDATE accounts_user SET last_name = 'Not the backup'")
    before, before_files = sqlite_snapshot(target / "var" / "leergang.sqlite3"), uploads(target / "uploads")

    whole = sqlite_source.backup.read_bytes()
    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(b"this is not a backup\n" * 100)
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(whole[: len(whole) // 2])
    with tarfile.open(sqlite_source.backup, "r:gz") as tar:
        database = tar.extractfile("database.sqlite3").read()
    damaged_db = rebuilt(
        sqlite_source.backup, tmp_path / "damaged-db.tar.gz", replace={"database.sqlite3": database[: len(database) // 3]}
    )
    foreign = tmp_path / "foreign.tar.gz"
    with tarfile.open(foreign, "w:gz") as tar:
        tar.add(Path(__file__), arcname="notes.txt")
    newer = rebuilt(
        sqlite_source.backup,
        tmp_path / "newer.tar.gz",
        manifest=lambda m: {**m, "migrations": [*m["migrations"], ["notifications", "9999_from_the_future"]]},
    )

    cases = [
        (tmp_path / "missing.tar.gz", ["no such file"]),
        (garbage, ["not a readable Leergang backup"]),
        (truncated, ["not a readable Leergang backup"]),
        (damaged_db, ["not a readable Leergang backup", "damaged"]),
        (foreign, ["not a readable Leergang backup", "notes.txt"]),
        (newer, ["newer version of Leergang", "notifications.9999_from_the_future"]),
    ]
    for path, needles in cases:
        result = manage(env, "restore", str(path), "--yes", check=False)
        assert_one_line_error(result, *needles)
        assert sqlite_snapshot(target / "var" / "leergang.sqlite3") == before, path.name
        assert uploads(target / "uploads") == before_files, path.name

    through_make = make(env, "restore", f"FILE={garbage}", "YES=1", check=False)
    assert through_make.returncode != 0 and "not a readable Leergang backup" in through_make.stderr
    no_file = make(env, "restore", check=False)
    assert no_file.returncode != 0 and "make restore FILE=" in no_file.stdout + no_file.stderr


@pytest.mark.sqlite_file
def test_a_backup_from_an_older_version_restores_and_migrates_forward(tmp_path):
    old = source(tmp_path / "old")
    # The release before the outbox tasks: notifications' last migration not yet applied.
    manage(old.env, "migrate", "notifications", "0001", "--noinput")
    backup = tmp_path / "old.tar.gz"
    manage(old.env, "backup", "--output", str(backup))
    old_snapshot = sqlite_snapshot(old.db)
    assert "notifications_outboxtask" not in old_snapshot

    env = app_env(tmp_path / "new")
    manage(env, "restore", str(backup))

    restored = sqlite_snapshot(tmp_path / "new" / "var" / "leergang.sqlite3")
    assert ("notifications", "0002_outboxtask") in {(app, name) for _id, app, name, _applied in restored["django_migrations"]}
    assert "notifications_outboxtask" in restored
    unchanged = set(old_snapshot) - {"<schema>", "django_migrations", "sqlite_sequence"}  # migrate adds to these
    assert {table: restored[table] for table in unchanged} == {table: old_snapshot[table] for table in unchanged}
    assert uploads(tmp_path / "new" / "uploads") == uploads(old.uploads)
    assert manage(env, "migrate", "--check").returncode == 0


# --- PostgreSQL -----------------------------------------------------------------------------------


@pytest.mark.postgres
def test_postgresql_round_trip_through_make_keeps_every_row_and_every_upload(fresh_postgres_databases, tmp_path):
    require_make()
    src = source(tmp_path / "source", fresh_postgres_databases())
    backup = tmp_path / "backup.tar.gz"
    make(src.env, "backup", f"FILE={backup}")
    src_snapshot, src_files = postgres_snapshot(src.database_url), uploads(src.uploads)
    assert_complete(src_snapshot)
    with tarfile.open(backup, "r:gz") as tar:
        assert json.load(tar.extractfile("manifest.json"))["database"] == "postgresql"
        assert tar.extractfile("database.dump").read(5) == b"PGDMP"  # pg_dump's custom format

    target_url = fresh_postgres_databases()
    env = app_env(tmp_path / "target", database_url=target_url)
    make(env, "restore", f"FILE={backup}")
    assert postgres_snapshot(target_url) == src_snapshot
    assert uploads(tmp_path / "target" / "uploads") == src_files
    assert manage(env, "migrate", "--check").returncode == 0

    # New rows after a restore get fresh ids: the sequences came back too.
    with psycopg.connect(target_url) as conn:
        conn.execute("INSERT INTO django_session (session_key, session_data, expire_date) VALUES ('after-restore', '', now())")
        conn.execute("UPDATE accounts_user SET first_name = 'Changed after the backup'")
    changed = postgres_snapshot(target_url)
    refused = make(env, "restore", f"FILE={backup}", check=False)
    assert refused.returncode != 0 and "already holds data" in refused.stderr
    assert postgres_snapshot(target_url) == changed

    make(env, "restore", f"FILE={backup}", "YES=1")
    assert postgres_snapshot(target_url) == src_snapshot


@pytest.mark.postgres
def test_a_backup_of_the_other_kind_or_a_damaged_dump_is_refused_and_changes_nothing(
    fresh_postgres_databases, sqlite_source, tmp_path
):
    url = fresh_postgres_databases()
    env = app_env(tmp_path / "pg", database_url=url)
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    pg_backup = tmp_path / "pg.tar.gz"
    manage(env, "backup", "--output", str(pg_backup))
    before = postgres_snapshot(url)

    into_postgres = manage(env, "restore", str(sqlite_source.backup), "--yes", check=False)
    assert_one_line_error(into_postgres, "backup of a SQLite database", "configured database is PostgreSQL")

    with tarfile.open(pg_backup, "r:gz") as tar:
        dump = tar.extractfile("database.dump").read()
    damaged = rebuilt(pg_backup, tmp_path / "damaged.tar.gz", replace={"database.dump": dump[: len(dump) // 2]})
    assert_one_line_error(manage(env, "restore", str(damaged), "--yes", check=False), "not a readable Leergang backup", "damaged")
    assert postgres_snapshot(url) == before

    sqlite_target = tmp_path / "sqlite"
    sqlite_env = app_env(sqlite_target)
    manage(sqlite_env, "restore", str(sqlite_source.backup))
    sqlite_before = sqlite_snapshot(sqlite_target / "var" / "leergang.sqlite3")
    into_sqlite = manage(sqlite_env, "restore", str(pg_backup), "--yes", check=False)
    assert_one_line_error(into_sqlite, "backup of a PostgreSQL database", "configured database is SQLite")
    assert sqlite_snapshot(sqlite_target / "var" / "leergang.sqlite3") == sqlite_before


@pytest.mark.postgres
def test_a_missing_or_too_old_pg_dump_is_named_in_one_line(fresh_postgres_databases, tmp_path):
    url = fresh_postgres_databases()
    python_only = tmp_path / "bin"
    python_only.mkdir()
    env = app_env(tmp_path, database_url=url, PATH=str(python_only))
    missing = manage(env, "backup", "--output", str(tmp_path / "b.tar.gz"), check=False)
    assert_one_line_error(missing, "pg_dump was not found on PATH")

    old = python_only / "pg_dump"  # an old client in front of a newer server
    old.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    old.chmod(0o755)
    too_old = manage(env, "backup", "--output", str(tmp_path / "b.tar.gz"), check=False)
    assert_one_line_error(too_old, "version 9, older than the PostgreSQL", "client programs")
    assert not (tmp_path / "b.tar.gz").exists()
