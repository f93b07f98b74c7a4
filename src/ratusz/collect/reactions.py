"""Reaction counts of a post, shared by the platform collectors and the file import.

A post's reactions are a mapping from ratusz's reaction types to counts; a type the source does not give is
left out (unknown, stored as NULL), never guessed as 0. The total is the platform's own figure when it
gives one, else the sum of the types, but only when every type is known.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

#: The reaction types ratusz keeps, in column order (the same as collect.models.REACTION_TYPES).
REACTION_TYPES: tuple[str, ...] = ("like", "love", "care", "haha", "wow", "sad", "angry")
REACTION_SET = frozenset(REACTION_TYPES)

type Reactions = dict[str, int | None]


def no_reactions() -> Reactions:
    """Return an empty mapping: the default of a post's reactions (dataclass `default_factory`)."""
    return {}


def reactions_from(pairs: Iterable[tuple[str, int | None]]) -> Reactions:
    """Return the counts of ratusz's types from (type, count) pairs; other types are left out."""
    return {t: n for t, n in pairs if t in REACTION_SET}


def reaction_values(reactions: Mapping[str, int | None]) -> tuple[int | None, ...]:
    """Return the counts in the column order of REACTION_TYPES (None for a type not given)."""
    get = reactions.get
    return (get("like"), get("love"), get("care"), get("haha"), get("wow"), get("sad"), get("angry"))


def complete_total(reactions: Mapping[str, int | None]) -> int | None:
    """Return the sum of the counts when every type is known, else None (a partial sum is not a total)."""
    known = [n for t in REACTION_TYPES if (n := reactions.get(t)) is not None]
    return sum(known) if len(known) == len(REACTION_TYPES) else None
