"""The Dutch catalogue is complete: every text has a translation, none is fuzzy, placeholders match."""

import ast
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


GETTEXT_CALLS = {"gettext", "gettext_lazy", "_", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}


def _literal(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _gettext_literals(source: str):
    """(msgid, context) of every gettext-family call with literal arguments, f-strings included."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        if name not in GETTEXT_CALLS or not node.args:
            continue
        if name.startswith("pgettext"):
            context, text = (_literal(a) for a in node.args[:2]) if len(node.args) > 1 else (None, None)
            if context is not None and text is not None:
                yield text, context
        elif (text := _literal(node.args[0])) is not None:
            yield text, None


def test_every_gettext_call_in_the_code_is_in_the_catalogue(catalog):
    """Catches code changed without `make messages` afterwards, and a call makemessages cannot see
    (xgettext skips calls inside f-strings: the Dutch page then showed the English text)."""
    missing = []
    for module in sorted((ROOT / "leergang").rglob("*.py")):
        if "migrations" in module.parts:
            continue
        for text, context in _gettext_literals(module.read_text()):
            if catalog.get(text, context=context) is None:
                missing.append((str(module.relative_to(ROOT)), text, context))
    assert missing == []
