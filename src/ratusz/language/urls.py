"""Pages of the language app."""

from django.urls import path  # noqa: F401

app_name = "language"
urlpatterns: list = []
