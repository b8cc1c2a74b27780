"""GET /api/v1/openapi.json built once per process.

django-ninja builds the schema from every operation's pydantic models on each request (about
300 ms for this API). The schema depends only on the code, which cannot change while the process
runs, and on no request detail (the same bytes in every language), so the first answer's bytes are
kept and served again. Passed to NinjaAPI as `docs_decorator`, which django-ninja applies to its
two documentation views; only the JSON view is cached, the HTML docs page is left alone.
"""

from __future__ import annotations

from functools import wraps

from django.http import HttpResponse
from ninja.openapi.views import openapi_json

# request path -> (status, content, headers) of the first answer there.
_answers: dict[str, tuple[int, bytes, list[tuple[str, str]]]] = {}


def clear() -> None:
    _answers.clear()


def _cached_openapi_json(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        answer = _answers.get(request.path)
        if answer is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            answer = _answers[request.path] = (response.status_code, response.content, list(response.items()))
        status, content, headers = answer
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        return response

    return wrapper


def docs_decorator(view):
    if getattr(view, "func", None) is openapi_json:  # django-ninja passes partial(openapi_json, api=...)
        return _cached_openapi_json(view)
    return view
