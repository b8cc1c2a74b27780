from urllib.parse import urlsplit

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse

# Everything comes from our own origin: no inline scripts or styles, no framing.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: the CSP and a permissions policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Pages need a login unless marked public; the API answers 401 itself instead of redirecting."""

    exempt_prefixes = ("/api/", "/static/", "/healthz")

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(self.exempt_prefixes):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)

    def handle_no_permission(self, request, view_func):
        # An htmx request (a register polling its list, a tap) after the login expired: following the
        # redirect would swap the login page into a fragment. Send the whole page to the login instead.
        if request.headers.get("HX-Request") == "true":
            current = urlsplit(request.headers.get("HX-Current-URL", ""))
            page = (current.path + (f"?{current.query}" if current.query else "")) if current.path else request.get_full_path()
            target = redirect_to_login(page, self.get_login_url(view_func), self.get_redirect_field_name(view_func))
            response = HttpResponse(status=200)
            response["HX-Redirect"] = target["Location"]
            return response
        return super().handle_no_permission(request, view_func)
