"""The programme office's page of one place (enrolment) and its changes of plan, under
/<language>/coordinatie/inschrijvingen/ (`places:` names)."""

from django.urls import path

from . import views_changes

app_name = "places"

urlpatterns = [
    path("<int:enrolment_id>/", views_changes.place_page, name="detail"),
    path("<int:enrolment_id>/annuleren/", views_changes.cancel_page, name="cancel"),
    path("<int:enrolment_id>/overdragen/", views_changes.substitute_page, name="substitute"),
    path("<int:enrolment_id>/verplaatsen/", views_changes.transfer_page, name="transfer"),
]
