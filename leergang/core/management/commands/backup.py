"""`manage.py backup [--output PATH]`: the database and the uploaded files in one .tar.gz file.

The file holds
- `manifest.json`: what it is (format, database kind, when, the migrations applied, the uploads),
- `database.sqlite3` (SQLite: an online-consistent copy made with SQLite's backup API, so the app
  may keep running) or `database.dump` (PostgreSQL: `pg_dump --format=custom`, one consistent
  snapshot), and
- `uploads/`: everything under UPLOAD_ROOT (papers, literature), copied after the database, so
  every file the database refers to is in it (uploads are never changed in place).

It is written next to its final name first and renamed when complete, readable by its owner only
(it holds personal data). `manage.py restore` reads it back; the helpers it shares live here.
"""

import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "leergang-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
UPLOADS = "uploads"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
KIND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Rows these tables get from `migrate` alone (or, the cache, in passing); rows anywhere else mean
# the database holds data.
SCHEMA_ONLY_TABLES = {"django_migrations", "django_content_type", "auth_permission", "sqlite_sequence", "leergang_cache"}


def database_kind() -> str:
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise CommandError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def default_output(kind: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.BASE_DIR) / "backups" / f"leergang-{kind}-{stamp}.tar.gz"


def upload_root() -> Path:
    return Path(settings.UPLOAD_ROOT)


# --- PostgreSQL client programs ------------------------------------------------------------------


def pg_environment() -> dict[str, str]:
    """The environment that points libpq programs (pg_dump, pg_restore, psql) at the configured database."""
    db = settings.DATABASES["default"]
    options = db.get("OPTIONS", {})
    env = dict(os.environ)
    for variable, value in (
        ("PGDATABASE", db.get("NAME")),
        ("PGUSER", db.get("USER")),
        ("PGPASSWORD", db.get("PASSWORD")),
        ("PGHOST", db.get("HOST")),
        ("PGPORT", db.get("PORT")),
        ("PGSSLMODE", options.get("sslmode")),
        ("PGSSLROOTCERT", options.get("sslrootcert")),
        ("PGSSLCERT", options.get("sslcert")),
        ("PGSSLKEY", options.get("sslkey")),
        ("PGPASSFILE", options.get("passfile")),
        ("PGSERVICE", options.get("service")),
    ):
        if value:
            env[variable] = str(value)
    return env


def pg_program(name: str) -> str:
    """The path of a PostgreSQL client program whose major version is at least the server's."""
    path = shutil.which(name)
    if path is None:
        raise CommandError(f"{name} was not found on PATH; install the PostgreSQL client programs (e.g. postgresql-client).")
    try:
        output = subprocess.run([path, "--version"], capture_output=True, text=True, check=True, timeout=30).stdout  # noqa: S603
    except (OSError, subprocess.SubprocessError) as exc:
        raise CommandError(f"{name} --version failed: {exc}") from exc
    match = re.search(r"\)\s*(\d+)(?:\.(\d+))?", output) or re.search(r"(\d+)(?:\.(\d+))?", output)
    if match is None:
        raise CommandError(f"Could not read the version of {path}: {output.strip()!r}")
    client_major = int(match.group(1))
    connection.ensure_connection()
    server_major = connection.pg_version // 10000
    if client_major < server_major:
        raise CommandError(
            f"{path} is version {client_major}, older than the PostgreSQL {server_major} server; "
            f"install the PostgreSQL {server_major} client programs and put them first on PATH."
        )
    return path


def run_program(args: list[str], *, env: dict[str, str], what: str, stdin=None) -> None:
    try:
        result = subprocess.run(args, env=env, stdin=stdin, capture_output=True, text=True, check=False)  # noqa: S603
    except OSError as exc:
        raise CommandError(f"{what} failed: {exc}") from exc
    if result.returncode != 0:
        detail = " ".join((result.stderr or result.stdout).split())[:500]
        raise CommandError(f"{what} failed: {detail}")


# --- Writing a backup ----------------------------------------------------------------------------


def dump_sqlite(target: Path) -> None:
    source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
    copy = sqlite3.connect(str(target))
    try:
        source.backup(copy)  # consistent even while the app writes: SQLite's online backup
    finally:
        copy.close()
        source.close()


def dump_postgresql(target: Path) -> None:
    pg_dump = pg_program("pg_dump")
    run_program([pg_dump, "--format=custom", "--no-password", f"--file={target}"], env=pg_environment(), what="pg_dump")


def applied_migrations() -> list[list[str]]:
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return []
    return sorted([app, name] for app, name in recorder.applied_migrations())


def create_backup(output: Path) -> dict:
    """Write the backup file at `output` (atomically) and return its manifest."""
    kind = database_kind()
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".leergang-backup-", dir=output.parent) as work:
        database_file = Path(work) / DATABASE_FILES[kind]
        migrations = applied_migrations()
        (dump_sqlite if kind == "sqlite" else dump_postgresql)(database_file)
        root = upload_root()
        files = sorted(path for path in root.rglob("*") if path.is_file()) if root.is_dir() else []
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "database": kind,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "migrations": migrations,
            "uploads": {"files": len(files), "bytes": sum(path.stat().st_size for path in files)},
        }
        manifest_file = Path(work) / MANIFEST
        manifest_file.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        partial = Path(work) / "backup.tar.gz"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            tar.add(manifest_file, arcname=MANIFEST)
            tar.add(database_file, arcname=database_file.name)
            for path in files:
                tar.add(path, arcname=f"{UPLOADS}/{path.relative_to(root).as_posix()}", recursive=False)
        os.replace(partial, output)
    return manifest


def human_size(size: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} bytes"  # pragma: no cover


class Command(BaseCommand):
    help = (
        "Write the database (SQLite copy or pg_dump) and the uploaded files into one .tar.gz file, "
        "by default backups/leergang-<sqlite|postgresql>-<UTC time>.tar.gz."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="Where to write the backup (a .tar.gz file).")

    def handle(self, *args, output: str | None, **options):
        path = Path(output) if output else default_output(database_kind())
        if path.is_dir():
            raise CommandError(f"{path} is a directory; give a file name such as {path / 'leergang.tar.gz'}.")
        manifest = create_backup(path)
        uploads = manifest["uploads"]
        self.stdout.write(
            f"Backup written to {path} ({KIND_NAMES[manifest['database']]} database, "
            f"{uploads['files']} uploaded file(s); {human_size(path.stat().st_size)})."
        )
