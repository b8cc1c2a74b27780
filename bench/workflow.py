"""P6 of issue 9: a whole edition, from 25 applications to 25 issued diplomas, through the services.

`whole_edition()` runs on the current Django database (demo loaded) and writes nothing itself: the
programme office creates and plans an edition of the demo programme and opens it, 25 people
register with the service the registration form and the API call, the office admits them (which
issues the invoices), the register of every session is filled in, every participant hands in a
final paper that is assessed sufficient, the presentations are recorded, the edition is completed
and its diplomas issued (with their PDFs, signed credentials and queued e-mails).

The sessions lie in the past, so attendance, presentations and diplomas may be recorded today.
Nothing in the app assigns a teacher to a new edition's sessions (session parts are kept in the
Django admin only), so the register, the assessments and the presentations are recorded by the
programme office, whom the services allow the same; a teacher's permission check would add two
small queries per call.

    python -m bench.workflow [--database-url URL] [--runs 3]   one database, JSON on the last line
    python -m bench.workflow --both                            SQLite and a fresh PostgreSQL database

The bar (quality bars P6): the whole edition under 5 s on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SIZE = 25
BAR_SECONDS = 5.0
# Far enough back that the whole schedule (seven sessions, four weeks or more apart, holidays in
# between) lies before today, and within the years whose school holidays are known.
WEEKS_BACK = 60
POSTGRES = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}


@lru_cache(maxsize=1)
def paper_pdf() -> bytes:
    """One short final paper as a real PDF, made like the demo's: participants write it outside
    the app, so it is made once and not timed."""
    import typst

    from leergang.demo.history import PAPER_SOURCE

    data = json.dumps({"title": "Vertrouwen in de praktijk", "author": "Deelnemer", "body": "Eindopdracht (benchmark)."})
    return typst.compile(PAPER_SOURCE, sys_inputs={"data": data})


def _application(number: int, tag: str):
    from leergang.enrolment.services import ApplicationInput

    return ApplicationInput(
        first_name=f"Deelnemer {number}",
        last_name=f"Werkstroom {tag}",
        email=f"werkstroom-{tag}-{number}@example.org",
        organisation="Gemeente Utrecht",
        job_title="Teamleider",
        education_level="wo",
        years_experience=8,
        leadership_role=True,
        challenge="Meer ruimte geven aan professionals zonder de grip te verliezen.",
        invoice_organisation="Gemeente Utrecht",
        invoice_address="Stadsplateau 1",
        invoice_postal_code="3521 AZ",
        invoice_city="Utrecht",
        invoice_email="facturen@utrecht.example",
        privacy_consent=True,
        terms_accepted=True,
        invoice_po_number=f"PO-{tag}-{number}",
    )


def whole_edition(actor_email: str = "coordinator@example.org") -> dict:
    """One edition of the demo programme from planning to diplomas, all through services.

    Returns {"edition_id", "diplomas", "total_s", "steps_s": {step: seconds}}; raises RuntimeError
    when not every participant got a diploma."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from leergang.accounts.models import User
    from leergang.attendance import register
    from leergang.awards import pdf as award_pdf
    from leergang.awards import services as awards
    from leergang.catalog import services as catalog
    from leergang.catalog.models import EditionStatus, Programme
    from leergang.demo import content
    from leergang.enrolment import services as enrolment
    from leergang.enrolment.forms import new_submission_key
    from leergang.learning import presentations
    from leergang.learning import services as papers
    from leergang.scheduling import services as scheduling

    office = User.objects.get(email=actor_email)
    programme = Programme.objects.get(slug=content.SLUG)
    tag = uuid.uuid4().hex[:8]
    first_date = timezone.localdate() - datetime.timedelta(weeks=WEEKS_BACK)
    applications = [_application(number, tag) for number in range(1, SIZE + 1)]
    pdf = paper_pdf()
    uploads = [SimpleUploadedFile(f"eindopdracht-{number}.pdf", pdf, "application/pdf") for number in range(1, SIZE + 1)]

    steps: dict[str, float] = {}

    @contextmanager
    def step(name: str):
        started = time.perf_counter()
        yield
        steps[name] = time.perf_counter() - started

    with step("plan"):
        edition = catalog.create_edition(
            actor=office, programme=programme, start_date=first_date, capacity=SIZE,
            fee=Decimal(content.FEE), location=content.LOCATION_TEXT,
        )  # fmt: skip
        sessions = scheduling.plan_sessions(actor=office, edition_id=edition.pk, first_date=first_date).sessions
    with step("open"):
        catalog.update_edition(
            actor=office, edition_id=edition.pk, changes={"status": EditionStatus.OPEN, "start_date": sessions[0].date}
        )
    with step("register"):
        submitted = [
            enrolment.submit_application(edition_id=edition.pk, data=data, submission_key=new_submission_key())
            for data in applications
        ]
    with step("admit"):
        admitted = [enrolment.decide(actor=office, application_id=a.pk, decision="admit").enrolment for a in submitted]
        catalog.update_edition(actor=office, edition_id=edition.pk, changes={"status": EditionStatus.RUNNING})
    with step("attendance"):
        for session in sessions:
            register.mark_unrecorded_present(actor=office, session_id=session.pk)
    with step("papers"):
        for enrolled, upload in zip(admitted, uploads, strict=True):
            papers.submit_paper(actor=enrolled.participant, enrolment_id=enrolled.pk, uploaded_file=upload)
        for enrolled in admitted:
            papers.assess_paper(
                actor=office, enrolment_id=enrolled.pk, result="sufficient", feedback="Helder en goed onderbouwd."
            )
    with step("presentations"):
        for enrolled in admitted:
            presentations.record_presentation(actor=office, enrolment_id=enrolled.pk, presented=True)
    with step("complete"):
        catalog.update_edition(actor=office, edition_id=edition.pk, changes={"status": EditionStatus.COMPLETED})
    with step("diplomas"):
        results = awards.issue_for_edition(actor=office, edition_id=edition.pk)
    with step("documents"):  # made by the worker that sends the holders' e-mails
        for result in results:
            if result.award is not None:
                award_pdf.document(result.award)

    diplomas = sum(1 for result in results if result.award is not None and result.award.kind == "diploma")
    if diplomas != SIZE:
        reasons = sorted({result.reason for result in results if result.award is None})
        raise RuntimeError(f"{diplomas} of {SIZE} diplomas issued for edition {edition.pk}: {reasons}")
    return {"edition_id": edition.pk, "diplomas": diplomas, "total_s": sum(steps.values()), "steps_s": steps}


