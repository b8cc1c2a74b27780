from django import template
from django.conf import settings
from django.utils.html import format_html

from leergang.core import formatting, widget_rendering

register = template.Library()


@register.simple_tag
def form_field(field):
    """A form's field with its label, help and errors (core.widget_rendering.form_field)."""
    return widget_rendering.form_field(field)


@register.filter
def money(value):
    return formatting.money(value)


@register.filter
def long_date(value):
    return formatting.long_date(value)


@register.filter
def weekday_date(value):
    return formatting.long_date(value, with_weekday=True)


@register.filter
def hours(minutes):
    return formatting.hours(minutes)


@register.filter
def clock(value):
    return formatting.clock(value)


@register.simple_tag(takes_context=True)
def switch_language_url(context, language_code):
    """The same page in another language, query string kept."""
    from django.urls import translate_url

    request = context.get("request")
    if request is None:
        return f"/{language_code}/"
    prefixes = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)
    if request.path.startswith(prefixes):
        # Every page asks three times (two <link rel="alternate"> and the switch); translating
        # resolves and reverses the URL, so each language is worked out once per request.
        found = request.__dict__.setdefault("_leergang_language_urls", {})
        if language_code not in found:
            found[language_code] = translate_url(request.get_full_path(), language_code)
        return found[language_code]
    # Public pages outside the language prefix (/verify/<code>, printed on diplomas) take ?lang=;
    # Dutch is their default, so it needs no parameter.
    query = request.GET.copy()
    query.pop("lang", None)
    if language_code != settings.LANGUAGE_CODE:
        query["lang"] = language_code
    return f"{request.path}?{query.urlencode()}" if query else request.path


@register.filter
def paragraphs(text):
    """Blank-line separated text as a list of paragraphs (content is stored as plain text)."""
    return [p.strip() for p in (text or "").split("\n\n") if p.strip()]


@register.simple_tag
def time_range(start, end):
    """`13.30–19.30 uur` / `13:30–19:30`."""
    return formatting.time_range(start, end)


@register.simple_tag
def session_rhythm(count, weekday, start, end):
    """`7 bijeenkomsten op woensdag, 13.30–19.30 uur` / `7 sessions on Wednesdays, 13:30–19:30`,
    with the times kept on one line."""
    text = formatting.session_rhythm(count, weekday, start, end)
    times = formatting.time_range(start, end)
    head, found, tail = text.partition(times)
    if not found:
        return text
    return format_html('{}<span class="nowrap">{}</span>{}', head, times, tail)


@register.filter
def theme_parts(text):
    """A session theme "Title: explanation" as (title, explanation); without a colon, (text, "")."""
    text = (text or "").strip()
    title, separator, rest = text.partition(": ")
    if not separator or len(title) > 80:
        return (text, "")
    rest = rest.strip()
    return (title.strip(), rest[:1].upper() + rest[1:])


@register.filter
def address_lines(text):
    """An address such as "Building, Street 1, 1234 AB City" as its lines, one part per line."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


@register.filter
def localtime_weekday_date(value):
    """A datetime as the weekday and date where the reader is (Europe/Amsterdam)."""
    from django.utils import timezone

    return formatting.long_date(timezone.localtime(value).date(), with_weekday=True) if value else ""


@register.filter
def localtime_clock(value):
    from django.utils import timezone

    return formatting.clock(timezone.localtime(value).time()) if value else ""
