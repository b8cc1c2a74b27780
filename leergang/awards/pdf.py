"""A diploma or certificate of participation as an A4 landscape PDF, typeset by Typst from
templates/awards/award.typ.

Everything printed comes from the award's snapshot, code, language and issue moment, so the document
says what was true when it was issued, whatever changes later. That also makes the PDF the same
bytes whenever it is made, so issuing does not wait for typst: the document is made when it is
first needed (the worker sending the holder's e-mail, or a download) and kept on the award. The template is fixed Typst source;
the texts (labels translated into the award's language, dates formatted, names and goals as stored)
reach it as one JSON document through `sys.inputs`, where Typst reads strings as plain text, never
as markup or code. The QR code (segno, SVG) leads to the public verification page.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import segno
import typst
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from leergang.core.formatting import long_date

from .models import Award, AwardKind

TEMPLATE = Path(__file__).resolve().parent / "templates" / "awards" / "award.typ"


def award_pdf(award: Award) -> bytes:
    """The document in the award's language; the same bytes every time for the same award."""
    return typst.compile(
        TEMPLATE.read_bytes(),
        format="pdf",
        sys_inputs={"data": json.dumps(document_data(award), ensure_ascii=False)},
        ignore_system_fonts=True,  # the fonts inside the wheel: the same output on every machine
        timestamp=award.issued_at.astimezone(datetime.UTC).replace(microsecond=0),
    )


RENDERER = "award_pdf"


def document(award: Award) -> bytes:
    """The award's PDF: the kept copy, or made now and kept (the same bytes either way)."""
    if award.pdf:
        return bytes(award.pdf)
    award.pdf = award_pdf(award)
    Award.objects.filter(pk=award.pk).update(pdf=award.pdf)
    return award.pdf


def render_by_code(code: str) -> bytes:
    return document(Award.objects.get(code=code))


def attachment(award: Award) -> tuple[str, Any, str]:
    """The PDF as an e-mail attachment, made when the e-mail is sent."""
    from leergang.notifications.services import Rendered

    return (filename(award), Rendered(RENDERER, award.code), "application/pdf")


def filename(award: Award) -> str:
    """`diploma-7KQ2-M9XD-4HNA.pdf` / `certificaat-…` in the award's language."""
    with translation.override(award.language):
        if award.kind == AwardKind.DIPLOMA:
            stem = pgettext("file name of a diploma", "diploma")
        else:
            stem = pgettext("file name of a certificate of participation", "certificate")
    return f"{stem}-{award.code}.pdf"


def verify_url(code: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}/verify/{code}"


def _qr(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=1, border=0, dark="#1a1a1a", omitsize=True)


def _text(value: Any, language: str) -> str:
    """A snapshot text stored in both languages ({"nl", "en"}) in the document's language."""
    if isinstance(value, dict):
        return value.get(language) or value.get("nl") or value.get("en") or ""
    return str(value or "")


def period(start: str, end: str) -> str:
    """`13 januari 2021 – 13 oktober 2021` in the active language, from ISO dates."""
    first = datetime.date.fromisoformat(start) if start else None
    last = datetime.date.fromisoformat(end) if end else None
    if first is None or last is None or first == last:
        return long_date(first or last)
    return f"{long_date(first)} – {long_date(last)}"


def document_data(award: Award) -> dict[str, Any]:
    """Everything the template prints, in the award's language, from the snapshot only."""
    snap = award.snapshot
    language = award.language
    url = verify_url(award.code)
    with translation.override(language):
        diploma = award.kind == AwardKind.DIPLOMA
        title = _("Diploma") if diploma else _("Certificate of participation")
        programme = _text(snap.get("programme"), language)
        issued_on = long_date(timezone.localtime(award.issued_at).date())
        return {
            "lang": language,
            "document_title": f"{title} – {snap.get('holder_name', '')} – {programme}",
            "organiser": snap.get("organiser", ""),
            "title": title,
            "preamble": _("This is to certify that"),
            "holder_name": snap.get("holder_name", ""),
            "statement": (_("has successfully completed the programme") if diploma else _("has taken part in the programme")),
            "programme": programme,
            "period": period(snap.get("start_date", ""), snap.get("end_date", "")),
            "goals_label": _("Learning goals"),
            "goals": [_text(goal, language) for goal in snap.get("goals") or []],
            "signatories": [
                {"name": person.get("name", ""), "position": person.get(f"position_{language}") or person.get("position_nl", "")}
                for person in snap.get("signatories") or []
            ],
            "issued": _("Issued on %(date)s") % {"date": issued_on},
            "code_label": _("Verification code"),
            "code": award.code,
            "verify_label": _("Check this document at"),
            "verify_url": url,
            "qr": _qr(url),
            "qr_alt": _("QR code leading to the verification page"),
        }
