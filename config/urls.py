from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from leergang.api.v1 import api as api_v1
from leergang.core import views as core_views
from leergang.enrolment import inbox_urls

urlpatterns = [
    path("", core_views.root_redirect, name="root"),
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api_v1.urls),
    path("api/", core_views.api_not_found),
    path("api/<path:rest>", core_views.api_not_found),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
    path("kalender/", include("leergang.scheduling.urls")),
    # Public and outside the language prefix: printed on diplomas and read by credential verifiers.
    path("verify/", include("leergang.awards.verify_urls")),
    path("credentials/", include("leergang.awards.credential_urls")),
]

urlpatterns += i18n_patterns(
    path("", include("leergang.catalog.urls")),
    path("", include("leergang.privacy.page_urls")),
    path("account/facturen/", include("leergang.invoicing.account_urls")),
    path("account/mijn-gegevens/", include("leergang.privacy.account_urls")),
    path("account/", include("leergang.accounts.urls")),
    path("coordinatie/", include("leergang.scheduling.page_urls")),
    path("coordinatie/edities/", include("leergang.enrolment.inbox_urls")),
    path("coordinatie/edities/", include("leergang.awards.coordinator_urls")),
    path("coordinatie/edities/", include("leergang.invoicing.edition_urls")),
    path("coordinatie/facturen/", include("leergang.invoicing.page_urls")),
    path("coordinatie/aanmeldingen/", include(inbox_urls.application_urls)),
    path("coordinatie/inschrijvingen/", include("leergang.enrolment.change_urls")),
    path("coordinatie/personen/", include("leergang.accounts.person_urls")),
    path("coordinatie/personen/", include("leergang.privacy.office_urls")),
    path("aanmelden/", include("leergang.enrolment.urls")),
    path("aanbod/", include("leergang.enrolment.offer_urls")),
    path("literatuur/", include("leergang.learning.urls")),
    path("leren/", include("leergang.learning.page_urls")),
    path("leren/", include("leergang.awards.participant_urls")),
    prefix_default_language=True,
)
