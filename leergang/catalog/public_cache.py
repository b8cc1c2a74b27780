"""The rendered public catalogue (home page, programme pages, the API's programme reads) for anonymous
visitors, kept in Django's cache so a visit costs a cache look-up instead of the queries and the
template.

What is cached: the view's own response (status 200, its content and Content-Type), before the
middleware adds what differs per request (cookies, Vary, Content-Language, security headers). Only
for anonymous visitors: a logged-in visitor's page differs (header links, a logout form with a CSRF
token, schedule links for the office), so they always get a fresh page. The anonymous pages hold no
form, no CSRF token and no CSP nonce, so one copy serves every anonymous visitor.

Key: the URL (scheme, host, path and the edition choice; the calendar links and the language switch
print them), the language, and for pages the local date (an edition that starts today is no longer
"coming" tomorrow, past sessions are greyed out). Any other query string is rendered fresh, so
made-up parameters cannot fill the cache.

Invalidation: every stored page carries the catalogue's *generation* (a random token under
GENERATION_KEY); a page is served only while the generation is unchanged. Saving or deleting
anything the pages show (see WATCHED) replaces the generation once the transaction commits, through
model signals connected in CatalogConfig.ready(). Signals rather than calls in the services,
because these rows change from many places (catalogue, scheduling and enrolment services, the
offer-expiry job, the admin, the demo loader): a call forgotten in one of them would go unnoticed,
a signal cannot be forgotten. What bypasses signals (queryset.update(), bulk_create()) on these
rows must call invalidate_public_pages() itself; today only the data generators of leergang/demo
do (they run before the site serves, and PAGE_SECONDS covers them anyway).

The generation lives in the cache, so a change invalidates everywhere the cache is shared: with
CACHE_URL=db every app server, web worker and `manage.py worker` sees the new generation at once.
With the default in-process LocMemCache each process has its own cache and sees only its own
changes; PAGE_SECONDS then bounds how stale another process's copy can be. Every page also expires
after PAGE_SECONDS whatever happens, which bounds the staleness of anything the signals cannot see.

A request served inside an open transaction (ATOMIC_REQUESTS, or a test) could render changes that
are later rolled back, and the generation only moves on commit: such requests neither read nor
fill the cache.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone, translation

GENERATION_KEY = "catalog:public-generation"
# How long a stored page may be served at most (10 minutes): the bound on staleness for changes
# made in another process under LocMemCache, and for writes that bypass signals.
PAGE_SECONDS = 600

# The models whose rows the cached pages show (programme page, home page, GET /programmes[/{slug}]).
# Enrolments and offers count as seats taken ("full", "seats_taken" in the API).
WATCHED = (
    "catalog.Programme",
    "catalog.Edition",
    "catalog.Session",
    "catalog.SessionPart",
    "catalog.Teacher",
    "catalog.ProgrammeTeacher",
    "catalog.LearningGoal",
    "catalog.Room",
    "catalog.Location",
    "enrolment.Enrolment",
    "enrolment.Offer",
)

# The only query string a cached page may carry: the edition a visitor picked (?editie=12).
_CACHEABLE_QUERY = re.compile(r"(?:(?:editie|edition)=\d{1,9})?")


# --- invalidation ----------------------------------------------------------------------------


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def invalidate_public_pages(using: str | None = None) -> None:
    """Make every cached public page stale once the current transaction commits (at once outside
    one). Several changes in one transaction replace the generation once."""
    conn = transaction.get_connection(using)
    if conn.in_atomic_block and any(func is _new_generation for _ids, func, _robust in conn.run_on_commit):
        return
    # robust: the change is committed either way; a cache that cannot be written must not turn it
    # into an error page (PAGE_SECONDS still bounds the staleness).
    transaction.on_commit(_new_generation, using=using, robust=True)


def _model_changed(sender, using=None, **kwargs) -> None:
    invalidate_public_pages(using)


def _links_changed(sender, action, using=None, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        invalidate_public_pages(using)


def connect_signals() -> None:
    from django.apps import apps

    for label in WATCHED:
        model = apps.get_model(label)
        post_save.connect(_model_changed, sender=model, dispatch_uid=f"public-cache-save-{label}")
        post_delete.connect(_model_changed, sender=model, dispatch_uid=f"public-cache-delete-{label}")
    # `programme.lead_teachers.add()` writes ProgrammeTeacher rows without post_save.
    through = apps.get_model("catalog.Programme").lead_teachers.through
    m2m_changed.connect(_links_changed, sender=through, dispatch_uid="public-cache-lead-teachers")


# --- serving ---------------------------------------------------------------------------------


def _key(*parts: object) -> str:
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()[:32]
    return f"catalog:public:{digest}"


def _current_generation(found: dict) -> str:
    generation = found.get(GENERATION_KEY)
    if generation is None:
        # Never cached before, or evicted: start a new generation, so a page stored under an
        # evicted one can never be served again. add() lets the first of two concurrent starts win.
        candidate = uuid.uuid4().hex
        generation = candidate if cache.add(GENERATION_KEY, candidate, timeout=None) else cache.get(GENERATION_KEY, candidate)
    return generation


def _storable(response) -> bool:
    return response.status_code == 200 and not response.streaming and not response.cookies


def _serve(key: str | None, view, request, *args, **kwargs):
    if key is None or connection.in_atomic_block:
        return view(request, *args, **kwargs)
    found = cache.get_many([GENERATION_KEY, key])
    entry = found.get(key)
    if entry is not None and entry[0] == found.get(GENERATION_KEY):
        _generation, content, headers = entry
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        return response
    # The generation is read before the view reads the data, so what is stored is at least as new
    # as the generation it is stored under.
    generation = _current_generation(found)
    response = view(request, *args, **kwargs)
    if _storable(response):
        cache.set(key, (generation, response.content, list(response.items())), PAGE_SECONDS)
    return response


def _page_key(request) -> str | None:
    if request.method != "GET" or request.user.is_authenticated:
        return None
    query = request.META.get("QUERY_STRING", "")
    if not _CACHEABLE_QUERY.fullmatch(query):
        return None
    # A message waiting for this visitor (after logging out, say) is shown on the next page:
    # render that one fresh. len() looks without marking the messages as read.
    if len(messages.get_messages(request)):
        return None
    return _key("page", request.scheme, request.get_host(), request.path, query, translation.get_language(), timezone.localdate())


def cache_public_page(view):
    """Serve an anonymous GET of a public page from the cache (see the module docstring)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return _serve(_page_key(request), view, request, *args, **kwargs)

    return wrapper


