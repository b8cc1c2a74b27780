from django.apps import AppConfig


class EnrolmentConfig(AppConfig):
    name = "leergang.enrolment"
    label = "enrolment"

    def ready(self) -> None:
        from leergang.notifications import jobs

        from . import services

        # Offers past their deadline pass to the next on the waiting list.
        jobs.register("enrolment.expire_offers", services.expire_offers, every_seconds=900)
