from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "leergang.awards"
    label = "awards"

    def ready(self) -> None:
        # The early warning's worker job (M18).
        from leergang.notifications.services import register_renderer

        from . import pdf, warnings

        warnings.register()
        # The document attached to the holder's e-mail is made when the e-mail is sent, so issuing
        # (one award or a whole edition's) does not wait for typst.
        register_renderer(pdf.RENDERER, pdf.render_by_code)
