"""The public privacy statement and accessibility statement (`privacy:` names)."""

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.privacy_page, name="statement"),
    path("toegankelijkheid/", views.accessibility_page, name="accessibility"),
]
