"""The awards API (M19): issuing (coordinator), public verification by code, the PDF and the signed
credential for their holder and coordinators (token or session), revoking; every error as declared."""

import jwt
import pytest
from django.conf import settings
from django.utils import timezone

from leergang.awards import keys, pdf, services
from leergang.awards.models import Award
from leergang.catalog.models import ProgrammeTeacher
from tests import factories
from tests.api.helpers import assert_error
from tests.awards.test_issuing import finished_edition, participant_in, stored

pytestmark = pytest.mark.django_db

API = "/api/v1"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def edition(db):
    return finished_edition()


@pytest.fixture
def qualified(edition):
    return participant_in(edition, "anna@example.org", "Anna", "Jansen")


@pytest.fixture
def lead_teacher(edition):
    user = factories.TeacherUserFactory(email="lead@example.org")
    ProgrammeTeacher.objects.create(programme=edition.programme, teacher=factories.TeacherFactory(user=user), order=9)
    return user


@pytest.fixture
def award(coordinator, qualified):
    return services.issue_award(actor=coordinator, enrolment_id=qualified.pk, kind="diploma")


def issue(client, headers, enrolment_id, body):
    return client.post(f"{API}/enrolments/{enrolment_id}/award/issue", body, content_type="application/json", **headers, **EN)


def revoke(client, headers, code, body):
    return client.post(f"{API}/credentials/{code}/revoke", body, content_type="application/json", **headers, **EN)


# -- issuing ----------------------------------------------------------------------------------------------------------


def test_issuing_answers_201_with_the_contracts_urls(client, bearer, coordinator, qualified):
    response = issue(client, bearer(coordinator), qualified.pk, {"kind": "diploma"})
    assert response.status_code == 201, response.content
    body = response.json()
    award = Award.objects.get(enrolment=qualified)
    base = settings.PUBLIC_BASE_URL
    assert body == {
        "code": award.code,
        "kind": "diploma",
        "pdf_url": f"{base}/api/v1/credentials/{award.code}/document.pdf",
        "verify_url": f"{base}/verify/{award.code}",
        "credential_url": f"{base}/api/v1/credentials/{award.code}/credential.jwt",
    }


def test_issuing_when_the_criteria_are_not_met_is_a_409_naming_what_is_missing(client, bearer, coordinator, edition):
    enrolment = participant_in(edition, "bram@example.org", "Bram", "de Vries", attended=4, presented=False)
    before = stored()
    body = assert_error(issue(client, bearer(coordinator), enrolment.pk, {"kind": "diploma"}), 409, field="kind")
    assert "Attended 4 of 6 content sessions" in body["detail"] and "not presented" in body["detail"]
    assert stored() == before
    assert issue(client, bearer(coordinator), enrolment.pk, {"kind": "certificate"}).status_code == 201


def test_a_second_award_is_a_409(client, bearer, coordinator, award, qualified):
    before = stored()
    body = assert_error(issue(client, bearer(coordinator), qualified.pk, {"kind": "certificate"}), 409)
    assert award.code in body["detail"]
    assert stored() == before


@pytest.mark.parametrize("payload", [{"kind": "badge"}, {}, {"kind": None}, {"kind": 1}])
def test_a_bad_kind_is_a_422(client, bearer, coordinator, qualified, payload):
    before = stored()
    assert_error(issue(client, bearer(coordinator), qualified.pk, payload), 422, field="kind")
    assert stored() == before


def test_issuing_is_for_the_programme_office(client, bearer, qualified, lead_teacher):
    before = stored()
    assert_error(issue(client, bearer(lead_teacher), qualified.pk, {"kind": "diploma"}), 403)
    assert_error(issue(client, bearer(qualified.participant), qualified.pk, {"kind": "diploma"}), 403)
    assert_error(issue(client, {}, qualified.pk, {"kind": "diploma"}), 401)
    assert stored() == before


