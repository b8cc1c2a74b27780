from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "leergang.learning"
    label = "learning"

    def ready(self) -> None:
        # Register the outbox task handlers and worker jobs of learning.
        from . import cases, literature, reminders  # noqa: F401
