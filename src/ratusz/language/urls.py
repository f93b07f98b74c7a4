"""Pages of the language app: the readability check and the moderation queue."""

from django.urls import path

from ratusz.language import views

app_name = "language"
urlpatterns = [
    path("", views.check_page, name="check"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("moderation/<int:pk>/", views.moderate, name="moderate"),
]
