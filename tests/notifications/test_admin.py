"""Support reads the outbox in the admin and can send failed mail again."""

import pytest
from django.urls import reverse
from django.utils import timezone

from leergang.notifications.delivery import deliver_due
from leergang.notifications.models import OutboxEmail
from leergang.notifications.services import queue_email

pytestmark = pytest.mark.django_db


def failed_email(**changes) -> OutboxEmail:
    email = queue_email(
        to="p@example.org", subject="Uw factuur", body="Bijgaand.\n", attachments=[("f.pdf", b"%PDF", "application/pdf")]
    )
    OutboxEmail.objects.filter(pk=email.pk).update(status="failed", attempts=20, last_error="ConnectionRefusedError", **changes)
    return email


def test_the_outbox_list_and_detail_show_and_filter_but_do_not_edit(admin_client):
    email = failed_email()
    changelist = reverse("admin:notifications_outboxemail_changelist")

    response = admin_client.get(changelist, {"status__exact": "failed"})
    assert response.status_code == 200
    assert "Uw factuur" in response.content.decode()
    assert admin_client.get(changelist, {"status__exact": "sent"}).content.decode().count("Uw factuur") == 0
    assert "Uw factuur" in admin_client.get(changelist, {"q": "p@example.org"}).content.decode()  # search by recipient
    assert "Uw factuur" not in admin_client.get(changelist, {"q": "nobody@example.org"}).content.decode()

    detail = admin_client.get(reverse("admin:notifications_outboxemail_change", args=[email.pk]))
    assert detail.status_code == 200
    assert "f.pdf (application/pdf, 4 bytes)" in detail.content.decode()
    assert (
        admin_client.post(reverse("admin:notifications_outboxemail_change", args=[email.pk]), {"subject": "x"}).status_code == 403
    )
    assert admin_client.get(reverse("admin:notifications_outboxemail_add")).status_code == 403


def test_retry_now_makes_a_failed_mail_due_and_the_worker_sends_it(admin_client, mailoutbox):
    email = failed_email()
    sent = queue_email(to="q@example.org", subject="Al verstuurd", body="x")
    deliver_due()
    mailoutbox.clear()

    response = admin_client.post(
        reverse("admin:notifications_outboxemail_changelist"),
        {"action": "retry_now", "_selected_action": [email.pk, sent.pk]},
    )
    assert response.status_code == 302
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("pending", 0)
    assert email.next_attempt_at <= timezone.now()

    assert deliver_due() == 1
    assert [message.subject for message in mailoutbox] == ["Uw factuur"]  # the one already sent is not sent again


def test_the_job_list_is_read_only(admin_client):
    assert admin_client.get(reverse("admin:notifications_jobrun_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:notifications_jobrun_add")).status_code == 403
