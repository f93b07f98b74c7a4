from django.apps import AppConfig


class LanguageConfig(AppConfig):
    name = "ratusz.language"
    default_auto_field = "django.db.models.BigAutoField"
