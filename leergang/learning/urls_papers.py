"""Pages under /<language>/leren/ for the final paper (M14)."""

from django.urls import path

from . import views_papers

app_name = "papers"

urlpatterns = [
    path("eindopdracht/<int:enrolment_id>/", views_papers.paper_page, name="paper"),
    path("eindopdracht/<int:enrolment_id>/inleveren/", views_papers.upload, name="upload"),
    path("eindopdracht/<int:enrolment_id>/beoordelen/", views_papers.assess, name="assess"),
    path("eindopdracht/bestand/<int:submission_id>/", views_papers.paper_file, name="file"),
    path("editie/<int:edition_id>/eindopdrachten/", views_papers.edition_papers, name="edition"),
]
