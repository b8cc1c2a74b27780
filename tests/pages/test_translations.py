"""The Dutch catalogue is complete: every text has a translation, none is fuzzy, placeholders match."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO_FILE = ROOT / "leergang" / "locale" / "nl" / "LC_MESSAGES" / "django.po"
TEMPLATES = ROOT / "leergang" / "templates"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
TRANSLATE_TAG = re.compile(r"""{%\s*translate\s+(["'])(.+?)\1(?:\s+context\s+(["'])(.+?)\3)?""")


@pytest.fixture(scope="module")
def catalog():
    with PO_FILE.open("rb") as handle:
        return read_po(handle, locale="nl")


def messages(catalog):
    return [m for m in catalog if m.id]


def test_catalogue_declares_dutch_and_its_plural_rule(catalog):
    assert str(catalog.locale) == "nl"
    assert catalog.num_plurals == 2
    assert "n != 1" in catalog.plural_expr
    assert not catalog.fuzzy, "the header is marked fuzzy; Django would ignore it"


def test_no_untranslated_entries(catalog):
    untranslated = [
        m.id for m in messages(catalog) if (any(not s for s in m.string) if isinstance(m.string, tuple) else not m.string)
    ]
    assert untranslated == []


def test_no_fuzzy_entries(catalog):
    assert [m.id for m in messages(catalog) if m.fuzzy] == []


def test_plural_entries_have_both_forms(catalog):
    for message in messages(catalog):
        if message.pluralizable:
            assert isinstance(message.string, tuple) and len(message.string) == 2, message.id


def test_translations_keep_the_placeholders(catalog):
    """A lost or misspelt %(name)s breaks the page at run time (KeyError) or shows nothing."""
    for message in messages(catalog):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        allowed = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) <= allowed, (message.id, string)
        # The plural form of a translation uses what the English plural uses.
        if isinstance(message.id, tuple):
            assert set(PLACEHOLDER.findall(strings[-1])) == set(PLACEHOLDER.findall(ids[-1])), message.id


def test_product_words_follow_the_glossary(catalog):
    """In this product "Aanmelden" means registering for a programme, so logging in is "Inloggen"."""
    assert catalog.get("Log in").string == "Inloggen"
    assert catalog.get("Log out").string == "Uitloggen"
    assert catalog.get("Register").string == "Aanmelden"
    assert catalog.get("Lead teachers").string == "Hoofddocenten"
    assert catalog.get("VAT exempt").string == "Vrijgesteld van btw"
    assert catalog.get("Programme", context="the dates and themes of the sessions").string == "Programma"
    assert catalog.get("Programme", context="a course, as offered").string == "Opleiding"


def test_every_translate_tag_in_the_templates_is_in_the_catalogue(catalog):
    """Catches a template changed without `make messages` afterwards."""
    missing = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        for _quote, text, _q, context in TRANSLATE_TAG.findall(template.read_text()):
            if catalog.get(text, context=context or None) is None:
                missing.append((template.name, text, context))
    assert missing == []
