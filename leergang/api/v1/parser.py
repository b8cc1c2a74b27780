import json

from ninja.parser import Parser


class NulInBody(ValueError):
    """Text in the body holds a NUL character, which PostgreSQL cannot store (nor look up): the
    fields are named so the error handler answers 422 for them instead of a 500 from the database."""

    def __init__(self, fields: list[str]):
        super().__init__("the body contains a NUL character")
        self.fields = fields


def _nul_fields(value, path: tuple = ()) -> list[str]:
    if isinstance(value, str):
        return [".".join(path) or "body"] if "\x00" in value else []
    if isinstance(value, dict):  # keys are field names: one with a NUL is unknown, so ignored like any other
        return [field for key, item in value.items() for field in _nul_fields(item, (*path, key))]
    if isinstance(value, list):
        return [field for index, item in enumerate(value) for field in _nul_fields(item, (*path, str(index)))]
    return []


class JSONObjectParser(Parser):
    """Every request body of this API is a JSON object; anything else (an array, a bare string or
    number, a form) is a 400 rather than a list of "required" errors for fields that were sent."""

    def parse_body(self, request):
        # No body at all (or an empty form, as some clients send for a bare POST) reads as an empty
        # object: optional bodies (a cancellation's reason) may be left out, and a required field
        # then gets its own "required" error.
        if not request.body.strip() or (request.content_type == "multipart/form-data" and not request.POST and not request.FILES):
            return {}
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("the body is not a JSON object")
        fields = _nul_fields(data)
        if fields:
            raise NulInBody(fields)
        return data
