"""Pages under /<language>/leren/ for meals: the headcount per session of an edition."""

from django.urls import path

from . import views_meals

app_name = "meals"

urlpatterns = [
    path("editie/<int:edition_id>/maaltijden/", views_meals.edition_page, name="edition"),
]
