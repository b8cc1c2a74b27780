from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.decorators import method_decorator

from leergang.catalog import selectors as catalog_selectors
from leergang.enrolment.models import EnrolmentStatus

from . import permissions, ratelimit
from .forms import EmailLoginForm


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if ratelimit.hit("login", request):
            return render(request, "accounts/too_many_attempts.html", status=429)
        return super().post(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    pass


def dashboard(request):
    """The landing page after login: what this person can do next."""
    user = request.user
    enrolments = list(user.enrolments.select_related("edition__programme").order_by("edition__start_date"))
    context = {
        "is_coordinator": permissions.is_coordinator(user),
        "can_manage_editions": permissions.can_manage_editions(user),
        "programmes": catalog_selectors.programmes_with_editions(user) if permissions.is_coordinator(user) else [],
        "enrolments": enrolments,
        # Active enrolments link to the private calendar feed (scheduling:participant-calendar).
        "has_calendar": any(e.status == EnrolmentStatus.ENROLLED for e in enrolments),
    }
    return render(request, "accounts/dashboard.html", context)
