"""The Złoty Lajk award vote: elections, shortlists, eligible voters, single-use invitations, secret ballots.

Secrecy by construction: a Ballot has no link to the Voter or the Invitation that cast it (random UUID keys,
no timestamp finer than the day), so the database cannot say who chose whom. One ballot per voter is
guaranteed by a conditional UPDATE of `Voter.voted_at` (… WHERE voted_at IS NULL) inside the transaction
that stores the ballot: of concurrent submissions, exactly one sees rowcount 1.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ratusz.registry.models import Profile, Unit


class Election(models.Model):
    """One award vote: categories with shortlists, eligible voters, a voting window and a tie-break seed."""

    name = models.CharField(_("nazwa"), max_length=200)
    slug = models.SlugField(_("identyfikator"), max_length=80, unique=True)
    description = models.TextField(_("opis"), blank=True)
    opens_at = models.DateTimeField(_("otwarcie głosowania"))
    closes_at = models.DateTimeField(_("zamknięcie głosowania"))
    picks_required = models.PositiveSmallIntegerField(_("liczba wskazań w kategorii"), default=3)
    forbid_own_unit = models.BooleanField(_("zakaz głosowania na własną jednostkę"), default=True)
    tie_seed = models.CharField(max_length=64, editable=False)
    tie_seed_hash = models.CharField(_("skrót ziarna losowania (SHA-256)"), max_length=64, editable=False)
    closed_early_at = models.DateTimeField(_("zamknięte przed czasem"), null=True, blank=True, editable=False)
    results_published_at = models.DateTimeField(
        _("wyniki opublikowane"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped on every change of a category or shortlist: web workers key their cached shortlist on it.
    shortlist_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("głosowanie")
        verbose_name_plural = _("głosowania")
        ordering = ["-opens_at"]
        permissions = [("organise_election", _("Może prowadzić głosowania (organizator)"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="election_window"
            ),
            models.CheckConstraint(condition=models.Q(picks_required__gte=1), name="election_picks_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_close(self):
        """Return the moment voting ends: the planned close or an earlier manual close (aware datetime)."""
        if self.closed_early_at and self.closed_early_at < self.closes_at:
            return self.closed_early_at
        return self.closes_at

    def state(self, now=None) -> str:
        """Return "upcoming", "open", "closed" or "published" at `now` (default: the current time)."""
        now = now or timezone.now()
        if self.results_published_at:
            return "published"
        if now < self.opens_at:
            return "upcoming"
        if now >= self.effective_close:
            return "closed"
        return "open"


class Category(models.Model):
    """A category of the award (e.g. Active, Love, Region) with its own shortlist."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="categories")
    key = models.SlugField(_("klucz"), max_length=40)
    name = models.CharField(_("nazwa"), max_length=200)
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0)
    ranking_run = models.ForeignKey(
        "metrics.RankingRun",
        verbose_name=_("ranking"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Lista nominowanych to czołówka tego rankingu (akcja „Nominuj z rankingów”)."),
    )
    top_n = models.PositiveSmallIntegerField(_("liczba nominowanych z rankingu"), default=10)

    class Meta:
        verbose_name = _("kategoria")
        verbose_name_plural = _("kategorie")
        ordering = ["election", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["election", "key"], name="category_key_unique")]

    def __str__(self) -> str:
        return f"{self.election.name}: {self.name}"


