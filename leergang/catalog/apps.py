from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "leergang.catalog"
    label = "catalog"
