"""Model instances to the contract's JSON shapes. Inputs are prefetched; nothing here queries."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language

from leergang.catalog.models import Edition, Programme, Weekday


def hhmm(value) -> str:
    return value.strftime("%H:%M")


def money(value) -> str:
    return f"{value:.2f}"


def page_url(programme: Programme) -> str:
    return settings.PUBLIC_BASE_URL + reverse("catalog:programme", kwargs={"slug": programme.slug})


def programme_summary(programme: Programme) -> dict:
    return {"slug": programme.slug, "title": programme.title, "tagline": programme.tagline, "url": page_url(programme)}


def edition_brief(edition: Edition) -> dict:
    return {
        "id": edition.id,
        "start_date": edition.start_date,
        "status": edition.status,
        "seats_taken": edition.seats_taken,
        "capacity": edition.capacity,
        "full": edition.seats_taken >= edition.capacity,
    }


def programme_detail(programme: Programme) -> dict:
    return {
        **programme_summary(programme),
        "description": programme.description,
        "learning_goals": [goal.text for goal in programme.learning_goals.all()],
        "participant_profile": programme.profile,
        "fee_includes": programme.fee_includes,
        "vat_exempt": programme.vat_exempt,
        "preparation_hours_per_session": programme.preparation_hours_per_session,
        "paper_hours": programme.paper_hours,
        "contact_email": programme.contact_email,
        "lead_teachers": [
            {"name": link.teacher.name, "position": link.teacher.position, "bio": link.teacher.bio}
            for link in programme.teacher_links.all()
        ],
        "editions": [edition_brief(edition) for edition in programme.visible_editions],
    }


def session(item) -> dict:
    return {
        "id": item.id,
        "number": item.number,
        "kind": item.kind,
        "date": item.date,
        "start_time": hhmm(item.start_time),
        "end_time": hhmm(item.end_time),
        "theme": item.theme,
        "delivery_mode": item.delivery_mode,
        "parts": [{"title": part.title, "teacher": part.teacher.name if part.teacher else None} for part in item.parts.all()],
    }


def edition_detail(edition: Edition) -> dict:
    return {
        "id": edition.id,
        "programme": edition.programme.slug,
        "start_date": edition.start_date,
        "capacity": edition.capacity,
        "seats_taken": edition.seats_taken,
        "full": edition.seats_taken >= edition.capacity,
        "fee": money(edition.fee),
        "status": edition.status,
        "holiday_region": edition.holiday_region,
        "location": edition.place,
        "language": edition.language,
        "weekday": Weekday(edition.weekday).name.lower(),
        "start_time": hhmm(edition.start_time),
        "end_time": hhmm(edition.end_time),
        "min_gap_days": edition.min_gap_days,
        "sessions": [session(item) for item in edition.sessions.all()],
    }


def current_language() -> str:
    return (get_language() or "nl")[:2]
