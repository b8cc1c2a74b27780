from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """M23: a person's data export, erasure on request, retention, and the privacy and accessibility pages."""

    name = "leergang.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        # The retention job (declined applications anonymised after two years).
        from . import retention

        retention.register()