def test_issuing_for_an_unknown_enrolment_is_a_404(client, bearer, coordinator):
    assert_error(issue(client, bearer(coordinator), 999999, {"kind": "diploma"}), 404)


# -- public verification ------------------------------------------------------------------------------------------------


def test_anyone_verifies_a_code_without_an_account(client, award):
    response = client.get(f"{API}/credentials/{award.code}", **EN)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert {"valid", "kind", "holder_name", "programme", "issued_on", "revoked"} <= set(body)
    assert body["valid"] is True and body["revoked"] is False
    assert (body["kind"], body["holder_name"], body["programme"]) == ("diploma", "Anna Jansen", "Leading from trust")
    assert body["issued_on"] == timezone.localtime(award.issued_at).date().isoformat()
    assert body["verify_url"] == f"{settings.PUBLIC_BASE_URL}/verify/{award.code}"
    assert "anna@example.org" not in response.content.decode()


def test_the_programme_title_follows_accept_language(client, award):
    body = client.get(f"{API}/credentials/{award.code}", HTTP_ACCEPT_LANGUAGE="nl").json()
    assert body["programme"] == "Sturen vanuit vertrouwen"


def test_codes_match_in_any_case_and_without_dashes(client, award):
    for typed in (award.code.lower(), award.code.replace("-", ""), award.code.lower().replace("-", "")):
        response = client.get(f"{API}/credentials/{typed}")
        assert response.status_code == 200 and response.json()["code"] == award.code


@pytest.mark.parametrize("code", ["ZZZZ-ZZZZ-ZZZZ", "nonsense", "0000"])
def test_an_unknown_code_is_a_404(client, code, award):
    assert_error(client.get(f"{API}/credentials/{code}", **EN), 404)


def test_a_revoked_award_says_so(client, coordinator, award):
    services.revoke_award(actor=coordinator, code=award.code, reason="Issued to the wrong person.")
    body = client.get(f"{API}/credentials/{award.code}", **EN).json()
    assert body["valid"] is False and body["revoked"] is True
    assert body["revoked_reason"] == "Issued to the wrong person." and body["revoked_on"]


# -- revoking -----------------------------------------------------------------------------------------------------------------


def test_revoking_answers_the_credential(client, bearer, coordinator, award):
    response = revoke(client, bearer(coordinator), award.code.lower(), {"reason": "Issued by mistake."})
    assert response.status_code == 200
    body = response.json()
    assert body["revoked"] is True and body["valid"] is False and body["revoked_reason"] == "Issued by mistake."
    award.refresh_from_db()
    assert award.revoked and award.revoked_by == coordinator


def test_revoking_errors(client, bearer, coordinator, award, qualified, lead_teacher):
    before = stored()
    assert_error(revoke(client, bearer(coordinator), award.code, {}), 422, field="reason")
    assert_error(revoke(client, bearer(coordinator), award.code, {"reason": "  "}), 422, field="reason")
    assert_error(revoke(client, bearer(coordinator), award.code, {"reason": "x" * 501}), 422, field="reason")
    assert_error(revoke(client, bearer(coordinator), "ZZZZ-ZZZZ-ZZZZ", {"reason": "No."}), 404)
    assert_error(revoke(client, bearer(lead_teacher), award.code, {"reason": "No."}), 403)
    assert_error(revoke(client, bearer(qualified.participant), award.code, {"reason": "No."}), 403)
    assert_error(revoke(client, {}, award.code, {"reason": "No."}), 401)
    assert stored() == before
    assert revoke(client, bearer(coordinator), award.code, {"reason": "Once."}).status_code == 200
    assert_error(revoke(client, bearer(coordinator), award.code, {"reason": "Twice."}), 409)


# -- the documents ----------------------------------------------------------------------------------------------------------


