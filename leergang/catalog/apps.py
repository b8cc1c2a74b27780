from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "leergang.catalog"
    label = "catalog"

    def ready(self) -> None:
        # Changes to what the public pages show make their cached copies stale.
        from . import public_cache

        public_cache.connect_signals()
