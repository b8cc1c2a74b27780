"""Task handlers for the tests, importable by the worker processes that test_tasks.py starts too."""

import time

from leergang.notifications import services, tasks

GROUP_NOTICE = "tests.group_notice"

ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nSUMMARY:Bijeenkomst 3\r\nEND:VCALENDAR\r\n"


def write_group_notice(payload: dict) -> None:
    """One e-mail with a calendar entry per address in payload["to"], written in one insert
    (after payload["pause"] seconds, so two workers overlap)."""
    time.sleep(payload.get("pause", 0))
    services.queue_all(
        [
            services.build_email(
                to=[address],
                subject=payload["subject"],
                body=f"Beste deelnemer,\n\n{payload['subject']}.\n",
                attachments=[("bijeenkomst.ics", ICS, "text/calendar")],
                kind="group_notice",
            )
            for address in payload["to"]
        ]
    )


def register_all() -> None:
    tasks.register(GROUP_NOTICE, write_group_notice)
