"""`make bench`: server time of each page and endpoint, in-process, as a ratio to /healthz.

Machines here are shared and noisy, so every figure is reported next to the trivial /healthz
view measured in the same run (quality bars P2). Issue 9 adds the large data set and load tests.
"""

import os
import statistics
import tempfile
import time
import warnings

warnings.filterwarnings("ignore", message="No directory at")

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.pop("DATABASE_URL", None)
    os.environ["LEERGANG_VAR_DIR"] = tempfile.mkdtemp(prefix="leergang-bench-")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", quiet_logins=True, verbosity=0)


def measure(client, url: str, headers: dict) -> list[float]:
    client.get(url, **headers)  # warm up
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        response = client.get(url, **headers)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


def scheduling_figures() -> None:
    """P4: planner and validator, pure functions, timed alone."""
    import datetime
    import random

    from leergang.scheduling import rules

    schedule = rules.ScheduleRules()
    generator = random.Random(4)
    firsts = [datetime.date(2015, 1, 1) + datetime.timedelta(days=generator.randrange(0, 14 * 365)) for _ in range(1000)]
    rules.plan(firsts[0], 7, schedule)  # warm the holiday caches, as a running server has them
    plan_times, check_times = [], []
    started_all = time.perf_counter()
    plans = []
    for first in firsts:
        started = time.perf_counter()
        plans.append(rules.plan(first, 7, schedule))
        plan_times.append((time.perf_counter() - started) * 1000)
    all_plans = time.perf_counter() - started_all
    for dates in plans:
        started = time.perf_counter()
        rules.validate(dates, schedule)
        check_times.append((time.perf_counter() - started) * 1000)
    print("P4 scheduling (7 dates, region noord)")
    print(f"  plan median   {statistics.median(plan_times):7.3f} ms   (bar: under 2 ms)")
    print(f"  check median  {statistics.median(check_times):7.3f} ms   (bar: under 1 ms)")
    print(f"  1000 plans    {all_plans:7.3f} s    (bar: under 2 s)\n")


def invoice_figures() -> None:
    """P5: one invoice as PDF (typst), warm, as the median of 20."""
    from leergang.accounts.models import User
    from leergang.enrolment.models import Enrolment
    from leergang.invoicing.pdf import invoice_pdf
    from leergang.invoicing.services import issue_invoice

    enrolment = Enrolment.objects.select_related("edition").first()
    coordinator = User.objects.get(email="coordinator@example.org")
    recipient = {"organisation": "Gemeente Utrecht", "address": "Stadsplateau 1", "postal_code": "3521 AZ",
                 "city": "Utrecht", "email": "facturen@utrecht.example", "po_number": "PO-1", "contact_name": "A. Jansen"}  # fmt: skip
    invoice = issue_invoice(actor=coordinator, enrolment=enrolment, recipient=recipient, language="nl")
    invoice_pdf(invoice)
    times = []
    for _ in range(20):
        started = time.perf_counter()
        invoice_pdf(invoice)
        times.append((time.perf_counter() - started) * 1000)
    print("P5 documents")
    print(f"  invoice PDF median {statistics.median(times):7.1f} ms   (bar: under 100 ms)")


