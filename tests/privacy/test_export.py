"""A participant's data export (M23): everything about them, nothing about anyone else, as a JSON
download from their account page."""

import json

import pytest

from leergang.privacy.export import personal_data

from .conftest import ANNA, BRAM, url

pytestmark = pytest.mark.django_db


def export_of(client, user, language="nl"):
    client.force_login(user)
    response = client.get(url("my_data:export", language))
    assert response.status_code == 200
    return response, json.loads(response.content)


def test_the_export_holds_everything_about_the_demo_participant(client, anna, full_anna):
    response, data = export_of(client, anna)
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="leergang-personal-data-')
    assert response["Cache-Control"] == "private, no-store"

    assert data["account"]["email"] == ANNA
    assert data["account"]["first_name"] == "Anna" and data["account"]["role"] == "participant"
    assert [t["prefix"] for t in data["account"]["api_tokens"]] == [full_anna["token"][:8]]

    (application,) = data["applications"]
    assert application["status"] == "declined"
    assert application["challenge"] == "Minder verantwoording voor kleine buurtsubsidies."
    assert application["dietary_requirements"] == "Vegetarisch" and application["phone"] == "06 11223344"
    assert application["decision_note"] == "Anna past beter in de volgende groep."

    completed, running = data["enrolments"]  # by start date
    assert completed["edition"]["status"] == "completed" and running["edition"]["status"] == "running"
    assert len(completed["attendance"]) >= 6 and {row["status"] for row in completed["attendance"]} == {"present"}
    (paper,) = completed["papers"]
    assert paper["original_filename"] == "Eindopdracht Anna Jansen - buurtsubsidies.pdf"
    assert paper["result"] == "sufficient" and paper["feedback"]
    assert "/eindopdracht/bestand/" in paper["download_url"] and "not part of this export" in paper["file"]
    assert completed["presentation"]["presented"] is True
    (award,) = completed["awards"]
    assert award["kind"] == "diploma" and award["verify_url"].endswith(f"/verify/{award['code']}")
    assert award["holder_name"] == "Anna Jansen"
    (invoice,) = completed["invoices"]
    assert invoice["number"] == full_anna["invoice"].number
    assert invoice["total"] == f"{full_anna['invoice'].total:.2f}" and invoice["recipient_contact_name"] == "Anna Jansen"
    assert [p["amount"] for p in invoice["payments"]] == ["1000.00"]

    case = running["case"]
    assert case["title"] == "Minder verantwoording voor kleine buurtsubsidies"
    assert len(case["entries"]) == 2 and case["entries"][0]["responses"][0]["text"].startswith("Mooi dat je")
    assert running["time_log"]["total_minutes"] == (2.5 + 1.5 + 3 + 4) * 60
    assert running["groups"] and {"from_session", "group"} == set(running["groups"][0])

    subjects = [email["subject"] for email in data["emails"]]
    assert len(subjects) >= 2  # the confirmation and the decision of the application
    actions = {entry["action"] for entry in data["history"]}
    assert {"application.submitted", "application.decline", "invoice.issued", "award.issued"} <= actions


def test_another_persons_data_is_never_in_the_export(client, anna, bram, full_anna):
    _response, data = export_of(client, anna)
    text = json.dumps(data, ensure_ascii=False)
    assert BRAM not in text
    assert "Ruimte en vertrouwen in de contracten voor jeugdhulp" not in text  # Bram's case
    for member in ("Chantal", "Dirk Smit", "Esra"):
        assert member not in text
    # Anna's response on Bram's entry is hers (her own words), Bram's entry is not.
    if full_anna["response"] is not None:
        assert data["case_responses_written"][0]["text"].startswith("Herkenbaar")
        assert "Met drie aanbieders" not in text


def test_the_export_is_the_same_as_the_function_and_json_ready(anna, full_anna):
    data = personal_data(anna)
    assert json.loads(json.dumps(data)) == data


def test_the_export_takes_a_fixed_number_of_queries(client, anna, bram, full_anna, django_assert_max_num_queries):
    client.force_login(anna)
    # A constant number (one per kind of data; the session and user, then 21 reads), whatever the amount of data.
    with django_assert_max_num_queries(24):
        client.get(url("my_data:export"))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_page_explains_and_offers_the_download(client, anna, language):
    client.force_login(anna)
    response = client.get(url("my_data:page", language))
    assert response.status_code == 200
    page = response.content.decode()
    assert url("my_data:export", language) in page
    assert f'<html lang="{language}">' in page
    if language == "en":
        assert "<h1>Your data</h1>" in page


def test_every_role_can_download_its_own_data(client, office, demo):
    _response, data = export_of(client, office, "en")
    assert data["account"]["role"] == "coordinator" and data["enrolments"] == []


def test_anonymous_visitors_are_sent_to_log_in(client, demo):
    for name in ("my_data:page", "my_data:export"):
        response = client.get(url(name))
        assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_the_dashboard_links_to_your_data(client, anna):
    client.force_login(anna)
    assert url("my_data:page") in client.get(url("accounts:dashboard")).content.decode()
