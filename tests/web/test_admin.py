"""The organisers' admin for collected data: Polish titles, read-mostly lists, pseudonymous authors."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from ratusz.collect.models import Comment
from ratusz.collect.privacy import author_key
from tests.factories import make_comment, make_followers, make_post, make_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(client):
    user = get_user_model().objects.create_superuser(
        "organizator", "org@example.org", "bardzo-tajne-haslo-123"
    )
    client.force_login(user)
    return user


def test_admin_login_page_has_a_polish_title(client):
    html = client.get("/admin/login/").content.decode()
    assert "ratusz — panel organizatora" in html


def test_collected_data_lists_search_and_filter(client, organiser):
    profile = make_profile(name="Gmina Przykładowa")
    post = make_post(profile, text="Remont ulicy Długiej", reactions_total=12)
    make_post(profile, text="Festyn rodzinny", format="video")
    make_followers(profile, date(2025, 3, 1), 5000)
    make_comment(post, "Kiedy koniec?")
    assert "Remont ulicy Długiej" in client.get("/admin/collect/post/", {"q": "Długiej"}).content.decode()
    filtered = client.get("/admin/collect/post/", {"format__exact": "video"}).content.decode()
    assert "Festyn rodzinny" in filtered and "Remont ulicy" not in filtered
    assert "Gmina Przykładowa" in client.get("/admin/collect/followersnapshot/").content.decode()
    assert "Kiedy koniec?" in client.get("/admin/collect/comment/", {"q": "koniec"}).content.decode()
    make_comment(post, "Wstrętny komentarz", sentiment="negative", harm="hate")
    hateful = client.get(
        "/admin/collect/comment/", {"sentiment": "negative", "harm": "hate"}
    ).content.decode()
    assert "Wstrętny komentarz" in hateful and "Kiedy koniec?" not in hateful


def test_collected_rows_cannot_be_added_or_edited_by_hand(client, organiser):
    post = make_post(make_profile(), text="Oryginał")
    assert client.get("/admin/collect/post/add/").status_code == 403
    assert client.get("/admin/collect/comment/add/").status_code == 403
    response = client.post(f"/admin/collect/post/{post.pk}/change/", {"text": "Zmienione"})
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.text == "Oryginał"
    assert client.get(f"/admin/collect/post/{post.pk}/change/").status_code == 200  # viewing is fine


def test_comment_authors_appear_only_as_pseudonyms(client, organiser):
    key = author_key("facebook", "anna.nowak.77")
    comment = make_comment(make_post(make_profile()), "Pytanie o śmieci", author_key=key)
    listing = client.get("/admin/collect/comment/").content.decode()
    detail = client.get(f"/admin/collect/comment/{comment.pk}/change/").content.decode()
    for html in (listing, detail):
        assert f"Mieszkaniec #{key[:6]}" in html
        assert key not in html


def test_organiser_can_change_a_comments_moderation_state(client, organiser):
    comment = make_comment(make_post(make_profile()), "Obraźliwy wpis")
    response = client.post(
        f"/admin/collect/comment/{comment.pk}/change/", {"moderation_state": "hidden", "_save": "Zapisz"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    comment.refresh_from_db()
    assert comment.moderation_state == "hidden"
    assert comment.text == "Obraźliwy wpis"  # the readonly fields are untouched
    assert Comment.objects.count() == 1
