"""Sending an inventory entry's request as one of the world's roles, and reading what came back.
Shared by the permission matrix (R2) and the query-count and timing measurements (P1, P2)."""

import json
from urllib.parse import urlencode

from django.test import Client

from .inventory import ADMIN_LOGIN, LOGIN, LOGIN_PATHS, OK, Entry
from .world import World

_API_CLIENT: Client | None = None


def _api_client() -> Client:
    """The API authenticates by token only: a client without cookies. One client is kept (a new
    one builds Django's whole handler, WhiteNoise's file scan included, on its first request)."""
    global _API_CLIENT  # noqa: PLW0603 - one per process, like the server's own handler
    if _API_CLIENT is None:
        _API_CLIENT = Client()
    _API_CLIENT.cookies.clear()
    return _API_CLIENT


def send(entry: Entry, world: World, role: str, client: Client):
    url = entry.url(world)
    data = entry.data(world) if entry.data else None
    if not entry.is_api:
        if entry.method == "get":
            return client.get(url)
        if entry.multipart:
            return client.post(url, data or {})
        if any(hasattr(value, "read") for value in (data or {}).values()):
            raise ValueError(f"{entry.key} sends a file: mark it multipart, as its form's enctype is.")
        # As a browser sends a form without files.
        return client.post(url, urlencode(data or {}, doseq=True), content_type="application/x-www-form-urlencoded")
    headers = {}
    token = world.tokens.get(role)
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    anonymous = _api_client()
    if entry.multipart:
        return anonymous.post(url, data or {}, **headers)
    if entry.method == "get":
        return anonymous.get(url, **headers)
    return anonymous.generic(
        entry.method.upper(), url, json.dumps(data) if data is not None else "", content_type="application/json", **headers
    )


def outcome(entry: Entry, response) -> object:
    """What the response means: OK, LOGIN, "admin_login" or the bare status code."""
    status = response.status_code
    location = response.headers.get("Location", "")
    if entry.is_api and status == 401:
        return LOGIN
    if status in (301, 302, 303) and location.startswith(LOGIN_PATHS) and "next=" in location:
        return LOGIN
    if status in (301, 302) and location.startswith(ADMIN_LOGIN):
        return "admin_login"
    if 200 <= status < 400:
        return OK
    return status
