"""R3: schemathesis against /api/v1/openapi.json, on the demo content.

Every operation of the published document gets generated requests, valid ones and invalid ones, as
the coordinator, as a participant and without a token. Path parameters name now an object that
exists (demo editions, enrolments, sessions, credentials, plus applications and invoices made
through the API below), now whatever schemathesis makes up; bodies and queries get, now and then,
values that pass the first validation (known dates, real e-mail addresses, money, references to
real objects), so the requests reach the services too. Every response must not be a 5xx, must
have a status code and a content type that the document lists for its operation, and must match
the documented schema. Requests go through Django's real WSGI handler (middleware, auth, services,
database) inside this test's transaction, so the data they change is gone afterwards. Hypothesis
runs derandomized: the same requests on every run, in CI on SQLite and on PostgreSQL."""

import datetime
import os
from collections import Counter

import pytest
import schemathesis
import werkzeug.test
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from leergang.accounts.models import User
from leergang.accounts.services import issue_api_token
from leergang.awards.models import Award
from leergang.catalog.models import Edition, Programme, Session
from leergang.enrolment.models import Application, Enrolment
from leergang.invoicing.models import Invoice

from .helpers import API

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Examples per operation for each caller; Hypothesis stops early when an operation has fewer
# distinct inputs (GET /programmes has none), so the total is counted, not assumed.
# SCHEMATHESIS_SCALE=10 multiplies them for a longer hunt on a developer's machine.
SCALE = int(os.environ.get("SCHEMATHESIS_SCALE", "1"))
EXAMPLES = {"coordinator": 40 * SCALE, "participant": 8 * SCALE, "anonymous": 8 * SCALE}
MINIMUM_REQUESTS = 1000


@pytest.fixture
def app(demo, settings):
    """Django's WSGI application on the demo content, with limits raised so fuzzing is never throttled.

    As in Django's test client, a request does not close the database connection, so the requests
    run in this test's transaction: they see the demo content and nothing outlives the test. (Do
    not use Django's test client in this module: it connects the closing again after its request.)"""
    settings.LOGIN_RATE_LIMIT = 1_000_000
    settings.CHECK_IN_RATE_LIMIT = 1_000_000
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def bearer(email: str) -> dict:
    return {"Authorization": f"Bearer {issue_api_token(actor=None, user=User.objects.get(email=email))}"}


INVOICE_ADDRESS = {"organisation": "Gemeente Utrecht", "address": "Stadsplateau 1", "postal_code": "3521 AZ", "city": "Utrecht",
                   "email": "facturen@utrecht.example"}  # fmt: skip


def add_applications_and_invoices(app, coordinator: dict) -> None:
    """The demo has no applications or invoices: make some the way a client would, so that
    generated requests also reach real ones (submitted, with an intake, admitted with an invoice)."""
    client = werkzeug.test.Client(app)  # through the same handler as the fuzzing (not Django's test client)

    def post(path, body, headers=None):
        response = client.post(f"{API}{path}", json=body, headers=headers or {})
        assert response.status_code in (200, 201), response.get_data(as_text=True)
        return response.json

    edition = Edition.objects.get(status="open")
    made = []
    for n in range(3):
        body = {"first_name": "Fuzz", "last_name": f"Aanvrager {n}", "email": f"fuzz{n}@example.org", "phone": None,
                "organisation": "Gemeente Utrecht", "job_title": "Teamleider", "education_level": "hbo",
                "years_experience": 8, "leadership_role": True, "challenge": "Meer vertrouwen.",
                "invoice": INVOICE_ADDRESS, "discount_code": None, "privacy_consent": True}  # fmt: skip
        made.append(post(f"/editions/{edition.id}/applications", body)["id"])
    intake = {"scheduled_at": "2030-01-08T10:00:00+01:00", "mode": "online", "interviewer": "Coördinator"}
    post(f"/applications/{made[1]}/intake", intake, coordinator)
    assert post(f"/applications/{made[2]}/decision", {"decision": "admit"}, coordinator)["invoice_number"]
    direct = {"first_name": "Jan", "last_name": "Jansen", "email": "jan.fuzz@example.org", "invoice": INVOICE_ADDRESS}
    assert post(f"/editions/{edition.id}/enrolments", direct, coordinator)["invoice_number"]


def existing_values() -> dict[str, list]:
    """Path parameter values that name real objects, by parameter name."""
    return {
        "slug": list(Programme.objects.values_list("slug", flat=True)),
        "edition_id": list(Edition.objects.values_list("id", flat=True)),
        "application_id": list(Application.objects.values_list("id", flat=True)),
        "enrolment_id": list(Enrolment.objects.values_list("id", flat=True)),
        "session_id": list(Session.objects.values_list("id", flat=True)),
        "number": list(Invoice.objects.values_list("number", flat=True)),
        "code": list(Award.objects.values_list("code", flat=True)),
    }


