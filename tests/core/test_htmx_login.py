"""An htmx request whose login has expired sends the whole page to the login, not a fragment."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_htmx_request_without_login_redirects_the_page(client):
    response = client.get(
        "/nl/leren/diploma/",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/nl/leren/bijeenkomst/3/presentie/?x=1"},
    )
    assert response.status_code == 200
    assert response.content == b""
    assert response["HX-Redirect"] == "/nl/account/login/?next=/nl/leren/bijeenkomst/3/presentie/%3Fx%3D1"


def test_a_plain_request_without_login_still_gets_the_redirect(client):
    response = client.get("/nl/leren/diploma/")
    assert response.status_code == 302
    assert response["Location"].startswith("/nl/account/login/?next=/nl/leren/diploma/")
