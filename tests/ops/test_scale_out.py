"""Two app servers on one PostgreSQL database stay correct under concurrent load (R5, issue 9).

The real thing, as an operator runs it: two `make serve` (gunicorn with the production settings,
each with its own e-mail worker) on two ports, sharing one fresh PostgreSQL database, a shared
database cache (CACHE_URL=db) and a real SMTP server (aiosmtpd). A load generator sends
registrations to both servers alternately, double submits of one address to both at the same
moment, and then admits every applicant at once, again spread over both servers, into an edition
with fewer seats than applicants. Afterwards the database and the SMTP server must show:

- no 5xx and no request without an answer, on either server (client side and access logs);
- exactly as many admissions as there were free seats, the others a 409 naming the decision;
- invoice numbers gapless per year, one invoice per new enrolment, the counter not ahead;
- every outbox e-mail delivered exactly once although two workers share the outbox
  (compared by Message-ID), and exactly the e-mails the successful actions should write.

Whether the two workers' rounds (every 5 s) overlap at the very moment of a claim is up to chance
here; tests/notifications/test_concurrency.py makes workers race for the same rows on purpose.
"""

import contextlib
import logging
import os
import re
import signal
import subprocess
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import psycopg
import pytest

from tests.notifications.conftest import SmtpServer

from . import scale_out_load as load
from .conftest import BASE_DIR, app_env, free_port, manage

pytestmark = pytest.mark.postgres

CAPACITY = 10
REGISTRATIONS = 40
DOUBLE_SUBMITS = 6  # addresses sent to both servers at the same moment
THREADS = 12
SECRET_KEY = "scale-out-test-key-" + "k" * 50
START_TIMEOUT = 150  # seconds for `make serve` to answer /healthz (migrate, collectstatic, load_demo)
OUTBOX_TIMEOUT = 60  # seconds for the two workers to empty the outbox (a round every 5 s)
ACCESS_LOG = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d{3}) ')


class Served:
    """`make serve PORT=...` in a process group of its own, logging to a file."""

    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.log_path = log
        self.log = log.open("w")
        # A session of its own, so stopping it reaches make, the shell, the worker and every gunicorn process.
        self.process = subprocess.Popen(
            ["make", "--no-print-directory", "serve", f"PORT={port}"],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"make serve on port {self.port} stopped:\n{self.output()}")
            answer = load.send(self.base, load.Call("GET", "/healthz"))
            if answer.status == 200:
                return
            time.sleep(0.5)
        raise AssertionError(f"make serve on port {self.port} did not answer /healthz in time:\n{self.output()}")

    def stop(self) -> None:
        if self.log.closed:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _group_alive(self.process.pid):
            self.process.poll()  # reap make itself, so the group can empty
            time.sleep(0.2)
        if _group_alive(self.process.pid):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.log.close()

    def output(self) -> str:
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text(errors="replace")

    def access_log(self) -> list[tuple[str, str, int]]:
        return [
            (match["method"], match["path"], int(match["status"]))
            for match in map(ACCESS_LOG.search, self.output().splitlines())
            if match
        ]


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def serve_env(tmp: Path, name: str, *, database_url: str, smtp_port: int) -> dict[str, str]:
    """What every app server gets (the same SECRET_KEY, database, cache and SMTP server) and what is
    its own (var dir, static root), as on two machines."""
    env = app_env(
        tmp / name,
        database_url=database_url,
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CACHE_URL="db",
        APPLY_RATE_LIMIT="10000",
        LOGIN_RATE_LIMIT="10000",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        STATIC_ROOT=str(tmp / name / "static"),
        WEB_CONCURRENCY="2",
    )
    for key in ("DJANGO_SETTINGS_MODULE", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE", "PORT"):
        env.pop(key, None)  # make serve chooses the production settings itself
    return env


def application(email: str, number: int) -> dict:
    return {
        "first_name": "Sanne",
        "last_name": f"Schaal {number}",
        "email": email,
        "organisation": "Gemeente Testdam",
        "job_title": "Teamleider",
        "education_level": "hbo",
        "years_experience": 8,
        "leadership_role": True,
        "challenge": "Meer vertrouwen geven aan een team dat net is samengevoegd.",
        "invoice": {
            "organisation": "Gemeente Testdam",
            "address": "Raadhuisplein 1",
            "postal_code": "1234 AB",
            "city": "Testdam",
            "email": "crediteuren@testdam.example.org",
            "po_number": None,
        },
        "privacy_consent": True,
    }


def query(database_url: str, sql: str, *params) -> list[tuple]:
    with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1)) as conn:
        return conn.execute(sql, params).fetchall()


