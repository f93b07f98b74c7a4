"""Tokens encrypted at rest and never shown; the collector plug-ins and their declarations; the CLI."""

from __future__ import annotations

import pytest
from django.urls import reverse
from typer.testing import CliRunner

from ratusz import config
from ratusz.collect.collectors import Collector, register_collector, registered_collectors
from ratusz.collect.tokens import decrypt_token, get_token, set_token
from ratusz.errors import RatuszError
from ratusz.registry.models import Platform, Profile
from tests.factories import make_profile


def test_every_registered_collector_declares_id_title_and_declared_settings():
    collectors = registered_collectors()
    assert {"facebook", "instagram", "youtube"} <= set(collectors)
    for platform, cls in collectors.items():
        assert cls.id == platform and platform in Platform.values
        assert cls.title.strip()
        assert cls.settings and all(name in config.SETTINGS for name in cls.settings)
        assert cls.base_url_setting in cls.settings
        cls.check_declaration()
        collector = cls()
        assert collector.base_url() == config.get(cls.base_url_setting).rstrip("/")


def test_an_outside_collector_registers_the_same_way_and_bad_declarations_are_refused():
    class BadCollector(Collector):
        id = "myspace"
        title = "MySpace"

        def snapshot_followers(self, job, day):  # pragma: no cover
            pass

        def collect_window(self, job, window):  # pragma: no cover
            pass

    with pytest.raises(TypeError, match="id must be one of"):
        register_collector(BadCollector)

    class UndeclaredSetting(BadCollector):
        id = "other"
        settings = ("RATUSZ_NOT_A_SETTING",)

    with pytest.raises(TypeError, match="undeclared settings"):
        register_collector(UndeclaredSetting)
    assert "other" not in registered_collectors()


@pytest.mark.django_db
def test_token_is_encrypted_at_rest_and_readable_back():
    profile = make_profile()
    set_token(profile, "EAAB-secret-page-token")
    stored = Profile.objects.get(pk=profile.pk)
    assert "EAAB-secret" not in stored.access_token_encrypted
    assert stored.connection_state == "ok"
    assert get_token(stored) == "EAAB-secret-page-token"
    with pytest.raises(RatuszError, match="ratusz profiles token"):
        decrypt_token("gAAAAAnot-a-real-ciphertext")
    with pytest.raises(RatuszError, match="spacje"):
        set_token(profile, "two words")


@pytest.fixture
def cli():
    from ratusz.cli import _register_commands_once, app

    _register_commands_once()
    return app


@pytest.mark.django_db
def test_profiles_token_reads_stdin_and_never_prints_the_token(cli):
    profile = make_profile()
    result = CliRunner().invoke(cli, ["profiles", "token", str(profile.pk)], input="EAAB-from-stdin\n")
    assert result.exit_code == 0, result.output
    assert "EAAB-from-stdin" not in result.output
    assert get_token(Profile.objects.get(pk=profile.pk)) == "EAAB-from-stdin"
    result = CliRunner().invoke(cli, ["profiles", "token", str(profile.pk), "--token", "EAAB-arg"])
    assert result.exit_code == 0 and "historii" in result.output
    assert get_token(Profile.objects.get(pk=profile.pk)) == "EAAB-arg"
    result = CliRunner().invoke(cli, ["profiles", "token", str(profile.pk), "--clear"])
    assert Profile.objects.get(pk=profile.pk).access_token_encrypted == ""


@pytest.mark.django_db
def test_collect_needs_profile_or_all_and_says_so(cli):
    from ratusz.cli import main  # noqa: F401  (the CLI's error path is RatuszError -> one line)

    result = CliRunner().invoke(cli, ["collect"])
    assert isinstance(result.exception, RatuszError) and "--all" in result.exception.message
    result = CliRunner().invoke(cli, ["collect", "--all", "--since", "1 marca"])
    assert isinstance(result.exception, RatuszError) and "RRRR-MM-DD" in result.exception.message


@pytest.mark.django_db
def test_admin_replaces_a_token_without_ever_showing_it(admin_client):
    profile = make_profile()
    set_token(profile, "EAAB-old-token")
    url = reverse("admin:registry_profile_change", args=[profile.pk])
    page = admin_client.get(url).content.decode()
    assert "EAAB-old-token" not in page and profile.access_token_encrypted not in page
    form = {
        "platform": "facebook",
        "platform_id": profile.platform_id,
        "name": profile.name,
        "unit": profile.unit_id,
        "role": "official",
        "active": "on",
        "connection_state": "needs_reconnect",
        "new_access_token": "EAAB-new-token",
    }
    response = admin_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert get_token(Profile.objects.get(pk=profile.pk)) == "EAAB-new-token"
    assert Profile.objects.get(pk=profile.pk).connection_state == "ok"
    listing = admin_client.get(reverse("admin:registry_profile_changelist")).content.decode()
    assert "EAAB-new-token" not in listing


@pytest.mark.django_db
def test_collection_log_is_readable_in_the_admin(admin_client, fake_server):
    from ratusz.collect.runner import collect_profiles
    from tests.collect.conftest import make_connected_profiles
    from tests.collect.fakegraph import Dataset

    server = fake_server(Dataset(accounts=1, posts=1, comments=1))
    profiles = make_connected_profiles(server)
    server.dead_tokens.add(server.data.token(0))
    run = collect_profiles(profiles)
    page = admin_client.get(reverse("admin:collect_collectionrun_change", args=[run.pk])).content.decode()
    assert "token_dead" in page and "ponownego podłączenia" in page
    assert admin_client.get(reverse("admin:collect_collectionlogentry_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:collect_collectioncursor_changelist")).status_code == 200
