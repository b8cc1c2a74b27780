"""M6/R5 on PostgreSQL: 50 simultaneous admissions into 25 seats, over real HTTP."""

import json
import threading
import urllib.error
import urllib.request

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application

from leergang.accounts.services import issue_api_token
from leergang.enrolment.models import Application, Enrolment
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def post(url: str, body: dict, token: str) -> tuple[int, dict]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


class RoomyServer(ThreadedWSGIServer):
    """Django's threaded test server with a listen backlog for 50 simultaneous connections
    (the default of 5 makes the kernel reset the surplus before Django sees them)."""

    request_queue_size = 128


@pytest.fixture
def server():
    httpd = RoomyServer(("127.0.0.1", 0), WSGIRequestHandler, allow_reuse_address=True)
    httpd.set_app(get_wsgi_application())
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fifty_simultaneous_admissions_into_twenty_five_seats(server):
    edition = factories.EditionFactory(capacity=25, status="open")
    applications = [
        Application.objects.create(
            edition=edition,
            first_name="P",
            last_name=str(n),
            email=f"p{n}@example.org",
            organisation="Org",
            job_title="Lead",
            education_level="wo",
            years_experience=10,
            leadership_role=True,
            challenge="-",
            invoice_organisation="Org",
            invoice_address="Straat 1",
            invoice_postal_code="1000 AA",
            invoice_city="Amsterdam",
            invoice_email="f@example.org",
            privacy_consent=True,
        )  # fmt: skip
        for n in range(50)
    ]
    token = issue_api_token(actor=None, user=factories.CoordinatorFactory())
    results: list[tuple[int, dict]] = []
    start = threading.Barrier(len(applications))

    def admit(application_id: int) -> None:
        start.wait()
        results.append(post(f"{server}/api/v1/applications/{application_id}/decision", {"decision": "admit"}, token))

    threads = [threading.Thread(target=admit, args=(a.pk,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    statuses = sorted(status for status, _body in results)
    assert statuses == [200] * 25 + [409] * 25, statuses
    assert all(set(body) == {"detail", "errors"} for status, body in results if status == 409)
    assert Enrolment.objects.filter(edition=edition, status="enrolled").count() == 25
    numbers = sorted(body["invoice_number"] for status, body in results if status == 200)
    year = numbers[0].split("-")[0]
    assert numbers == [f"{year}-{n:04d}" for n in range(1, 26)]
