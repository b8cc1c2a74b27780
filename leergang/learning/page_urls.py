"""The learning pages (M11-M16), under /<language>/leren/; each area has its own URL module."""

from django.urls import include, path

urlpatterns = [
    path("", include("leergang.learning.urls_sessions")),
    path("", include("leergang.learning.urls_groups")),
    path("", include("leergang.learning.urls_cases")),
    path("", include("leergang.learning.urls_papers")),
    path("", include("leergang.learning.urls_presentations")),
    path("", include("leergang.learning.urls_meals")),
    path("", include("leergang.learning.urls_timelog")),
    path("", include("leergang.attendance.urls")),
]
