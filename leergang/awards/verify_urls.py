"""The public verification pages, outside the language prefix: /verify/ and /verify/<code>."""

from django.urls import path

from . import views_verify

app_name = "verify"

urlpatterns = [
    path("", views_verify.index, name="index"),
    path("<str:code>", views_verify.verify, name="page"),
    path("<str:code>/", views_verify.verify),
]
