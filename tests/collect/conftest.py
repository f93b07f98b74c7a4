"""Fixtures of the collect tests: a fake Graph/YouTube server on loopback and profiles with tokens."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.collect.fakegraph import Dataset, FakeServer

FAST = {
    "RATUSZ_COLLECT_RETRY_BASE": "0.01",
    "RATUSZ_COLLECT_MAX_WAIT": "0.05",
    "RATUSZ_COLLECT_TIMEOUT": "2",
    "RATUSZ_COLLECT_RETRIES": "3",
    "RATUSZ_COLLECT_CONCURRENCY": "1",
}


@pytest.fixture
def fast_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Short retry delays and back-off caps so fault tests stay fast."""
    for name, value in FAST.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def fake_server(monkeypatch: pytest.MonkeyPatch, fast_settings: None) -> Iterator[Callable[..., FakeServer]]:
    """Start fake servers (one per call, any platform) and point the matching setting at them."""
    started: list[FakeServer] = []
    setting = {
        "facebook": "RATUSZ_FACEBOOK_GRAPH_URL",
        "instagram": "RATUSZ_INSTAGRAM_GRAPH_URL",
        "youtube": "RATUSZ_YOUTUBE_API_URL",
    }

    def start(dataset: Dataset | None = None, **kwargs) -> FakeServer:  # noqa: ANN003
        server = FakeServer(dataset or Dataset(), **kwargs)
        monkeypatch.setenv(setting[server.data.platform], server.start())
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def make_connected_profiles(server: FakeServer, **kw) -> list:  # noqa: ANN003
    """Create one registered profile with its (encrypted) token per account of the server's dataset."""
    from ratusz.collect.tokens import set_token
    from tests.factories import make_profile

    profiles = []
    for i in range(server.data.accounts):
        profile = make_profile(platform=server.data.platform, platform_id=server.data.account_id(i), **kw)
        set_token(profile, server.data.token(i))
        profiles.append(profile)
    return profiles
