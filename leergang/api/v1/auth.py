from django.contrib.auth.models import AnonymousUser
from ninja.security import HttpBearer

from leergang.accounts.services import user_for_token


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; a missing or bad token is a 401 in the error format."""

    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class OptionalBearerToken(BearerToken):
    """For public endpoints that show more to a coordinator: no header is anonymous, a bad one is 401."""

    def __call__(self, request):
        if "Authorization" not in request.headers:
            request.user = AnonymousUser()
            return request.user
        return super().__call__(request)


bearer = BearerToken()
optional_bearer = OptionalBearerToken()