def wait_for(check, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.5)
    raise AssertionError(f"{what} did not happen within {seconds} s")


def failures(answers: list[load.Answer]) -> list[str]:
    """Answers no client should ever get: none at all, or a server error."""
    return [answer.describe() for answer in answers if answer.status is None or answer.status >= 500]


@pytest.fixture
def quiet_smtp_log():
    """aiosmtpd logs every SMTP command at INFO; a failure's report should show the test's own output."""
    logger = logging.getLogger("mail.log")
    level = logger.level
    logger.setLevel(logging.WARNING)
    yield
    logger.setLevel(level)


@pytest.mark.usefixtures("quiet_smtp_log")
def test_two_app_servers_on_one_database_keep_capacity_invoices_and_emails_right_under_load(tmp_path, fresh_postgres_databases):
    database_url = fresh_postgres_databases()
    smtp = SmtpServer(free_port())
    smtp.start()
    env_one = serve_env(tmp_path, "one", database_url=database_url, smtp_port=smtp.port)
    env_two = serve_env(tmp_path, "two", database_url=database_url, smtp_port=smtp.port)
    servers: list[Served] = []
    try:
        # CACHE_URL=db needs its table once per database (README, "Running in production"); make serve
        # does not create it.
        manage(env_one, "createcachetable")
        # One after the other: the first run migrates the empty database. Two `migrate`s at exactly the
        # same moment on an empty database would race on creating the same tables; in production the
        # database is migrated once per release, before the servers start. (Both also run load_demo,
        # which two processes could not do at once on an empty database either.)
        servers.append(Served(env_one, free_port(), tmp_path / "serve-one.log"))
        servers[0].wait_until_healthy()
        servers.append(Served(env_two, free_port(), tmp_path / "serve-two.log"))
        token = manage(env_one, "api_token", "coordinator@example.org").stdout.strip().splitlines()[-1]  # meanwhile
        servers[1].wait_until_healthy()
        bases = [server.base for server in servers]

        created = load.send(
            bases[0],
            load.Call(
                "POST",
                "/api/v1/editions",
                {
                    "programme": "sturen-vanuit-vertrouwen",
                    "start_date": (date.today() + timedelta(days=120)).isoformat(),
                    "capacity": CAPACITY,
                    "fee": "2995.00",
                    "status": "open",
                },
                token,
            ),
        )
        assert created.status == 201, created.describe()
        edition = created.body["id"]
        (enrolled_before,) = query(
            database_url, "SELECT count(*) FROM enrolment_enrolment WHERE edition_id = %s AND status = 'enrolled'", edition
        )[0]
        free_seats = CAPACITY - enrolled_before
        invoices_before = query(database_url, "SELECT count(*) FROM invoicing_invoice")[0][0]

        # Registrations, alternately to each server.
        addresses = [f"deelnemer{i}@scale.example.org" for i in range(REGISTRATIONS)]
        apply_path = f"/api/v1/editions/{edition}/applications"
        registered = load.run(
            load.round_robin(bases, [load.Call("POST", apply_path, application(email, i)) for i, email in enumerate(addresses)]),
            threads=THREADS,
        )
        # The same address to both servers at the same moment: one application, the other a 409.
        doubles = [f"dubbel{i}@scale.example.org" for i in range(DOUBLE_SUBMITS)]
        double_submits = load.run(
            [(base, load.Call("POST", apply_path, application(email, i))) for i, email in enumerate(doubles) for base in bases],
            threads=THREADS,
        )
        assert failures(registered + double_submits) == []
        assert [answer.describe() for answer in registered if answer.status != 201] == []
        for index in range(DOUBLE_SUBMITS):
            pair = double_submits[2 * index : 2 * index + 2]
            assert sorted(answer.status for answer in pair) == [201, 409], [answer.describe() for answer in pair]
            assert [answer.body["errors"][0]["field"] for answer in pair if answer.status == 409] == ["email"]
        application_ids = [answer.body["id"] for answer in registered + double_submits if answer.status == 201]
        assert len(set(application_ids)) == REGISTRATIONS + DOUBLE_SUBMITS

        # Every applicant admitted at once, spread over both servers: only the free seats can be taken.
        decisions = load.run(
            load.round_robin(
                bases,
                [
                    load.Call("POST", f"/api/v1/applications/{pk}/decision", {"decision": "admit"}, token)
                    for pk in application_ids
                ],
            ),
            threads=THREADS,
        )
        assert failures(decisions) == []
        admitted = [answer for answer in decisions if answer.status == 200]
        refused = [answer for answer in decisions if answer.status != 200]
        assert len(admitted) == free_seats, [answer.describe() for answer in decisions]
        assert all(answer.body["status"] == "admitted" and answer.body["invoice_number"] for answer in admitted)
        # The contract's answer to admitting into a full edition: 409, pointing at the decision.
        assert [answer.describe() for answer in refused if answer.status != 409] == []
        assert {answer.body["errors"][0]["field"] for answer in refused} == {"decision"}

        # Both servers did their share of the work.
        everything = [created, *registered, *double_submits, *decisions]
        per_port = Counter(answer.port for answer in everything)
        assert set(per_port) == {server.port for server in servers}
        assert min(per_port.values()) >= (REGISTRATIONS + len(application_ids)) // 2

        # Capacity, as the database has it and as both servers report it.
        assert (
            query(
                database_url, "SELECT count(*) FROM enrolment_enrolment WHERE edition_id = %s AND status = 'enrolled'", edition
            )[0][0]
            == CAPACITY
        )
        for base in bases:
            shown = load.send(base, load.Call("GET", f"/api/v1/editions/{edition}"))
            assert shown.status == 200 and shown.body["seats_taken"] == CAPACITY, shown.describe()
        statuses = Counter(
            status for (status,) in query(database_url, "SELECT status FROM enrolment_application WHERE edition_id = %s", edition)
        )
        assert statuses == {"admitted": free_seats, "submitted": len(application_ids) - free_seats}

        # Invoice numbers: gapless per year, the counter not ahead, one invoice per new enrolment.
        series: dict[int, list[int]] = {}
        for year, sequence in query(database_url, "SELECT year, sequence FROM invoicing_invoice ORDER BY year, sequence"):
            series.setdefault(year, []).append(sequence)
        assert series, "no invoices at all"
        for year, sequences in series.items():
            assert sequences == list(range(1, len(sequences) + 1)), f"gaps or doubles in {year}: {sequences}"
        counters = dict(query(database_url, "SELECT year, last_number FROM invoicing_invoicecounter"))
        assert counters == {year: len(sequences) for year, sequences in series.items()}
        assert sum(map(len, series.values())) == invoices_before + free_seats
        ours = query(
            database_url,
            "SELECT i.number, i.enrolment_id FROM invoicing_invoice i JOIN enrolment_enrolment e ON e.id = i.enrolment_id "
            "WHERE e.edition_id = %s",
            edition,
        )
        assert len({enrolment for _number, enrolment in ours}) == len(ours) == free_seats
        assert sorted(number for number, _enrolment in ours) == sorted(answer.body["invoice_number"] for answer in admitted)

        # E-mail: the outbox holds what the successful actions wrote, and nothing for the refused ones.
        admitted_ids = {answer.call.path.split("/")[4] for answer in admitted}
        admitted_addresses = {
            email
            for pk, email in query(
                database_url, "SELECT id::text, email FROM enrolment_application WHERE edition_id = %s", edition
            )
            if pk in admitted_ids
        }
        kinds = Counter(
            (kind, recipient)
            for kind, recipients in query(database_url, 'SELECT kind, "to" FROM notifications_outboxemail')
            for recipient in recipients
            if recipient.endswith("@scale.example.org")
        )
        expected = Counter({("application_received", email): 1 for email in addresses + doubles})
        expected.update({("decision_admitted", email): 1 for email in admitted_addresses})
        expected.update({("invitation", email): 1 for email in admitted_addresses})
        assert kinds == expected

        # Both workers deliver the shared outbox: each row exactly once.
        wait_for(
            lambda: query(database_url, "SELECT count(*) FROM notifications_outboxemail WHERE status <> 'sent'")[0][0] == 0,
            seconds=OUTBOX_TIMEOUT,
            what="every outbox e-mail sent",
        )
        rows = query(database_url, "SELECT message_id, attempts FROM notifications_outboxemail")
        received = Counter(message["Message-ID"] for message in smtp.messages)
        assert [message_id for message_id, count in received.items() if count > 1] == []  # nothing twice
        assert sorted(received) == sorted(message_id for message_id, _attempts in rows)  # nothing missing or extra
        assert {attempts for _message_id, attempts in rows} == {1}

        # What each server logged: the same requests, no server error, no traceback (web or worker).
        for server in servers:
            server.stop()
        for server in servers:
            api = [entry for entry in server.access_log() if entry[1].startswith("/api/v1/")]
            assert len(api) == per_port[server.port] + 1  # + the seats_taken check above
            assert [entry for entry in server.access_log() if entry[2] >= 500] == []
            assert "Traceback" not in server.output()
    finally:
        for server in servers:
            server.stop()
        smtp.stop()
