from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "ratusz.metrics"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Add the metrics panel (figures against peers, charts) to the profile page."""
        from ratusz.metrics.views import render_profile_panel
        from ratusz.web.panels import register_profile_panel

        register_profile_panel("metrics", 10, render_profile_panel)
