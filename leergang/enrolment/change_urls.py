"""The programme office's page of one place (enrolment) and its changes of plan, under
/<language>/coordinatie/inschrijvingen/ (`places:` names)."""

from django.urls import path

from . import views_changes

app_name = "places"

urlpatterns = [
    path("<int:enrolment_id>/", views_changes.place_page, name="detail"),
]