def qualifying_edition(number: int, size: int = 25):
    """A finished edition of the demo programme with `size` participants who all meet the diploma
    criteria: every session attended, the paper sufficient and presented (rows written directly)."""
    import datetime

    from django.utils import timezone

    from leergang.accounts.models import User
    from leergang.attendance.models import Attendance
    from leergang.catalog.models import Edition, Programme, Session
    from leergang.enrolment.models import Enrolment
    from leergang.learning.models import PaperSubmission, PresentationSlot

    programme = Programme.objects.get(slug="sturen-vanuit-vertrouwen")
    first = datetime.date(2022, 1, 12) + datetime.timedelta(days=7 * number)
    edition = Edition.objects.create(programme=programme, start_date=first, status="completed", capacity=size, fee=2995)
    sessions = Session.objects.bulk_create(
        Session(edition=edition, number=n, kind="closing" if n == 7 else "content", date=first + datetime.timedelta(days=28 * (n - 1)),
                start_time=datetime.time(13, 30), end_time=datetime.time(19, 30))
        for n in range(1, 8)
    )  # fmt: skip
    teacher = User.objects.get(email="docent@example.org")
    now = timezone.now()
    people = User.objects.bulk_create(
        User(email=f"bench-{number}-{i}@example.org", first_name=f"Deelnemer {i}", last_name=f"Editie {number}")
        for i in range(size)
    )
    enrolments = Enrolment.objects.bulk_create(Enrolment(edition=edition, participant=person) for person in people)
    Attendance.objects.bulk_create(
        Attendance(session=session, enrolment=e, status="present", recorded_at=now, recorded_by=teacher)
        for session in sessions
        for e in enrolments
    )
    PaperSubmission.objects.bulk_create(
        PaperSubmission(enrolment=e, file_path=f"papers/bench-{e.pk}.pdf", original_filename="paper.pdf", content_type="pdf",
                        size=1, sha256="0" * 64, submitted_at=now, submitted_by=e.participant, result="sufficient",
                        assessed_at=now, assessed_by=teacher)
        for e in enrolments
    )  # fmt: skip
    PresentationSlot.objects.bulk_create(
        PresentationSlot(enrolment=e, edition=edition, position=i + 1, presented=True, recorded_at=now, recorded_by=teacher)
        for i, e in enumerate(enrolments)
    )
    return edition


def diploma_figures(runs: int = 3, size: int = 25) -> None:
    """P5: a whole edition of 25 qualifying participants issued at once with `issue_for_edition`:
    per award the snapshot, the PDF, the signed credential and the queued e-mail with the PDF."""
    from leergang.accounts.models import User
    from leergang.awards.services import issue_for_edition

    coordinator = User.objects.get(email="coordinator@example.org")
    times = []
    for run in range(runs):
        edition = qualifying_edition(run, size)
        started = time.perf_counter()
        results = issue_for_edition(actor=coordinator, edition_id=edition.pk)
        times.append(time.perf_counter() - started)
        assert sum(1 for r in results if r.award and r.award.kind == "diploma") == size, "not every participant qualified"
    print(f"  {size} diplomas     {statistics.median(times):7.3f} s    (bar: under 2 s; median of {runs} editions, "
          f"slowest {max(times):.3f} s, {statistics.median(times) / size * 1000:.1f} ms per diploma)\n")  # fmt: skip


def main() -> None:
    setup_django()
    scheduling_figures()
    invoice_figures()
    diploma_figures()
    from django.test import Client

    from leergang.accounts.models import User
    from leergang.accounts.services import issue_api_token
    from leergang.catalog.models import Edition

    client = Client()
    edition = Edition.objects.order_by("start_date").first()
    token = issue_api_token(actor=None, user=User.objects.get(email="coordinator@example.org"))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    targets = [
        ("/healthz", {}),
        ("/nl/", {}),
        ("/nl/opleidingen/sturen-vanuit-vertrouwen/", {}),
        ("/en/opleidingen/sturen-vanuit-vertrouwen/", {}),
        ("/api/v1/programmes", {}),
        ("/api/v1/programmes/sturen-vanuit-vertrouwen", {}),
        (f"/api/v1/editions/{edition.id}", {}),
        (f"/api/v1/editions/{edition.id}", auth),
    ]
    results = [(url, bool(headers), measure(client, url, headers)) for url, headers in targets]
    baseline = p95(results[0][2])
    print(f"{'target':<52} {'p50 ms':>8} {'p95 ms':>8} {'x healthz':>10}")
    for url, authed, times in results:
        label = url + (" (token)" if authed else "")
        print(f"{label:<52} {statistics.median(times):8.2f} {p95(times):8.2f} {p95(times) / baseline:10.1f}")
    print(f"\n{ROUNDS} requests each, demo data set; bars: p95 <= 25 ms and <= 30x /healthz (P2).")


if __name__ == "__main__":
    main()
