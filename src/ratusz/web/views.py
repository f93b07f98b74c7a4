"""Views of the public pages; they parse input, call the library and render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """The home page: search units and profiles."""
    return render(request, "web/home.html", {})
