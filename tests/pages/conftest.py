"""Fixtures for the page tests (Django's test client, no browser)."""

import html
import re

import pytest
from django.core.cache import cache

from leergang.catalog.models import Edition, Programme
from leergang.demo import content


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo_programme(demo):
    return Programme.objects.get(slug=content.SLUG)


@pytest.fixture
def completed_edition(demo_programme):
    return Edition.objects.get(programme=demo_programme, status="completed")


@pytest.fixture
def open_edition(demo_programme):
    return Edition.objects.get(programme=demo_programme, status="open")


def text_of(response) -> str:
    """The page as a reader sees its characters: entities decoded, non-breaking spaces as spaces."""
    return html.unescape(response.content.decode()).replace("\xa0", " ")


def hrefs(response) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'<a\b[^>]*\bhref="([^"]*)"', response.content.decode())]


def element(response, tag: str, css_class: str) -> str:
    """The inner HTML of the first <tag class="... css_class ..."> (non-nested tags only)."""
    pattern = rf'<{tag}\b[^>]*class="[^"]*\b{re.escape(css_class)}\b[^"]*"[^>]*>(.*?)</{tag}>'
    found = re.search(pattern, response.content.decode(), re.S)
    assert found, f"no <{tag} class={css_class}> on the page"
    return found.group(1)


def plain(fragment: str) -> str:
    """A fragment of markup as text: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).replace("\xa0", " ").split())
