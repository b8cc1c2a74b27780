"""The programme office's page of one person: their applications, places, documents and the audit
history of everything about them (R8), under /<language>/coordinatie/personen/ (`people:` names)."""

from django.urls import path

from . import person_views

app_name = "people"

urlpatterns = [
    path("<int:user_id>/", person_views.person_page, name="detail"),
]
