"""The public verification page (/verify/<code>): whoever holds a diploma or certificate, or reads
one, checks here that it is genuine and still valid.

Printed on the document and in its QR code, so it lives outside the language prefix and answers
directly (no redirect, no login). Dutch by default; `?lang=en` shows it in English. Everything shown
comes from the award's snapshot (what the document says), never the holder's e-mail address.
Revocation must show at once, so nothing here may be cached.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from leergang.core.formatting import long_date

from . import codes, pdf, services
from .models import Award, AwardKind

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"


def _language(request: HttpRequest) -> str:
    language = request.GET.get("lang", "")
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return language


def _in(language: str, value) -> str:
    if isinstance(value, dict):
        return value.get(language) or value.get("nl") or value.get("en") or ""
    return str(value or "")


def _switch(request: HttpRequest, language: str) -> dict:
    """The link to this page in the other language (Dutch is the address without `lang`)."""
    other = "en" if language == "nl" else "nl"
    return {
        "code": other,
        "url": request.path + ("?lang=en" if other == "en" else ""),
        "name": "English" if other == "en" else "Nederlands",
    }


def _no_store(response: HttpResponse, language: str) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = language
    return response


def presented(award: Award, language: str) -> dict:
    """What the page shows of an award, in `language` (active)."""
    snap = award.snapshot
    return {
        "valid": not award.revoked,
        "kind": award.kind,
        "kind_label": AwardKind(award.kind).label,
        "diploma": award.kind == AwardKind.DIPLOMA,
        "holder_name": snap.get("holder_name", ""),
        "programme": _in(language, snap.get("programme")),
        "period": pdf.period(snap.get("start_date", ""), snap.get("end_date", "")),
        "organiser": snap.get("organiser", ""),
        "goals": [_in(language, goal) for goal in snap.get("goals") or []],
        "signatories": [
            {"name": person.get("name", ""), "position": person.get(f"position_{language}") or person.get("position_nl", "")}
            for person in snap.get("signatories") or []
        ],
        "issued_on": long_date(timezone.localtime(award.issued_at).date()),
        "revoked_on": long_date(timezone.localtime(award.revoked_at).date()) if award.revoked else "",
        "revoked_reason": award.revoked_reason,
        "code": award.code,
    }


@login_not_required
@require_safe
def verify(request: HttpRequest, code: str) -> HttpResponse:
    language = _language(request)
    award = services.find_award(code)
    context = {
        "switch": _switch(request, language),
        "code": code[:64],
        "json_url": reverse("api-v1:credential", kwargs={"code": award.code if award else code}),
        "index_url": reverse("verify:index") + ("?lang=en" if language == "en" else ""),
    }
    if award is None:
        return _no_store(render(request, "awards/verify_unknown.html", context, status=404), language)
    context["award"] = presented(award, language)
    return _no_store(render(request, "awards/verify.html", context), language)


@login_not_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Where someone types the code from a paper document; a code found leads to its page."""
    language = _language(request)
    typed = request.GET.get("code", "").strip()
    code = codes.normalise(typed)
    if code:
        suffix = "?lang=en" if language == "en" else ""
        return HttpResponseRedirect(reverse("verify:page", kwargs={"code": code}) + suffix)
    context = {"switch": _switch(request, language), "lang": language, "typed": typed[:64], "error": bool(typed)}
    return _no_store(render(request, "awards/verify_index.html", context), language)
