"""Single-use voting links: issue (only the token's hash is stored), send by e-mail, export, revoke, resolve."""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core import mail
from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from ratusz.errors import RatuszError
from ratusz.registry.models import Unit
from ratusz.voting import audit, fastsql
from ratusz.voting.models import AuditEvent, Election, Invitation, Voter

TOKEN_BYTES = 32  # 256 bits: secrets.token_urlsafe(32) gives 43 URL-safe characters
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43,86}$")


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest of a link token (what the database stores)."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def ballot_path(token: str) -> str:
    """Return the site-relative path of the ballot page for a token."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("voting:ballot", kwargs={"token": token})


def ballot_url(token: str, base_url: str | None = None) -> str:
    """Return the absolute link a voter receives (RATUSZ_BASE_URL + ballot path)."""
    return (base_url or settings.BASE_URL).rstrip("/") + ballot_path(token)


def active_invitations(voter: Voter):
    """Return the voter's invitations that are neither used nor revoked (a queryset)."""
    return voter.invitations.filter(used_at__isnull=True, revoked_at__isnull=True)


@transaction.atomic
def issue(voter: Voter, channel: str = Invitation.Channel.EMAIL) -> tuple[Invitation, str]:
    """Revoke the voter's earlier unused links and create a new one; return (invitation, token).

    The token is returned once and never stored: only its hash is.
    """
    if voter.voted_at:
        raise RatuszError(f"{voter.unit.name} już zagłosował(a); nowy link nie jest potrzebny.")
    now = timezone.now()
    active_invitations(voter).update(revoked_at=now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invitation = Invitation.objects.create(voter=voter, token_hash=hash_token(token), channel=channel)
    return invitation, token


def _message(voter: Voter, token: str) -> mail.EmailMultiAlternatives:
    election = voter.election
    context = {
        "election": election,
        "voter": voter,
        "link": ballot_url(token),
        "opens_at": timezone.localtime(election.opens_at),
        "closes_at": timezone.localtime(election.closes_at),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("voting/email_subject.txt", context).strip()
        body = render_to_string("voting/email_body.txt", context)
    return mail.EmailMultiAlternatives(subject=subject, body=body, to=[voter.email])


def pending_voters(election: Election, resend: bool = False):
    """Return voters who have not voted and (unless resend) have no active invitation yet (a queryset)."""
    qs = election.voters.filter(voted_at__isnull=True).select_related("unit", "election")
    if not resend:
        active = Invitation.objects.filter(
            voter=OuterRef("pk"), used_at__isnull=True, revoked_at__isnull=True
        )
        qs = qs.exclude(Exists(active))
    return qs.order_by("unit__name")


def send_invitations(
    election: Election,
    voters: Iterable[Voter] | None = None,
    *,
    resend: bool = False,
    actor: str = "",
    progress: Callable[[int], None] | None = None,
) -> int:
    """E-mail a fresh single-use link to each voter (default: everyone not yet invited); return how many were sent.

    Each voter's link is committed only once its e-mail has been accepted by the mail server.
    """
    if election.state() in ("closed", "published"):
        raise RatuszError(f"Głosowanie „{election.slug}” jest zakończone; zaproszeń już się nie wysyła.")
    targets = list(voters) if voters is not None else list(pending_voters(election, resend=resend))
    sent = 0
    try:
        with mail.mailers.default as connection:
            for voter in targets:
                if voter.voted_at:
                    continue
                with transaction.atomic():
                    invitation, token = issue(voter, Invitation.Channel.EMAIL)
                    connection.send_messages([_message(voter, token)])
                    invitation.sent_at = timezone.now()
                    invitation.save(update_fields=["sent_at"])
                    audit.record(
                        AuditEvent.Kind.INVITATION_SENT,
                        election,
                        voter=voter,
                        actor=actor,
                        detail=voter.email,
                    )
                sent += 1
                if progress:
                    progress(1)
    except OSError as exc:  # smtplib.SMTPException is an OSError
        raise RatuszError(
            f"Nie udało się wysłać zaproszenia ({type(exc).__name__}: {exc}); wysłano {sent}. "
            "Sprawdź ustawienia RATUSZ_EMAIL_* i ponów (wysłane linki pozostają ważne)."
        ) from None
    return sent


@dataclass
class ExportedLink:
    teryt: str
    unit: str
    email: str
    link: str


def export_links(election: Election, *, reissue: bool = False, actor: str = "") -> list[ExportedLink]:
    """Issue links for the newsletter tool instead of e-mailing them; return one row per voter.

    By default only voters without an active link; with reissue, every voter who has not voted
    (earlier links stop working).
    """
    if election.state() in ("closed", "published"):
        raise RatuszError(f"Głosowanie „{election.slug}” jest zakończone; linków już się nie wydaje.")
    rows = []
    with transaction.atomic():
        for voter in pending_voters(election, resend=reissue):
            invitation, token = issue(voter, Invitation.Channel.EXPORT)
            invitation.sent_at = timezone.now()
            invitation.save(update_fields=["sent_at"])
            audit.record(AuditEvent.Kind.INVITATION_EXPORTED, election, voter=voter, actor=actor)
            rows.append(ExportedLink(voter.unit_id, voter.unit.name, voter.email, ballot_url(token)))
    return rows


def revoke(voter: Voter, actor: str = "") -> int:
    """Revoke the voter's active links; return how many were revoked."""
    count = active_invitations(voter).update(revoked_at=timezone.now())
    audit.record(
        AuditEvent.Kind.INVITATION_REVOKED,
        voter.election,
        voter=voter,
        actor=actor,
        detail=f"{count} link(ów)",
    )
    return count


@dataclass
class LinkState:
    """What a link leads to: status is ok, forged, revoked, used, upcoming or closed."""

    status: str
    invitation: Invitation | None = None

    @property
    def voter(self) -> Voter | None:
        return self.invitation.voter if self.invitation else None

    @property
    def election(self) -> Election | None:
        return self.invitation.voter.election if self.invitation else None


# resolve() runs on every request of the ballot page: its join is written once here instead of being compiled
# by the ORM each time (which cost more than the rest of the request). Columns come from the models' fields, and
# values pass through the same converters the ORM applies, so the instances are what the ORM would build.
_LINK_PARTS: tuple[tuple[type[models.Model], str, tuple[str, ...] | None], ...] = (
    (Invitation, "i", None),
    (Voter, "v", None),
    (Election, "e", None),
    (Unit, "u", ("teryt", "name")),  # the ballot shows the voter's unit name; other fields load on access
)


@functools.cache
def _link_select(vendor: str) -> tuple[str, tuple[tuple[type[models.Model], list[models.Field], str], ...]]:
    quote = connection.ops.quote_name
    parts = []
    columns = []
    for model, alias, names in _LINK_PARTS:
        fields = [f for f in model._meta.concrete_fields if names is None or f.name in names]
        parts.append((model, fields, alias))
        columns += [f"{alias}.{quote(f.column)}" for f in fields]
    table = {model: quote(model._meta.db_table) for model, _, _ in _LINK_PARTS}
    sql = (
        f"SELECT {', '.join(columns)} FROM {table[Invitation]} i "
        f"JOIN {table[Voter]} v ON v.{quote('id')} = i.{quote('voter_id')} "
        f"JOIN {table[Election]} e ON e.{quote('id')} = v.{quote('election_id')} "
        f"JOIN {table[Unit]} u ON u.{quote('teryt')} = v.{quote('unit_id')} "
        f"WHERE i.{quote('token_hash')} = %s"
    )
    return sql, tuple(parts)


def _load_invitation(digest: str) -> Invitation | None:
    """Return the invitation with this token hash, its voter, election and the voter's unit loaded (one query)."""
    sql, parts = _link_select(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [digest])
        row = cursor.fetchone()
    if row is None:
        return None
    objects = []
    at = 0
    for model, fields, alias in parts:
        values = list(row[at : at + len(fields)])
        at += len(fields)
        for i, f in enumerate(fields):
            col = f.get_col(alias)
            for convert in connection.ops.get_db_converters(col) + col.get_db_converters(connection):
                values[i] = convert(values[i], col, connection)
        objects.append(model.from_db(connection.alias, [f.attname for f in fields], values))
    invitation, voter, election, unit = objects
    voter.election = election
    voter.unit = unit
    invitation.voter = voter
    return invitation


def resolve(token: str) -> LinkState:
    """Return the state of the link with this token. The hash lookup is confirmed in constant time."""
    if not _TOKEN_RE.match(token or ""):
        return LinkState("forged")
    digest = hash_token(token)
    invitation = _load_invitation(digest)
    if invitation is None or not hmac.compare_digest(invitation.token_hash, digest):
        return LinkState("forged")
    if invitation.used_at or invitation.voter.voted_at:
        return LinkState("used", invitation)
    if invitation.revoked_at:
        return LinkState("revoked", invitation)
    state = invitation.voter.election.state()
    if state == "upcoming":
        return LinkState("upcoming", invitation)
    if state in ("closed", "published"):
        return LinkState("closed", invitation)
    return LinkState("ok", invitation)


def mark_opened(state: LinkState) -> None:
    """Record that a valid link was opened (first time on the invitation; every time in the audit log)."""
    inv = state.invitation
    if inv is None:
        return
    with transaction.atomic():  # one commit for both writes
        if inv.opened_at is None:
            fastsql.execute(
                f"UPDATE {fastsql.table(Invitation)} SET opened_at = %s WHERE id = %s AND opened_at IS NULL",
                [fastsql.moment(timezone.now()), inv.pk],
            )
        audit.record(AuditEvent.Kind.LINK_OPENED, inv.voter.election, voter=inv.voter, detail=state.status)
