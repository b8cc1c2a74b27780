from django.contrib import admin

from .models import Edition, LearningGoal, Location, Programme, ProgrammeTeacher, Room, Session, SessionPart, Teacher


class LearningGoalInline(admin.TabularInline):
    model = LearningGoal
    extra = 0


class ProgrammeTeacherInline(admin.TabularInline):
    model = ProgrammeTeacher
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title_nl", "slug", "published"]
    prepopulated_fields = {"slug": ["title_nl"]}
    inlines = [LearningGoalInline, ProgrammeTeacherInline]


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["number", "kind", "date", "start_time", "end_time", "theme_nl", "theme_en", "delivery_mode"]


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    """Support view. Capacity and status change through the API or coordinator pages, which check seats."""

    list_display = ["programme", "start_date", "status", "capacity"]
    list_filter = ["status", "programme"]
    readonly_fields = ["capacity", "status"]
    inlines = [SessionInline]


class SessionPartInline(admin.TabularInline):
    model = SessionPart
    extra = 0


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["edition", "number", "date", "kind", "delivery_mode"]
    readonly_fields = ["calendar_uid", "calendar_sequence"]
    inlines = [SessionPartInline]


admin.site.register(Teacher)
admin.site.register(Location)
admin.site.register(Room)
