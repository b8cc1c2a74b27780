"""The building blocks of erasure and retention: what replaces personal data, and how copies of it in
the audit log, the support admin's log and the outbox are scrubbed.

Erased text becomes ERASED ("[verwijderd]"); an erased e-mail address becomes one under
ERASED_DOMAIN (the reserved top-level domain .invalid: it can never receive mail). Names, addresses
and free texts inside JSON (audit before/after) are replaced under their key (PERSONAL_KEYS) and
wherever the person's name or address occurs in a string (`Needles`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.admin.models import LogEntry
from django.db.models import Q
from django.utils import timezone

from leergang.core.models import AuditEntry
from leergang.enrolment.models import Application, EducationLevel, Intake
from leergang.notifications.models import OutboxEmail

ERASED = "[verwijderd]"
ERASED_DOMAIN = "erased.invalid"
ERASED_FIRST_NAME = "Verwijderd"

# Keys in audit before/after values whose string values are personal (names, addresses, free texts).
PERSONAL_KEYS = frozenset(
    {
        "email", "first_name", "last_name", "name", "phone", "organisation", "job_title", "education_note",
        "challenge", "invoice_organisation", "invoice_address", "invoice_postal_code", "invoice_city",
        "invoice_email", "invoice_po_number", "dietary_requirements", "decision_note", "note", "outcome_note",
        "question", "context", "title", "done", "learned", "next_step", "text", "original_filename", "feedback",
        "reason", "participant_name", "holder_name", "contact_name", "recipient_organisation",
        "recipient_contact_name", "recipient_address", "recipient_postal_code", "recipient_city",
        "recipient_email", "recipient_po_number", "sha256", "file_path",
    }
)  # fmt: skip


def erased_email(kind: str, pk: int) -> str:
    return f"erased-{kind}-{pk}@{ERASED_DOMAIN}"


def is_erased_email(address: str) -> bool:
    return (address or "").lower().endswith("@" + ERASED_DOMAIN)


@dataclass
class Needles:
    """The strings that identify a person: their e-mail addresses and names, found in any text."""

    addresses: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)  # full names, first names and last names: replaced in texts about them
    full_names: set[str] = field(default_factory=set)  # what is searched for in texts not known to be about them
    replacement: str = ERASED

    def add_address(self, value: str) -> None:
        if value and not is_erased_email(value):
            self.addresses.add(value.strip().lower())

    def add_name(self, full_name: str, *parts: str) -> None:
        full_name = " ".join((full_name or "").split())
        if " " in full_name and not full_name.startswith(ERASED_FIRST_NAME):
            self.full_names.add(full_name)
        for value in (full_name, *parts):
            value = (value or "").strip()
            if len(value) >= 2 and not value.startswith(ERASED_FIRST_NAME):
                self.names.add(value)

    def search_words(self) -> set[str]:
        """What identifies the person in any text: their addresses and full names (a first name alone does not)."""
        return self.addresses | self.full_names

    def pattern(self) -> re.Pattern | None:
        words = sorted(self.addresses | self.names, key=len, reverse=True)
        if not words:
            return None
        return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)

    def text(self, value: str) -> str:
        pattern = self.pattern()
        return pattern.sub(self.replacement, value) if pattern and value else value

    def found_in(self, value: str) -> bool:
        pattern = self.pattern()
        return bool(pattern and value and pattern.search(value))


def scrub_json(value: Any, needles: Needles, *, keys: bool = True) -> Any:
    """`value` with the person's names and addresses replaced and (`keys`) personal keys' strings erased."""
    if isinstance(value, dict):
        return {
            key: (
                ERASED
                if keys and key in PERSONAL_KEYS and isinstance(item, str) and item
                else scrub_json(item, needles, keys=keys)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [scrub_json(item, needles, keys=keys) for item in value]
    if isinstance(value, str):
        return needles.text(value)
    return value


def scrub_audit(targets: Q, needles: Needles, *, keys: bool = True) -> int:
    """Erase personal values in the audit entries matching `targets`; the entries themselves stay.
    With `keys` (entries about the person) every personal key is erased; without (entries about
    others that the person made) only the person's own names and addresses are replaced."""
    changed = 0
    for entry in AuditEntry.objects.filter(targets).only("before", "after"):
        before, after = scrub_json(entry.before, needles, keys=keys), scrub_json(entry.after, needles, keys=keys)
        if before != entry.before or after != entry.after:
            AuditEntry.objects.filter(pk=entry.pk).update(before=before, after=after)
            changed += 1
    return changed


