"""An `Award` row made directly (not through the issuing service), with a snapshot shaped as the
service writes it. `AwardFactory(revoked=True)` makes a revoked one."""

import secrets

import factory
from django.utils import timezone

from leergang.awards import credentials
from leergang.awards.models import Award
from tests import factories


def snapshot_for(award) -> dict:
    enrolment = award.enrolment
    edition = enrolment.edition
    programme = edition.programme
    holder = enrolment.participant
    return {
        "holder_name": f"{holder.first_name} {holder.last_name}".strip() or holder.email,
        "holder_email": holder.email,
        "programme": {"nl": programme.title_nl, "en": programme.title_en or programme.title_nl},
        "programme_slug": programme.slug,
        "organiser": programme.organiser or "Vrije Universiteit Amsterdam – School of Governance",
        "start_date": edition.start_date.isoformat(),
        "end_date": edition.start_date.replace(month=6 if edition.start_date.month < 6 else 12).isoformat(),
        "goals": [
            {"nl": "Vertrouwen als sturingsprincipe toepassen", "en": "Apply trust as a steering principle"},
            {"nl": "Het eigen leiderschap onderzoeken", "en": "Examine one's own leadership"},
        ],
        "signatories": [
            {"name": "Prof. dr. A. de Wit", "position_nl": "Programmadirecteur", "position_en": "Programme director"}
        ],
        "kind": award.kind,
        "edition_id": edition.pk,
    }


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award

    class Params:
        revoked = factory.Trait(
            revoked_at=factory.LazyFunction(timezone.now),
            revoked_by=factory.SubFactory(factories.CoordinatorFactory),
            revoked_reason="Issued by mistake.",
        )

    enrolment = factory.SubFactory(factories.EnrolmentFactory)
    kind = "diploma"
    code = factory.LazyFunction(lambda: secrets.token_urlsafe(12))
    language = "nl"
    issued_at = factory.LazyFunction(timezone.now)
    issued_by = factory.SubFactory(factories.CoordinatorFactory)
    snapshot = factory.LazyAttribute(snapshot_for)
    pdf = b"%PDF-1.7"
    credential = ""
    status_index = factory.LazyFunction(credentials.new_status_index)
