"""Pages of the web app: home (search) and profile pages."""

from django.urls import path

from ratusz.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
]
