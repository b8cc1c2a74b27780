from django.urls import path

from . import views

app_name = "scheduling"

urlpatterns = [
    path("<str:token>.ics", views.participant_calendar, name="participant-calendar"),
]
