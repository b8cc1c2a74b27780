"""GET /programmes and GET /programmes/{slug}: shapes, visibility of unpublished programmes and draft editions."""

import pytest

from tests import factories

from .helpers import API, assert_error

pytestmark = pytest.mark.django_db


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()]


def test_list_shows_published_programmes_with_slug_and_title(client, programme, hidden_programme):
    response = client.get(f"{API}/programmes")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body == [
        {
            "slug": "leiderschap-in-de-praktijk",
            "title": "Leiderschap in de praktijk",
            "tagline": "Voor leidinggevenden in de publieke sector",
            "url": body[0]["url"],
        }
    ]
    assert body[0]["url"].endswith("/nl/opleidingen/leiderschap-in-de-praktijk/")


def test_list_is_empty_without_published_programmes(client, hidden_programme):
    assert slugs(client.get(f"{API}/programmes")) == []


@pytest.mark.parametrize("who", ["anonymous", "participant", "teacher"])
def test_unpublished_programmes_are_not_listed_for_others(
    client, programme, hidden_programme, who, bearer, participant, teacher_user
):
    headers = {"anonymous": {}, "participant": bearer(participant), "teacher": bearer(teacher_user)}[who]
    assert slugs(client.get(f"{API}/programmes", **headers)) == [programme.slug]


def test_coordinator_lists_unpublished_programmes_too(client, programme, hidden_programme, as_coordinator):
    assert sorted(slugs(client.get(f"{API}/programmes", **as_coordinator))) == sorted([programme.slug, hidden_programme.slug])


def test_detail_has_the_contract_fields(client, edition):
    response = client.get(f"{API}/programmes/{edition.programme.slug}")
    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == "leiderschap-in-de-praktijk"
    assert body["title"] == "Leiderschap in de praktijk"
    assert body["learning_goals"] == ["Je stuurt op vertrouwen.", "Je kent je eigen valkuilen."]
    assert body["editions"] == [
        {"id": edition.id, "start_date": "2027-01-13", "status": "open", "seats_taken": 0, "capacity": 25, "full": False}
    ]


def test_detail_lists_editions_in_date_order_with_seats_taken(client, programme):
    late = factories.EditionFactory(programme=programme, start_date="2028-03-01", status="open", capacity=2)
    early = factories.EditionFactory(programme=programme, start_date="2021-01-13", status="completed")
    factories.EnrolmentFactory.create_batch(2, edition=late)
    factories.EnrolmentFactory(edition=late, status="cancelled")
    editions = client.get(f"{API}/programmes/{programme.slug}").json()["editions"]
    assert [e["id"] for e in editions] == [early.id, late.id]
    assert editions[1]["seats_taken"] == 2
    assert editions[1]["full"] is True
    assert editions[0]["seats_taken"] == 0


@pytest.mark.parametrize("who", ["anonymous", "participant", "teacher"])
def test_draft_editions_are_hidden_from_others(client, edition, draft_edition, who, bearer, participant, teacher_user):
    headers = {"anonymous": {}, "participant": bearer(participant), "teacher": bearer(teacher_user)}[who]
    editions = client.get(f"{API}/programmes/{edition.programme.slug}", **headers).json()["editions"]
    assert [e["id"] for e in editions] == [edition.id]


def test_coordinator_sees_draft_editions(client, edition, draft_edition, as_coordinator):
    editions = client.get(f"{API}/programmes/{edition.programme.slug}", **as_coordinator).json()["editions"]
    assert [(e["id"], e["status"]) for e in editions] == [(edition.id, "open"), (draft_edition.id, "draft")]


def test_unknown_slug_is_404(client, programme):
    assert_error(client.get(f"{API}/programmes/no-such-programme"), 404)


@pytest.mark.parametrize("who", ["anonymous", "participant", "teacher"])
def test_unpublished_programme_is_404_for_others(client, hidden_programme, who, bearer, participant, teacher_user):
    headers = {"anonymous": {}, "participant": bearer(participant), "teacher": bearer(teacher_user)}[who]
    assert_error(client.get(f"{API}/programmes/{hidden_programme.slug}", **headers), 404)


def test_unpublished_programme_is_visible_to_coordinator(client, hidden_programme, as_coordinator):
    response = client.get(f"{API}/programmes/{hidden_programme.slug}", **as_coordinator)
    assert response.status_code == 200
    assert response.json()["slug"] == hidden_programme.slug


def test_demo_programme_is_served(client, demo):
    response = client.get(f"{API}/programmes/sturen-vanuit-vertrouwen")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Sturen en leidinggeven vanuit vertrouwen"
    assert body["learning_goals"] and all(isinstance(goal, str) and goal for goal in body["learning_goals"])
    assert [e["status"] for e in body["editions"]] == ["completed", "running", "open"]
    assert body["editions"][0]["start_date"].startswith("2021-")
    assert "sturen-vanuit-vertrouwen" in slugs(client.get(f"{API}/programmes"))
