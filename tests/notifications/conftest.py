"""A real SMTP server (aiosmtpd) on a free port, with Django's SMTP backend pointed at it."""

import email
import socket
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from leergang.notifications import jobs, tasks

TEST_TEMPLATES = Path(__file__).resolve().parent / "templates"


def free_port() -> int:
    """A port nothing listens on (aiosmtpd cannot be given port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RecordingHandler:
    """Keeps every accepted message; `reply` lets a test make the server refuse DATA for a while."""

    def __init__(self) -> None:
        self.envelopes = []
        self.reply = "250 Message accepted for delivery"

    async def handle_DATA(self, server, session, envelope):
        if not self.reply.startswith("250"):
            return self.reply
        self.envelopes.append(envelope)
        return self.reply


class SmtpServer:
    """An SMTP server on a fixed port that a test can stop ("SMTP down") and start again."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.handler = RecordingHandler()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, ready_timeout=5)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def envelopes(self):
        return list(self.handler.envelopes)

    @property
    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(envelope.content, policy=policy.default) for envelope in self.handler.envelopes]


@pytest.fixture
def smtp_server(settings):
    """A running SMTP server that Django's SMTP backend sends to."""
    server = SmtpServer(free_port())
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture
def email_templates(settings):
    """Adds tests/notifications/templates, which holds small e-mail templates for the tests."""
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEST_TEMPLATES]}]


@pytest.fixture
def job_registry():
    """An empty job registry for the test; the registered jobs come back afterwards."""
    saved = dict(jobs._registry)
    jobs._registry.clear()
    yield jobs
    jobs._registry.clear()
    jobs._registry.update(saved)


@pytest.fixture
def task_registry():
    """An empty task handler registry for the test; the registered handlers come back afterwards."""
    saved = dict(tasks._registry)
    tasks._registry.clear()
    yield tasks
    tasks._registry.clear()
    tasks._registry.update(saved)
