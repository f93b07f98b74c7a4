from django.contrib import admin

from ratusz.collect.tokens import TokenAdminMixin
from ratusz.registry.models import Profile, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["teryt", "name", "level", "kind", "woj_name", "population", "size_class", "zmp_member"]
    list_filter = ["level", "kind", "size_class", "woj_name", "zmp_member"]
    search_fields = ["teryt", "name", "search_name"]
    list_editable = ["zmp_member"]


@admin.register(Profile)
class ProfileAdmin(TokenAdminMixin, admin.ModelAdmin):
    list_display = ["name", "platform", "unit", "role", "active", "connection_state", "has_token"]
    list_filter = ["platform", "role", "active", "connection_state"]
    search_fields = ["name", "handle", "platform_id", "unit__name", "unit__teryt"]
    autocomplete_fields = ["unit"]
