"""The session pages and the edition's learning overview, under /<language>/leren/."""

from django.urls import path

from . import views_sessions

app_name = "learning_sessions"

urlpatterns = [
    path("bijeenkomst/<int:session_id>/", views_sessions.session_page, name="session"),
    path("bijeenkomst/<int:session_id>/literatuur/", views_sessions.add_literature, name="add-literature"),
    path(
        "bijeenkomst/<int:session_id>/literatuur/<int:item_id>/verwijderen/",
        views_sessions.remove_literature,
        name="remove-literature",
    ),
    path("editie/<int:edition_id>/", views_sessions.edition_page, name="edition"),
]
