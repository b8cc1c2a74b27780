"""Erasure on request by the programme office, under /<language>/coordinatie/personen/ (`erasure:` names)."""

from django.urls import path

from . import views

app_name = "erasure"

urlpatterns = [
    path("<int:user_id>/wissen/", views.erase_person, name="erase"),
]
