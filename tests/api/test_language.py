"""Accept-Language: nl (default) or en chooses titles, learning goals, themes, `detail` and `message`;
field names and enum values never change."""

import pytest

from tests import factories

from .helpers import API, assert_error

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
NL = {"HTTP_ACCEPT_LANGUAGE": "nl"}


def keys(value):
    """The structure of a JSON value without its texts: dict keys all the way down."""
    if isinstance(value, dict):
        return {key: keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [keys(item) for item in value]
    return type(value).__name__


@pytest.mark.parametrize(
    ("header", "title"),
    [
        (None, "Leiderschap in de praktijk"),
        ("nl", "Leiderschap in de praktijk"),
        ("nl-NL,nl;q=0.9", "Leiderschap in de praktijk"),
        ("en", "Leadership in practice"),
        ("en-GB,en;q=0.8,nl;q=0.5", "Leadership in practice"),
        ("fr-FR,fr;q=0.9", "Leiderschap in de praktijk"),  # a language the API does not speak: Dutch
        ("fr,en;q=0.5", "Leadership in practice"),  # the first one it does speak
    ],
)
def test_programme_titles_follow_accept_language(client, programme, header, title):
    headers = {"HTTP_ACCEPT_LANGUAGE": header} if header else {}
    listed = client.get(f"{API}/programmes", **headers)
    assert [item["title"] for item in listed.json()] == [title]
    assert client.get(f"{API}/programmes/{programme.slug}", **headers).json()["title"] == title
    assert listed["Content-Language"] == ("en" if title.startswith("Leadership") else "nl")


def test_programme_detail_in_both_languages(client, edition):
    url = f"{API}/programmes/{edition.programme.slug}"
    nl, en = client.get(url, **NL).json(), client.get(url, **EN).json()
    assert nl["learning_goals"] == ["Je stuurt op vertrouwen.", "Je kent je eigen valkuilen."]
    assert en["learning_goals"] == ["You steer on trust.", "You know your own pitfalls."]
    assert (nl["tagline"], en["tagline"]) == ("Voor leidinggevenden in de publieke sector", "For managers in the public sector")
    assert (nl["description"], en["description"]) == ("Een leergang van zeven dagen.", "A seven-day programme.")
    assert keys(nl) == keys(en)
    assert nl["editions"] == en["editions"]  # statuses and dates are not translated
    assert nl["slug"] == en["slug"]


def test_session_themes_follow_accept_language_and_enums_do_not(client, edition):
    url = f"{API}/editions/{edition.id}"
    nl, en = client.get(url, **NL).json(), client.get(url, **EN).json()
    assert [s["theme"] for s in nl["sessions"]] == ["Vertrouwen als basis", "Afsluiting"]
    assert [s["theme"] for s in en["sessions"]] == ["Trust as a basis", "Closing"]
    assert nl["sessions"][0]["parts"][0]["title"] == "Inleiding"
    assert en["sessions"][0]["parts"][0]["title"] == "Introduction"
    assert keys(nl) == keys(en)
    for name in ("status", "holiday_region", "language", "weekday", "fee", "start_date", "programme"):
        assert nl[name] == en[name]
    for a, b in zip(nl["sessions"], en["sessions"], strict=True):
        assert (a["kind"], a["delivery_mode"], a["date"], a["start_time"]) == (
            b["kind"],
            b["delivery_mode"],
            b["date"],
            b["start_time"],
        )
    assert client.get(url).json() == nl  # Dutch without a header


def test_missing_english_text_falls_back_to_dutch(client, db):
    factories.ProgrammeFactory(slug="alleen-nederlands", title_nl="Alleen Nederlands", title_en="")
    assert [item["title"] for item in client.get(f"{API}/programmes", **EN).json()] == ["Alleen Nederlands"]


def test_language_cookie_does_not_change_the_api(client, programme):
    client.cookies["django_language"] = "en"
    assert client.get(f"{API}/programmes").json()[0]["title"] == "Leiderschap in de praktijk"


def test_validation_messages_follow_accept_language(client, new_edition, as_coordinator):
    body = {name: value for name, value in new_edition.items() if name != "capacity"}
    en = assert_error(
        client.post(f"{API}/editions", body, content_type="application/json", **as_coordinator, **EN), 422, field="capacity"
    )
    nl = assert_error(
        client.post(f"{API}/editions", body, content_type="application/json", **as_coordinator, **NL), 422, field="capacity"
    )
    default = assert_error(client.post(f"{API}/editions", body, content_type="application/json", **as_coordinator), 422)
    assert en["errors"] == [{"field": "capacity", "message": "This field is required."}]
    # Our catalogue and Django's own both translate this sentence, so it does not depend on ours alone.
    assert nl["errors"] == [{"field": "capacity", "message": "Dit veld is verplicht."}]
    assert default == nl
    assert en["detail"] == "Some fields are not valid; see errors for what to change."


def test_type_error_messages_follow_accept_language(client, new_edition, as_coordinator):
    body = {**new_edition, "capacity": "twenty"}
    en = client.post(f"{API}/editions", body, content_type="application/json", **as_coordinator, **EN).json()
    nl = client.post(f"{API}/editions", body, content_type="application/json", **as_coordinator, **NL).json()
    default = client.post(f"{API}/editions", body, content_type="application/json", **as_coordinator).json()
    assert en["errors"] == [{"field": "capacity", "message": "Enter a whole number."}]
    # Translated by our catalogue or, failing that, by Django's own (which has this sentence too).
    assert nl["errors"][0]["field"] == "capacity"
    assert nl["errors"][0]["message"] not in ("", "Enter a whole number.")
    assert default == nl


def test_english_details(client, edition, as_coordinator, as_participant):
    assert (
        assert_error(client.get(f"{API}/editions/{edition.id + 99}", **EN), 404)["detail"]
        == "There is no edition with this number."
    )
    assert assert_error(client.get(f"{API}/programmes/nope", **EN), 404)["detail"] == "There is no programme with this name."
    assert assert_error(client.get(f"{API}/programmes", HTTP_AUTHORIZATION="Bearer x", **EN), 401)["detail"] == (
        "Log in with a valid API token (Authorization: Bearer <token>)."
    )
    assert (
        assert_error(
            client.patch(f"{API}/editions/{edition.id}", {}, content_type="application/json", **as_participant, **EN), 403
        )["detail"]
        == "Only the programme office can change editions."
    )
    assert assert_error(client.delete(f"{API}/programmes", **EN), 405)["detail"] == "This method is not allowed at this address."


# The test below depends on the Dutch catalogue (leergang/locale/nl/LC_MESSAGES/django.po, compiled to .mo)
# translating the API's own `detail` sentences; it fails for every sentence whose msgstr is still empty.
DETAIL_REQUESTS = {
    "404 edition": lambda c, e, lang, coordinator, participant: c.get(f"{API}/editions/{e.id + 99}", **lang),
    "404 programme": lambda c, e, lang, coordinator, participant: c.get(f"{API}/programmes/nope", **lang),
    "404 path": lambda c, e, lang, coordinator, participant: c.get("/api/v1/nothing", **lang),
    "401": lambda c, e, lang, coordinator, participant: c.get(f"{API}/programmes", HTTP_AUTHORIZATION="Bearer x", **lang),
    "403": lambda c, e, lang, coordinator, participant: c.patch(
        f"{API}/editions/{e.id}", {}, content_type="application/json", **participant, **lang
    ),
    "422": lambda c, e, lang, coordinator, participant: c.post(
        f"{API}/editions", {}, content_type="application/json", **coordinator, **lang
    ),
    "400": lambda c, e, lang, coordinator, participant: c.post(
        f"{API}/editions", "{", content_type="application/json", **coordinator, **lang
    ),
    "405": lambda c, e, lang, coordinator, participant: c.delete(f"{API}/programmes", **lang),
}


@pytest.mark.parametrize("make", list(DETAIL_REQUESTS.values()), ids=list(DETAIL_REQUESTS))
def test_details_are_dutch_by_default_and_english_on_request(client, edition, as_coordinator, as_participant, make):
    en, nl, default = (make(client, edition, lang, as_coordinator, as_participant) for lang in (EN, NL, {}))
    assert en.status_code == nl.status_code == default.status_code
    en, nl, default = en.json(), nl.json(), default.json()
    assert en["detail"] != nl["detail"], f"no Dutch translation yet for {en['detail']!r}"
    assert default == nl
    assert [item["field"] for item in en["errors"]] == [item["field"] for item in nl["errors"]]
