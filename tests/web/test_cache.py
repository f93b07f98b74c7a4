"""Cached page bodies, HTTP revalidation and the stampede guard (ratusz.web.cache), on the real database."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ratusz.web import cache as page_cache
from ratusz.web.panels import register_profile_panel, unregister_panel
from tests.factories import make_comment, make_followers, make_post, make_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile():
    p = make_profile(name="Gmina Pamięć")
    make_followers(p, datetime(2025, 3, 1).date(), 1500)
    make_post(p, datetime(2025, 3, 2, 10, tzinfo=UTC), text="Pierwszy post", reactions_like=3)
    return p


def test_profile_page_body_is_cached_and_follows_new_posts(client, profile):
    url = f"/profil/{profile.pk}/"
    first = client.get(url).content.decode()
    assert "Pierwszy post" in first
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(url).content.decode()
    assert ctx.captured_queries == []  # title and body come from the cache
    assert "Pierwszy post" in again
    make_post(profile, datetime(2025, 3, 3, 10, tzinfo=UTC), text="Drugi post")
    assert "Drugi post" in client.get(url).content.decode()


def test_a_saved_comment_changes_the_page_version(profile):
    before = page_cache.page_version()
    data_before = page_cache.data_version()
    make_comment(profile.posts.first(), text="Kiedy remont?")
    assert page_cache.page_version() != before
    assert page_cache.data_version() != data_before  # a save bumps the generation too


def test_a_revalidating_browser_gets_304_until_the_data_changes(client, profile):
    url = f"/profil/{profile.pk}/"
    response = client.get(url)
    etag = response["ETag"]
    assert response["Cache-Control"] == "private, no-cache"
    client.get(url)  # the CSRF cookie set by the first answer is part of the tag
    etag = client.get(url)["ETag"]
    not_modified = client.get(url, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not not_modified.content
    make_post(profile, datetime(2025, 3, 4, 10, tzinfo=UTC), text="Trzeci post")
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Trzeci post" in changed.content.decode()
    assert changed["ETag"] != etag


def test_another_visitors_etag_does_not_match(client, profile):
    url = f"/profil/{profile.pk}/"
    client.get(url)
    etag = client.get(url)["ETag"]
    from django.test import Client

    stranger = Client()
    stranger.get(url)  # gets its own CSRF cookie
    assert stranger.get(url, headers={"If-None-Match": etag}).status_code == 200


def test_an_unknown_profile_is_404_and_not_cached(client):
    assert client.get("/profil/987654/").status_code == 404
    assert client.get("/profil/987654/").status_code == 404


def test_signed_in_users_get_a_fresh_body_without_etag(client, profile, django_user_model):
    user = django_user_model.objects.create_user("organizator", password="hasło-do-testów-123")
    client.force_login(user)
    response = client.get(f"/profil/{profile.pk}/")
    assert response.status_code == 200 and "ETag" not in response


def test_ranking_page_answers_304_to_a_revalidating_browser(client, profile):
    url = "/ranking/?category=active&start=2025-03-01&end=2025-03-31"
    client.get(url)
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    # The htmx fragment is another representation of the same address: its tag differs.
    fragment = client.get(url, headers={"HX-Request": "true", "If-None-Match": etag})
    assert fragment.status_code == 200 and "HX-Request" in fragment["Vary"]


def test_a_body_with_a_failed_panel_is_not_kept(client, profile):
    calls = {"n": 0}

    def flaky(request, obj):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("database busy")
        return '<section class="panel"><h2>Panel testowy</h2></section>'

    register_profile_panel("flaky-test", 99, flaky)
    try:
        url = f"/profil/{profile.pk}/"
        assert "panel-error" in client.get(url).content.decode()
        assert "Panel testowy" in client.get(url).content.decode()
        assert "Panel testowy" in client.get(url).content.decode()
        assert calls["n"] == 2  # the good body is cached, the failed one was not
    finally:
        unregister_panel("flaky-test")


def test_concurrent_requests_for_a_missing_entry_compute_it_once():
    calls = []
    started = threading.Event()
    release = threading.Event()

    def compute():
        calls.append(1)
        started.set()
        release.wait(30)
        return "wynik"

    results = []
    threads = [
        threading.Thread(target=lambda: results.append(page_cache.cached("test:stampede", compute)))
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    assert started.wait(30)
    release.set()
    for t in threads:
        t.join(30)
    assert results == ["wynik"] * 8
    assert len(calls) == 1


def test_a_request_waits_for_another_process_computing_the_same_entry():
    """Another server process holds the computation marker: this one waits for its value."""
    key = "test:other-process"
    assert cache.add(f"{key}:computing", 1, 60)
    results = []
    waiter = threading.Thread(
        target=lambda: results.append(page_cache.cached(key, lambda: pytest.fail("computed twice")))
    )
    waiter.start()
    cache.set(key, "z innego procesu", 60)
    cache.delete(f"{key}:computing")
    waiter.join(30)
    assert results == ["z innego procesu"]


def test_post_page_is_cached_and_a_moderators_decision_shows_at_once(client, profile):
    post = profile.posts.first()
    comment = make_comment(post, text="Obraźliwy komentarz")
    url = f"/post/{post.pk}/"
    assert "Obraźliwy komentarz" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    assert ctx.captured_queries == []
    comment.moderation_state = "hidden"
    comment.save()  # the admin saves the comment: the page version changes
    html = client.get(url).content.decode()
    assert "Obraźliwy komentarz" not in html and "Komentarz ukryty przez moderatora." in html
