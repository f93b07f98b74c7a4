"""Pages of the voting app (mounted at /vote/)."""

from django.urls import path

from ratusz.voting import views

app_name = "voting"
urlpatterns = [
    path("", views.index, name="index"),
    path("b/<str:token>/", views.ballot, name="ballot"),
    path("<slug:slug>/", views.election_detail, name="election"),
    path("<slug:slug>/receipt/", views.receipt_check, name="receipt"),
    path("<slug:slug>/results/", views.results_page, name="results"),
    path("<slug:slug>/results.csv", views.results_csv_view, name="results_csv"),
    path("<slug:slug>/ballots.csv", views.ballots_csv_view, name="ballots_csv"),
    path("<slug:slug>/turnout/", views.turnout_page, name="turnout"),
]
