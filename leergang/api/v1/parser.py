import json

from ninja.parser import Parser


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
        return data
