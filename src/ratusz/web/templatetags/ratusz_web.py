"""Template helpers of the public pages: counts that may be missing, pseudonyms."""

from __future__ import annotations

import functools

from django import template
from django.utils.formats import get_format, number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
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
    if type(value) is int:  # the common case, about 200 times per profile page: no generic formatter
        sep = _int_separator(get_language())
        if sep is not None:
            return mark_safe(f"{value:,}".replace(",", sep))
    return format_html("{}", number_format(value, use_l10n=True, force_grouping=True))


@functools.cache
def _int_separator(language: str | None) -> str | None:
    """Return the language's thousands separator when it groups digits by three and is safe in HTML as
    it is, else None (then the generic formatter runs)."""
    sep = str(get_format("THOUSAND_SEPARATOR", language, use_l10n=True))
    grouping = get_format("NUMBER_GROUPING", language, use_l10n=True)
    return sep if grouping == 3 and sep in {",", ".", " ", "\u00a0", "\u202f", "'"} else None


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
