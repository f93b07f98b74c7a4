"""Bookkeeping of collection: runs, their per-profile log, progress cursors per time window, API quota use.

A cursor row is the unit of resumption: a window of one profile is "done" only when every post in it was
saved with its comments; `resume_until` moves back in time as posts are saved, newest first, so a killed
run starts again right after the last saved post.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ratusz.registry.models import Profile


class RunStatus(models.TextChoices):
    RUNNING = "running", _("trwa")
    OK = "ok", _("zakończony")
    PARTIAL = "partial", _("zakończony z błędami")
    FAILED = "failed", _("nieudany")
    INTERRUPTED = "interrupted", _("przerwany")


class CollectionRun(models.Model):
    """One invocation of collection (CLI or background task) over one or more profiles."""

    started_at = models.DateTimeField(_("start"), auto_now_add=True)
    finished_at = models.DateTimeField(_("koniec"), null=True, blank=True)
    status = models.CharField(_("stan"), max_length=12, choices=RunStatus.choices, default=RunStatus.RUNNING)
    trigger = models.CharField(_("uruchomiono przez"), max_length=20, default="cli")
    since = models.DateField(_("od dnia"), null=True, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    host = models.CharField(max_length=200, blank=True)
    profiles_total = models.PositiveIntegerField(_("profile"), default=0)
    profiles_ok = models.PositiveIntegerField(_("profile bez błędów"), default=0)
    profiles_failed = models.PositiveIntegerField(_("profile z błędami"), default=0)
    items_saved = models.PositiveIntegerField(_("zapisane posty"), default=0)
    comments_saved = models.PositiveIntegerField(_("zapisane komentarze"), default=0)
    items_failed = models.PositiveIntegerField(_("pominięte elementy"), default=0)
    requests = models.PositiveIntegerField(_("zapytania do API"), default=0)

    class Meta:
        verbose_name = _("zbieranie danych")
        verbose_name_plural = _("zbieranie danych (dziennik)")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.started_at:%Y-%m-%d %H:%M} {self.status}"


class LogLevel(models.TextChoices):
    INFO = "info", _("informacja")
    WARNING = "warning", _("ostrzeżenie")
    ERROR = "error", _("błąd")


class CollectionLogEntry(models.Model):
    """What happened to one profile in a run: done, skipped item (with the reason), throttled, token dead."""

    run = models.ForeignKey(CollectionRun, on_delete=models.CASCADE, related_name="entries")
    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, null=True, blank=True, related_name="collection_log"
    )
    created_at = models.DateTimeField(_("czas"), auto_now_add=True)
    level = models.CharField(_("poziom"), max_length=8, choices=LogLevel.choices, default=LogLevel.INFO)
    kind = models.CharField(_("rodzaj"), max_length=30)
    item_id = models.CharField(_("element"), max_length=200, blank=True)
    message = models.TextField(_("opis"))

    class Meta:
        verbose_name = _("wpis dziennika zbierania")
        verbose_name_plural = _("wpisy dziennika zbierania")
        ordering = ["run", "id"]

    def __str__(self) -> str:
        return f"{self.level} {self.kind}: {self.message[:60]}"


class CursorState(models.TextChoices):
    PENDING = "pending", _("czeka")
    RUNNING = "running", _("w toku")
    DONE = "done", _("gotowe")
    FAILED = "failed", _("do powtórzenia")


class CollectionCursor(models.Model):
    """Progress of one profile in one time window [window_start, window_end)."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="collection_cursors")
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    resume_until = models.DateTimeField(
        null=True, blank=True, help_text="posts published at or after this moment are already saved"
    )
    state = models.CharField(max_length=10, choices=CursorState.choices, default=CursorState.PENDING)
    completed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    run = models.ForeignKey(CollectionRun, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        verbose_name = _("postęp zbierania")
        verbose_name_plural = _("postęp zbierania")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "window_start", "window_end"], name="collection_cursor_unique"
            )
        ]
        ordering = ["profile", "window_start"]

    def __str__(self) -> str:
        return f"{self.profile_id} {self.window_start:%Y-%m-%d}..{self.window_end:%Y-%m-%d} {self.state}"


class QuotaUsage(models.Model):
    """API quota units spent per API and day (YouTube counts units per Pacific-time day)."""

    api = models.CharField(max_length=40)
    day = models.DateField()
    units = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["api", "day"], name="quota_usage_unique")]

    def __str__(self) -> str:
        return f"{self.api} {self.day}: {self.units}"


class ThrottleBlock(models.Model):
    """A platform said "slow down": no call in this scope (the app, or one profile's token) before the time.

    Written when throttling is met, read by every collecting process, so a second process or the next run
    honours a block met by another one.
    """

    scope = models.CharField(max_length=200, unique=True)
    blocked_until = models.DateTimeField()

    class Meta:
        verbose_name = _("blokada limitu zapytań")
        verbose_name_plural = _("blokady limitu zapytań")

    def __str__(self) -> str:
        return f"{self.scope} do {self.blocked_until:%Y-%m-%d %H:%M:%S}"
