"""Assertions shared by the API tests."""

from contextlib import contextmanager

from leergang.accounts.models import ApiToken
from leergang.catalog.models import Edition, Programme, Session
from leergang.core.models import AuditEntry
from leergang.enrolment.models import Enrolment

API = "/api/v1"


def assert_error(response, status: int, field: str | None = None) -> dict:
    """The response is `status` with exactly the contract's error body; `field`, when given, is named in `errors`."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert isinstance(body, dict) and set(body) == {"detail", "errors"}, body
    assert isinstance(body["detail"], str) and body["detail"].strip(), body
    assert "Traceback" not in body["detail"] and "pydantic" not in body["detail"].lower(), body
    assert isinstance(body["errors"], list), body
    for item in body["errors"]:
        assert isinstance(item, dict) and set(item) == {"field", "message"}, item
        assert isinstance(item["field"], str) and item["field"], item
        assert isinstance(item["message"], str) and item["message"].strip(), item
    if field is not None:
        assert field in [item["field"] for item in body["errors"]], body
    return body


def stored_state() -> dict:
    """Everything a rejected edition request might wrongly touch, compared in full (updated_at included)."""
    return {
        "editions": list(Edition.objects.order_by("id").values()),
        "sessions": list(Session.objects.order_by("id").values()),
        "programmes": list(Programme.objects.order_by("id").values()),
        "enrolments": list(Enrolment.objects.order_by("id").values()),
        "audit": list(AuditEntry.objects.order_by("id").values("id", "action", "object_id", "before", "after")),
        "tokens": ApiToken.objects.count(),
    }


@contextmanager
def nothing_changes():
    """`with nothing_changes(): client.post(...)` fails when the request changed stored data."""
    before = stored_state()
    yield
    after = stored_state()
    assert after == before
