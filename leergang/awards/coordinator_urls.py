"""The diplomas page of an edition (M19), under /<language>/coordinatie/edities/."""

from django.urls import path

from . import views_coordinator as views

app_name = "awards"

urlpatterns = [
    path("<int:edition_id>/diplomas/", views.edition_page, name="edition"),
    path("<int:edition_id>/diplomas/uitreiken/", views.issue_all, name="issue-all"),
    path("<int:edition_id>/diplomas/uitreiken/<int:enrolment_id>/", views.issue_one, name="issue"),
    path("<int:edition_id>/diplomas/intrekken/", views.revoke, name="revoke"),
]
