"""Public pages: home (search), search results, unit, profile and post pages."""

from django.urls import path

from ratusz.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("szukaj/", views.search, name="search"),
    path("jednostka/<str:teryt>/", views.unit, name="unit"),
    path("profil/<int:pk>/", views.profile, name="profile"),
    path("post/<int:pk>/", views.post, name="post"),
]
