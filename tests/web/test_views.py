"""The public pages through Django's test client: search, unit, profile, post, error pages."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from ratusz.collect.privacy import author_key
from tests.factories import make_comment, make_followers, make_post, make_profile, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def wroclaw():
    unit = make_unit(
        teryt="0264011",
        name="Wrocław",
        kind="miasto na prawach powiatu",
        level="powiat",
        population=674000,
        size_class=">=500k",
    )
    profile = make_profile(unit, name="Wrocław — oficjalny profil miasta", handle="wroclaw")
    return unit, profile


def test_home_lists_registered_profiles_with_links(client, wroclaw):
    _, profile = wroclaw
    html = client.get(reverse("web:home")).content.decode()
    assert "Wrocław — oficjalny profil miasta" in html
    assert reverse("web:profile", kwargs={"pk": profile.pk}) in html
    assert 'action="/szukaj/"' in html and 'name="q"' in html


def test_home_without_profiles_says_how_to_add_them(client):
    html = client.get("/").content.decode()
    assert "Nie ma jeszcze żadnych profili" in html


def test_search_finds_unit_by_name_without_diacritics_and_by_teryt(client, wroclaw):
    unit, profile = wroclaw
    for q in ("wroclaw", "Wrocław", "0264"):
        html = client.get(reverse("web:search"), {"q": q}).content.decode()
        assert reverse("web:unit", kwargs={"teryt": unit.teryt}) in html, q
        assert reverse("web:profile", kwargs={"pk": profile.pk}) in html, q


def test_search_without_javascript_renders_whole_page_and_htmx_gets_fragment(client, wroclaw):
    full = client.get("/szukaj/", {"q": "Wrocław"}).content.decode()
    assert "<html" in full and "<h1>" in full
    fragment = client.get("/szukaj/", {"q": "Wrocław"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and "Wrocław" in fragment


def test_search_says_when_query_is_too_short_or_finds_nothing(client, wroclaw):
    assert "co najmniej 2 znaki" in client.get("/szukaj/", {"q": "W"}).content.decode()
    assert "Nic nie znaleziono" in client.get("/szukaj/", {"q": "Xyzzyqq"}).content.decode()


def test_search_survives_odd_input(client, wroclaw):
    for q in ("\x00wroc", "%_%", "' OR 1=1 --", "ż" * 5000, "   "):
        response = client.get("/szukaj/", {"q": q})
        assert response.status_code == 200, repr(q[:10])
    assert "Wrocław" in client.get("/szukaj/", {"q": "\x00wroc"}).content.decode()
    assert "Nic nie znaleziono" in client.get("/szukaj/", {"q": "%_%"}).content.decode()


def test_unit_page_lists_profiles_and_peers(client, wroclaw):
    unit, profile = wroclaw
    peer = make_unit(name="Kraków", kind=unit.kind, level=unit.level, size_class=unit.size_class)
    other = make_unit(name="Gmina Mała", kind="gmina wiejska", size_class="<5k")
    make_followers(profile, date(2025, 1, 1), 1000)
    make_followers(profile, date(2025, 2, 1), 2500)
    html = client.get(reverse("web:unit", kwargs={"teryt": unit.teryt})).content.decode()
    assert profile.name in html
    assert "obserwujący: 2\xa0500" in html
    assert reverse("web:unit", kwargs={"teryt": peer.teryt}) in html
    assert other.name not in html


def test_profile_page_shows_followers_posts_and_counts_per_reaction(client, wroclaw):
    _, profile = wroclaw
    make_followers(profile, date(2025, 3, 1), 120000)
    make_followers(profile, date(2025, 3, 5), 123456)
    make_followers(profile, date(2025, 3, 9), None)  # a day without a count must not hide the last known one
    post = make_post(
        profile,
        published_at=datetime(2025, 3, 1, 10, 0, tzinfo=UTC),
        text="Nowy park na Sołtysowicach",
        reactions_like=1234,
        reactions_love=56,
        reactions_angry=3,
        reactions_total=1293,
        comments_count=17,
        shares_count=None,
        format="video",
    )
    html = client.get(reverse("web:profile", kwargs={"pk": profile.pk})).content.decode()
    assert "123\xa0456" in html and "2025-03-05" in html
    assert reverse("web:post", kwargs={"pk": post.pk}) in html
    assert "1\xa0234" in html and ">56<" in html and "1\xa0293" in html
    assert "2025-03-01 11:00" in html  # 10:00 UTC is 11:00 in Warsaw (CET)
    assert "wideo" in html
    assert "brak danych" in html  # shares unknown, never shown as 0
    assert 'id="no-followers"' not in html


def test_shared_posts_are_marked_on_the_profile_page(client, wroclaw):
    _, profile = wroclaw
    make_post(profile, text="Udostępniamy komunikat policji", is_own=False, format="shared")
    html = client.get(reverse("web:profile", kwargs={"pk": profile.pk})).content.decode()
    assert "Udostępniamy komunikat policji" in html and ">udostępniony<" in html


def test_profile_page_explains_missing_follower_snapshots_and_posts(client, wroclaw):
    _, profile = wroclaw
    html = client.get(reverse("web:profile", kwargs={"pk": profile.pk})).content.decode()
    assert 'id="no-followers"' in html
    assert "Nie mamy jeszcze żadnego stanu liczby obserwujących" in html
    assert "Nie zaimportowano jeszcze żadnych postów" in html


def test_profile_posts_are_paginated(client, wroclaw):
    _, profile = wroclaw
    for day in range(1, 26):
        make_post(profile, published_at=datetime(2025, 1, day, 12, tzinfo=UTC), text=f"Post numer {day:02d}")
    first = client.get(reverse("web:profile", kwargs={"pk": profile.pk})).content.decode()
    second = client.get(reverse("web:profile", kwargs={"pk": profile.pk}), {"page": 2}).content.decode()
    assert "Post numer 25" in first and "Post numer 05" not in first
    assert "Post numer 05" in second and "Post numer 25" not in second
    assert "Strona 2 z 2" in second
    # Paging keeps the other parameters of the page (e.g. a panel's period).
    kept = client.get(
        reverse("web:profile", kwargs={"pk": profile.pk}), {"start": "2025-01-01"}
    ).content.decode()
    assert "?start=2025-01-01&amp;page=2#posts" in kept
    for day in range(1, 29):
        make_post(profile, published_at=datetime(2025, 2, day, 12, tzinfo=UTC), text=f"Luty {day:02d}")
    middle = client.get(reverse("web:profile", kwargs={"pk": profile.pk}), {"page": 2}).content.decode()
    assert "Strona 2 z 3" in middle and "?page=1#posts" in middle and "?page=3#posts" in middle
    assert "« Pierwsza" not in middle  # the previous page is already the first
    # A page number that is not a number falls back to the first page instead of an error.
    assert client.get(reverse("web:profile", kwargs={"pk": profile.pk}), {"page": "x"}).status_code == 200


def test_post_page_shows_threads_with_pseudonyms_and_marks_profile_answers(client, wroclaw):
    _, profile = wroclaw
    post = make_post(profile, text="Zapraszamy na konsultacje", reactions_like=10, shares_count=0)
    key = author_key("facebook", "jan.kowalski.123")
    question = make_comment(post, "Kiedy będą wyniki?", author_key=key)
    answer = make_comment(post, "W przyszłym tygodniu.", parent=question, is_from_profile=True)
    make_comment(post, "Dziękuję!", parent=answer, author_key=key)
    make_comment(post, "Obraźliwy tekst", author_key=author_key("facebook", "x"), moderation_state="hidden")
    html = client.get(reverse("web:post", kwargs={"pk": post.pk})).content.decode()
    assert f"Mieszkaniec #{key[:6]}" in html
    assert html.count(f"Mieszkaniec #{key[:6]}") == 2  # the same person keeps the same pseudonym
    assert "jan.kowalski" not in html and key not in html  # neither the id nor the whole key leaks
    assert "Odpowiedź profilu" in html and "W przyszłym tygodniu." in html
    assert "Dziękuję!" in html  # a reply to a reply is shown too
    assert html.index("Kiedy będą wyniki?") < html.index("W przyszłym tygodniu.") < html.index("Dziękuję!")
    assert "Obraźliwy tekst" not in html and "ukryty przez moderatora" in html
    assert "Zapraszamy na konsultacje" in html


def test_post_page_shows_how_counts_grew_and_followers_at_posting(client, wroclaw):
    from ratusz.collect.models import PostCountSnapshot

    _, profile = wroclaw
    post = make_post(profile, text="Licznik", reactions_total=90, followers_at_posting=250000)
    PostCountSnapshot.objects.create(
        post=post, taken_at=datetime(2025, 3, 2, 10, tzinfo=UTC), reactions_total=40
    )
    PostCountSnapshot.objects.create(
        post=post, taken_at=datetime(2025, 3, 8, 10, tzinfo=UTC), reactions_total=90
    )
    html = client.get(reverse("web:post", kwargs={"pk": post.pk})).content.decode()
    assert "Liczniki w czasie" in html
    assert html.index("2025-03-02 11:00") < html.index("2025-03-08 11:00")  # oldest first, Warsaw time
    assert "250\xa0000" in html
    bare = make_post(profile, text="Bez historii")
    assert "Liczniki w czasie" not in client.get(reverse("web:post", kwargs={"pk": bare.pk})).content.decode()


def test_search_says_when_more_results_exist_than_shown(client):
    for n in range(25):
        make_unit(name=f"Gmina Liczna {n:02d}")
    html = client.get("/szukaj/", {"q": "liczna"}).content.decode()
    assert html.count("Gmina Liczna") == 20 and "Pokazujemy najwyżej 20 wyników" in html


def test_missing_pages_use_the_error_template_with_404(client, wroclaw):
    for url in (
        "/profil/999999/",
        "/post/999999/",
        "/jednostka/0000000/",
        "/jednostka/%00x/",
        "/nie-ma-takiej-strony/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Nie ma takiej strony" in response.content.decode(), url


def test_server_error_page_uses_the_error_template(rf):
    from ratusz.web.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Błąd serwera" in response.content.decode()


def test_forbidden_and_bad_requests_use_the_error_template(client, rf):
    from ratusz.web.views import bad_request, permission_denied

    forbidden = permission_denied(rf.get("/"))
    assert forbidden.status_code == 403 and "Brak dostępu" in forbidden.content.decode()
    bad = bad_request(rf.get("/"))
    assert bad.status_code == 400 and "Nieprawidłowe żądanie" in bad.content.decode()
    # A host that is not allowed is a 400 answered with the same template.
    response = client.get("/", headers={"host": "evil.example.org"})
    assert response.status_code == 400 and "Nieprawidłowe żądanie" in response.content.decode()


def test_pages_refuse_post_requests(client, wroclaw):
    assert client.post("/szukaj/", {"q": "x"}).status_code == 405
