"""A person's own data, under /<language>/account/mijn-gegevens/ (`my_data:` names)."""

from django.urls import path

from . import views

app_name = "my_data"

urlpatterns = [
    path("", views.my_data, name="page"),
    path("export.json", views.my_data_export, name="export"),
]
