"""Queueing writes rows in the caller's transaction and renders in the recipient's language."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from leergang.notifications.models import OutboxEmail
from leergang.notifications.services import decode_attachment, queue_email, queue_templated_email
from tests import factories

pytestmark = pytest.mark.django_db


def test_queue_email_stores_the_message_pending_and_due_now():
    user = factories.UserFactory()
    email = queue_email(
        to="a@example.org",
        subject="Bijeenkomst 3\n verplaatst",
        body="Hallo,\n",
        attachments=[("bijeenkomst.ics", "BEGIN:VCALENDAR\r\n", "text/calendar"), ("a.pdf", b"%PDF\x00\xff", "application/pdf")],
        language="en",
        reply_to="office@example.org",
        kind="session_moved",
        related=user,
    )
    email.refresh_from_db()
    assert email.to == ["a@example.org"]
    assert email.subject == "Bijeenkomst 3 verplaatst"
    assert (email.status, email.attempts, email.sent_at) == ("pending", 0, None)
    assert (email.language, email.reply_to, email.kind) == ("en", "office@example.org", "session_moved")
    assert (email.related_type, email.related_id) == ("accounts.user", str(user.pk))
    assert [decode_attachment(a) for a in email.attachments] == [
        ("bijeenkomst.ics", b"BEGIN:VCALENDAR\r\n", "text/calendar"),
        ("a.pdf", b"%PDF\x00\xff", "application/pdf"),
    ]
    assert email.message_id.startswith("<") and email.message_id.endswith("@example.org>")


def test_every_message_gets_its_own_message_id():
    first = queue_email(to="a@example.org", subject="s", body="b")
    second = queue_email(to="a@example.org", subject="s", body="b")
    assert first.message_id != second.message_id


@pytest.mark.parametrize(
    "changes",
    [{"to": "nobody"}, {"to": []}, {"language": "de"}, {"attachments": [("x.ics", b"", "")]}, {"reply_to": "nope"}],
)
def test_a_message_that_could_never_be_sent_is_refused_at_once(changes):
    with pytest.raises(ValueError):
        queue_email(**{"to": "a@example.org", "subject": "s", "body": "b", **changes})
    assert OutboxEmail.objects.count() == 0


def test_a_message_queued_in_a_transaction_that_rolls_back_is_gone():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_email(to="a@example.org", subject="s", body="b")
        raise RuntimeError("the business change failed")
    assert OutboxEmail.objects.count() == 0


@pytest.mark.parametrize("active", ["en", "nl"])
def test_templated_mail_reads_in_the_recipients_language_not_the_active_one(email_templates, active):
    day = datetime.date(2021, 1, 13)
    with translation.override(active):
        dutch = queue_templated_email(
            to="a@example.org",
            template="test_welcome",
            context={"name": "Anna", "programme": "Leiderschap", "day": day},
            language="nl",
        )
        english = queue_templated_email(
            to="a@example.org",
            template="test_welcome",
            context={"name": "Anna", "programme": "Leiderschap", "day": day},
            language="en",
        )
        assert translation.get_language() == active
    assert dutch.subject == "Leiderschap: Inloggen"
    assert english.subject == "Leiderschap: Log in"
    assert "Inloggen: woensdag 13 januari 2021" in dutch.body
    assert "Log in: Wednesday 13 January 2021" in english.body
    assert (dutch.language, english.language) == ("nl", "en")
    assert dutch.kind == "test_welcome"


def test_the_footer_names_the_sender_and_links_to_the_site_in_the_recipients_language(email_templates, settings):
    settings.PUBLIC_BASE_URL = "https://leergang.example.org"
    settings.DEFAULT_FROM_EMAIL = "Academie Leergang <noreply@example.org>"
    context = {"name": "Anna", "programme": "P", "day": datetime.date(2021, 1, 13)}
    with translation.override("nl"):
        english = queue_templated_email(to="a@example.org", template="test_welcome", context=context, language="en")
    dutch = queue_templated_email(to="a@example.org", template="test_welcome", context=context, language="nl")
    assert english.body.endswith(
        "\n\n-- \nThis e-mail comes from Academie Leergang.\nEverything about your programme: https://leergang.example.org/en/\n"
    )
    # The Dutch wording comes from the catalogue; the sender and the Dutch pages do not depend on it.
    assert "\n-- \n" in dutch.body
    assert "Academie Leergang" in dutch.body
    assert dutch.body.endswith(" https://leergang.example.org/nl/\n")


def test_templated_mail_is_plain_text_without_html_escaping(email_templates):
    email = queue_templated_email(
        to="a@example.org",
        template="test_welcome",
        context={"name": "Jan O'Brien & <Co>", "programme": "R&D", "day": datetime.date(2021, 1, 13)},
        language="en",
    )
    assert email.body.startswith("Jan O'Brien & <Co>,\n")
    assert email.subject == "R&D: Log in"


@pytest.mark.parametrize(
    "changes", [{"status": "bounced"}, {"status": "sent"}, {"sent_at": datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC)}]
)
def test_the_database_refuses_an_unknown_status_and_a_sent_at_that_does_not_match(changes):
    email = queue_email(to="a@example.org", subject="s", body="b")
    with pytest.raises(IntegrityError), transaction.atomic():
        OutboxEmail.objects.filter(pk=email.pk).update(**changes)
