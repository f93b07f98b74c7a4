"""Template helpers of the public pages: counts that may be missing, pseudonyms."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ratusz.web.display import pseudonym as _pseudonym

register = template.Library()


@register.filter
def count(value: int | float | None) -> SafeString:
    """Return a count with the language's digit grouping, or a visible dash read out as "no data"."""
    if value is None:
        return format_html(
            '<span class="missing" aria-hidden="true">—</span><span class="visually-hidden">{}</span>',
            _("brak danych"),
        )
    return format_html("{}", number_format(value, use_l10n=True, force_grouping=True))


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
