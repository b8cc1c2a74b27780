"""GET /api/v1/openapi.json is built once per process and then served as the same bytes."""

import json

import pytest
from django.test import RequestFactory
from ninja.openapi.views import openapi_json

from leergang.api.v1 import api, openapi_cache

from .helpers import API

URL = f"{API}/openapi.json"


@pytest.fixture
def schema_builds(monkeypatch):
    """How often django-ninja built the schema, from a fresh per-process copy."""
    openapi_cache.clear()
    calls = []
    build = api.get_openapi_schema

    def counted(*args, **kwargs):
        calls.append(1)
        return build(*args, **kwargs)

    monkeypatch.setattr(api, "get_openapi_schema", counted)
    yield calls
    openapi_cache.clear()


def test_the_schema_is_built_once_and_served_unchanged(client, schema_builds):
    first = client.get(URL)
    second = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert (first.status_code, second.status_code) == (200, 200)
    assert len(schema_builds) == 1
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert first["Content-Type"].startswith("application/json")


def test_the_cached_answer_is_what_django_ninja_answers(client, schema_builds):
    served = client.get(URL)
    client.get(URL)
    fresh = openapi_json(RequestFactory().get(URL), api=api)
    assert served.content == fresh.content
    assert json.loads(served.content)["info"]["title"] == "Leergang API"
    assert len(schema_builds) == 2  # the one served, the fresh one for comparison


def test_the_docs_page_is_not_cached_as_json(client, schema_builds):
    client.get(URL)
    docs = client.get(f"{API}/docs")
    assert docs.status_code == 200
    assert docs["Content-Type"].startswith("text/html")
