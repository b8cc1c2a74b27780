"""`manage.py restore PATH [--yes]`: put a backup made by `manage.py backup` back, then migrate.

Everything is checked before anything changes: the file must be a readable Leergang backup of the
configured kind of database (SQLite or PostgreSQL), its database copy must be intact and it must not
come from a newer version of Leergang. A database that already holds data is replaced only with
--yes (or after typing "yes" at the prompt). Then the database is replaced in one go (SQLite: the
backup API, PostgreSQL: the old tables dropped and the dump loaded in one transaction, so a failure
leaves the old database), the uploads folder gets the backup's files, and `migrate` brings a backup
made by an older version up to date. Stop the app servers and workers while restoring.
"""

import json
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader

from .backup import (
    DATABASE_FILES,
    FORMAT,
    FORMAT_VERSION,
    KIND_NAMES,
    MANIFEST,
    SCHEMA_ONLY_TABLES,
    UPLOADS,
    database_kind,
    pg_environment,
    pg_program,
    run_program,
    upload_root,
)


def unreadable(path: Path, why: str) -> CommandError:
    return CommandError(f"{path} is not a readable Leergang backup: {why}")


def unpack(path: Path, work: Path) -> dict:
    """Extract the backup into `work` and return its manifest; raise CommandError for anything amiss."""
    if not path.is_file():
        raise CommandError(f"{path}: no such file.")
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            for member in tar.getmembers():
                name = PurePosixPath(member.name)
                allowed = member.name in (MANIFEST, *DATABASE_FILES.values()) or (name.parts[:1] == (UPLOADS,))
                if not allowed or not (member.isfile() or member.isdir()):
                    raise unreadable(path, f"unexpected entry {member.name!r}.")
            tar.extractall(work, filter="data")
    except CommandError:
        raise
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        raise unreadable(path, " ".join(f"{type(exc).__name__}: {exc}".split()).rstrip(":")) from exc
    try:
        manifest = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise unreadable(path, "its manifest.json is missing or damaged.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise unreadable(path, "its manifest.json is not that of a Leergang backup.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise CommandError(
            f"{path} has backup format version {manifest.get('format_version')}; this Leergang reads {FORMAT_VERSION}."
        )
    if manifest.get("database") not in DATABASE_FILES or not (work / DATABASE_FILES[manifest["database"]]).is_file():
        raise unreadable(path, "it holds no database copy.")
    return manifest


def check_kind(path: Path, manifest: dict, kind: str) -> None:
    if manifest["database"] != kind:
        raise CommandError(
            f"{path} is a backup of a {KIND_NAMES[manifest['database']]} database, but the configured database "
            f"is {KIND_NAMES[kind]}; point DATABASE_URL at a {KIND_NAMES[manifest['database']]} database to restore it."
        )


def check_not_newer(path: Path, manifest: dict) -> None:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(f"{app}.{name}" for app, name in manifest.get("migrations", []) if (app, name) not in known)
    if unknown:
        raise CommandError(
            f"{path} comes from a newer version of Leergang (it has migration {unknown[0]}, unknown here); upgrade Leergang first."
        )


def check_sqlite_copy(path: Path, copy: Path) -> None:
    try:
        db = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        try:
            result = db.execute("PRAGMA integrity_check").fetchone()[0]
            has_migrations = db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
            ).fetchone()
        finally:
            db.close()
    except sqlite3.Error as exc:
        raise unreadable(path, f"its SQLite database is damaged ({exc}).") from exc
    if result != "ok" or not has_migrations:
        raise unreadable(path, f"its SQLite database is damaged ({result if result != 'ok' else 'no Leergang tables'}).")


def prepare_postgresql_script(path: Path, dump: Path, pg_restore: str, work: Path) -> Path:
    """Turn the dump into the SQL that loads it; reading it whole is also the check that it is intact."""
    script = work / "load.sql"
    with script.open("w", encoding="utf-8") as out:
        result = subprocess.run(  # noqa: S603
            [pg_restore, "--no-owner", "--no-privileges", "--file=-", str(dump)], stdout=out, stderr=subprocess.PIPE, text=True
        )
    if result.returncode != 0:
        raise unreadable(path, f"its PostgreSQL dump is damaged ({' '.join(result.stderr.split())[:300]}).")
    with script.open(encoding="utf-8") as sql:
        if not any(line.startswith("COPY public.django_migrations ") for line in sql):
            raise unreadable(path, "its PostgreSQL dump holds no Leergang tables.")
    return script


