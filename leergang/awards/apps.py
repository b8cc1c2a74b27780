from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "leergang.awards"
    label = "awards"

    def ready(self) -> None:
        # The early warning's worker job (M18).
        from . import warnings

        warnings.register()
