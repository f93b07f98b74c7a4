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
