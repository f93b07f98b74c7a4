"""Casting a ballot: check the picks against the rules, store the ballot anonymously, hand out a receipt."""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from ratusz.errors import RatuszError
from ratusz.voting import audit, fastsql
from ratusz.voting.invitations import LinkState
from ratusz.voting.models import (
    AuditEvent,
    Ballot,
    BallotPick,
    Category,
    Election,
    Invitation,
    ShortlistEntry,
    Voter,
)

RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U: easy to read aloud
RECEIPT_LENGTH = 16  # about 78 bits


class BallotError(RatuszError):
    """The ballot breaks a rule; `messages` holds one clear sentence per problem."""

    def __init__(self, messages: list[str], reason: str) -> None:
        super().__init__(" ".join(messages), code=reason, details={"problems": messages})
        self.messages = messages
        self.reason = reason


class AlreadyVoted(RatuszError):
    code = "already_voted"


class LinkChanged(RatuszError):
    """The link was revoked or the vote closed between opening the ballot and submitting it."""


@dataclass
class CategoryChoices:
    category: Category
    entries: list[ShortlistEntry]
    own_unit_entries: set[int] = field(default_factory=set)


# Every voter of an election sees the same shortlist: each web worker keeps it, keyed by the election's
# shortlist_version (bumped on every change of a category or shortlist entry, loaded with the link), so an
# organiser's change shows at once. Profiles and units are edited elsewhere (registry, collectors): the kept copy
# is reloaded after SHORTLIST_MAX_AGE seconds, so a renamed profile shows within that time.
SHORTLIST_MAX_AGE = 60.0


@dataclass
class _CachedShortlists:
    key: tuple
    loaded: float
    value: list[tuple[Category, list[ShortlistEntry]]]
    fragments: dict[tuple, str] = field(default_factory=dict)  # rendered HTML built from `value`


_SHORTLIST_CACHE: dict[int, _CachedShortlists] = {}


def _cached(election: Election) -> _CachedShortlists:
    key = (election.created_at, election.shortlist_version)
    cached = _SHORTLIST_CACHE.get(election.pk)
    now = time.monotonic()
    if cached and cached.key == key and now - cached.loaded < SHORTLIST_MAX_AGE:
        return cached
    value = [
        (category, list(category.shortlist.all()))
        for category in election.categories.prefetch_related("shortlist__profile__unit")
    ]
    cached = _CachedShortlists(key, now, value)
    _SHORTLIST_CACHE[election.pk] = cached
    return cached


def _shortlists(election: Election) -> list[tuple[Category, list[ShortlistEntry]]]:
    return _cached(election).value


def shortlist_fragment(election: Election, key: tuple, build: Callable[[], str]) -> str:
    """Return HTML rendered from the election's shortlist, built once per worker for each `key`.

    The fragment is dropped with the cached shortlist, i.e. whenever the shortlist changes. `key` must hold
    everything else the HTML depends on (language, the voter's own-unit entries, the rules shown).
    """
    cached = _cached(election)
    html = cached.fragments.get(key)
    if html is None:
        html = build()
        if len(cached.fragments) < 1000:
            cached.fragments[key] = html
    return html


def ballot_choices(election: Election, voter: Voter | None) -> list[CategoryChoices]:
    """Return each category with its shortlist (profiles and units loaded) and the entries the voter may not pick."""
    result = []
    for category, entries in _shortlists(election):
        own = set()
        if voter is not None and election.forbid_own_unit:
            own = {e.pk for e in entries if e.profile.unit_id == voter.unit_id}
        result.append(CategoryChoices(category, entries, own))
    return result


def field_name(category: Category) -> str:
    """Return the form field name of a category's picks."""
    return f"c{category.pk}"


def validate_picks(
    election: Election, voter: Voter, form: Mapping[str, Sequence[str]]
) -> dict[int, list[ShortlistEntry]]:
    """Check the submitted picks (form field name -> list of values); return {category id: entries}.

    Raises BallotError with one sentence per broken rule.
    """
    need = election.picks_required
    problems: list[str] = []
    reason = ""
    chosen: dict[int, list[ShortlistEntry]] = {}
    choices = ballot_choices(election, voter)
    if not choices:
        raise BallotError(
            ["To głosowanie nie ma jeszcze kategorii; skontaktuj się z organizatorem."], "not_ready"
        )
    known_fields = {field_name(cc.category) for cc in choices}
    if any(key not in known_fields for key in form):
        problems.append(
            "Formularz został zmieniony (nieznana kategoria); otwórz link ponownie i zagłosuj jeszcze raz."
        )
        reason = "tampered"
    for cc in choices:
        name = cc.category.name
        raw = list(form.get(field_name(cc.category), []))
        by_id = {e.pk: e for e in cc.entries}
        ids: list[int] = []
        for value in raw:
            if not str(value).isdigit():
                problems.append(
                    f"Formularz w kategorii „{name}” został zmieniony (nieprawidłowa wartość); otwórz link ponownie."
                )
                reason = reason or "tampered"
                break
            ids.append(int(value))
        else:
            if len(set(ids)) != len(ids):
                problems.append(
                    f"W kategorii „{name}” ten sam profil wskazano więcej niż raz; każde wskazanie musi dotyczyć innego profilu."
                )
                reason = reason or "duplicate"
                continue
            unknown = [i for i in ids if i not in by_id]
            if unknown:
                problems.append(
                    f"W kategorii „{name}” wskazano profil spoza listy nominowanych; wybierz profile z listy."
                )
                reason = reason or "not_shortlisted"
                continue
            if len(ids) < need:
                problems.append(
                    f"W kategorii „{name}” wybrano {len(ids)}, a trzeba wybrać dokładnie {need} różne profile; "
                    f"zaznacz jeszcze {need - len(ids)}."
                )
                reason = reason or "too_few"
                continue
            if len(ids) > need:
                problems.append(
                    f"W kategorii „{name}” wybrano {len(ids)}, a można wybrać dokładnie {need}; "
                    f"odznacz {len(ids) - need}."
                )
                reason = reason or "too_many"
                continue
            own = [by_id[i] for i in ids if i in cc.own_unit_entries]
            if own:
                problems.append(
                    f"W kategorii „{name}” nie można głosować na profil własnej jednostki "
                    f"({own[0].profile.name}); wybierz inny profil."
                )
                reason = reason or "own_unit"
                continue
            chosen[cc.category.pk] = [by_id[i] for i in ids]
    if problems:
        raise BallotError(problems, reason)
    return chosen


