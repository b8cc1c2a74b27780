from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.translation import get_language_from_request
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt


@login_not_required
def root_redirect(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(f"/{get_language_from_request(request)}/")


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the app and its database answer; 503 otherwise (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy", never a 500
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_not_required
@csrf_exempt
def api_not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return JsonResponse({"detail": _("There is no API endpoint at this address."), "errors": []}, status=404)
