"""Pages under /<language>/leren/ for the own case (M13): the case with its progress per session,
the writer's forms for the case and for a session's entry, and responding to an entry."""

from django.urls import path

from . import views_cases

app_name = "cases"

urlpatterns = [
    path("casus/<int:enrolment_id>/", views_cases.case_page, name="case"),
    path("casus/<int:enrolment_id>/bewerken/", views_cases.edit_case, name="edit"),
    path("casus/<int:enrolment_id>/bijeenkomst/<int:session_id>/", views_cases.entry_page, name="entry"),
    path("casus/<int:enrolment_id>/verslag/<int:entry_id>/reageren/", views_cases.respond, name="respond"),
]