# -- one database per process ---------------------------------------------------------------------------------


def setup(database_url: str | None) -> str:
    """Django on a fresh database (a temporary SQLite file, or the empty database at `database_url`),
    migrated, with the demo loaded. Returns the database vendor."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    var_dir = tempfile.mkdtemp(prefix="leergang-workflow-")
    import atexit

    atexit.register(shutil.rmtree, var_dir, ignore_errors=True)
    os.environ["LEERGANG_VAR_DIR"] = var_dir
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from leergang.demo.loader import load_demo

    call_command("migrate", verbosity=0)
    load_demo()
    return connection.vendor


def summary(vendor: str, runs: list[dict]) -> dict:
    steps = list(runs[0]["steps_s"])
    return {
        "database": vendor,
        "participants": SIZE,
        "median_total_s": statistics.median(run["total_s"] for run in runs),
        "median_steps_s": {name: statistics.median(run["steps_s"][name] for run in runs) for name in steps},
        "runs": runs,
        "bar_s": BAR_SECONDS,
    }


def measure(database_url: str | None, runs: int) -> dict:
    vendor = setup(database_url)
    paper_pdf()  # made before the first run, as the participant's own work
    return summary(vendor, [whole_edition() for _ in range(runs)])


def report(result: dict) -> None:
    print(f"P6 whole edition on {result['database']}: {result['participants']} applications to diplomas")
    for name, seconds in result["median_steps_s"].items():
        print(f"  {name:<14} {seconds:7.3f} s")
    totals = ", ".join(f"{run['total_s']:.3f}" for run in result["runs"])
    print(f"  {'total':<14} {result['median_total_s']:7.3f} s   (bar: under {BAR_SECONDS:g} s; median of {totals})")


# -- both databases, each in a process of its own ------------------------------------------------------------


def _subprocess(database_url: str | None, runs: int) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    command = [sys.executable, "-m", "bench.workflow", "--runs", str(runs)]
    if database_url:
        command += ["--database-url", database_url]
    done = subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[1:])} failed ({done.returncode}):\n{done.stdout}\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _postgres(runs: int) -> dict:
    import psycopg
    from psycopg import sql

    def admin():
        return psycopg.connect(**POSTGRES, dbname="postgres", autocommit=True, connect_timeout=5)

    try:
        with admin() as conn:
            conn.execute("SELECT 1")
    except psycopg.OperationalError as exc:
        where = f"{POSTGRES['host']}:{POSTGRES['port']}"
        return {"database": "postgresql", "skipped": f"PostgreSQL unreachable at {where}: {exc}".strip()}
    name = f"leergang_workflow_{uuid.uuid4().hex[:12]}"
    with admin() as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        return _subprocess(f"postgres://{POSTGRES['user']}@{POSTGRES['host']}:{POSTGRES['port']}/{name}", runs)
    finally:
        with admin() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def run_both(runs: int = 3) -> dict:
    """The workflow on a fresh SQLite file and on a fresh PostgreSQL database (created on
    127.0.0.1:5432 as user postgres and dropped afterwards); each entry as `main` prints it, or
    {"skipped": why} for a PostgreSQL server that cannot be reached."""
    return {"sqlite": _subprocess(None, runs), "postgresql": _postgres(runs)}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.workflow", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="an empty database to migrate and use (default: a temporary SQLite file)")
    parser.add_argument("--runs", type=int, default=3, help="editions to run, one after another (default 3)")
    parser.add_argument("--both", action="store_true", help="run on SQLite and on PostgreSQL, each in a subprocess")
    args = parser.parse_args(argv)
    if args.both:
        result = run_both(args.runs)
        for entry in result.values():
            if "skipped" in entry:
                print(f"P6 whole edition on {entry['database']}: skipped ({entry['skipped']})")
            else:
                report(entry)
    else:
        result = measure(args.database_url, args.runs)
        report(result)
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
