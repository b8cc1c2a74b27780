from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "leergang.core"
    label = "core"
