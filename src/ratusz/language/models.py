"""What the language app stores itself: a log of scoring runs (which model version scored how many comments).

The scores live on collect.Comment (language, sentiment, harm, …, scored_model_version).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScoringRun(models.Model):
    """One run of the comment-scoring pipeline (CLI or background task)."""

    model_version = models.CharField(_("wersja modelu"), max_length=40, db_index=True)
    started_at = models.DateTimeField(_("rozpoczęto"))
    finished_at = models.DateTimeField(_("zakończono"))
    scored = models.PositiveIntegerField(_("ocenione komentarze"), default=0)
    flagged = models.PositiveIntegerField(_("oznaczone do moderacji"), default=0)
    workers = models.PositiveSmallIntegerField(_("procesy"), default=1)
    rescored_all = models.BooleanField(_("wszystkie od nowa"), default=False)
    trigger = models.CharField(_("uruchomienie"), max_length=10, default="cli")

    class Meta:
        verbose_name = _("przebieg oceny komentarzy")
        verbose_name_plural = _("przebiegi oceny komentarzy")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.model_version} {self.started_at:%Y-%m-%d %H:%M}: {self.scored}"
