"""Pages under /<language>/leren/ for the presentations at the closing session (M15)."""

from django.urls import path

from . import views_presentations

app_name = "presentations"

urlpatterns = [
    path("editie/<int:edition_id>/presentaties/", views_presentations.edition_page, name="edition"),
    path("editie/<int:edition_id>/presentaties/verplaatsen/", views_presentations.move, name="move"),
    path("editie/<int:edition_id>/presentaties/vastleggen/", views_presentations.record, name="record"),
]
