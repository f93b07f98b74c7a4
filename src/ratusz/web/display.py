"""How stored values are shown to people: pseudonyms of residents, reaction names, missing counts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ratusz.collect.models import REACTION_TYPES

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
