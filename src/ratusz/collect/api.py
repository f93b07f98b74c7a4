"""API routes of the collect app."""

from ninja import Router

router = Router(tags=["collect"])
