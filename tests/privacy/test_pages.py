"""The privacy statement and the accessibility statement: public, in Dutch and English, linked from
every page's footer."""

import pytest

from .conftest import url

pytestmark = pytest.mark.django_db

TEXTS = {
    ("privacy:statement", "nl"): ["Hoe lang wij gegevens bewaren", "7 jaar", "2 jaar", "facturen@example.org", "artikel 52"],
    ("privacy:statement", "en"): ["How long we keep data", "7 years", "2 years", "facturen@example.org", "article 52"],
    ("privacy:accessibility", "nl"): ["WCAG) 2.1, niveau AA", "axe-core", "360 pixels", "Bekende beperkingen"],
    ("privacy:accessibility", "en"): ["WCAG) 2.1, level AA", "axe-core", "360 pixels", "Known limitations"],
}


@pytest.mark.parametrize(("name", "language"), list(TEXTS))
def test_the_statements_are_public_in_both_languages(client, name, language):
    response = client.get(url(name, language))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    for text in TEXTS[(name, language)]:
        assert text in page


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_page_links_to_both_statements_in_its_footer(client, language, demo):
    page = client.get(url("catalog:home", language)).content.decode()
    footer = page[page.index('<footer class="site-footer">') :]
    assert url("privacy:statement", language) in footer and url("privacy:accessibility", language) in footer


def test_the_retention_period_shown_follows_the_setting(client, settings):
    settings.PRIVACY_DECLINED_RETENTION_DAYS = 3 * 365
    assert "3 years" in client.get(url("privacy:statement", "en")).content.decode()
