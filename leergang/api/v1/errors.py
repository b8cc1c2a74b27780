"""One error format for every 4xx: {"detail": sentence, "errors": [{"field", "message"}]}."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as ModelValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from leergang.core.errors import DomainError

from .parser import NulInBody

# Pydantic error types as a person would read them; the rest keep pydantic's own message.
_MESSAGES = {
    "missing": lambda e: _("This field is required."),
    "int_parsing": lambda e: _("Enter a whole number."),
    "int_type": lambda e: _("Enter a whole number."),
    "int_from_float": lambda e: _("Enter a whole number."),
    "date_parsing": lambda e: _("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": lambda e: _("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_inexact": lambda e: _("Enter a date as YYYY-MM-DD."),
    "date_type": lambda e: _("Enter a date as YYYY-MM-DD."),
    "time_parsing": lambda e: _("Enter a time as HH:MM."),
    "time_type": lambda e: _("Enter a time as HH:MM."),
    "decimal_parsing": lambda e: _("Enter an amount such as 2995.00."),
    "decimal_type": lambda e: _("Enter an amount such as 2995.00."),
    "decimal_max_places": lambda e: _("Use at most two decimals."),
    "decimal_max_digits": lambda e: _("This amount is too large."),
    "decimal_whole_digits": lambda e: _("This amount is too large."),
    "finite_number": lambda e: _("Enter an amount such as 2995.00."),
    "string_type": lambda e: _("Enter text."),
    "bool_type": lambda e: _("Enter true or false."),
    "bool_parsing": lambda e: _("Enter true or false."),
    "literal_error": lambda e: (
        _("This must be true.")
        if str(e.get("ctx", {}).get("expected", "")) == "True"
        else _("Choose one of: %(choices)s.") % {"choices": e.get("ctx", {}).get("expected", "")}
    ),
    "greater_than_equal": lambda e: _("Enter %(limit)s or more.") % {"limit": e.get("ctx", {}).get("ge")},
    "less_than_equal": lambda e: _("Enter %(limit)s or less.") % {"limit": e.get("ctx", {}).get("le")},
    "string_too_short": lambda e: _("This field may not be empty."),
    "string_too_long": lambda e: _("Use at most %(max)s characters.") % {"max": e.get("ctx", {}).get("max_length")},
    # Our own validators raise ValueError with an English msgid: show it in the reader's language.
    "value_error": lambda e: _(str(e.get("ctx", {}).get("error", ""))) or e.get("msg", ""),
    "json_invalid": lambda e: _("The body is not valid JSON."),
    "model_attributes_type": lambda e: _("Send a JSON object."),
    "dict_type": lambda e: _("Send a JSON object."),
}

_CONTAINER_PARTS = {"body", "payload", "query", "path", "params", "form", "header", "cookie"}


def field_name(location) -> str:
    parts = [str(p) for p in location if str(p) not in _CONTAINER_PARTS]
    return ".".join(parts) or "body"


def readable(error: dict) -> str:
    if error.get("input", "") is None and error.get("type") != "missing":
        return str(_("This field may not be empty."))  # null sent for a field that needs a value
    make = _MESSAGES.get(error.get("type", ""))
    return str(make(error)) if make else str(error.get("msg", _("This value is not valid.")))


def error_response(api, request, status: int, detail, errors=None, extra=None):
    body = {"detail": str(detail), "errors": errors or []}
    body.update(extra or {})
    return api.create_response(request, body, status=status)


def install(api) -> None:
    @api.exception_handler(ValidationError)
    def validation_error(request, exc):
        errors = [{"field": field_name(e.get("loc", [])), "message": readable(e)} for e in exc.errors]
        return error_response(api, request, 422, _("Some fields are not valid; see errors for what to change."), errors)

    @api.exception_handler(ModelValidationError)
    def model_validation_error(request, exc):
        """The model's own validation (a service's full_clean): a 422, never a 500."""
        messages = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
        errors = [
            {"field": "body" if name == NON_FIELD_ERRORS else name, "message": str(message)}
            for name, texts in messages.items()
            for message in texts
        ]
        return error_response(api, request, 422, _("Some fields are not valid; see errors for what to change."), errors)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, exc):
        return error_response(api, request, 401, _("Log in with a valid API token (Authorization: Bearer <token>)."))

    @api.exception_handler(DomainError)
    def domain_error(request, exc):
        return error_response(api, request, exc.status, exc.detail, exc.errors, exc.extra)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return error_response(api, request, 404, _("Nothing was found at this address."))

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        if isinstance(exc.__cause__, NulInBody):  # ninja wraps every parser failure in a 400
            message = str(_("Remove the invisible control characters from this text."))
            errors = [{"field": field, "message": message} for field in exc.__cause__.fields]
            return error_response(api, request, 422, _("Some fields are not valid; see errors for what to change."), errors)
        if exc.status_code == 400:  # ninja's own parse failures carry technical text
            return error_response(api, request, 400, _("The request body could not be read; send a JSON object."))
        return error_response(api, request, exc.status_code, exc.message)
