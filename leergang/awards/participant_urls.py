"""The participant's own award page (M18, M19), under /<language>/leren/."""

from django.urls import path

from . import views_participant as views

app_name = "my_award"

urlpatterns = [
    path("diploma/", views.standing_page, name="standing"),
]
