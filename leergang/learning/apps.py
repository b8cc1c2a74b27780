from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "leergang.learning"
    label = "learning"

    def ready(self) -> None:
        from . import literature  # noqa: F401 - registers the outbox task handlers
