from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from leergang.accounts import permissions
from leergang.accounts.services import user_for_token
from leergang.core.errors import PermissionDenied


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


class CoordinatorBearerToken(BearerToken):
    """A valid token of someone who may manage editions. Checked before the body is read, so anybody
    else gets a 403 without learning which inputs or editions exist."""

    def authenticate(self, request, token):
        user = super().authenticate(request, token)
        if user is not None and not permissions.can_manage_editions(user):
            raise PermissionDenied(_("Only the programme office can change editions."))
        return user


bearer = BearerToken()
# Documents (invoice PDFs) may also be fetched by a logged-in person from a page (contract: "with
# their token (or session)"); only for GETs of documents, never for changes.
session = SessionAuth()
optional_bearer = OptionalBearerToken()
coordinator_bearer = CoordinatorBearerToken()

# In OpenAPI, an empty requirement next to the bearer scheme means "a token is optional".
ANONYMOUS_ALLOWED = {"security": [{}]}
