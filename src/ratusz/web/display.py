"""How stored values are shown to people: pseudonyms of residents, reaction and format names, counts
(missing ones included)."""

from __future__ import annotations

import functools

from django.utils.formats import get_format, number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from ratusz.collect.models import REACTION_TYPES, PostFormat

# Facebook's Polish names of its reactions, in the platform's order.
REACTION_LABELS = {
    "like": _("Lubię to"),
    "love": _("Super"),
    "care": _("Trzymaj się"),
    "haha": _("Ha ha"),
    "wow": _("Wow"),
    "sad": _("Przykro mi"),
    "angry": _("Wrr"),
}

PSEUDONYM_LENGTH = 6


def pseudonym(author_key: str) -> str:
    """Return the public name of a resident: "Mieszkaniec #" + the first 6 hex digits of the keyed hash.

    The key is already a keyed hash (ratusz.collect.privacy.author_key); showing a prefix lets readers see
    which comments come from the same person without revealing who it is. An unknown author gets a
    generic name without a number.
    """
    if not author_key:
        return str(_("Mieszkaniec (autor nieznany)"))
    return str(_("Mieszkaniec #{code}")).format(code=author_key[:PSEUDONYM_LENGTH])


def reaction_counts(post) -> list[dict]:
    """Return the post's counts per reaction type as [{type, label, count}] (count None when unknown)."""
    return [
        {"type": t, "label": REACTION_LABELS[t], "count": getattr(post, f"reactions_{t}")}
        for t in REACTION_TYPES
    ]


def count_html(value: int | float | None) -> SafeString:
    """Return a count with the language's digit grouping, or a visible dash read out as "no data"."""
    if value is None:
        return format_html(
            '<span class="missing" aria-hidden="true">—</span><span class="visually-hidden">{}</span>',
            gettext("brak danych"),
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


@functools.cache
def format_labels(language: str | None) -> dict[str, str]:
    """Return {post format: its label in the language} (get_format_display hashes every lazy choice on
    each call; a table of posts calls it once per row)."""
    return {value: str(label) for value, label in PostFormat.choices}
