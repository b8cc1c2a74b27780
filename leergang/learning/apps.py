from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "leergang.learning"
    label = "learning"
