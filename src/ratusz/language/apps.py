from django.apps import AppConfig


class LanguageConfig(AppConfig):
    name = "ratusz.language"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Add the moods panels to the profile and post pages (ratusz.web.panels)."""
        from django.db.models.signals import post_save

        from ratusz.collect.models import Comment
        from ratusz.collect.signals import comments_stored
        from ratusz.language.tasks import comment_saved
        from ratusz.language.tasks import comments_stored as queue_after_bulk_write
        from ratusz.language.views import post_panel, profile_panel
        from ratusz.web.panels import register_post_panel, register_profile_panel

        register_profile_panel("language", 40, profile_panel)
        register_post_panel("language", 40, post_panel)
        post_save.connect(comment_saved, sender=Comment, dispatch_uid="ratusz.language.comment_saved")
        comments_stored.connect(queue_after_bulk_write, dispatch_uid="ratusz.language.comments_stored")
