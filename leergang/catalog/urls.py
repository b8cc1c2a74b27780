from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("opleidingen/<slug:slug>/", views.programme_page, name="programme"),
    # The programme office's archive of all editions (the overview shows only the current ones).
    path("coordinatie/edities/", views.edition_archive, name="editions"),
]
