"""The holder's e-mail: queued with the award, sent by the real outbox worker to a real SMTP server,
in the holder's language, with the PDF attached, the verification link and where the credential is."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from leergang.awards import pdf, services
from leergang.notifications.models import OutboxEmail
from tests.notifications.conftest import smtp_server  # noqa: F401 - the real SMTP server fixture

from .test_issuing import finished_edition, participant_in

pytestmark = pytest.mark.django_db


def worker_round() -> None:
    call_command("worker", "--once", stdout=StringIO())


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_the_holder_receives_the_document_and_the_verification_link(request, coordinator):
    smtp = request.getfixturevalue("smtp_server")
    edition = finished_edition()
    enrolment = participant_in(edition, "ben@example.org", "Ben", "Smith", language="en")
    award = services.issue_award(actor=coordinator, enrolment_id=enrolment.pk, kind="diploma")
    worker_round()

    [message] = smtp.messages
    assert message["To"] == "ben@example.org"
    assert message["Content-Language"] == "en"
    assert message["Subject"] == "Your diploma of Leading from trust"
    text = body(message)
    assert "Dear Ben," in text
    assert "awarded the diploma of Leading from trust" in text
    assert f"{settings.PUBLIC_BASE_URL}/verify/{award.code}?lang=en" in text  # the page in their language
    assert award.code in text
    assert f"{settings.PUBLIC_BASE_URL}/en/leren/diploma/" in text
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"diploma-{award.code}.pdf"
    award.refresh_from_db()
    assert attachment.get_content() == bytes(award.pdf) == pdf.award_pdf(award)  # made by the worker, and kept

    worker_round()
    assert len(smtp.messages) == 1  # sent once
    assert list(OutboxEmail.objects.values_list("status", flat=True)) == ["sent"]


def test_a_certificate_e_mail_in_dutch_by_default(coordinator):
    edition = finished_edition()
    enrolment = participant_in(edition, "anna@example.org", "Anna", "Jansen", attended=3)
    award = services.issue_award(actor=coordinator, enrolment_id=enrolment.pk, kind="certificate")
    email = OutboxEmail.objects.get(kind="award_issued")
    assert email.to == ["anna@example.org"] and email.language == "nl"
    assert email.related_id == str(award.pk)
    assert "/nl/leren/diploma/" in email.body and f"/verify/{award.code}" in email.body
    [attachment] = email.attachments
    assert attachment["filename"].endswith(f"-{award.code}.pdf")


def test_the_holder_is_told_when_their_award_is_revoked_and_why(request, coordinator):
    smtp = request.getfixturevalue("smtp_server")
    edition = finished_edition()
    enrolment = participant_in(edition, "ben@example.org", "Ben", "Smith", language="en")
    award = services.issue_award(actor=coordinator, enrolment_id=enrolment.pk, kind="diploma")
    worker_round()
    services.revoke_award(actor=coordinator, code=award.code, reason="Issued to the wrong person")
    worker_round()

    issued, revoked = smtp.messages
    assert revoked["To"] == "ben@example.org" and revoked["Content-Language"] == "en"
    assert revoked["Subject"] == "Your diploma of Leading from trust has been revoked"
    text = body(revoked)
    assert f"The programme office has revoked the document with code {award.code}." in text
    assert "Reason: Issued to the wrong person" in text
    assert f"{settings.PUBLIC_BASE_URL}/verify/{award.code}?lang=en" in text
    assert not list(revoked.iter_attachments())  # the revoked document is not sent again


def test_a_refused_revocation_sends_nothing(coordinator):
    edition = finished_edition()
    enrolment = participant_in(edition, "anna@example.org", "Anna", "Jansen")
    award = services.issue_award(actor=coordinator, enrolment_id=enrolment.pk, kind="diploma")
    with pytest.raises(services.Invalid):
        services.revoke_award(actor=coordinator, code=award.code, reason="  ")
    assert not OutboxEmail.objects.filter(kind="award_revoked").exists()
