from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "ratusz.metrics"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Add the metrics panel (figures against peers, charts) to the profile page; forget cached
        figures when the data they come from changes."""
        from django.db.models.signals import post_delete, post_migrate, post_save

        from ratusz.collect.models import FollowerSnapshot, Post
        from ratusz.metrics.views import data_changed, render_profile_panel
        from ratusz.registry.models import Profile, Unit
        from ratusz.web.panels import register_profile_panel

        register_profile_panel("metrics", 10, render_profile_panel)
        # The daily rollup follows every bulk write in its transaction; triggers a migration dropped come back.
        from ratusz.collect.signals import posts_stored
        from ratusz.metrics import rollup

        posts_stored.connect(rollup.refresh_pending, dispatch_uid="ratusz.metrics.rollup")
        post_migrate.connect(rollup.ensure_triggers, sender=self, dispatch_uid="ratusz.metrics.rollup-triggers")
        # Cached rankings, peer groups and panels are keyed by a data version that saves bump.
        for model in (Post, FollowerSnapshot, Profile, Unit):
            post_save.connect(data_changed, sender=model, dispatch_uid=f"metrics-cache-{model.__name__}-save")
            post_delete.connect(
                data_changed, sender=model, dispatch_uid=f"metrics-cache-{model.__name__}-delete"
            )
