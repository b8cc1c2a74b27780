from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "leergang.awards"
    label = "awards"
