from django.apps import AppConfig


class CollectConfig(AppConfig):
    name = "ratusz.collect"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The built-in platform collectors register the same way an outside app would, in its ready().
        from ratusz.collect.collectors import register_collector
        from ratusz.collect.collectors.facebook import FacebookCollector
        from ratusz.collect.collectors.instagram import InstagramCollector
        from ratusz.collect.collectors.youtube import YouTubeCollector

        for collector in (FacebookCollector, InstagramCollector, YouTubeCollector):
            register_collector(collector)
