"""R2: the inventory of every URL the app serves, with who may do what.

One `Entry` per page (by URL name) and per API operation (by method and path). `uncovered()` walks
the URL configuration (`django.urls.get_resolver()`, the i18n pages, the pages outside the language
prefix, and the API's operations from its OpenAPI document) and names everything the inventory does
not list, and everything it lists that no longer exists: test_permission_matrix.py fails on either.

An entry says how to build a concrete URL on the world of world.py (Anna's objects, the demo
teacher's edition), the method, a request body that is valid for a role that may send it, and the
outcome for each of the six roles:

- OK: 2xx, or a 3xx that is not the login page (a form that redirects after success);
- LOGIN: pages redirect to the login page with ?next=; the API answers 401;
- NOT_FOUND / FORBIDDEN: refused, as 404 or as 403; the app's answer is recorded exactly;
- an int: that exact status (for instance 405 for a POST-only URL asked with GET).

Entries marked `pending` are pages still being built (stubs answering 501 now); they are asserted
like all others, with the outcome they are meant to have.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from .world import (
    PARTICIPANT_OWN,
    ROLES,
    World,
)

OK = "ok"
LOGIN = "login"
NOT_FOUND = 404
FORBIDDEN = 403
NOT_ALLOWED = 405

LOGIN_PATHS = ("/nl/account/login/", "/en/account/login/")
ADMIN_LOGIN = "/beheer/login/"
ADMIN = "admin (/beheer/)"  # the whole Django admin site: one entry
API_PREFIX = "/api/v1"


def outcomes(anonymous, participant_own, participant_other, teacher_own, teacher_other, coordinator) -> dict[str, Any]:
    return dict(zip(ROLES, (anonymous, participant_own, participant_other, teacher_own, teacher_other, coordinator), strict=True))


# The usual shapes of a row of the matrix.
PUBLIC = outcomes(OK, OK, OK, OK, OK, OK)
LOGGED_IN = outcomes(LOGIN, OK, OK, OK, OK, OK)
OFFICE = outcomes(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK)
# The edition's teachers and the programme office (the world's participant_other is in the edition too).
STAFF = outcomes(LOGIN, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, OK)
# Anna's own object: Anna, the edition's teachers and the programme office.
OWNER_AND_STAFF = outcomes(LOGIN, OK, NOT_FOUND, OK, NOT_FOUND, OK)
# Anna's own object, only she (writing her case, logging her hours).
OWNER = outcomes(LOGIN, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND)
# Anna's own object: Anna and the programme office (invoices).
OWNER_AND_OFFICE = outcomes(LOGIN, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK)
# For the edition's participants, teachers and the office.
EDITION_MEMBERS = outcomes(LOGIN, OK, OK, OK, NOT_FOUND, OK)

API_PUBLIC = PUBLIC
API_OFFICE = outcomes(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)
API_STAFF_404 = outcomes(LOGIN, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, OK)
API_OWNER_AND_STAFF = outcomes(LOGIN, OK, NOT_FOUND, OK, NOT_FOUND, OK)
API_OWNER_AND_OFFICE = outcomes(LOGIN, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK)


@dataclass(frozen=True)
class Entry:
    key: str  # a URL name ("cases:case"), "METHOD /api/v1/path" for the API, or ADMIN; "name#post" for a
    # second entry of the same page (its form, next to its GET)
    url: Callable[[World], str]
    expect: dict[str, Any]
    method: str = "get"
    data: Callable[[World], Any] | None = None  # form fields (pages) or JSON body (API)
    # Sent as multipart/form-data: the API's uploads, and the pages whose form has that enctype (a
    # browser sends every other form urlencoded).
    multipart: bool = False
    html: bool = False  # a GET page that renders HTML (for the axe suite)
    pending: str = ""  # why the page does not answer this way yet (a stub being built)
    note: str = ""

    @property
    def served_key(self) -> str:
        return self.key.split("#", 1)[0]

    @property
    def is_api(self) -> bool:
        return self.key.split(" ", 1)[-1].startswith(API_PREFIX)

    @property
    def writes(self) -> bool:
        return self.method not in ("get", "head")


def page(name: str, language: str = "nl", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def today() -> datetime.date:
    return timezone.localdate()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("paper.pdf", PDF, content_type="application/pdf")


# ---------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------

PAGES: list[Entry] = [
    # Outside the language prefix.
    Entry("root", lambda w: "/", PUBLIC, note="redirects to /nl/ or /en/"),
    Entry("healthz", lambda w: "/healthz", PUBLIC),
    Entry(
        "set_language",
        lambda w: "/i18n/setlang/",
        outcomes(LOGIN, OK, OK, OK, OK, OK),
        note="unused by the pages (the language switch is a link); anonymous visitors are sent to the login",
        method="post",
        data=lambda w: {"language": "en", "next": "/"},
    ),
    Entry(
        ADMIN, lambda w: "/beheer/", outcomes(302, 302, 302, 302, 302, 302), note="only staff users (is_staff); no role is staff"
    ),
    Entry("scheduling:participant-calendar", lambda w: f"/kalender/{w.calendar_token}.ics", PUBLIC, note="the token is the key"),
    Entry("verify:index", lambda w: "/verify/", PUBLIC, html=True),
    Entry("verify:page", lambda w: f"/verify/{w.award_code}", PUBLIC, html=True),
    Entry("/verify/<str:code>/", lambda w: f"/verify/{w.award_code}/", PUBLIC),
    Entry("credentials:issuer", lambda w: "/credentials/issuer", PUBLIC),
    Entry("credentials:jwks", lambda w: "/credentials/jwks.json", PUBLIC),
    Entry("credentials:key", lambda w: "/credentials/keys/" + _kid(), PUBLIC),
    Entry("credentials:status", lambda w: "/credentials/status/" + str(_status_list_number()), PUBLIC),
    Entry("/api/", lambda w: "/api/", outcomes(404, 404, 404, 404, 404, 404), note="the API's own 404"),
    Entry("/api/<path:rest>", lambda w: "/api/v2/programmes", outcomes(404, 404, 404, 404, 404, 404)),
    Entry("api-v1:api-root", lambda w: "/api/v1/", outcomes(404, 404, 404, 404, 404, 404)),
    Entry("api-v1:openapi-json", lambda w: "/api/v1/openapi.json", PUBLIC),
    Entry("api-v1:openapi-view", lambda w: "/api/v1/docs", PUBLIC),
    # Public pages.
    Entry("catalog:home", lambda w: page("catalog:home"), PUBLIC, html=True),
    Entry("catalog:programme", lambda w: page("catalog:programme", slug=w.running.programme.slug), PUBLIC, html=True),
    Entry("privacy:statement", lambda w: page("privacy:statement"), PUBLIC, html=True, pending="stub (501) until M23 is built"),
    Entry("privacy:accessibility", lambda w: page("privacy:accessibility"), PUBLIC, html=True, pending="stub (501)"),
    Entry("accounts:login", lambda w: page("accounts:login"), PUBLIC, html=True),
    Entry("accounts:logout", lambda w: page("accounts:logout"), LOGGED_IN, method="post"),
    Entry("accounts:password-forgot", lambda w: page("accounts:password-forgot"), PUBLIC, html=True),
    Entry("accounts:password-forgot-sent", lambda w: page("accounts:password-forgot-sent"), PUBLIC, html=True),
    Entry(
        "accounts:password-reset", lambda w: w.password_reset_path, PUBLIC, html=True, note="one-time link: the token is the key"
    ),
    Entry("accounts:password-set", lambda w: w.password_set_path, PUBLIC, html=True, note="one-time link"),
    Entry("enrolment:apply", lambda w: page("enrolment:apply", edition_id=w.upcoming.pk), PUBLIC, html=True),
    Entry("enrolment:confirmation", lambda w: w.confirmation_path, PUBLIC, html=True, note="signed link"),
    Entry("offers:answer", lambda w: page("offers:answer", token=w.offer_token), PUBLIC, html=True, note="token link"),
    # Everybody logged in.
    Entry("accounts:dashboard", lambda w: page("accounts:dashboard"), LOGGED_IN, html=True),
    Entry("my_data:page", lambda w: page("my_data:page"), LOGGED_IN, html=True, pending="stub (501) until M23 is built"),
    Entry("my_data:export", lambda w: page("my_data:export"), LOGGED_IN, pending="being built (M23)", note="only one's own data"),
    Entry("my_invoices:list", lambda w: page("my_invoices:list"), LOGGED_IN, html=True, note="each sees only their own"),
    Entry("my_invoices:pdf", lambda w: page("my_invoices:pdf", number=w.invoice_number), OWNER_AND_OFFICE),
    Entry("attendance:check_in", lambda w: page("attendance:check_in"), LOGGED_IN, html=True),
    Entry("my_award:standing", lambda w: page("my_award:standing"), LOGGED_IN, html=True),
    # The programme office.
    Entry(
        "people:detail",
        lambda w: page("people:detail", user_id=w.user(PARTICIPANT_OWN).pk),
        OFFICE,
        html=True,
        pending="stub (501)",
    ),
    Entry(
        "erasure:erase",
        lambda w: page("erasure:erase", user_id=w.user(PARTICIPANT_OWN).pk),
        OFFICE,
        html=True,
        pending="stub (501)",
    ),
    Entry(
        "erasure:erase#post",
        lambda w: page("erasure:erase", user_id=w.cancelled_person_id),
        OFFICE,
        method="post",
        data=lambda w: {"reason": "Verzoek per e-mail.", "confirm": "on"},
        pending="being built (M23)",
    ),
    Entry("schedule:page", lambda w: page("schedule:page", edition_id=w.upcoming.pk), OFFICE, html=True),
    Entry(
        "schedule:check",
        lambda w: page("schedule:check", edition_id=w.upcoming.pk),
        OFFICE,
        method="post",
        data=lambda w: _schedule_rows(w),
    ),
    Entry(
        "schedule:plan",
        lambda w: page("schedule:plan", edition_id=w.upcoming.pk),
        OFFICE,
        method="post",
        data=lambda w: {"first_date": w.upcoming.start_date.isoformat()},
    ),
    Entry(
        "schedule:rows",
        lambda w: page("schedule:rows", edition_id=w.upcoming.pk),
        OFFICE,
        method="post",
        data=lambda w: {**_schedule_rows(w), "remove": "7"},
    ),
    Entry(
        "schedule:online",
        lambda w: page("schedule:online", edition_id=w.upcoming.pk),
        OFFICE,
        method="post",
        data=lambda w: _schedule_rows(w),
    ),
    Entry("inbox:edition", lambda w: page("inbox:edition", edition_id=w.upcoming.pk), OFFICE, html=True),
    Entry(
        "inbox:bulk",
        lambda w: page("inbox:bulk", edition_id=w.upcoming.pk),
        OFFICE,
        method="post",
        data=lambda w: {"decision": "decline", "applications": [w.intake_application_id]},
    ),
    Entry("applications:detail", lambda w: page("applications:detail", application_id=w.application_id), OFFICE, html=True),
    Entry(
        "applications:intake",
        lambda w: page("applications:intake", application_id=w.submitted_application_id),
        OFFICE,
        method="post",
        data=lambda w: {
            "intake-scheduled_at": (timezone.localtime() + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
            "intake-mode": "online",
            "intake-interviewer": "Carla",
        },
    ),
    Entry(
        "applications:outcome",
        lambda w: page("applications:outcome", application_id=w.intake_application_id, intake_id=w.intake_id),
        OFFICE,
        method="post",
        data=lambda w: {f"outcome-{w.intake_id}-outcome": "negative"},
    ),
    Entry(
        "applications:decision",
        lambda w: page("applications:decision", application_id=w.intake_application_id),
        OFFICE,
        method="post",
        data=lambda w: {"decision-decision": "decline"},
    ),
    Entry("applications:cancel", lambda w: page("applications:cancel", application_id=w.application_id), OFFICE, html=True),
    Entry(
        "applications:cancel#post",
        lambda w: page("applications:cancel", application_id=w.application_id),
        OFFICE,
        method="post",
        data=lambda w: {"reason": "Ziek", "confirm": "on"},
    ),
    Entry(
        "places:cancel#post",
        lambda w: page("places:cancel", enrolment_id=w.enrolment_upcoming.pk),
        OFFICE,
        method="post",
        data=lambda w: {"reason": "Ziek", "confirm": "on"},
    ),
    Entry(
        "places:substitute#post",
        lambda w: page("places:substitute", enrolment_id=w.enrolment_upcoming.pk),
        OFFICE,
        method="post",
        data=lambda w: {"first_name": "Sam", "last_name": "Collega", "email": "sam.collega@example.org", "confirm": "on"},
    ),
    Entry(
        "places:transfer#post",
        lambda w: page("places:transfer", enrolment_id=w.enrolment_upcoming.pk),
        OFFICE,
        method="post",
        data=lambda w: {"edition": w.later_edition.pk, "confirm": "on"},
    ),
    Entry("places:detail", lambda w: page("places:detail", enrolment_id=w.enrolment_upcoming.pk), OFFICE, html=True),
    Entry("places:cancel", lambda w: page("places:cancel", enrolment_id=w.enrolment_upcoming.pk), OFFICE, html=True),
    Entry("places:substitute", lambda w: page("places:substitute", enrolment_id=w.enrolment_upcoming.pk), OFFICE, html=True),
    Entry("places:transfer", lambda w: page("places:transfer", enrolment_id=w.enrolment_upcoming.pk), OFFICE, html=True),
    Entry("awards:edition", lambda w: page("awards:edition", edition_id=w.completed.pk), OFFICE, html=True),
    Entry(
        "awards:issue-all",
        lambda w: page("awards:issue-all", edition_id=w.completed.pk),
        OFFICE,
        method="post",
    ),
    Entry(
        "awards:issue",
        lambda w: page("awards:issue", edition_id=w.completed.pk, enrolment_id=w.enrolment_without_award.pk),
        OFFICE,
        method="post",
        data=lambda w: {"kind": "certificate"},
    ),
    Entry(
        "awards:revoke",
        lambda w: page("awards:revoke", edition_id=w.completed.pk),
        OFFICE,
        method="post",
        data=lambda w: {"code": w.award_code, "reason": "Fraude vastgesteld."},
    ),
    Entry("money:edition", lambda w: page("money:edition", edition_id=w.upcoming.pk), OFFICE, html=True),
    Entry("catalog:editions", lambda w: page("catalog:editions"), OFFICE, html=True),
    Entry("invoices:list", lambda w: page("invoices:list"), OFFICE, html=True),
    Entry("invoices:export", lambda w: page("invoices:export"), OFFICE, html=True),
    Entry("invoices:export_csv", lambda w: page("invoices:export_csv") + f"?from={today().replace(day=1)}&to={today()}", OFFICE),
    Entry("invoices:detail", lambda w: page("invoices:detail", number=w.invoice_number), OFFICE, html=True),
    Entry(
        "invoices:record_payment",
        lambda w: page("invoices:record_payment", number=w.invoice_number),
        OFFICE,
        method="post",
        data=lambda w: {"payment-paid_on": today().isoformat(), "payment-amount": "50,00", "payment-reference": "Tweede deel"},
    ),
    Entry(
        "invoices:remove_payment",
        lambda w: page("invoices:remove_payment", number=w.invoice_number, payment_id=w.payment_id),
        OFFICE,
        method="post",
    ),
    Entry(
        "invoices:record_refund",
        lambda w: page("invoices:record_refund", number=w.credit_note_number),
        OFFICE,
        method="post",
        data=lambda w: {"refund-paid_on": today().isoformat(), "refund-amount": "100,00", "refund-reference": "Terug"},
    ),
    # Learning: the edition's pages.
    Entry(
        "learning_sessions:edition",
        lambda w: page("learning_sessions:edition", edition_id=w.running.pk),
        EDITION_MEMBERS,
        html=True,
    ),
    Entry(
        "learning_sessions:session",
        lambda w: page("learning_sessions:session", session_id=w.held_session.pk),
        EDITION_MEMBERS,
        html=True,
    ),
    Entry(
        "learning_sessions:add-literature",
        lambda w: page("learning_sessions:add-literature", session_id=w.held_session.pk),
        STAFF,
        method="post",
        data=lambda w: {"title": "Nieuw artikel", "url": "https://example.org/artikel", "preparation_minutes": "30"},
        multipart=True,
    ),
    Entry(
        "learning_sessions:remove-literature",
        lambda w: page("learning_sessions:remove-literature", session_id=w.held_session.pk, item_id=w.literature_item_id),
        STAFF,
        method="post",
    ),
    Entry(
        "literature:item",
        lambda w: page("literature:item", item_id=w.literature_item_id),
        EDITION_MEMBERS,
        note="a link: redirects",
    ),
    Entry("groups:edition", lambda w: page("groups:edition", edition_id=w.running.pk), EDITION_MEMBERS, html=True),
    Entry(
        "groups:edition#post",
        lambda w: page("groups:edition", edition_id=w.running.pk),
        STAFF,
        method="post",
        data=lambda w: {"session": w.next_session.pk, "size": "3"},
    ),
    Entry("meals:edition", lambda w: page("meals:edition", edition_id=w.running.pk), STAFF, html=True),
    Entry("papers:edition", lambda w: page("papers:edition", edition_id=w.completed.pk), STAFF, html=True),
    Entry("presentations:edition", lambda w: page("presentations:edition", edition_id=w.completed.pk), STAFF, html=True),
    Entry(
        "presentations:move",
        lambda w: page("presentations:move", edition_id=w.completed.pk),
        OFFICE,
        note="the order is the office's (as PUT .../presentations/order); teachers see it",
        method="post",
        data=lambda w: {"enrolment": w.enrolment_2021.pk, "direction": "down"},
    ),
    Entry(
        "presentations:record",
        lambda w: page("presentations:record", edition_id=w.completed.pk),
        STAFF,
        method="post",
        data=lambda w: {"enrolment": w.enrolment_2021.pk, "presented": "no"},
    ),
    Entry("attendance:register", lambda w: page("attendance:register", session_id=w.held_session.pk), STAFF, html=True),
    Entry(
        "attendance:record",
        lambda w: page("attendance:record", session_id=w.held_session.pk, enrolment_id=w.enrolment.pk),
        STAFF,
        method="post",
        data=lambda w: {"status": "absent"},
    ),
    Entry("attendance:all_present", lambda w: page("attendance:all_present", session_id=w.held_session.pk), STAFF, method="post"),
    Entry("attendance:code", lambda w: page("attendance:code", session_id=w.next_session.pk), STAFF, html=True),
    Entry(
        "attendance:code#post",
        lambda w: page("attendance:code", session_id=w.next_session.pk),
        STAFF,
        method="post",
        data=lambda w: {"action": "stop"},
    ),
    Entry("attendance:csv", lambda w: page("attendance:csv", edition_id=w.running.pk), OFFICE),
    Entry(
        "attendance:excuse",
        lambda w: page("attendance:excuse", session_id=w.next_session.pk),
        outcomes(LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND),
        html=True,
        note="a participant reports their own absence; the URL names no person",
    ),
    Entry(
        "attendance:excuse#post",
        lambda w: page("attendance:excuse", session_id=w.next_session.pk),
        outcomes(LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND),
        method="post",
        data=lambda w: {"action": "report", "note": "Ziek."},
    ),
    # Learning: Anna's own objects.
    Entry("cases:case", lambda w: page("cases:case", enrolment_id=w.enrolment.pk), OWNER_AND_STAFF, html=True),
    Entry(
        "cases:edit",
        lambda w: page("cases:edit", enrolment_id=w.enrolment.pk),
        OWNER,
        method="post",
        data=lambda w: {"title": "Anders", "question": "Een nieuwe vraag?", "context": "Een nieuwe context."},
    ),
    Entry(
        "cases:entry",
        lambda w: page("cases:entry", enrolment_id=w.enrolment.pk, session_id=w.held_session.pk),
        OWNER,
        method="post",
        data=lambda w: {"done": "Gedaan.", "learned": "Geleerd.", "next_step": "Volgende stap."},
    ),
    Entry(
        "cases:respond",
        lambda w: page("cases:respond", enrolment_id=w.enrolment.pk, entry_id=w.case_entry_id),
        OWNER_AND_STAFF,
        method="post",
        data=lambda w: {"text": "Een reactie."},
        note="the writer, their group members, the teachers and the office respond; never a stranger",
    ),
    Entry("papers:paper", lambda w: page("papers:paper", enrolment_id=w.enrolment_2021.pk), OWNER_AND_STAFF, html=True),
    Entry(
        "papers:upload",
        lambda w: page("papers:upload", enrolment_id=w.enrolment.pk),
        outcomes(LOGIN, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK),
        method="post",
        data=lambda w: {"file": _pdf_upload()},
        multipart=True,
    ),
    Entry(
        "papers:assess",
        lambda w: page("papers:assess", enrolment_id=w.enrolment.pk),
        STAFF,
        method="post",
        data=lambda w: {"result": "insufficient", "feedback": "Te kort.", "submission": w.new_submission_id},
    ),
    Entry("papers:file", lambda w: page("papers:file", submission_id=w.submission_id), OWNER_AND_STAFF),
    Entry("timelog:enrolment", lambda w: page("timelog:enrolment", enrolment_id=w.enrolment.pk), OWNER_AND_STAFF, html=True),
    Entry(
        "timelog:log",
        lambda w: page("timelog:log", enrolment_id=w.enrolment.pk),
        outcomes(LOGIN, OK, NOT_FOUND, FORBIDDEN, NOT_FOUND, FORBIDDEN),
        note="those who may see the hours (the teachers, the office) are told 403; strangers 404",
        method="post",
        data=lambda w: {"kind": "case", "day": today().isoformat(), "hours": "1,5", "note": "Lezen"},
    ),
    Entry("timelog:delete", lambda w: page("timelog:delete", entry_id=w.time_entry_id), OWNER, method="post"),
]


def _kid() -> str:
    from leergang.awards import keys

    return keys.active_key().kid


def _status_list_number() -> int:
    from leergang.awards import credentials

    return credentials.STATUS_LIST_NUMBER


def _schedule_rows(w: World) -> dict[str, str]:
    """The open edition's sessions as the schedule page's formset posts them."""
    rows = list(w.upcoming.sessions.order_by("number"))
    data = {"sessions-TOTAL_FORMS": str(len(rows)), "sessions-INITIAL_FORMS": str(len(rows))}
    for i, s in enumerate(rows):
        data.update(
            {
                f"sessions-{i}-number": str(s.number),
                f"sessions-{i}-kind": s.kind,
                f"sessions-{i}-date": s.date.isoformat(),
                f"sessions-{i}-start_time": s.start_time.strftime("%H:%M"),
                f"sessions-{i}-end_time": s.end_time.strftime("%H:%M"),
                f"sessions-{i}-delivery_mode": s.delivery_mode,
                f"sessions-{i}-theme_nl": s.theme_nl,
                f"sessions-{i}-theme_en": s.theme_en,
            }
        )
    return data


# ---------------------------------------------------------------------------------------------
# API (Authorization: Bearer <token>; anonymous sends none)
# ---------------------------------------------------------------------------------------------


def api(method: str, path: str) -> str:
    return f"{method.upper()} {API_PREFIX}{path}"


def _invoice_address() -> dict[str, str]:
    return {
        "organisation": "Gemeente Ede",
        "address": "Bergstraat 4",
        "postal_code": "6711 DB",
        "city": "Ede",
        "email": "facturen@ede.example",
    }


def _apply_body(email: str) -> dict[str, Any]:
    return {
        "first_name": "Noor",
        "last_name": "Nieuw",
        "email": email,
        "organisation": "Gemeente Ede",
        "job_title": "Teamleider",
        "education_level": "wo",
        "years_experience": 8,
        "leadership_role": True,
        "challenge": "Meer vertrouwen.",
        "invoice": _invoice_address(),
        "privacy_consent": True,
    }


API: list[Entry] = [
    Entry(api("get", "/programmes"), lambda w: f"{API_PREFIX}/programmes", API_PUBLIC),
    Entry(api("get", "/programmes/{slug}"), lambda w: f"{API_PREFIX}/programmes/{w.running.programme.slug}", API_PUBLIC),
    Entry(
        api("post", "/editions"),
        lambda w: f"{API_PREFIX}/editions",
        API_OFFICE,
        method="post",
        data=lambda w: {"programme": w.running.programme.slug, "start_date": "2028-09-06", "capacity": 20, "fee": "2995.00"},
    ),
    Entry(api("get", "/editions/{edition_id}"), lambda w: f"{API_PREFIX}/editions/{w.running.pk}", API_PUBLIC),
    Entry(
        api("patch", "/editions/{edition_id}"),
        lambda w: f"{API_PREFIX}/editions/{w.upcoming.pk}",
        API_OFFICE,
        method="patch",
        data=lambda w: {"capacity": 24},
    ),
    Entry(
        api("post", "/schedules/check"),
        lambda w: f"{API_PREFIX}/schedules/check",
        API_PUBLIC,
        method="post",
        data=lambda w: {"dates": ["2027-01-13", "2027-02-10"]},
    ),
    Entry(
        api("post", "/schedules/plan"),
        lambda w: f"{API_PREFIX}/schedules/plan",
        API_PUBLIC,
        method="post",
        data=lambda w: {"first_date": "2027-01-13", "count": 3},
    ),
    Entry(
        api("put", "/editions/{edition_id}/sessions"),
        lambda w: f"{API_PREFIX}/editions/{w.other_edition.pk}/sessions",
        API_OFFICE,
        method="put",
        data=lambda w: {
            "sessions": [
                {
                    "number": 1,
                    "kind": "content",
                    "date": w.other_edition.start_date.isoformat(),
                    "start_time": "13:30",
                    "end_time": "19:30",
                    "theme": "Thema",
                    "delivery_mode": "on_site",
                }
            ],
            "allow_violations": True,
        },
    ),
    Entry(
        api("post", "/editions/{edition_id}/sessions/plan"),
        lambda w: f"{API_PREFIX}/editions/{w.other_edition.pk}/sessions/plan",
        API_OFFICE,
        method="post",
        data=lambda w: {"first_date": w.other_edition.start_date.isoformat()},
    ),
    Entry(
        api("post", "/editions/{edition_id}/applications"),
        lambda w: f"{API_PREFIX}/editions/{w.upcoming.pk}/applications",
        API_PUBLIC,
        method="post",
        data=lambda w: _apply_body("noor.nieuw@example.org"),
        note="public: anyone may apply",
    ),
    Entry(api("get", "/applications/{application_id}"), lambda w: f"{API_PREFIX}/applications/{w.application_id}", API_OFFICE),
    Entry(
        api("post", "/applications/{application_id}/intake"),
        lambda w: f"{API_PREFIX}/applications/{w.submitted_application_id}/intake",
        API_OFFICE,
        method="post",
        data=lambda w: {
            "scheduled_at": (timezone.now() + datetime.timedelta(days=4)).isoformat(),
            "mode": "online",
            "interviewer": "Carla",
        },
    ),
    Entry(
        api("post", "/applications/{application_id}/decision"),
        lambda w: f"{API_PREFIX}/applications/{w.intake_application_id}/decision",
        API_OFFICE,
        method="post",
        data=lambda w: {"decision": "decline", "note": "Past niet."},
    ),
    Entry(
        api("post", "/editions/{edition_id}/enrolments"),
        lambda w: f"{API_PREFIX}/editions/{w.upcoming.pk}/enrolments",
        API_OFFICE,
        method="post",
        data=lambda w: {
            "first_name": "Ids",
            "last_name": "Incompany",
            "email": "ids@example.org",
            "organisation": "Ede",
            "invoice": False,
        },
    ),
    Entry(api("get", "/enrolments/{enrolment_id}"), lambda w: f"{API_PREFIX}/enrolments/{w.enrolment.pk}", API_OWNER_AND_STAFF),
    Entry(
        api("post", "/enrolments/{enrolment_id}/cancel"),
        lambda w: f"{API_PREFIX}/enrolments/{w.enrolment_upcoming.pk}/cancel",
        API_OFFICE,
        method="post",
    ),
    Entry(
        api("get", "/editions/{edition_id}/participants.csv"),
        lambda w: f"{API_PREFIX}/editions/{w.running.pk}/participants.csv",
        API_OFFICE,
    ),
    Entry(
        api("get", "/editions/{edition_id}/calendar.ics"),
        lambda w: f"{API_PREFIX}/editions/{w.running.pk}/calendar.ics",
        API_PUBLIC,
    ),
    Entry(api("get", "/invoices/{number}.pdf"), lambda w: f"{API_PREFIX}/invoices/{w.invoice_number}.pdf", API_OWNER_AND_OFFICE),
    Entry(api("get", "/invoices/{number}"), lambda w: f"{API_PREFIX}/invoices/{w.invoice_number}", API_OWNER_AND_OFFICE),
    Entry(
        api("post", "/enrolments/{enrolment_id}/paper"),
        lambda w: f"{API_PREFIX}/enrolments/{w.enrolment.pk}/paper",
        outcomes(LOGIN, OK, NOT_FOUND, FORBIDDEN, NOT_FOUND, OK),
        method="post",
        data=lambda w: {"file": _pdf_upload()},
        multipart=True,
    ),
    Entry(
        api("put", "/enrolments/{enrolment_id}/paper/assessment"),
        lambda w: f"{API_PREFIX}/enrolments/{w.enrolment.pk}/paper/assessment",
        outcomes(LOGIN, FORBIDDEN, NOT_FOUND, OK, NOT_FOUND, OK),
        method="put",
        data=lambda w: {"result": "insufficient", "feedback": "Te kort."},
    ),
    Entry(
        api("get", "/enrolments/{enrolment_id}/paper/file"),
        lambda w: f"{API_PREFIX}/enrolments/{w.enrolment_2021.pk}/paper/file",
        API_OWNER_AND_STAFF,
    ),
    Entry(
        api("put", "/enrolments/{enrolment_id}/presentation"),
        lambda w: f"{API_PREFIX}/enrolments/{w.enrolment_2021.pk}/presentation",
        outcomes(LOGIN, FORBIDDEN, NOT_FOUND, OK, NOT_FOUND, OK),
        method="put",
        data=lambda w: {"presented": False},
    ),
    Entry(
        api("get", "/editions/{edition_id}/presentations"),
        lambda w: f"{API_PREFIX}/editions/{w.completed.pk}/presentations",
        outcomes(LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK),
    ),
    Entry(
        api("put", "/editions/{edition_id}/presentations/order"),
        lambda w: f"{API_PREFIX}/editions/{w.completed.pk}/presentations/order",
        API_OFFICE,
        method="put",
        data=lambda w: {"enrolment_ids": _presentation_order(w)},
    ),
    Entry(
        api("put", "/sessions/{session_id}/attendance/{enrolment_id}"),
        lambda w: f"{API_PREFIX}/sessions/{w.held_session.pk}/attendance/{w.enrolment.pk}",
        outcomes(LOGIN, FORBIDDEN, FORBIDDEN, OK, NOT_FOUND, OK),
        method="put",
        data=lambda w: {"status": "absent"},
        note="participants 403, a teacher of another edition 404",
    ),
    Entry(
        api("get", "/editions/{edition_id}/attendance.csv"),
        lambda w: f"{API_PREFIX}/editions/{w.running.pk}/attendance.csv",
        API_OFFICE,
    ),
    Entry(
        api("get", "/enrolments/{enrolment_id}/award"),
        lambda w: f"{API_PREFIX}/enrolments/{w.enrolment_2021.pk}/award",
        API_OWNER_AND_STAFF,
    ),
    Entry(
        api("post", "/enrolments/{enrolment_id}/award/issue"),
        lambda w: f"{API_PREFIX}/enrolments/{w.enrolment_without_award.pk}/award/issue",
        API_OFFICE,
        method="post",
        data=lambda w: {"kind": "certificate"},
    ),
    Entry(
        api("get", "/credentials/{code}/document.pdf"),
        lambda w: f"{API_PREFIX}/credentials/{w.award_code}/document.pdf",
        API_OWNER_AND_OFFICE,
    ),
    Entry(
        api("get", "/credentials/{code}/credential.jwt"),
        lambda w: f"{API_PREFIX}/credentials/{w.award_code}/credential.jwt",
        API_OWNER_AND_OFFICE,
    ),
    Entry(api("get", "/credentials/{code}"), lambda w: f"{API_PREFIX}/credentials/{w.award_code}", API_PUBLIC),
    Entry(
        api("post", "/credentials/{code}/revoke"),
        lambda w: f"{API_PREFIX}/credentials/{w.award_code}/revoke",
        API_OFFICE,
        method="post",
        data=lambda w: {"reason": "Fraude vastgesteld."},
    ),
    Entry(api("get", "/invoices/{number}/payments"), lambda w: f"{API_PREFIX}/invoices/{w.invoice_number}/payments", API_OFFICE),
    Entry(
        api("post", "/invoices/{number}/payments"),
        lambda w: f"{API_PREFIX}/invoices/{w.invoice_number}/payments",
        API_OFFICE,
        method="post",
        data=lambda w: {"paid_on": today().isoformat(), "amount": "50.00", "reference": "Tweede deel"},
    ),
    Entry(
        api("get", "/finance/documents"),
        lambda w: f"{API_PREFIX}/finance/documents?from={today().replace(day=1)}&to={today()}",
        API_OFFICE,
    ),
    Entry(
        api("get", "/finance/documents.csv"),
        lambda w: f"{API_PREFIX}/finance/documents.csv?from={today().replace(day=1)}&to={today()}",
        API_OFFICE,
    ),
    Entry(api("get", "/editions/{edition_id}/money"), lambda w: f"{API_PREFIX}/editions/{w.upcoming.pk}/money", API_OFFICE),
    Entry(
        api("post", "/enrolments/{enrolment_id}/substitute"),
        lambda w: f"{API_PREFIX}/enrolments/{w.enrolment_upcoming.pk}/substitute",
        API_OFFICE,
        method="post",
        data=lambda w: {"first_name": "Sam", "last_name": "Collega", "email": "sam.collega@example.org"},
    ),
    Entry(
        api("post", "/enrolments/{enrolment_id}/transfer"),
        lambda w: f"{API_PREFIX}/enrolments/{w.enrolment_upcoming.pk}/transfer",
        API_OFFICE,
        method="post",
        data=lambda w: {"edition": w.later_edition.pk},
    ),
    Entry(
        api("get", "/enrolments/{enrolment_id}/history"),
        lambda w: f"{API_PREFIX}/enrolments/{w.enrolment_upcoming.pk}/history",
        API_OWNER_AND_OFFICE,
    ),
    Entry(
        api("get", "/invoices/{number}/refunds"), lambda w: f"{API_PREFIX}/invoices/{w.credit_note_number}/refunds", API_OFFICE
    ),
    Entry(
        api("post", "/invoices/{number}/refunds"),
        lambda w: f"{API_PREFIX}/invoices/{w.credit_note_number}/refunds",
        API_OFFICE,
        method="post",
        data=lambda w: {"paid_on": today().isoformat(), "amount": "100.00", "reference": "Terug"},
    ),
]


def _presentation_order(w: World) -> list[int]:
    from leergang.learning.models import PresentationSlot

    return list(
        PresentationSlot.objects.filter(enrolment__edition=w.completed)
        .order_by("-position")
        .values_list("enrolment_id", flat=True)
    )


ENTRIES: list[Entry] = PAGES + API
BY_KEY: dict[str, Entry] = {entry.key: entry for entry in ENTRIES}
assert len(BY_KEY) == len(ENTRIES), "two inventory entries share a key"


# ---------------------------------------------------------------------------------------------
# Checking the inventory against the URL configuration
# ---------------------------------------------------------------------------------------------

LANGUAGE_PREFIX = re.compile(r"^(nl|en)/")


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else (pattern.namespace or namespace)
            yield from _walk(pattern, prefix + str(pattern.pattern), inner or "")
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield prefix + str(pattern.pattern), name


def served_keys() -> set[str]:
    """Every page (by name, else "/route") and every API operation ("METHOD /api/v1/path") served."""
    from leergang.api.v1 import api as api_v1

    keys: set[str] = set()
    api_routes = set()
    with translation.override("nl"):
        for route, name in _walk(get_resolver()):
            if route.startswith("beheer/"):
                keys.add(ADMIN)
            elif route.startswith("api/v1/") and name not in ("api-v1:api-root", "api-v1:openapi-json", "api-v1:openapi-view"):
                api_routes.add("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route))
            else:
                keys.add(name or "/" + LANGUAGE_PREFIX.sub("<language>/", route))
    schema = api_v1.get_openapi_schema()
    documented = set()
    for path, operations in schema["paths"].items():
        documented.add(path)
        for method in operations:
            keys.add(f"{method.upper()} {path}")
    # An operation left out of the OpenAPI document would escape the check above: name it.
    for route in api_routes - documented:
        keys.add(f"UNDOCUMENTED {route}")
    return keys


def uncovered() -> tuple[list[str], list[str]]:
    """(served but not in the inventory, in the inventory but not served)."""
    served = served_keys()
    listed = {entry.served_key for entry in ENTRIES}
    return sorted(served - listed), sorted(listed - served)
