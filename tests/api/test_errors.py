"""The error format outside the endpoints' own checks: wrong methods (405), unreadable bodies (400),
unknown /api/ paths (404); and GET /healthz (its 503 path is tested in tests/core/test_health.py)."""

import pytest

from .helpers import API, assert_error, nothing_changes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("post", "/programmes", {"GET"}),
        ("delete", "/programmes", {"GET"}),
        ("put", "/programmes/{slug}", {"GET"}),
        ("delete", "/programmes/{slug}", {"GET"}),
        ("get", "/editions", {"POST"}),
        ("put", "/editions", {"POST"}),
        ("delete", "/editions/{id}", {"GET", "PATCH"}),
        ("put", "/editions/{id}", {"GET", "PATCH"}),
        ("post", "/editions/{id}", {"GET", "PATCH"}),
    ],
)
def test_wrong_method_is_405_with_allow_header(client, edition, as_coordinator, method, path, allowed):
    url = API + path.format(slug=edition.programme.slug, id=edition.id)
    with nothing_changes():
        response = getattr(client, method)(url, {}, content_type="application/json", **as_coordinator)
    assert_error(response, 405)
    assert {part.strip() for part in response["Allow"].split(",")} == allowed


@pytest.mark.parametrize(
    "body",
    ["{bad json", '{"programme": "x",}', "\x00\x01", "null"[:3]],
    ids=["unclosed", "trailing comma", "binary", "truncated literal"],
)
def test_malformed_json_is_400(client, edition, as_coordinator, body):
    with nothing_changes():
        assert_error(client.post(f"{API}/editions", body, content_type="application/json", **as_coordinator), 400)
        assert_error(client.patch(f"{API}/editions/{edition.id}", body, content_type="application/json", **as_coordinator), 400)


def test_form_encoded_body_is_rejected_in_the_error_format(client, programme, as_coordinator):
    with nothing_changes():
        response = client.post(
            f"{API}/editions", "programme=x&capacity=3", content_type="application/x-www-form-urlencoded", **as_coordinator
        )
    assert_error(response, 400)


@pytest.mark.parametrize("body", ["[]", '["programme"]', '"text"', "42", "true", "null"])
def test_json_that_is_not_an_object_is_400(client, edition, as_coordinator, body):
    with nothing_changes():
        assert_error(client.post(f"{API}/editions", body, content_type="application/json", **as_coordinator), 400)
        assert_error(client.patch(f"{API}/editions/{edition.id}", body, content_type="application/json", **as_coordinator), 400)


def test_missing_body_is_rejected(client, edition, as_coordinator):
    with nothing_changes():
        assert_error(client.post(f"{API}/editions", "", content_type="application/json", **as_coordinator), 422)
        assert_error(client.patch(f"{API}/editions/{edition.id}", "", content_type="application/json", **as_coordinator), 422)


@pytest.mark.parametrize(
    "path",
    [
        "/api/",
        "/api/v1/",
        "/api/v1/nothing",
        "/api/v1/programmes/",
        "/api/v2/programmes",
        "/api/v1/editions/1/sessionz",
        "/api/anything/deeper",
    ],
)
def test_unknown_api_paths_are_404_in_the_error_format(client, edition, path):
    response = client.get(path)
    assert_error(response, 404)
    assert "Location" not in response


def test_unknown_api_path_with_a_token_is_404_too(client, edition, as_coordinator):
    assert_error(client.post("/api/v1/nothing", {}, content_type="application/json", **as_coordinator), 404)


def test_error_detail_is_a_sentence_not_a_technical_dump(client, edition, as_coordinator):
    body = assert_error(client.post(f"{API}/editions", "{bad", content_type="application/json", **as_coordinator), 400)
    assert "Expecting" not in body["detail"] and "JSONDecodeError" not in body["detail"]


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"
