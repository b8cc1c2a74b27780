from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from leergang.core import fragment_cache
from leergang.enrolment.models import EnrolmentStatus
from leergang.invoicing import overview as invoicing_overview
from leergang.learning import dashboard as learning_dashboard
from leergang.learning import overview_stamp

from . import office_overview, permissions, ratelimit, services
from .forms import ChoosePasswordForm, EmailLoginForm, PasswordForgotForm
from .models import User


def too_many_attempts(request, *, reason: str = "login", again_url: str = ""):
    """The 429 page: wait and try again. `reason` "login" or "form" picks the explanation."""
    response = render(request, "accounts/too_many_attempts.html", {"reason": reason, "again_url": again_url}, status=429)
    response["Retry-After"] = str(settings.LOGIN_RATE_WINDOW_SECONDS)
    return response


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if ratelimit.hit("login", request):
            return too_many_attempts(request)
        return super().post(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    pass


@method_decorator([login_not_required, never_cache], name="dispatch")
class PasswordForgotView(FormView):
    """Ask for a password link. The answer is the same page whether or not the address has an account."""

    template_name = "accounts/password_forgot.html"
    form_class = PasswordForgotForm
    success_url = reverse_lazy("accounts:password-forgot-sent")

    def post(self, request, *args, **kwargs):
        if ratelimit.hit("password-forgot", request):
            return too_many_attempts(request, reason="form", again_url=reverse("accounts:password-forgot"))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        services.request_password_reset(email=form.cleaned_data["email"])
        return super().form_valid(form)


@method_decorator(login_not_required, name="dispatch")
class PasswordForgotSentView(TemplateView):
    template_name = "accounts/password_forgot_sent.html"


@method_decorator(login_not_required, name="dispatch")
class PasswordLinkView(auth_views.PasswordResetConfirmView):
    """The page an invitation ("set") or a forgot-password e-mail ("reset") links to.

    Django's view checks the token, moves it from the address into the session (so it cannot leak
    through the Referer header) and shows the form; a used or expired link shows a page that offers a
    new one. After the password is stored the person is logged in and lands on their overview.
    """

    purpose = "reset"
    template_name = "accounts/password_choose.html"
    form_class = ChoosePasswordForm

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def post(self, request, *args, **kwargs):
        if ratelimit.hit("password-link", request):
            return too_many_attempts(request, reason="form", again_url=request.path)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        user: User = self.user
        services.set_password(actor=user, user=user, password=form.cleaned_data["new_password1"], via=self.purpose)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        auth_login(self.request, user)
        messages.success(self.request, _("Your password has been saved. You are now logged in."))
        return redirect("accounts:dashboard")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["purpose"] = self.purpose
        context["account_email"] = self.user.email if self.validlink else ""
        return context


def _participant_parts(request) -> dict:
    """The participant's cards and places, rendered; kept in the cache under the stamp of what they
    show (learning.overview_stamp), since a participant opens this page far more often
    than anything on it changes. The calendar links carry the host, so it is part of the key."""
    user = request.user
    stamp = overview_stamp.participant_stamp(user)
    if stamp[1] == "0":  # no enrolments at all (most of the office, teachers): nothing to show
        return {"cards": "", "places": ""}

    def render_parts() -> dict[str, str]:
        enrolments = learning_dashboard.dashboard_enrolments(user)
        context = {
            "enrolments": enrolments,
            # Active enrolments link to the private calendar feed (scheduling:participant-calendar).
            "has_calendar": any(e.status == EnrolmentStatus.ENROLLED for e in enrolments),
            "cards": learning_dashboard.participant_cards(user, enrolments),
            "has_invoices": bool(enrolments) and invoicing_overview.has_documents(user),
        }
        return {
            "cards": render_to_string("accounts/dashboard_cards.html", context, request),
            "places": render_to_string("accounts/dashboard_places.html", context, request),
        }

    key = (user.pk, request.scheme, request.get_host(), *stamp)
    return fragment_cache.cached_parts(request, "participant-overview", key, render_parts)


def dashboard(request):
    """The landing page after login: what this person can do next."""
    user = request.user
    programmes = office_overview.programme_list(user) if permissions.is_coordinator(user) else ""
    participant = _participant_parts(request)
    context = {
        "is_coordinator": permissions.is_coordinator(user),
        "can_manage_editions": permissions.can_manage_editions(user),
        "programmes": programmes,
        "participant": participant,
        "has_places": bool(participant["places"].strip()),
        "teaching": learning_dashboard.teacher_overview(user),
    }
    return render(request, "accounts/dashboard.html", context)
