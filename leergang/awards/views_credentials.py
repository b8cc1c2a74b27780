"""Public, machine-read documents behind the credentials: the issuer profile, the public keys and
the revocation status list. No login, no cookies, no language: verifiers fetch them from the URLs
inside the credentials, often from other origins, and may cache them briefly."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from . import credentials, keys, status_list

MAX_AGE = status_list.TTL_SECONDS


def _public(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _json(data: dict) -> HttpResponse:
    return _public(JsonResponse(data, json_dumps_params={"ensure_ascii": False}))


@login_not_required
@require_safe
def issuer(request):
    """The issuer's Open Badges 3.0 Profile, the `issuer.id` of every credential."""
    return _json({"@context": [credentials.VC_CONTEXT, credentials.OB_CONTEXT], **credentials.issuer_profile()})


@login_not_required
@require_safe
def jwks(request):
    """The public halves of all signing keys, retired ones included, so old credentials verify."""
    keys.active_key()  # the set always holds the key that signs next
    return _json(keys.jwks())


@login_not_required
@require_safe
def key(request, kid):
    """One public key as a JWK: what a credential's `kid` dereferences to (OB 3.0 §8.2)."""
    found = keys.find(kid)
    if found is None:
        raise Http404("Unknown key.")
    return _json(keys.public_jwk(found))


@login_not_required
@require_safe
def status(request, number):
    """The revocation status list credential, as a VC-JWT."""
    if number != credentials.STATUS_LIST_NUMBER:
        raise Http404("Unknown status list.")
    token = status_list.current_status_list_jwt(number)
    return _public(HttpResponse(token, content_type=status_list.MEDIA_TYPE))