# A public form (the registration form) holds two values of its own per visit: the CSRF token and
# the form's submission key. Its copy is stored with markers in their place, and each visit gets
# fresh ones, so one copy serves every anonymous visitor and no two visitors share a value.
_FORM_VALUES = re.compile(r'(name="(csrfmiddlewaretoken|submission_key)" value=")([^"]*)(")')
_MARKERS = {"csrfmiddlewaretoken": "\x00csrf\x00", "submission_key": "\x00key\x00"}


def _with_markers(content: bytes) -> bytes | None:
    text = content.decode()
    found: list[str] = []

    def mark(match: re.Match) -> str:
        found.append(match.group(2))
        return match.group(1) + _MARKERS[match.group(2)] + match.group(4)

    marked = _FORM_VALUES.sub(mark, text)
    # Only a page whose per-visit values are all in the form: anything else is not stored.
    return marked.encode() if sorted(found) == sorted(_MARKERS) else None


def cache_public_form(view, *, new_key):
    """Like cache_public_page, for a page with a form (see _FORM_VALUES): GET only, anonymous only;
    `new_key()` makes the fresh submission key of each visit."""
    from django.middleware.csrf import get_token

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = _page_key(request)
        if key is None or connection.in_atomic_block:
            return view(request, *args, **kwargs)
        key = _key("form", key)
        found = cache.get_many([GENERATION_KEY, key])
        entry = found.get(key)
        if entry is not None and entry[0] == found.get(GENERATION_KEY):
            _generation, content, headers = entry
            text = content.decode().replace(_MARKERS["csrfmiddlewaretoken"], get_token(request))
            response = HttpResponse(text.replace(_MARKERS["submission_key"], new_key()))
            for name, value in headers:
                response[name] = value
            return response
        generation = _current_generation(found)
        response = view(request, *args, **kwargs)
        marked = _with_markers(response.content) if _storable(response) else None
        if marked is not None:
            cache.set(key, (generation, marked, list(response.items())), PAGE_SECONDS)
        return response

    return wrapper


def _api_key(request) -> str | None:
    # No Authorization header is the anonymous caller (OptionalBearerToken); query strings play no
    # part in these endpoints, so they are left out of the key.
    if request.method != "GET" or "Authorization" in request.headers:
        return None
    return _key("api", request.path, translation.get_language(), settings.PUBLIC_BASE_URL)


def cache_public_api(run):
    """For django-ninja's `decorate_view`: the same cache for an anonymous read of the API. It wraps
    the whole operation (authentication, validation, rendering), so a hit skips all of it."""

    @wraps(run)
    def wrapper(request, *args, **kwargs):
        return _serve(_api_key(request), run, request, *args, **kwargs)

    return wrapper