class ShortlistEntry(models.Model):
    """A profile nominated in a category."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="shortlist")
    profile = models.ForeignKey(Profile, verbose_name=_("profil"), on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("pozycja"), default=0)

    class Meta:
        verbose_name = _("nominowany profil")
        verbose_name_plural = _("lista nominowanych")
        ordering = ["category", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "profile"], name="shortlist_profile_unique")
        ]

    def __str__(self) -> str:
        return str(self.profile)


class Voter(models.Model):
    """An eligible voter: a unit with the contact e-mail that receives the link. Knows whether, never how, it voted."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="voters")
    unit = models.ForeignKey(Unit, verbose_name=_("jednostka"), on_delete=models.PROTECT, related_name="+")
    email = models.EmailField(_("e-mail"))
    contact_name = models.CharField(_("osoba kontaktowa"), max_length=200, blank=True)
    voted_at = models.DateTimeField(_("głos oddany"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("uprawniony do głosowania")
        verbose_name_plural = _("uprawnieni do głosowania")
        ordering = ["election", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["election", "unit"], name="voter_unit_unique")]

    def __str__(self) -> str:
        return f"{self.unit.name} <{self.email}>"


class Invitation(models.Model):
    """A single-use link of a voter. Only the SHA-256 of the token is stored; the token itself never is."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        EXPORT = "export", _("eksport do newslettera")

    voter = models.ForeignKey(Voter, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    channel = models.CharField(_("kanał"), max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    created_at = models.DateTimeField(_("utworzone"), auto_now_add=True)
    sent_at = models.DateTimeField(_("wysłane"), null=True, blank=True)
    opened_at = models.DateTimeField(_("pierwsze otwarcie"), null=True, blank=True)
    used_at = models.DateTimeField(_("użyte"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("unieważnione"), null=True, blank=True)

    class Meta:
        verbose_name = _("zaproszenie")
        verbose_name_plural = _("zaproszenia")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.voter} ({self.created_at:%Y-%m-%d %H:%M})"


class Ballot(models.Model):
    """An anonymous ballot. No voter, no invitation, no exact time: the receipt hash lets its owner find it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballots")
    receipt_hash = models.CharField(max_length=64, unique=True)
    cast_on = models.DateField(_("dzień oddania głosu"))

    class Meta:
        verbose_name = _("karta do głosowania")
        verbose_name_plural = _("karty do głosowania")
        # Random UUID order: listing ballots never reveals the order in which they were cast.
        ordering = ["id"]


class BallotPick(models.Model):
    """One pick on a ballot: a shortlisted profile in a category."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="picks")
    entry = models.ForeignKey(ShortlistEntry, on_delete=models.PROTECT, related_name="picks")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "entry"], name="pick_distinct")]


class AuditEvent(models.Model):
    """An entry of the append-only audit log: invitations sent, links opened, votes cast, refusals, organiser actions.

    Never holds a token, a receipt code or a ballot's content.
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("utworzenie głosowania")
        ORGANISER = "organiser", _("działanie organizatora")
        INVITATION_SENT = "invitation_sent", _("wysłano zaproszenie")
        INVITATION_EXPORTED = "invitation_exported", _("wyeksportowano link")
        INVITATION_REVOKED = "invitation_revoked", _("unieważniono link")
        LINK_OPENED = "link_opened", _("otwarto link")
        VOTE_CAST = "vote_cast", _("oddano głos")
        REFUSED = "refused", _("odrzucona próba")

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="audit", null=True, blank=True
    )
    at = models.DateTimeField(_("czas"), default=timezone.now, db_index=True)
    kind = models.CharField(_("rodzaj"), max_length=24, choices=Kind.choices)
    voter = models.ForeignKey(Voter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    actor = models.CharField(_("kto"), max_length=150, blank=True)
    reason = models.CharField(_("powód"), max_length=40, blank=True)
    detail = models.TextField(_("szczegóły"), blank=True)

    class Meta:
        verbose_name = _("wpis dziennika")
        verbose_name_plural = _("dziennik zdarzeń")
        ordering = ["-at", "-id"]


def bump_shortlist_version(election_id: int) -> None:
    """Mark an election's categories or shortlists as changed (web workers reload them)."""
    Election.objects.filter(pk=election_id).update(shortlist_version=models.F("shortlist_version") + 1)


def organiser_group_name() -> str:
    """Return the name of the auth group whose members run elections in the admin."""
    return getattr(settings, "RATUSZ_ORGANISER_GROUP", "organiser")


class RateCounter(models.Model):
    """Requests of one rate-limit bucket (a voting link, a client address) in the current minute.

    Shared by every web worker and server through the database; one atomic upsert counts a request
    (ratusz.voting.ratelimit). On PostgreSQL the table is UNLOGGED: counters need no crash safety, so
    counting costs no write-ahead-log flush.
    """

    bucket = models.CharField(max_length=100, primary_key=True)
    slot = models.BigIntegerField()  # start of the counting window, Unix seconds
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        default_permissions = ()
