from django.apps import AppConfig


class VotingConfig(AppConfig):
    name = "ratusz.voting"
    default_auto_field = "django.db.models.BigAutoField"
