import json

from ninja.parser import Parser


class JSONObjectParser(Parser):
    """Every request body of this API is a JSON object; anything else (an array, a bare string or
    number, a form) is a 400 rather than a list of "required" errors for fields that were sent."""

    def parse_body(self, request):
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("the body is not a JSON object")
        return data
