"""Stored ranking runs: parameters, method version, input fingerprint and the ranked rows.

A published ranking can always be reproduced: `ratusz ranking verify RUN_ID` recomputes it from the
database and compares the fingerprint of its input and its rows.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ratusz.registry.models import Profile


class RankingCategory(models.TextChoices):
    ACTIVE = "active", _("Aktywni")
    LOVE = "love", _("Love")
    REGION = "region", _("Region")


class RankingRun(models.Model):
    """One computed ranking with everything needed to reproduce it."""

    category = models.CharField(_("kategoria"), max_length=16, choices=RankingCategory.choices)
    period_start = models.DateField(_("początek okresu"))
    period_end = models.DateField(_("koniec okresu"))
    filters = models.JSONField(_("filtry"), default=dict)
    params = models.JSONField(_("parametry"), default=dict)
    method_version = models.CharField(_("wersja metody"), max_length=40)
    input_fingerprint = models.CharField(_("odcisk danych wejściowych (sha256)"), max_length=64)
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    row_count = models.PositiveIntegerField(_("liczba pozycji"), default=0)
    explanation = models.TextField(_("opis"), blank=True)

    class Meta:
        verbose_name = _("ranking")
        verbose_name_plural = _("rankingi")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category} {self.period_start}..{self.period_end}"


class RankingEntry(models.Model):
    """One ranked profile of a run: its rank, score and the values shown in the ranking."""

    run = models.ForeignKey(RankingRun, on_delete=models.CASCADE, related_name="entries")
    rank = models.PositiveIntegerField(_("miejsce"))
    profile = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="ranking_entries")
    score = models.FloatField(_("wynik"), null=True, blank=True)
    values = models.JSONField(_("wartości"), default=dict)

    class Meta:
        verbose_name = _("pozycja rankingu")
        verbose_name_plural = _("pozycje rankingu")
        ordering = ["run", "rank"]
        constraints = [models.UniqueConstraint(fields=["run", "rank"], name="ranking_entry_rank_unique")]

    def __str__(self) -> str:
        return f"{self.run_id}#{self.rank}: {self.profile_id}"


class ProfileDay(models.Model):
    """Daily rollup: one profile's own posts on one Europe/Warsaw day, summed the way the method sums them.

    Rankings and the profile panel read these rows instead of millions of posts. The rows are derived,
    never edited: database triggers queue every change of a post or follower snapshot
    (`RollupQueue`) and `ratusz.metrics.rollup.refresh_pending()` recomputes the queued profile-days —
    writers call it at the end of their transaction, and every read calls it first, so the rollup
    cannot disagree with the posts. Counts follow the missing-data rules: a sum covers the posts whose
    value is known (`posts_with_*`), NULL when none is known.
    """

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+", db_index=False)
    day = models.DateField(_("dzień (Europe/Warsaw)"))
    posts = models.IntegerField(_("własne posty"))
    posts_text = models.IntegerField(_("posty tekstowe"))
    reactions = models.BigIntegerField(null=True)
    r_like = models.BigIntegerField(null=True)
    r_love = models.BigIntegerField(null=True)
    r_care = models.BigIntegerField(null=True)
    r_haha = models.BigIntegerField(null=True)
    r_wow = models.BigIntegerField(null=True)
    r_sad = models.BigIntegerField(null=True)
    r_angry = models.BigIntegerField(null=True)
    comments = models.BigIntegerField(null=True)
    shares = models.BigIntegerField(null=True)
    interactions = models.BigIntegerField(null=True)
    posts_with_interactions = models.IntegerField()
    posts_with_reactions = models.IntegerField()
    posts_with_comments = models.IntegerField()
    posts_with_shares = models.IntegerField()
    mood_num = models.BigIntegerField(null=True)
    mood_den = models.BigIntegerField(null=True)
    checksum = models.BigIntegerField(_("suma kontrolna postów dnia"))
    followers = models.BigIntegerField(
        _("obserwujący dnia"), null=True, help_text=_("Ostatni stan w tym dniu lub wcześniej (gdy potrzebny).")
    )
    rate = models.FloatField(_("zaangażowanie dnia"), null=True)
    unknown = models.SmallIntegerField(_("zaangażowanie dnia nieznane"), default=0)

    class Meta:
        verbose_name = _("dzień profilu")
        verbose_name_plural = _("dni profili")
        constraints = [models.UniqueConstraint(fields=["profile", "day"], name="profile_day_unique")]
        indexes = [models.Index(fields=["day"], name="profile_day_day_idx")]

    def __str__(self) -> str:
        return f"{self.profile_id} {self.day}: {self.posts}"


class ProfileMonth(models.Model):
    """Monthly rollup: the `ProfileDay` rows of one profile and calendar month, summed (recomputed with them).

    A period's whole months are read from here and its partial months from `ProfileDay`; `rate_sum` is the
    sum of the month's known daily engagement rates, `post_days` the days with posts, `unknown_days` those
    whose rate is unknown.
    """

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+", db_index=False)
    month = models.DateField(_("miesiąc (pierwszy dzień)"))
    posts = models.IntegerField()
    posts_text = models.IntegerField()
    reactions = models.BigIntegerField(null=True)
    r_like = models.BigIntegerField(null=True)
    r_love = models.BigIntegerField(null=True)
    r_care = models.BigIntegerField(null=True)
    r_haha = models.BigIntegerField(null=True)
    r_wow = models.BigIntegerField(null=True)
    r_sad = models.BigIntegerField(null=True)
    r_angry = models.BigIntegerField(null=True)
    comments = models.BigIntegerField(null=True)
    shares = models.BigIntegerField(null=True)
    interactions = models.BigIntegerField(null=True)
    posts_with_interactions = models.IntegerField()
    posts_with_reactions = models.IntegerField()
    posts_with_comments = models.IntegerField()
    posts_with_shares = models.IntegerField()
    mood_num = models.BigIntegerField(null=True)
    mood_den = models.BigIntegerField(null=True)
    checksum = models.BigIntegerField()
    rate_sum = models.FloatField(null=True)
    post_days = models.IntegerField()
    unknown_days = models.IntegerField()

    class Meta:
        verbose_name = _("miesiąc profilu")
        verbose_name_plural = _("miesiące profili")
        constraints = [models.UniqueConstraint(fields=["profile", "month"], name="profile_month_unique")]
        indexes = [models.Index(fields=["month"], name="profile_month_month_idx")]

    def __str__(self) -> str:
        return f"{self.profile_id} {self.month:%Y-%m}: {self.posts}"


class RollupQueue(models.Model):
    """Profile-days whose rollup is out of date, written by database triggers on posts and follower
    snapshots (so bulk writes, raw SQL and admin edits are all caught).

    `day` is the UTC date of a changed post (its Warsaw day is that date or the next) or, with
    `until_end` = 1, the date of a changed follower snapshot (every later day depends on it).
    """

    profile_id = models.BigIntegerField()
    day = models.DateField()
    until_end = models.SmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile_id", "until_end", "day"], name="rollup_queue_unique")
        ]
