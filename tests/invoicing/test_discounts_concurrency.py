"""On PostgreSQL: registrations taking the last use of a discount code at the same moment, over real
HTTP. The code's row is locked while its uses are counted, so exactly as many succeed as uses are
left; the others get the field error and store nothing."""

import json
import threading
import urllib.error
import urllib.request

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application

from leergang.enrolment.models import Application
from leergang.invoicing.models import DiscountCode, DiscountRedemption
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


class RoomyServer(ThreadedWSGIServer):
    request_queue_size = 64


@pytest.fixture
def server():
    httpd = RoomyServer(("127.0.0.1", 0), WSGIRequestHandler, allow_reuse_address=True)
    httpd.set_app(get_wsgi_application())
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def apply(url: str, email: str) -> tuple[int, dict]:
    body = {
        "first_name": "P",
        "last_name": email,
        "email": email,
        "organisation": "Org",
        "job_title": "Lead",
        "education_level": "wo",
        "years_experience": 10,
        "leadership_role": True,
        "challenge": "-",
        "invoice": {
            "organisation": "Org",
            "address": "Straat 1",
            "postal_code": "1000 AA",
            "city": "A",
            "email": "f@example.org",
        },
        "discount_code": "last1",
        "privacy_consent": True,
    }
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Accept-Language": "en"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def register_at_once(server: str, edition, count: int) -> list[tuple[int, dict]]:
    url = f"{server}/api/v1/editions/{edition.pk}/applications"
    results: list[tuple[int, dict]] = []
    start = threading.Barrier(count)

    def one(n: int) -> None:
        start.wait()
        results.append(apply(url, f"p{n}@example.org"))

    threads = [threading.Thread(target=one, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.parametrize(("max_uses", "people"), [(1, 2), (3, 10)])
def test_simultaneous_registrations_take_exactly_the_uses_left(server, max_uses, people):
    edition = factories.EditionFactory(status="open")
    code = DiscountCode.objects.create(code="LAST1", kind="percentage", value=10, max_uses=max_uses)

    results = register_at_once(server, edition, people)

    statuses = sorted(status for status, _body in results)
    assert statuses == [201] * max_uses + [422] * (people - max_uses), results
    for status, body in results:
        if status == 422:
            assert body["errors"] == [{"field": "discount_code", "message": "This discount code has been used up."}]
    assert DiscountRedemption.objects.filter(discount=code).count() == max_uses
    assert Application.objects.filter(edition=edition).count() == max_uses
    assert set(Application.objects.values_list("discount_code", flat=True)) == {"LAST1"}
