"""The readability page (htmx and without JS), the moods panels on profile/post pages, the moderation queue."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from ratusz.language.pipeline import score_stored
from tests.factories import make_comment, make_post, make_profile

DRAFT = "Uprzejmie informujemy, iż droga została zamknięta w celu zapewnienia bezpieczeństwa."
HATE = "Ty głupi debilu, zamknij ryj, śmieciu jeden."


def test_check_page_shows_the_form(client):
    html = client.get(reverse("language:check")).content.decode()
    assert '<label for="check-text">' in html and "Jasnopis" in html


def test_check_page_without_js_posts_and_shows_hints(client):
    html = client.post(reverse("language:check"), {"text": DRAFT}).content.decode()
    assert "FOG-PL" in html and "została zamknięta" in html and "Strona bierna" in html
    assert "<html" in html


def test_check_page_with_htmx_returns_only_the_result(client):
    html = client.post(reverse("language:check"), {"text": DRAFT}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html and "Klasa trudności" in html


def test_check_page_says_what_is_wrong_with_an_empty_text(client):
    html = client.post(reverse("language:check"), {"text": "   "}).content.decode()
    assert 'role="alert"' in html and "nie zawiera słów" in html


@pytest.fixture
def scored_post(db):
    profile = make_profile(name="Gmina Testowa — profil")
    post = make_post(
        profile,
        datetime(2025, 3, 1, 10, tzinfo=UTC),
        text="Festyn w sobotę",
        reactions_like=10,
        reactions_angry=2,
        reactions_sad=0,
        reactions_love=1,
        reactions_care=0,
        reactions_haha=0,
        reactions_wow=0,
    )
    make_comment(post, HATE, created_at=datetime(2025, 3, 1, 12, tzinfo=UTC))
    make_comment(post, "Kiedy będzie następny festyn?", created_at=datetime(2025, 3, 1, 13, tzinfo=UTC))
    make_comment(post, "Świetna robota, dziękujemy!", created_at=datetime(2025, 3, 2, 9, tzinfo=UTC))
    score_stored()
    return profile, post


def test_profile_page_shows_moods_next_to_reaction_mood(client, scored_post):
    profile, _ = scored_post
    html = client.get(reverse("web:profile", kwargs={"pk": profile.pk})).content.decode()
    assert "Nastroje w komentarzach" in html
    assert "Reakcje smutne/złe" in html
    assert '<td class="num">15%</td>' in html  # 2 angry of 13 typed reactions on 2025-03-01
    assert "Kiedy będzie następny festyn?" in html  # an open question


def test_post_page_flags_the_harmful_comment(client, scored_post):
    _, post = scored_post
    html = client.get(reverse("web:post", kwargs={"pk": post.pk})).content.decode()
    assert "Oznaczone do przejrzenia" in html and "zamknij ryj" in html


def test_moderation_queue_needs_staff_and_records_a_decision(client, admin_client, scored_post):
    from ratusz.collect.models import Comment

    assert client.get(reverse("language:moderation")).status_code == 302
    html = admin_client.get(reverse("language:moderation")).content.decode()
    assert "zamknij ryj" in html
    flagged = Comment.objects.get(text=HATE)
    admin_client.post(reverse("language:moderate", kwargs={"pk": flagged.pk}), {"decision": "hidden"})
    flagged.refresh_from_db()
    assert flagged.moderation_state == "hidden"
    assert "zamknij ryj" not in admin_client.get(reverse("language:moderation")).content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_check_page_in_a_browser_is_accessible_and_uses_htmx(page, assert_accessible):
    page.goto(page.base_url + reverse("language:check"))
    assert_accessible(page)
    page.get_by_label("Treść posta").fill(DRAFT)
    page.get_by_role("button", name="Sprawdź").click()
    page.get_by_role("heading", name="Wynik").wait_for()
    assert page.url.endswith(reverse("language:check"))
    assert "została zamknięta" in page.locator("#check-result").inner_text()
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_profile_panel_in_a_browser_is_accessible(page, assert_accessible, scored_post):
    profile, _ = scored_post
    page.goto(page.base_url + reverse("web:profile", kwargs={"pk": profile.pk}))
    page.get_by_role("heading", name="Nastroje w komentarzach").wait_for()
    page.wait_for_selector(".language-chart svg", timeout=15000)
    assert_accessible(page)


def test_api_scores_texts_and_checks_readability(client):
    r = client.post("/api/language/score", {"texts": ["Kiedy remont?", ""]}, content_type="application/json")
    assert r.status_code == 200
    assert [x["status"] for x in r.json()] == ["ok", "empty"] and r.json()[0]["is_question"] is True
    r = client.post("/api/language/check", {"text": "..."}, content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_input"
    r = client.post("/api/language/check", {"text": DRAFT}, content_type="application/json")
    assert r.json()["passive"] == ["została zamknięta"]


def test_api_moods_of_a_profile(client, scored_post):
    profile, _ = scored_post
    rows = client.get(f"/api/language/profiles/{profile.pk}/moods").json()
    assert rows[-1]["date"] == "2025-03-02" and rows[-2]["harmful"] == 1
    assert client.get("/api/language/profiles/999999/moods").status_code == 404


def test_post_page_labels_questions_and_negative_comments_and_only_staff_sees_the_harm_flag(
    client, admin_client, scored_post
):
    from ratusz.collect.models import Comment

    _, post = scored_post
    make_comment(post, "Fatalna organizacja, beznadziejnie, kompletna porażka.")
    score_stored()
    assert Comment.objects.get(text=HATE).harm in {"cyberbullying", "hate"}
    url = reverse("web:post", kwargs={"pk": post.pk})
    public = client.get(url).content.decode()
    assert '<span class="badge badge-question"' in public and ">pytanie</span>" in public
    assert '<span class="badge badge-negative"' in public and ">negatywny</span>" in public
    assert "badge-harm" not in public and "szkodliwy?" not in public
    assert "Ocena automatyczna:" in public  # read out by screen readers before the labels
    staff = admin_client.get(url).content.decode()
    assert '<span class="badge badge-harm"' in staff and ">szkodliwy?</span>" in staff
