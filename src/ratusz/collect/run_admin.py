"""Admin of the collection log: what ran, what failed and why, per profile (read-only for organisers)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ratusz.collect.run_models import CollectionCursor, CollectionLogEntry, CollectionRun


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        """Return False: the log is written by collection runs only."""
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        """Return False: the log is not edited by hand."""
        return False


class CollectionLogEntryInline(admin.TabularInline):
    model = CollectionLogEntry
    fields = ["created_at", "profile", "level", "kind", "item_id", "message"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        """Return False: entries come from the run."""
        return False


@admin.register(CollectionRun)
class CollectionRunAdmin(_ReadOnly):
    list_display = [
        "id",
        "started_at",
        "finished_at",
        "status",
        "trigger",
        "profiles_total",
        "profiles_failed",
        "items_saved",
        "comments_saved",
        "items_failed",
        "requests",
    ]
    list_filter = ["status", "trigger"]
    inlines = [CollectionLogEntryInline]


@admin.register(CollectionLogEntry)
class CollectionLogEntryAdmin(_ReadOnly):
    list_display = ["created_at", "run", "profile", "level", "kind", "item_id", "short_message"]
    list_filter = ["level", "kind", "profile__platform"]
    search_fields = ["message", "item_id", "profile__name"]
    list_select_related = ["run", "profile"]
    raw_id_fields = ["run", "profile"]
    show_full_result_count = False

    @admin.display(description=_("opis"))
    def short_message(self, obj: CollectionLogEntry) -> str:
        """Return the first 120 characters of the message."""
        return obj.message if len(obj.message) <= 120 else obj.message[:119] + "…"


@admin.register(CollectionCursor)
class CollectionCursorAdmin(_ReadOnly):
    list_display = ["profile", "window_start", "window_end", "state", "resume_until", "completed_at", "error"]
    list_filter = ["state", "profile__platform"]
    search_fields = ["profile__name"]
    raw_id_fields = ["profile", "run"]
