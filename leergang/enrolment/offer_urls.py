from django.urls import path

from . import offer_views

app_name = "offers"

urlpatterns = [path("<str:token>/", offer_views.answer_offer, name="answer")]
