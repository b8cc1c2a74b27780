"""The public registration pages, under /<language>/aanmelden/ (see config/urls.py)."""

from django.urls import path

from . import views

app_name = "enrolment"

urlpatterns = [
    path("<int:edition_id>/", views.apply, name="apply"),
    path("bevestiging/<int:application_id>/<str:token>/", views.confirmation, name="confirmation"),
]
