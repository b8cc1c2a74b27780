"""Pages under /<language>/leren/ for groups (M12)."""

from django.urls import path

from . import views_groups

app_name = "groups"

urlpatterns = [
    path("editie/<int:edition_id>/groepen/", views_groups.edition_page, name="edition"),
]
