from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "leergang.scheduling"
    label = "scheduling"
