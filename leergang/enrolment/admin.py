from django.contrib import admin

from .models import Enrolment


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    """Read-only: enrolments change through services, which keep capacity and invoices right."""

    list_display = ["participant", "edition", "status"]
    list_filter = ["status", "edition__programme"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
