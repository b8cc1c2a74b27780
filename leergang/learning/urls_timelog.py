"""Pages under /<language>/leren/ for time investment (M16): the hours page, logging and removing."""

from django.urls import path

from . import views_timelog

app_name = "timelog"

urlpatterns = [
    path("tijd/<int:enrolment_id>/", views_timelog.enrolment_page, name="enrolment"),
    path("tijd/<int:enrolment_id>/registreren/", views_timelog.log, name="log"),
    path("tijd/regel/<int:entry_id>/verwijderen/", views_timelog.delete, name="delete"),
]
