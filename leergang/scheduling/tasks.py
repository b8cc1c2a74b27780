"""Outbox task handlers of the scheduling app (registered when the app is ready)."""

from leergang.notifications import tasks

from . import notify

tasks.register(notify.SESSION_CHANGED_TASK, notify.write_session_change_emails)
tasks.register(notify.PLACE_CHANGED_TASK, notify.write_place_change_emails)
