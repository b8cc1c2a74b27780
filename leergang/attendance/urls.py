"""Attendance pages under /<language>/leren/."""

from django.urls import path

from . import views, views_checkin, views_export, views_register

app_name = "attendance"

urlpatterns = [
    path("bijeenkomst/<int:session_id>/afmelden/", views.excuse, name="excuse"),
    path("bijeenkomst/<int:session_id>/presentie/", views_register.register_page, name="register"),
    path("bijeenkomst/<int:session_id>/presentie/iedereen/", views_register.all_present, name="all_present"),
    path("bijeenkomst/<int:session_id>/presentie/<int:enrolment_id>/", views_register.record, name="record"),
    path("bijeenkomst/<int:session_id>/incheckcode/", views_checkin.code_page, name="code"),
    path("inchecken/", views_checkin.check_in, name="check_in"),
    path("editie/<int:edition_id>/presentie.csv", views_export.csv_download, name="csv"),
]
