"""Attendance pages under /<language>/leren/."""

from django.urls import path

from . import views

app_name = "attendance"

urlpatterns = [
    path("bijeenkomst/<int:session_id>/afmelden/", views.excuse, name="excuse"),
]
