"""GET /api/v1/openapi.json: absolute paths, every operation with its error responses in the error schema."""

import pytest

from .helpers import API

pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("/api/v1/programmes", "get"): {"200", "401"},
    ("/api/v1/programmes/{slug}", "get"): {"200", "401", "404"},
    ("/api/v1/editions", "post"): {"201", "400", "401", "403", "422"},
    ("/api/v1/editions/{edition_id}", "get"): {"200", "401", "404", "422"},
    ("/api/v1/editions/{edition_id}", "patch"): {"200", "400", "401", "403", "404", "409", "422"},
}


@pytest.fixture
def schema(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def resolve(schema, node):
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    return node


def test_is_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["version"] == "1"


def test_paths_are_absolute(schema):
    assert schema["paths"], "no paths"
    for path in schema["paths"]:
        assert path.startswith("/api/v1/"), path


def test_every_endpoint_is_described(schema):
    described = {(path, method) for path, item in schema["paths"].items() for method in item}
    assert set(OPERATIONS) <= described


@pytest.mark.parametrize("operation", list(OPERATIONS), ids=[f"{m.upper()} {p}" for p, m in OPERATIONS])
def test_operation_declares_its_responses(schema, operation):
    path, method = operation
    responses = schema["paths"][path][method]["responses"]
    assert OPERATIONS[operation] <= set(responses), sorted(responses)


@pytest.mark.parametrize("operation", list(OPERATIONS), ids=[f"{m.upper()} {p}" for p, m in OPERATIONS])
def test_error_responses_use_the_error_schema(schema, operation):
    path, method = operation
    for status, response in schema["paths"][path][method]["responses"].items():
        if not status.startswith("4"):
            continue
        body = resolve(schema, response["content"]["application/json"]["schema"])
        assert set(body["properties"]) == {"detail", "errors"}, (status, body)
        assert set(body["required"]) == {"detail", "errors"}, (status, body)
        item = resolve(schema, body["properties"]["errors"]["items"])
        assert set(item["properties"]) == {"field", "message"}
        assert set(item["required"]) == {"field", "message"}


def test_writes_require_a_bearer_token_and_reads_do_not(schema):
    schemes = schema["components"]["securitySchemes"]
    for path, method in OPERATIONS:
        security = schema["paths"][path][method]["security"]
        for requirement in security:
            for name in requirement:
                assert schemes[name] == {"type": "http", "scheme": "bearer"}
        anonymous_allowed = {} in security
        assert anonymous_allowed == (method == "get"), (path, method, security)


def test_edition_input_schema_matches_the_contract(schema):
    body = schema["paths"]["/api/v1/editions"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    edition_in = resolve(schema, body)
    assert set(edition_in["required"]) == {"programme", "start_date", "capacity", "fee"}
    props = edition_in["properties"]
    assert props["holiday_region"]["default"] == "noord"
    assert props["status"]["default"] == "draft"
    assert set(props["holiday_region"]["enum"]) == {"noord", "midden", "zuid"}
    assert set(props["status"]["enum"]) == {"draft", "open", "running", "completed"}
    assert props["capacity"]["minimum"] == 1


def test_edition_patch_schema_has_no_required_or_nullable_fields(schema):
    body = schema["paths"]["/api/v1/editions/{edition_id}"]["patch"]["requestBody"]["content"]["application/json"]["schema"]
    patch = resolve(schema, body)
    assert not patch.get("required")
    for name, prop in patch["properties"].items():
        if name == "cancellation_free_until":  # null is a value here: no free period
            assert {"type": "null"} in prop["anyOf"], prop
            continue
        assert "null" not in str(prop), (name, prop)


def test_edition_output_schema_has_the_contract_fields(schema):
    response = schema["paths"]["/api/v1/editions/{edition_id}"]["get"]["responses"]["200"]
    edition_out = resolve(schema, response["content"]["application/json"]["schema"])
    assert {"id", "programme", "start_date", "capacity", "seats_taken", "fee", "status", "sessions"} <= set(
        edition_out["required"]
    )
    session = resolve(schema, edition_out["properties"]["sessions"]["items"])
    assert {"id", "number", "kind", "date", "start_time", "end_time", "theme", "delivery_mode"} <= set(session["required"])
    assert edition_out["properties"]["fee"]["type"] == "string"


def test_openapi_document_is_public(client, db):
    assert client.get(f"{API}/openapi.json").status_code == 200
