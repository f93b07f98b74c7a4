"""Pages of the metrics app: the national ranking, its report (PDF) and the methodology."""

from django.urls import path

from ratusz.metrics import views

app_name = "metrics"
urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("raport.pdf", views.report_pdf, name="report"),
    path("metoda/", views.methodology, name="methodology"),
]
