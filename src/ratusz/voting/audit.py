"""The audit log of a vote: one function writes it, nothing ever updates or deletes an entry."""

from __future__ import annotations

from ratusz.voting.models import AuditEvent, Election, Voter


def record(
    kind: str,
    election: Election | None = None,
    *,
    voter: Voter | None = None,
    actor: str = "",
    reason: str = "",
    detail: str = "",
) -> AuditEvent:
    """Append an entry to the audit log and return it. Never pass tokens, receipt codes or picks."""
    return AuditEvent.objects.create(
        kind=kind, election=election, voter=voter, actor=actor[:150], reason=reason[:40], detail=detail
    )