def test_the_holder_downloads_both_with_a_token(client, bearer, award, qualified):
    headers = bearer(qualified.participant)
    document = client.get(f"{API}/credentials/{award.code}/document.pdf", **headers)
    assert document.status_code == 200 and document["Content-Type"] == "application/pdf"
    award.refresh_from_db()  # made on the first download, and kept
    assert document.content == bytes(award.pdf) == pdf.award_pdf(award)
    assert document["Content-Disposition"] == f'attachment; filename="diploma-{award.code}.pdf"'

    signed = client.get(f"{API}/credentials/{award.code}/credential.jwt", **headers)
    assert signed.status_code == 200 and signed["Content-Type"] == "application/vc+jwt"
    assert signed.content.decode() == award.credential
    assert signed["Content-Disposition"].startswith("attachment;") and f"{award.code}.jwt" in signed["Content-Disposition"]
    header = jwt.get_unverified_header(award.credential)
    key = keys.public_key(keys.find(header["kid"]))
    claims = jwt.decode(award.credential, key, algorithms=["RS256"], options={"verify_aud": False})
    assert claims["id"] == f"{settings.PUBLIC_BASE_URL}/verify/{award.code}"


def test_the_holder_and_the_office_download_with_a_session(client, coordinator, award, qualified):
    for person in (qualified.participant, coordinator):
        client.force_login(person)
        for name in ("document.pdf", "credential.jwt"):
            assert client.get(f"{API}/credentials/{award.code}/{name}").status_code == 200, (person, name)


def test_the_office_downloads_with_a_token(client, bearer, coordinator, award):
    assert client.get(f"{API}/credentials/{award.code}/document.pdf", **bearer(coordinator)).status_code == 200


def test_nobody_else_downloads(client, bearer, award, edition, lead_teacher):
    other = participant_in(edition, "bram@example.org", "Bram", "de Vries")
    for name in ("document.pdf", "credential.jwt"):
        url = f"{API}/credentials/{award.code}/{name}"
        assert_error(client.get(url, **bearer(other.participant), **EN), 404)
        assert_error(client.get(url, **bearer(lead_teacher), **EN), 404)
        assert_error(client.get(url, **EN), 401)
        client.force_login(other.participant)
        assert_error(client.get(url, **EN), 404)
        client.logout()
        assert_error(client.get(f"{API}/credentials/ZZZZ-ZZZZ-ZZZZ/{name}", **bearer(other.participant)), 404)


# -- OpenAPI -------------------------------------------------------------------------------------------------------------------

OPERATIONS = {
    ("/api/v1/enrolments/{enrolment_id}/award/issue", "post"): {"201", "400", "401", "403", "404", "409", "422"},
    ("/api/v1/credentials/{code}", "get"): {"200", "404"},
    ("/api/v1/credentials/{code}/document.pdf", "get"): {"200", "401", "404"},
    ("/api/v1/credentials/{code}/credential.jwt", "get"): {"200", "401", "404"},
    ("/api/v1/credentials/{code}/revoke", "post"): {"200", "400", "401", "403", "404", "409", "422"},
}


def test_openapi_describes_every_endpoint_and_error(client):
    schema = client.get(f"{API}/openapi.json").json()
    for (path, method), statuses in OPERATIONS.items():
        responses = schema["paths"][path][method]["responses"]
        assert statuses <= set(responses), (path, sorted(responses))
        for status, response in responses.items():
            if status.startswith("4"):
                assert response["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut"), (path, status)
    assert "application/pdf" in schema["paths"]["/api/v1/credentials/{code}/document.pdf"]["get"]["responses"]["200"]["content"]
    assert (
        "application/vc+jwt" in schema["paths"]["/api/v1/credentials/{code}/credential.jwt"]["get"]["responses"]["200"]["content"]
    )
    issued = schema["components"]["schemas"]["IssuedOut"]["properties"]
    assert set(issued) == {"code", "kind", "pdf_url", "verify_url", "credential_url"}
    public = schema["components"]["schemas"]["CredentialOut"]["properties"]
    assert {"valid", "kind", "holder_name", "programme", "issued_on", "revoked"} <= set(public)
