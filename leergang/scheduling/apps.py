from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "leergang.scheduling"
    label = "scheduling"

    def ready(self) -> None:
        from . import tasks  # noqa: F401 - registers the outbox task handlers