def tables_with_data() -> list[str]:
    """Tables of the configured database that hold rows beyond what `migrate` writes."""
    try:
        tables = connection.introspection.table_names()
    except Exception as exc:
        raise CommandError(f"Cannot read the configured database: {exc}") from exc
    found = []
    with connection.cursor() as cursor:
        for table in tables:
            if table in SCHEMA_ONLY_TABLES:
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608 - names from introspection
            if cursor.fetchone() is not None:
                found.append(table)
    return found


def restore_sqlite(copy: Path) -> None:
    target = Path(str(settings.DATABASES["default"]["NAME"]))
    connections.close_all()
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    destination = sqlite3.connect(str(target), timeout=20)
    try:
        source.backup(destination)  # replaces every page in one transaction: all or nothing
    except sqlite3.Error as exc:
        raise CommandError(f"Restoring the SQLite database {target} failed: {exc}") from exc
    finally:
        destination.close()
        source.close()


def restore_postgresql(load: Path, work: Path) -> None:
    """Drop what the schema holds and run the dump's SQL, in one psql transaction: all or nothing."""
    psql = pg_program("psql")
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relkind, quote_ident(n.nspname) || '.' || quote_ident(c.relname)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
              AND NOT (c.relkind = 'S' AND EXISTS (
                  SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
            """
        )
        objects = cursor.fetchall()
    kinds = {"r": "TABLE", "p": "TABLE", "f": "FOREIGN TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW", "S": "SEQUENCE"}
    drop = work / "drop.sql"
    drop.write_text("".join(f"DROP {kinds[relkind]} IF EXISTS {name} CASCADE;\n" for relkind, name in objects), encoding="utf-8")
    connections.close_all()
    run_program(
        [
            psql,
            "--no-psqlrc",
            "--quiet",
            "--no-password",
            "--set=ON_ERROR_STOP=1",
            "--single-transaction",
            f"--file={drop}",
            f"--file={load}",
        ],
        env=pg_environment(),
        what="Loading the PostgreSQL dump (nothing was changed)",
        stdin=subprocess.DEVNULL,
    )


def restore_uploads(source: Path) -> int:
    """Make UPLOAD_ROOT hold exactly the backup's files; return how many."""
    root = upload_root()
    root.mkdir(parents=True, exist_ok=True)
    for child in root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    count = 0
    if source.is_dir():
        for path in sorted(source.rglob("*")):
            target = root / path.relative_to(source)
            if path.is_dir():
                target.mkdir(parents=True, exist_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
                count += 1
    return count


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` (database and uploaded files) into the configured database, "
        "then migrate. Replaces existing data only with --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file (.tar.gz) to restore.")
        parser.add_argument("--yes", action="store_true", help="Replace the data the configured database holds now.")

    def handle(self, *args, path: str, yes: bool, **options):
        backup = Path(path)
        kind = database_kind()
        with tempfile.TemporaryDirectory(prefix="leergang-restore-") as tmp:
            work = Path(tmp)
            manifest = unpack(backup, work)
            check_kind(backup, manifest, kind)
            check_not_newer(backup, manifest)
            copy = work / DATABASE_FILES[kind]
            if kind == "sqlite":
                check_sqlite_copy(backup, copy)
            else:
                load = prepare_postgresql_script(backup, copy, pg_program("pg_restore"), work)
            occupied = tables_with_data()
            if occupied and not yes and not self.confirmed(occupied):
                raise CommandError(
                    f"The configured database already holds data ({len(occupied)} table(s), e.g. {occupied[0]}); "
                    "add --yes (make restore FILE=... YES=1) to replace it with the backup."
                )
            if kind == "sqlite":
                restore_sqlite(copy)
            else:
                restore_postgresql(load, work)
            files = restore_uploads(work / UPLOADS)
        connections.close_all()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)  # CACHE_URL=db: the backup may come from a setup without it
        self.stdout.write(
            f"Restored {backup} (made {manifest.get('created_at', '?')}): the {KIND_NAMES[kind]} database and "
            f"{files} uploaded file(s); migrations are up to date."
        )

    def confirmed(self, occupied: list[str]) -> bool:
        if not sys.stdin.isatty():
            return False
        self.stdout.write(f"The configured database holds data ({len(occupied)} table(s)); the backup replaces all of it.")
        return input("Type 'yes' to go on: ").strip().lower() == "yes"
