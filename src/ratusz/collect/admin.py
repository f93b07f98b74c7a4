"""Admin of the collected data for organisers: read-mostly lists with search and filters.

Posts, comments and follower snapshots come from imports and collectors, so they are not added or
edited by hand here; only a comment's moderation state can be changed. Comment authors appear only as
pseudonyms ("Mieszkaniec #a1b2c3"), never as the stored key.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ratusz.collect.models import Comment, FollowerSnapshot, Post
from ratusz.web.display import pseudonym


class _FixedValuesFilter(admin.SimpleListFilter):
    """A filter over a fixed list of values (no SELECT DISTINCT over millions of comments)."""

    values: list[tuple[str, str]] = []

    def lookups(self, request, model_admin):
        """Return the fixed (value, label) pairs."""
        return self.values

    def queryset(self, request, queryset):
        """Return the rows with the chosen value (all rows when none is chosen)."""
        if self.value():
            return queryset.filter(**{self.parameter_name: self.value()})
        return queryset


class SentimentFilter(_FixedValuesFilter):
    title = _("nastrój")
    parameter_name = "sentiment"
    values = [
        ("negative", _("negatywny")),
        ("neutral", _("neutralny")),
        ("positive", _("pozytywny")),
        ("ambivalent", _("ambiwalentny")),
    ]


class HarmFilter(_FixedValuesFilter):
    title = _("szkodliwość")
    parameter_name = "harm"
    values = [("none", _("brak")), ("cyberbullying", _("cyberprzemoc")), ("hate", _("mowa nienawiści"))]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and detail views without adding or editing (deleting stays possible for organisers)."""

    show_full_result_count = False  # a COUNT(*) over millions of rows on every list page is too slow

    def has_add_permission(self, request, obj=None) -> bool:
        """Return False: these rows come from imports and collectors only."""
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        """Return False: collected rows are not edited by hand (views stay available)."""
        return False


@admin.register(FollowerSnapshot)
class FollowerSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["profile", "date", "followers", "fans", "source", "taken_at"]
    list_filter = ["source", "profile__platform", ("date", admin.DateFieldListFilter)]
    search_fields = ["profile__name", "profile__unit__name", "profile__unit__teryt"]
    list_select_related = ["profile"]
    raw_id_fields = ["profile"]


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = [
        "published_at",
        "profile",
        "short_text",
        "format",
        "is_own",
        "reactions_total",
        "comments_count",
        "shares_count",
    ]
    list_filter = [
        "format",
        "is_own",
        "source",
        "profile__platform",
        ("published_at", admin.DateFieldListFilter),
    ]
    search_fields = ["text", "platform_id", "profile__name", "profile__unit__name", "profile__unit__teryt"]
    list_select_related = ["profile"]
    raw_id_fields = ["profile"]
    ordering = ["-pk"]  # newest stored first (indexed); the date column header sorts by date on demand

    @admin.display(description=_("treść"))
    def short_text(self, obj: Post) -> str:
        """Return the first 80 characters of the post's text."""
        return obj.text if len(obj.text) <= 80 else obj.text[:79] + "…"


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "author",
        "short_text",
        "is_from_profile",
        "sentiment",
        "harm",
        "moderation_state",
    ]
    list_filter = ["moderation_state", "is_from_profile", SentimentFilter, HarmFilter, "is_question"]
    search_fields = ["text", "post__profile__name", "post__platform_id"]
    list_select_related = ["post", "post__profile"]
    list_editable = ["moderation_state"]
    show_full_result_count = False
    # Newest stored first: the primary key is indexed; sorting millions of rows by date on every page is not.
    ordering = ["-pk"]
    # The author key is never shown; the pseudonym stands for it.
    exclude = ["author_key"]
    readonly_fields = [
        "post",
        "parent",
        "platform_id",
        "author",
        "is_from_profile",
        "created_at",
        "text",
        "likes_count",
        "replies_count",
        "language",
        "sentiment",
        "sentiment_scores",
        "harm",
        "harm_probability",
        "is_question",
        "scored_model_version",
    ]

    def has_add_permission(self, request, obj=None) -> bool:
        """Return False: comments come from imports and collectors only."""
        return False

    @admin.display(description=_("autor"))
    def author(self, obj: Comment) -> str:
        """Return the author's public pseudonym, or the profile's own name for its replies."""
        if obj.is_from_profile:
            return str(_("profil: {name}")).format(name=obj.post.profile.name)
        return pseudonym(obj.author_key)

    @admin.display(description=_("treść"))
    def short_text(self, obj: Comment) -> str:
        """Return the first 80 characters of the comment."""
        return obj.text if len(obj.text) <= 80 else obj.text[:79] + "…"


# The collection log (runs, entries, progress) has its admin next to its models.
from ratusz.collect import run_admin  # noqa: E402, F401
