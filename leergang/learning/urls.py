"""Literature pages, under /<language>/literatuur/."""

from django.urls import path

from . import views

app_name = "literature"

urlpatterns = [
    path("<int:item_id>/", views.literature_item, name="item"),
]
