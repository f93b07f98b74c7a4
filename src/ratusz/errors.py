"""Errors a user can act on: one clear sentence, shown without a traceback by the CLI, API and pages."""

from __future__ import annotations


class RatuszError(Exception):
    """A problem with the user's input or data; the message says what, where and what to do."""

    code = "invalid_input"

    def __init__(self, message: str, *, code: str | None = None, details: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details or {}


class NotFound(RatuszError):
    code = "not_found"
