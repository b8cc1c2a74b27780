"""The coordinator's schedule pages, under /<language>/coordinatie/."""

from django.urls import path

from . import pages

app_name = "schedule"

urlpatterns = [
    path("edities/<int:edition_id>/rooster/", pages.schedule_page, name="page"),
    path("edities/<int:edition_id>/rooster/controleren/", pages.check_schedule, name="check"),
    path("edities/<int:edition_id>/rooster/plannen/", pages.plan_schedule, name="plan"),
    path("edities/<int:edition_id>/rooster/rijen/", pages.edit_rows, name="rows"),
    path("edities/<int:edition_id>/rooster/online/", pages.switch_online, name="online"),
]
