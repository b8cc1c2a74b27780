"""Domain errors raised by services; the edges (API, pages) turn them into HTTP answers.

Messages are lazy translations so they read in the language of whoever sees them.
"""

from typing import Any


class DomainError(Exception):
    status = 400

    def __init__(self, detail: Any, errors: list[dict[str, Any]] | None = None, extra: dict[str, Any] | None = None) -> None:
        super().__init__(str(detail))
        self.detail = detail
        self.errors = errors or []
        # Further top-level fields of the error body, e.g. "violations" of a refused schedule.
        self.extra = extra or {}


class NotFound(DomainError):
    status = 404


class PermissionDenied(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409


class Invalid(DomainError):
    status = 422


class TooManyRequests(DomainError):
    status = 429
