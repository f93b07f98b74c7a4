"""API routes of the metrics app."""

from ninja import Router

router = Router(tags=["metrics"])
