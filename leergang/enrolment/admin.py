from django.contrib import admin

from leergang.core.admin import ReadOnlyAdmin

from .models import Application, Enrolment, EnrolmentChange, Intake, Offer


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    """Read-only: enrolments change through services, which keep capacity and invoices right."""

    list_display = ["participant", "edition", "status"]
    list_filter = ["status", "edition__programme"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    """Read-only: applications are decided on the coordinator's pages, which audit every decision."""

    list_display = ["created_at", "first_name", "last_name", "email", "edition", "status", "meets_profile"]
    list_filter = ["status", "meets_profile", "edition__programme"]
    search_fields = ["email", "last_name", "organisation"]


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "application", "edition", "status", "expires_at"]
    list_filter = ["status"]


@admin.register(Intake)
class IntakeAdmin(ReadOnlyAdmin):
    list_display = ["scheduled_at", "application", "mode", "interviewer", "outcome"]
    list_filter = ["mode", "outcome"]


@admin.register(EnrolmentChange)
class EnrolmentChangeAdmin(ReadOnlyAdmin):
    list_display = ["kind", "from_enrolment", "to_enrolment", "credit_note", "invoice", "created_at"]
    list_filter = ["kind"]
    list_select_related = True
