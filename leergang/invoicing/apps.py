from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicingConfig(AppConfig):
    name = "leergang.invoicing"
    label = "invoicing"
    verbose_name = _("Invoicing")

    def ready(self) -> None:
        # The overdue reminder's worker job (M7).
        from leergang.notifications.services import register_renderer

        from . import pdf, reminders

        reminders.register()
        # Invoice PDFs attached to e-mails are made when the e-mail is sent (an invoice never
        # changes after issue), so the request that changes a place does not wait for typst.
        register_renderer(pdf.RENDERER, pdf.render_by_number)
