from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "leergang.attendance"
    label = "attendance"
