"""The P6 benchmark's workflow (bench/workflow.py) does what it claims, so its timings stay meaningful:
25 applications become 25 enrolments with gapless invoices, a full register, assessed papers,
presentations and 25 valid diplomas with their documents. Time is reported by the benchmark only."""

import pytest

from bench import workflow
from leergang.accounts.models import User
from leergang.attendance.models import Attendance
from leergang.awards import credentials
from leergang.awards.models import Award
from leergang.catalog.models import Edition
from leergang.enrolment.models import Application, Enrolment
from leergang.invoicing.models import Invoice
from leergang.learning import services as papers
from leergang.learning.models import PaperSubmission, PresentationSlot
from leergang.notifications.models import OutboxEmail

STEPS = {"plan", "open", "register", "admit", "attendance", "papers", "presentations", "complete", "diplomas", "documents"}


@pytest.mark.django_db(transaction=False)
def test_one_edition_goes_from_25_applications_to_25_diplomas_through_the_services(demo):
    editions_before = set(Edition.objects.values_list("pk", flat=True))

    result = workflow.whole_edition()

    edition = Edition.objects.get(pk=result["edition_id"])
    assert edition.pk not in editions_before
    assert edition.status == "completed"
    sessions = list(edition.sessions.order_by("number"))
    assert len(sessions) == 7 and sessions[-1].kind == "closing"
    assert edition.start_date == sessions[0].date

    applications = Application.objects.filter(edition=edition)
    assert applications.count() == 25
    assert set(applications.values_list("status", flat=True)) == {"admitted"}
    enrolments = list(Enrolment.objects.filter(edition=edition, status="enrolled").select_related("participant"))
    assert len(enrolments) == 25
    assert {e.application_id for e in enrolments} == set(applications.values_list("pk", flat=True))
    assert all(e.participant.role == "participant" for e in enrolments)

    invoices = list(Invoice.objects.filter(enrolment__edition=edition).order_by("sequence"))
    assert len(invoices) == 25 and {i.enrolment_id for i in invoices} == {e.pk for e in enrolments}
    first = invoices[0].sequence
    assert [i.sequence for i in invoices] == list(range(first, first + 25))
    year = invoices[0].year
    assert sorted(Invoice.objects.filter(year=year).values_list("sequence", flat=True)) == list(
        range(1, Invoice.objects.filter(year=year).count() + 1)
    ), "the year's series has a gap"

    register = Attendance.objects.filter(session__edition=edition)
    assert register.count() == 7 * 25
    assert set(register.values_list("status", flat=True)) == {"present"}
    assert not register.filter(recorded_by__isnull=True).exists()

    submitted = list(PaperSubmission.objects.filter(enrolment__edition=edition))
    assert len(submitted) == 25 and {p.result for p in submitted} == {"sufficient"}
    for paper in submitted:
        assert papers.paper_file(paper).read_bytes().startswith(b"%PDF")
    slots = PresentationSlot.objects.filter(edition=edition)
    assert sorted(slots.values_list("position", flat=True)) == list(range(1, 26))
    assert set(slots.values_list("presented", flat=True)) == {True}

    awards = list(Award.objects.filter(enrolment__edition=edition))
    assert result["diplomas"] == 25 == len(awards)
    assert {a.kind for a in awards} == {"diploma"} and all(a.revoked_at is None for a in awards)
    assert {a.enrolment_id for a in awards} == {e.pk for e in enrolments}
    for award in awards:
        assert bytes(award.pdf).startswith(b"%PDF")
        assert credentials.verify(award.credential)["credentialSubject"]
    mails = OutboxEmail.objects.filter(related_type="awards.award", related_id__in=[str(a.pk) for a in awards])
    assert mails.count() == 25
    assert all(len(mail.attachments) == 1 for mail in mails)

    assert set(result["steps_s"]) == STEPS
    assert all(isinstance(seconds, float) and seconds >= 0 for seconds in result["steps_s"].values())
    assert result["total_s"] == pytest.approx(sum(result["steps_s"].values()))


@pytest.mark.django_db(transaction=False)
def test_the_workflow_stops_with_an_error_when_not_every_participant_gets_a_diploma(demo, monkeypatch):
    from leergang.learning import presentations

    real = presentations.record_presentation
    calls = []

    def first_does_not_present(*, actor, enrolment_id, presented):
        calls.append(enrolment_id)
        return real(actor=actor, enrolment_id=enrolment_id, presented=presented and len(calls) > 1)

    monkeypatch.setattr(presentations, "record_presentation", first_does_not_present)
    with pytest.raises(RuntimeError, match="24 of 25 diplomas"):
        workflow.whole_edition()
    assert User.objects.filter(email__startswith="werkstroom-").count() == 25
