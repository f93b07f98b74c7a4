"""Template helpers of the public pages: counts that may be missing, pseudonyms."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from ratusz.web.display import count_html as _count_html
from ratusz.web.display import pseudonym as _pseudonym

register = template.Library()


@register.filter
def count(value: int | float | None) -> SafeString:
    """Return a count with the language's digit grouping, or a visible dash read out as "no data"."""
    return _count_html(value)


@register.filter
def pseudonym(author_key: str) -> str:
    """Return the resident's pseudonym ("Mieszkaniec #a1b2c3") for a stored author key."""
    return _pseudonym(author_key)


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    """Return "?…&page=N" keeping the request's other query parameters (e.g. a panel's period)."""
    params = context["request"].GET.copy()
    params["page"] = number
    return "?" + params.urlencode()