def _new_receipt() -> str:
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return "-".join(code[i : i + 4] for i in range(0, RECEIPT_LENGTH, 4))


def normalise_receipt(code: str) -> str:
    """Return a receipt code in canonical form (upper case, groups of 4 joined by '-')."""
    clean = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(clean[i : i + 4] for i in range(0, len(clean), 4))


def receipt_hash(code: str) -> str:
    """Return the SHA-256 hex digest of a receipt code (what the ballot stores)."""
    return hashlib.sha256(normalise_receipt(code).encode()).hexdigest()


def receipt_fingerprint(code_hash: str) -> str:
    """Return the short public fingerprint of a ballot (first 12 hex characters of the receipt hash)."""
    return code_hash[:12]


def cast(state: LinkState, form: Mapping[str, Sequence[str]]) -> str:
    """Validate and store the ballot of a valid link; return the receipt code (shown once, stored only hashed).

    The voter is marked as having voted with a conditional UPDATE in the same transaction as the ballot,
    so of any number of concurrent submissions with one link exactly one stores a ballot.
    Raises BallotError (a broken rule) or AlreadyVoted.
    """
    invitation = state.invitation
    assert invitation is not None and state.status == "ok"
    voter = invitation.voter
    election = voter.election
    chosen = validate_picks(election, voter, form)
    now = timezone.now()
    at = fastsql.moment(now)
    with transaction.atomic():
        # The guarantee: of concurrent submissions exactly one sees rowcount 1 (the row lock serialises them).
        claimed = fastsql.execute(
            f"UPDATE {fastsql.table(Voter)} SET voted_at = %s WHERE id = %s AND voted_at IS NULL", [at, voter.pk]
        )
        if claimed != 1:
            raise AlreadyVoted("Z tego linku już oddano głos.")
        # The link must still be valid and the vote still open (both may have changed since the page loaded).
        used = fastsql.execute(
            f"UPDATE {fastsql.table(Invitation)} SET used_at = %s "
            f"WHERE id = %s AND used_at IS NULL AND revoked_at IS NULL AND EXISTS ("
            f"SELECT 1 FROM {fastsql.table(Election)} e WHERE e.id = %s AND e.results_published_at IS NULL "
            f"AND e.opens_at <= %s AND e.closes_at > %s AND (e.closed_early_at IS NULL OR e.closed_early_at > %s))",
            [at, invitation.pk, election.pk, at, at, at],
        )
        if used != 1:
            # Revoked or closed meanwhile: undo the claim by leaving the transaction.
            if Invitation.objects.filter(pk=invitation.pk, revoked_at__isnull=False).exists():
                raise LinkChanged(
                    "Ten link unieważniono w trakcie głosowania; użyj najnowszego linku.", code="revoked"
                )
            raise LinkChanged("Głosowanie zostało właśnie zamknięte; głosu nie zapisano.", code="closed")
        code = _new_receipt()
        ballot_id = uuid.uuid4()
        fastsql.insert(
            Ballot,
            [
                {
                    "id": ballot_id,
                    "election_id": election.pk,
                    "receipt_hash": receipt_hash(code),
                    "cast_on": timezone.localdate(now),
                }
            ],
        )
        fastsql.insert(
            BallotPick,
            [
                {"id": uuid.uuid4(), "ballot_id": ballot_id, "entry_id": entry.pk}
                for entries in chosen.values()
                for entry in entries
            ],
        )
        audit.record(AuditEvent.Kind.VOTE_CAST, election, voter=voter)
    voter.voted_at = invitation.used_at = now
    return code


@dataclass
class ReceiptCheck:
    counted: bool
    cast_on: object = None
    picks: list[tuple[str, str]] = field(default_factory=list)
    fingerprint: str = ""


def check_receipt(election: Election, code: str) -> ReceiptCheck:
    """Return whether a ballot with this receipt is counted in the election, with its day and picks."""
    digest = receipt_hash(code)
    ballot = election.ballots.filter(receipt_hash=digest).first()
    if ballot is None:
        return ReceiptCheck(False)
    picks = [
        (p.entry.category.name, p.entry.profile.name)
        for p in ballot.picks.select_related("entry__category", "entry__profile").order_by(
            "entry__category__order", "entry__position"
        )
    ]
    return ReceiptCheck(True, ballot.cast_on, picks, receipt_fingerprint(digest))
