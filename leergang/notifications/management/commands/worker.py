"""`manage.py worker`: run outbox tasks, deliver the outbox and run scheduled jobs, round after round.

Run one (or several, on PostgreSQL) next to the web servers. A round runs the due tasks first, so
the e-mails they write go out in the same round, then delivers due e-mails, then runs due jobs.
SIGTERM or Ctrl+C stop it after the task or message at hand; `--once` does one round and exits
(for cron and tests).
"""

import logging
import signal
import threading

from django.core.management.base import BaseCommand
from django.db import connections

from leergang.notifications import conf, jobs
from leergang.notifications.delivery import deliver_due, run_due_tasks

logger = logging.getLogger("leergang.notifications.worker")


class Command(BaseCommand):
    help = "Run due outbox tasks, send due e-mails and run due scheduled jobs; loops until SIGTERM unless --once."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Do one round (all due tasks, e-mails and jobs) and exit.")
        parser.add_argument(
            "--sleep", type=float, default=None, help="Seconds between rounds (default: NOTIFICATIONS_WORKER_SLEEP_SECONDS, 5)."
        )
        parser.add_argument(
            "--batch", type=int, default=20, help="Tasks or e-mails per call; the stop signal is checked between calls."
        )

    def handle(self, *args, once: bool, sleep: float | None, batch: int, **options):
        self.stop = threading.Event()
        self.batch = max(1, batch)
        if once:
            done, sent, ran = self.round()
            self.stdout.write(
                f"Ran {done} task(s); sent {sent} e-mail(s); ran {len(ran)} job(s){': ' + ', '.join(ran) if ran else ''}."
            )
            return
        pause = conf.worker_sleep_seconds() if sleep is None else sleep
        previous = {signum: signal.signal(signum, self.on_signal) for signum in (signal.SIGTERM, signal.SIGINT)}
        logger.info("Worker started; a round every %ss.", pause)
        try:
            while not self.stop.is_set():
                self.round()
                self.stop.wait(pause)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        logger.info("Worker stopped.")

    def on_signal(self, signum, frame) -> None:
        logger.info("Signal %s: stopping after the current task or message.", signum)
        self.stop.set()

    def round(self) -> tuple[int, int, list[str]]:
        """Run due tasks, deliver what is due (including what the tasks wrote), then run due jobs.

        Returns (tasks done, e-mails sent, job names). Errors are logged, never fatal: the next
        round tries again.
        """
        refresh_connections()
        done = sent = 0
        ran: list[str] = []
        try:
            while not self.stop.is_set():
                finished = run_due_tasks(limit=self.batch)
                done += finished
                if finished < self.batch:
                    break
        except Exception:
            logger.exception("Running outbox tasks failed; trying again next round.")
            refresh_connections()  # the database may have gone away: delivery starts on a fresh connection
        try:
            while not self.stop.is_set():
                delivered = deliver_due(limit=self.batch)
                sent += delivered
                if delivered < self.batch:
                    break
        except Exception:
            logger.exception("Delivering the outbox failed; trying again next round.")
        if not self.stop.is_set():
            try:
                ran = jobs.run_due_jobs()
            except Exception:
                logger.exception("Running scheduled jobs failed; trying again next round.")
        refresh_connections()
        return done, sent, ran


def refresh_connections() -> None:
    """Drop broken or expired database connections (as Django does per request), so the worker
    recovers by itself from a database restart. Left alone inside a transaction (only in tests)."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
