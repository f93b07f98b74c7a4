from django.contrib import admin

from ratusz.language.models import ScoringRun


@admin.register(ScoringRun)
class ScoringRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "model_version", "scored", "flagged", "workers", "rescored_all", "trigger"]
    list_filter = ["model_version", "trigger"]
    readonly_fields = [f.name for f in ScoringRun._meta.fields]
