from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "leergang.accounts"
    label = "accounts"
