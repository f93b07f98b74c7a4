"""The pages in a real Chromium: axe-core audit (WCAG 2.1 AA), the user flow, htmx, no-JS and keyboard use."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from ratusz.collect.models import PostCountSnapshot
from ratusz.collect.privacy import author_key
from tests.factories import make_comment, make_followers, make_post, make_profile, make_unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _demo() -> dict:
    wroclaw = make_unit(
        teryt="0264011",
        name="Wrocław",
        kind="miasto na prawach powiatu",
        level="powiat",
        population=674000,
        size_class=">=500k",
        powiat_name="Wrocław",
    )
    make_unit(
        teryt="1465011",
        name="Warszawa",
        kind="miasto na prawach powiatu",
        level="powiat",
        population=1860000,
        size_class=">=500k",
        woj_code="14",
        woj_name="mazowieckie",
    )
    profile = make_profile(
        wroclaw,
        name="Wrocław — oficjalny profil miasta",
        handle="wroclaw",
        url="https://www.facebook.com/wroclaw",
    )
    make_profile(wroclaw, name="Prezydent Wrocławia", role="head")
    make_followers(profile, date(2025, 3, 1), 245000)
    post = make_post(
        profile,
        published_at=datetime(2025, 3, 1, 10, tzinfo=UTC),
        text="Rusza budżet obywatelski! Zgłoś swój pomysł do końca marca.",
        reactions_like=812,
        reactions_love=95,
        reactions_care=4,
        reactions_haha=2,
        reactions_wow=7,
        reactions_sad=1,
        reactions_angry=3,
        reactions_total=924,
        comments_count=3,
        shares_count=41,
    )
    PostCountSnapshot.objects.create(
        post=post, taken_at=datetime(2025, 3, 2, 10, tzinfo=UTC), reactions_total=700
    )
    PostCountSnapshot.objects.create(
        post=post, taken_at=datetime(2025, 3, 8, 10, tzinfo=UTC), reactions_total=924
    )
    for day in range(2, 8):
        make_post(
            profile,
            published_at=datetime(2025, 3, day, 9, tzinfo=UTC),
            text=f"Komunikat {day}",
            reactions_total=None,
        )
    question = make_comment(
        post, "Czy można zgłosić projekt dla całego osiedla?", author_key=author_key("facebook", "resident-1")
    )
    make_comment(post, "Tak, projekty osiedlowe są mile widziane.", parent=question, is_from_profile=True)
    make_comment(post, "Super inicjatywa", author_key=author_key("facebook", "resident-2"))
    empty = make_profile(make_unit(name="Gmina Pusta"), name="Gmina Pusta")
    return {"unit": wroclaw, "profile": profile, "post": post, "empty_profile": empty}


def test_every_page_passes_axe(page, assert_accessible):
    data = _demo()
    urls = [
        "/",
        "/szukaj/?q=Wroc%C5%82aw",
        f"/jednostka/{data['unit'].teryt}/",
        f"/profil/{data['profile'].pk}/",
        f"/post/{data['post'].pk}/",
        "/admin/login/",
        "/nie-ma-takiej-strony/",
        f"/profil/{data['empty_profile'].pk}/",  # no follower snapshots, no posts: the notices
    ]
    for url in urls:
        page.goto(url)
        assert_accessible(page)
    assert page.locator("#no-followers").is_visible()


def test_axe_audit_reports_violations(page, assert_accessible):
    # Guards the fixture itself: a page with an unlabelled image and field must fail the audit.
    page.set_content(
        '<html lang="pl"><title>x</title><main><img src="x.png"><input type="text"></main></html>'
    )
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)


def test_user_flow_from_live_search_to_a_post(page):
    data = _demo()
    page.goto("/")
    page.get_by_label("Nazwa lub kod TERYT").press_sequentially("Wrocław", delay=20)
    # htmx fills the results while typing, without submitting the form.
    unit_link = page.locator("#search-results").get_by_role("link", name="Wrocław", exact=True)
    unit_link.wait_for()
    assert page.url.endswith("/")
    # Screen readers hear one short status line (a live region), not the whole list.
    assert "Wyniki dla „Wrocław”" in page.locator("#search-status[role=status]").inner_text()
    unit_link.click()
    page.wait_for_url(re.compile(r"/jednostka/0264011/$"))
    page.get_by_role("link", name="Wrocław — oficjalny profil miasta").click()
    page.wait_for_url(re.compile(rf"/profil/{data['profile'].pk}/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Wrocław — oficjalny profil miasta"
    page.get_by_role("link", name=re.compile("Rusza budżet obywatelski")).click()
    page.wait_for_url(re.compile(rf"/post/{data['post'].pk}/$"))
    assert page.get_by_text("Odpowiedź profilu").is_visible()
    assert page.get_by_text(re.compile(r"Mieszkaniec #[0-9a-f]{6}")).first.is_visible()


def test_search_works_without_javascript(browser_instance, live_server):
    _demo()
    context = browser_instance.new_context(
        java_script_enabled=False, locale="pl-PL", base_url=live_server.url
    )
    try:
        pg = context.new_page()
        pg.goto("/")
        pg.get_by_label("Nazwa lub kod TERYT").fill("0264011")
        pg.get_by_role("button", name="Szukaj").click()
        pg.wait_for_url(re.compile(r"/szukaj/\?q=0264011$"))
        assert pg.locator("#search-results").get_by_role("link", name="Wrocław", exact=True).is_visible()
    finally:
        context.close()


def test_language_switch_turns_the_page_english(page):
    _demo()
    page.goto("/")
    page.get_by_label("Język").select_option("en")
    page.get_by_role("button", name="Zmień").click()
    page.wait_for_url(re.compile(r"/en/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Search units and profiles"
    assert page.locator("html").get_attribute("lang") == "en"


def test_keyboard_user_can_skip_to_content_and_search(page):
    _demo()
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Przejdź do treści")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()  # the skip link shows itself when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "search-q"
    page.keyboard.type("warszawa")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/szukaj/\?q=warszawa$"))
    assert page.locator("#search-results").get_by_role("link", name="Warszawa").is_visible()


def test_profile_and_post_pages_fit_a_phone_screen(page):
    data = _demo()
    page.set_viewport_size({"width": 360, "height": 740})
    for url in (f"/profil/{data['profile'].pk}/", f"/post/{data['post'].pk}/", "/"):
        page.goto(url)
        # The page itself never scrolls sideways; wide tables scroll inside their own focusable region.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), url
