from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "ratusz.web"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Forget cached page bodies when a comment is saved or deleted (e.g. its moderation state)."""
        from django.db.models.signals import post_delete, post_save

        from ratusz.collect.models import Comment
        from ratusz.web.cache import data_changed

        post_save.connect(data_changed, sender=Comment, dispatch_uid="web-cache-Comment-save")
        post_delete.connect(data_changed, sender=Comment, dispatch_uid="web-cache-Comment-delete")
