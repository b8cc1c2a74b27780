import json

from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext_noop
from django.utils.translation.trans_real import parse_accept_lang_header

API_PREFIX = "/api/"
API_LANGUAGES = ("nl", "en")

# Marked for makemessages; translated per request below.
GENERIC_DETAIL = {
    400: gettext_noop("The request could not be read."),
    401: gettext_noop("Log in with a valid API token (Authorization: Bearer <token>)."),
    403: gettext_noop("You are not allowed to do this."),
    404: gettext_noop("There is no API endpoint or object at this address."),
    405: gettext_noop("This method is not allowed at this address."),
    409: gettext_noop("This conflicts with the current state."),
    413: gettext_noop("The request is too large."),
    415: gettext_noop("Send the request body as JSON (Content-Type: application/json)."),
    422: gettext_noop("Some fields are not valid."),
    429: gettext_noop("Too many requests; wait a moment and try again."),
}


def api_language(request) -> str:
    """The API speaks the language of Accept-Language only (no cookie, no session): nl by default."""
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        base = code.split("-")[0].lower()
        if base in API_LANGUAGES:
            return base
    return "nl"


class ApiLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        language = api_language(request)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.headers["Content-Language"] = language
        return response


class ApiErrorFormatMiddleware:
    """Any error the API answers without a JSON body (405 from routing, 413, ...) gets the contract's format."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            status = response.status_code
            detail = GENERIC_DETAIL.get(status, gettext_noop("The request could not be handled."))
            with translation.override(api_language(request)):
                detail = translation.gettext(detail)
            replacement = JsonResponse({"detail": detail, "errors": []}, status=status)
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in response:
                    replacement[header] = response[header]
            return replacement
        return response


def error_body(detail: str, errors: list | None = None) -> str:
    return json.dumps({"detail": detail, "errors": errors or []})
