"""The programme office's money overview of an edition, under /<language>/coordinatie/edities/ (`money:` names)."""

from django.urls import path

from . import views_money

app_name = "money"

urlpatterns = [
    path("<int:edition_id>/geld/", views_money.edition_money, name="edition"),
]
