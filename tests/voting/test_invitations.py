"""Invitations go out through a real SMTP server on loopback; the link in the received e-mail works once."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import warnings
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller

from ratusz.errors import RatuszError
from ratusz.voting.invitations import export_links, hash_token, pending_voters, revoke, send_invitations
from ratusz.voting.models import AuditEvent, Ballot, Invitation

pytestmark = pytest.mark.django_db

LINK_RE = re.compile(r"https?://\S+/vote/b/([A-Za-z0-9_-]+)/")


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


@pytest.fixture
def smtp(settings) -> Iterator[Inbox]:
    """A real SMTP server on 127.0.0.1 (aiosmtpd) that Django's default mailer sends to."""
    inbox = Inbox()
    with socket.socket() as probe:  # a free port (aiosmtpd needs a fixed one)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 10},
        }
    }
    settings.BASE_URL = "http://glosowanie.example.org"
    try:
        yield inbox
    finally:
        controller.stop()


def _body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_invitation_email_carries_a_single_use_link_that_works(client, election, smtp):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)  # MAILERS, not the deprecated EMAIL_* settings
        sent = send_invitations(election, actor="test")
    assert sent == 3 and len(smtp.messages) == 3
    by_recipient = {m["To"]: m for m in smtp.messages}
    message = by_recipient["urzad2@example.org"]
    assert "Złoty Lajk (test)" in message["Subject"]
    body = _body(message)
    assert "dokładnie 3" in body and "działa tylko raz" in body
    match = LINK_RE.search(body)
    assert match and match.group(0).startswith("http://glosowanie.example.org/vote/b/")
    token = match.group(1)
    assert len(token) >= 43  # secrets.token_urlsafe(32)
    # only the hash is stored
    invitation = Invitation.objects.get(token_hash=hash_token(token))
    stored = " ".join(str(getattr(invitation, f.attname)) for f in Invitation._meta.concrete_fields)
    assert token not in stored
    assert invitation.sent_at is not None
    assert AuditEvent.objects.filter(kind="invitation_sent").count() == 3
    assert token not in " ".join(AuditEvent.objects.values_list("detail", flat=True))

    category = election.categories.get()
    picks = [str(e.pk) for e in category.shortlist.all()[1:4]]
    path = match.group(0).removeprefix("http://glosowanie.example.org")
    assert client.get(path).status_code == 200
    response = client.post(path, {"step": "confirm", f"c{category.pk}": picks})
    assert response.status_code == 200 and "Dziękujemy" in response.content.decode()
    assert client.get(path).status_code == 409
    assert Ballot.objects.count() == 1


def test_links_are_unique_and_unguessable(election, smtp):
    send_invitations(election)
    tokens = [LINK_RE.search(_body(m)).group(1) for m in smtp.messages]
    assert len(set(tokens)) == 3
    assert all(len(t) >= 43 for t in tokens)


def test_resend_gives_a_new_link_and_the_old_one_stops_working(client, election, smtp):
    send_invitations(election)
    assert pending_voters(election).count() == 0, "everyone has a link: nothing to send again"
    voter = election.voters.order_by("email")[1]
    old = LINK_RE.search(_body(next(m for m in smtp.messages if m["To"] == voter.email))).group(0)
    send_invitations(election, [voter])
    new = LINK_RE.search(_body(smtp.messages[-1])).group(0)
    assert old != new
    base = "http://glosowanie.example.org"
    assert client.get(old.removeprefix(base)).status_code == 410
    assert client.get(new.removeprefix(base)).status_code == 200
    revoke(voter, actor="test")
    assert client.get(new.removeprefix(base)).status_code == 410
    assert AuditEvent.objects.filter(kind="invitation_revoked").count() == 1


def test_mail_server_down_is_one_clear_error_and_no_link_is_lost(election, settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    with pytest.raises(RatuszError, match="Nie udało się wysłać"):
        send_invitations(election)
    assert Invitation.objects.count() == 0


def test_export_links_for_the_newsletter_instead_of_sending(election, smtp):
    rows = export_links(election, actor="test")
    assert len(rows) == 3 and not smtp.messages
    assert all(LINK_RE.fullmatch(r.link) for r in rows)
    assert export_links(election) == [], "voters who already have a link are not exported again"
    again = export_links(election, reissue=True)
    assert len(again) == 3 and {r.link for r in again}.isdisjoint({r.link for r in rows})
    assert AuditEvent.objects.filter(kind="invitation_exported").count() == 6
