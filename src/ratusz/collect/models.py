"""What profiles publish and how residents answer: follower snapshots, posts, count snapshots, comments.

A count the platform or file did not provide is NULL, never 0: a fake zero skews rankings.
Times are stored in UTC and shown in Europe/Warsaw.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ratusz.registry.models import Profile

REACTION_TYPES = ["like", "love", "care", "haha", "wow", "sad", "angry"]


class FollowerSnapshot(models.Model):
    """A profile's audience on one day (followers, and fans where the platform has both)."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="follower_snapshots")
    date = models.DateField(_("dzień"))
    followers = models.PositiveBigIntegerField(_("obserwujący"), null=True, blank=True)
    fans = models.PositiveBigIntegerField(_("fani (polubienia strony)"), null=True, blank=True)
    source = models.CharField(_("źródło"), max_length=40, blank=True)
    taken_at = models.DateTimeField(_("pobrano"), null=True, blank=True)

    class Meta:
        verbose_name = _("stan obserwujących")
        verbose_name_plural = _("stany obserwujących")
        constraints = [models.UniqueConstraint(fields=["profile", "date"], name="follower_snapshot_unique")]
        ordering = ["profile", "date"]

    def __str__(self) -> str:
        return f"{self.profile_id} {self.date}: {self.followers}"


class PostFormat(models.TextChoices):
    TEXT = "text", _("tekst")
    PHOTO = "photo", _("zdjęcie")
    VIDEO = "video", _("wideo")
    REEL = "reel", _("rolka")
    LINK = "link", _("link")
    EVENT = "event", _("wydarzenie")
    SHARED = "shared", _("udostępnienie")
    OTHER = "other", _("inny")


class Post(models.Model):
    """A post of a profile with its latest counts; earlier counts live in PostCountSnapshot."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="posts")
    platform_id = models.CharField(_("identyfikator na platformie"), max_length=200)
    published_at = models.DateTimeField(_("opublikowano"))
    text = models.TextField(_("treść"), blank=True)
    format = models.CharField(_("format"), max_length=10, choices=PostFormat.choices, default=PostFormat.OTHER)
    permalink = models.URLField(_("link"), max_length=1000, blank=True)
    is_own = models.BooleanField(_("własny"), default=True)
    reactions_like = models.PositiveBigIntegerField(null=True, blank=True)
    reactions_love = models.PositiveBigIntegerField(null=True, blank=True)
    reactions_care = models.PositiveBigIntegerField(null=True, blank=True)
    reactions_haha = models.PositiveBigIntegerField(null=True, blank=True)
    reactions_wow = models.PositiveBigIntegerField(null=True, blank=True)
    reactions_sad = models.PositiveBigIntegerField(null=True, blank=True)
    reactions_angry = models.PositiveBigIntegerField(null=True, blank=True)
    reactions_total = models.PositiveBigIntegerField(
        _("reakcje razem"), null=True, blank=True, help_text=_("Suma reakcji wszystkich typów (gdy znana).")
    )
    comments_count = models.PositiveBigIntegerField(_("komentarze"), null=True, blank=True)
    shares_count = models.PositiveBigIntegerField(_("udostępnienia"), null=True, blank=True)
    views_count = models.PositiveBigIntegerField(_("wyświetlenia"), null=True, blank=True)
    followers_at_posting = models.PositiveBigIntegerField(
        _("obserwujący w chwili publikacji"),
        null=True,
        blank=True,
        help_text=_("Gdy źródło je podaje; inaczej liczone ze stanów obserwujących."),
    )
    counts_at = models.DateTimeField(_("liczniki z dnia"), null=True, blank=True)
    raw = models.JSONField(_("dane źródłowe"), null=True, blank=True)
    source = models.CharField(_("źródło"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posty")
        constraints = [models.UniqueConstraint(fields=["profile", "platform_id"], name="post_platform_id_unique")]
        indexes = [models.Index(fields=["profile", "published_at"], name="post_profile_time_idx")]
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"{self.profile_id}/{self.platform_id}"


class PostCountSnapshot(models.Model):
    """The counts of a post as seen at one moment (counts grow after publication)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="count_snapshots")
    taken_at = models.DateTimeField()
    reactions = models.JSONField(null=True, blank=True, help_text="counts per reaction type")
    reactions_total = models.PositiveBigIntegerField(null=True, blank=True)
    comments_count = models.PositiveBigIntegerField(null=True, blank=True)
    shares_count = models.PositiveBigIntegerField(null=True, blank=True)
    views_count = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "taken_at"], name="post_count_snapshot_unique")]


class ModerationState(models.TextChoices):
    NONE = "none", _("bez zastrzeżeń")
    FLAGGED = "flagged", _("do przejrzenia")
    APPROVED = "approved", _("zaakceptowany")
    HIDDEN = "hidden", _("ukryty")


class Comment(models.Model):
    """A comment or reply under a post. The author is a keyed hash, never a name or platform id,
    unless the profile itself answered (is_from_profile)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    platform_id = models.CharField(max_length=200)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    author_key = models.CharField(_("pseudonim autora"), max_length=64, blank=True)
    is_from_profile = models.BooleanField(_("odpowiedź profilu"), default=False)
    created_at = models.DateTimeField(_("napisano"))
    text = models.TextField(_("treść"), blank=True)
    likes_count = models.PositiveBigIntegerField(null=True, blank=True)
    replies_count = models.PositiveBigIntegerField(null=True, blank=True)
    # Derived by the language models (ratusz.language); NULL until scored.
    language = models.CharField(max_length=8, blank=True)
    sentiment = models.CharField(max_length=12, blank=True)
    sentiment_scores = models.JSONField(null=True, blank=True)
    harm = models.CharField(max_length=16, blank=True)
    harm_probability = models.FloatField(null=True, blank=True)
    is_question = models.BooleanField(null=True, blank=True)
    scored_model_version = models.CharField(max_length=40, blank=True, db_index=True)
    moderation_state = models.CharField(
        _("moderacja"), max_length=10, choices=ModerationState.choices, default=ModerationState.NONE
    )

    class Meta:
        verbose_name = _("komentarz")
        verbose_name_plural = _("komentarze")
        constraints = [models.UniqueConstraint(fields=["post", "platform_id"], name="comment_platform_id_unique")]
        indexes = [models.Index(fields=["post", "created_at"], name="comment_post_time_idx")]
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.post_id}/{self.platform_id}"


# Collection bookkeeping (runs, log, progress cursors, quota) lives in its own module.
from ratusz.collect.run_models import (  # noqa: E402, F401
    CollectionCursor,
    CollectionLogEntry,
    CollectionRun,
    QuotaUsage,
)
