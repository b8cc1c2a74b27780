"""`{{ edition|cancellation_terms }}`: the edition's cancellation terms as one sentence in the page's
language (cancellation_rules.summary), for the programme page and the registration form. No queries."""

from django import template

from leergang.enrolment import cancellation_rules

register = template.Library()


@register.filter
def cancellation_terms(edition) -> str:
    if edition is None:
        return ""
    return cancellation_rules.summary(cancellation_rules.Terms.of(edition))
