from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("opleidingen/<slug:slug>/", views.programme_page, name="programme"),
]
