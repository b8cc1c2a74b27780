from django.apps import AppConfig


class EnrolmentConfig(AppConfig):
    name = "leergang.enrolment"
    label = "enrolment"
