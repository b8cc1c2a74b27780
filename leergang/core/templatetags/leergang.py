from django import template

from leergang.core import formatting

register = template.Library()


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
def clock(value):
    return formatting.clock(value)


@register.simple_tag(takes_context=True)
def switch_language_url(context, language_code):
    """The same page in another language, query string kept."""
    from django.urls import translate_url

    request = context.get("request")
    if request is None:
        return f"/{language_code}/"
    return translate_url(request.get_full_path(), language_code)


@register.filter
def paragraphs(text):
    """Blank-line separated text as a list of paragraphs (content is stored as plain text)."""
    return [p.strip() for p in (text or "").split("\n\n") if p.strip()]