def scrub_admin_log(needles: Needles, objects: dict[str, Iterable[int]], *, search: bool = True) -> None:
    """The support admin's log: the names of changed objects and the change messages mentioning the
    person; with `search`, also entries elsewhere that name them (their address or full name)."""
    query = Q()
    for label, ids in objects.items():
        app_label, _dot, model = label.partition(".")
        ids = [str(pk) for pk in ids]
        if ids:
            query |= Q(content_type__app_label=app_label, content_type__model=model, object_id__in=ids)
    for word in needles.search_words() if search else ():
        query |= Q(object_repr__icontains=word) | Q(change_message__icontains=word)
    if not query:
        return
    for entry in LogEntry.objects.filter(query):
        entry.object_repr = needles.text(entry.object_repr)
        entry.change_message = needles.text(entry.change_message)
        entry.save(update_fields=["object_repr", "change_message"])


def scrub_outbox(needles: Needles, related: Q, erased_address: str, *, search: bool = True) -> int:
    """E-mails to the person lose their address, body and attachments (a pending one is not sent any
    more); e-mails to others about them keep their text with the person's name and address replaced.
    The e-mails are those `related` to the person's rows and (`search`) any to them or naming them."""
    query = related
    for address in needles.addresses if search else ():
        query |= Q(to__icontains=address) | Q(body__icontains=address) | Q(subject__icontains=address)
    for name in needles.full_names if search else ():
        query |= Q(body__icontains=name) | Q(subject__icontains=name)
    changed = 0
    for email in OutboxEmail.objects.filter(query):
        to_them = any(str(address).strip().lower() in needles.addresses for address in email.to or [])
        email.subject = needles.text(email.subject)
        email.last_error = needles.text(email.last_error)
        email.reply_to = erased_address if email.reply_to.strip().lower() in needles.addresses else email.reply_to
        fields = ["subject", "last_error", "reply_to", "updated_at"]
        if to_them:
            email.to = [erased_address if str(a).strip().lower() in needles.addresses else a for a in email.to]
            email.body, email.attachments = ERASED, []
            fields += ["to", "body", "attachments"]
            if email.status == OutboxEmail.Status.PENDING:
                email.status, email.last_error = OutboxEmail.Status.FAILED, "Not sent: the recipient's data was erased."
                fields.append("status")
        else:
            email.body = needles.text(email.body)
            fields.append("body")
        email.save(update_fields=fields)
        changed += 1
    return changed


def anonymise_application(application: Application, pseudonym: str) -> None:
    """Every field the applicant typed, blanked within the database's rules; status and dates stay."""
    application.first_name, application.last_name = ERASED_FIRST_NAME, pseudonym
    application.email = erased_email("application", application.pk)
    for name in (
        "phone", "organisation", "job_title", "education_note", "challenge", "invoice_organisation",
        "invoice_address", "invoice_postal_code", "invoice_city", "invoice_po_number",
        "dietary_requirements", "decision_note",
    ):  # fmt: skip
        setattr(application, name, "")
    application.invoice_email = erased_email("invoice", application.pk)
    application.education_level = EducationLevel.OTHER
    application.years_experience = 0
    application.leadership_role = False
    application.submission_key = None
    application.updated_at = timezone.now()
    application.save()
    Intake.objects.filter(application=application).update(outcome_note="", updated_at=timezone.now())


def application_needles(application: Application, needles: Needles | None = None) -> Needles:
    needles = needles or Needles()
    needles.add_address(application.email)
    needles.add_name(application.name, application.first_name, application.last_name)
    return needles


def application_targets(ids: Iterable[int]) -> Q:
    ids = [str(pk) for pk in ids]
    return Q(object_type="enrolment.application", object_id__in=ids)


def outbox_related(objects: dict[str, Iterable[int]]) -> Q:
    query = Q(pk__in=[])
    for label, ids in objects.items():
        ids = [str(pk) for pk in ids]
        if ids:
            query |= Q(related_type=label, related_id__in=ids)
    return query
