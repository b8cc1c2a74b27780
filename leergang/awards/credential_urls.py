from django.urls import path

from . import views_credentials as views

app_name = "credentials"

urlpatterns = [
    path("issuer", views.issuer, name="issuer"),
    path("jwks.json", views.jwks, name="jwks"),
    path("keys/<str:kid>", views.key, name="key"),
    path("status/<int:number>", views.status, name="status"),
]
