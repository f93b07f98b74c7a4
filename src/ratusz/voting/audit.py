"""The audit log of a vote: one function writes it, nothing ever updates or deletes an entry."""

from __future__ import annotations

from django.utils import timezone

from ratusz.voting import fastsql
from ratusz.voting.models import AuditEvent, Election, Voter


def record(
    kind: str,
    election: Election | None = None,
    *,
    voter: Voter | None = None,
    actor: str = "",
    reason: str = "",
    detail: str = "",
) -> None:
    """Append an entry to the audit log. Never pass tokens, receipt codes or picks.

    Written with one prepared INSERT (ratusz.voting.fastsql): every ballot page request records an entry.
    """
    fastsql.insert(
        AuditEvent,
        [
            {
                "election_id": election.pk if election is not None else None,
                "at": timezone.now(),
                "kind": kind,
                "voter_id": voter.pk if voter is not None else None,
                "actor": actor[:150],
                "reason": reason[:40],
                "detail": detail,
            }
        ],
    )
