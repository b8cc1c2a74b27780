from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "leergang.api"
    label = "api"
