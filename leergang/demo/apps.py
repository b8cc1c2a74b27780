from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "leergang.demo"
    label = "demo"