def realistic_values(real: dict[str, list]) -> dict[str, st.SearchStrategy]:
    """Values for body and query fields, by name, that get past the first validation, so that
    generated requests also reach the services (dates the holiday tables know, real e-mail
    addresses, money as the API writes it, references to objects that exist)."""
    day = st.dates(min_value=datetime.date(2015, 1, 1), max_value=datetime.date(2029, 12, 31)).map(str)
    money = st.sampled_from(["2995.00", "0.00", "100.00", "12.50", "1500"])
    return {
        "programme": st.sampled_from(real["slug"]),
        "edition": st.sampled_from(real["edition_id"]),
        "enrolment_ids": st.lists(st.sampled_from(real["enrolment_id"]), unique=True, max_size=5),
        "email": st.integers(min_value=0, max_value=50).map("fuzz{}@example.org".format),
        "fee": money,
        "amount": money,
        "cancellation_fee_value": money,
        "start_date": day,
        "first_date": day,
        "paid_on": day,
        "date": day,
        "from": day,
        "to": day,
        "dates": st.lists(day, max_size=8),
        "privacy_consent": st.just(True),
    }


def make_realistic(value, draw, fields: dict[str, st.SearchStrategy]):
    """`value` (a body or query) with the fields named in `fields` replaced, at any depth."""
    if isinstance(value, dict):
        return {key: draw(fields[key]) if key in fields else make_realistic(item, draw, fields) for key, item in value.items()}
    if isinstance(value, list):
        return [make_realistic(item, draw, fields) for item in value]
    return value


def cases(operation, real: dict[str, list]):
    """Valid and invalid requests for one operation; about half of them aimed at objects that exist
    and about half with realistic values in the body and query."""
    modes = [operation.as_strategy(generation_mode=mode) for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)]
    fields = realistic_values(real)

    @st.composite
    def build(draw):
        case = draw(st.one_of(*modes))
        if case.path_parameters and draw(st.booleans()):
            for name in list(case.path_parameters):
                if real.get(name):
                    case.path_parameters[name] = draw(st.sampled_from(real[name]))
        if draw(st.booleans()):
            if isinstance(case.body, dict | list):
                case.body = make_realistic(case.body, draw, fields)
            if case.query:
                case.query = make_realistic(case.query, draw, fields)
        return case

    return build()


class Tally:
    """What was sent, counted rather than assumed: requests per operation, answers per caller and status."""

    def __init__(self):
        self.requests = Counter()
        self.answers = Counter()

    def operations_answered(self, caller: str, statuses: range) -> set[str]:
        return {label for (who, label, status) in self.answers if who == caller and status in statuses}


def fuzz_operation(operation, caller: str, headers: dict, real: dict[str, list], tally: Tally) -> str | None:
    """Generated requests for one operation as one caller; the failure as text, or None."""
    label = f"{operation.method.upper()} {operation.path}"

    @given(case=cases(operation, real))
    @hypothesis_settings(
        max_examples=EXAMPLES[caller],
        derandomize=os.environ.get("SCHEMATHESIS_RANDOM") != "1",  # =1: new inputs, for a hunt by hand
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        tally.requests[label] += 1
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        tally.answers[(caller, label, response.status_code)] += 1

    try:
        run()
    except (Exception, BaseExceptionGroup) as error:  # collected so that one run reports every failing operation
        return f"{type(error).__name__}: {error}"
    return None


def fuzz(schema, caller: str, headers: dict, tally: Tally) -> dict[str, str]:
    """Generated requests for every operation as one caller; returns the failures by operation."""
    real = existing_values()
    failures = {}
    for operation in operations(schema):
        failure = fuzz_operation(operation, caller, headers, real, tally)
        if failure:
            failures[f"{caller}: {operation.method.upper()} {operation.path}"] = failure
    return failures


def operations(schema) -> list:
    return [result.ok() for result in schema.get_all_operations()]


def test_every_operation_keeps_the_contract_under_generated_requests(app):
    coordinator = bearer("coordinator@example.org")
    add_applications_and_invoices(app, coordinator)
    participant = Enrolment.objects.filter(edition__status="running").order_by("id").first().participant
    schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", app)
    everything = {f"{o.method.upper()} {o.path}" for o in operations(schema)}
    assert len(everything) >= 40, everything

    tally = Tally()
    failures = {}
    for caller, headers in (("coordinator", coordinator), ("participant", bearer(participant.email)), ("anonymous", {})):
        failures.update(fuzz(schema, caller, headers, tally))

    assert not failures, "\n\n".join(f"{label}\n{text}" for label, text in failures.items())
    assert set(tally.requests) == everything
    assert sum(tally.requests.values()) >= MINIMUM_REQUESTS, tally.requests
    # The requests reached real work, not only validation errors: most operations did what was
    # asked at least once for the coordinator, and every protected one refused the anonymous caller.
    assert len(tally.operations_answered("coordinator", range(200, 300))) >= 30, sorted(tally.answers.items())
    assert len(tally.operations_answered("anonymous", range(401, 402))) >= 30, sorted(tally.answers.items())
