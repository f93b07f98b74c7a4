"""API routes of the language app."""

from ninja import Router

router = Router(tags=["language"])
