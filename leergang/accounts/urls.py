from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    # Forgot password: ask for a link, then the same answer whether or not the address has an account.
    path("wachtwoord-vergeten/", views.PasswordForgotView.as_view(), name="password-forgot"),
    path("wachtwoord-vergeten/verstuurd/", views.PasswordForgotSentView.as_view(), name="password-forgot-sent"),
    # The links in the e-mails: a new password (forgot password) and a first one (invitation).
    path("wachtwoord-herstellen/<uidb64>/<token>/", views.PasswordLinkView.as_view(purpose="reset"), name="password-reset"),
    path("wachtwoord-instellen/<uidb64>/<token>/", views.PasswordLinkView.as_view(purpose="set"), name="password-set"),
]
