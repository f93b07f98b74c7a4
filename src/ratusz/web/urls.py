"""Public pages: home (search), search results, unit, profile and post pages."""

from django.urls import path, register_converter

from ratusz.web import views


class TerytConverter:
    """A TERYT code in a URL: 2 (województwo), 4 (powiat) or 7 (gmina) digits."""

    regex = "[0-9]{2,7}"

    def to_python(self, value: str) -> str:
        """Return the code unchanged (a string: leading zeros matter)."""
        return value

    def to_url(self, value: str) -> str:
        """Return the code as it appears in the URL."""
        return str(value)


register_converter(TerytConverter, "teryt")

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("szukaj/", views.search, name="search"),
    path("jednostka/<teryt:teryt>/", views.unit, name="unit"),
    path("profil/<int:pk>/", views.profile, name="profile"),
    path("post/<int:pk>/", views.post, name="post"),
]
