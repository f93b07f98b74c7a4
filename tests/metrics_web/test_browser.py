"""The ranking, methodology and profile pages in a real Chromium: axe-core (WCAG 2.1 AA), htmx filters,
the shareable URL, the charts drawn by the vendored vega-embed, and the page without JavaScript."""

from __future__ import annotations

import re

import pytest

from tests.metrics_web.conftest import PERIOD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _names(page) -> list[str]:
    return page.locator("#ranking-results tbody th a").all_inner_texts()


def test_ranking_and_methodology_pages_pass_axe(page, assert_accessible, ranking_data):
    for url in [
        f"/ranking/?category=active&{PERIOD}",
        f"/ranking/?category=love&{PERIOD}",
        "/ranking/?category=love&start=2025-03-01&end=2025-01-01",  # the error message
        "/ranking/metoda/",
        "/en/ranking/",
    ]:
        page.goto(url)
        assert_accessible(page)


def test_changing_a_filter_updates_the_table_and_the_address(page, ranking_data):
    page.goto(f"/ranking/?category=active&{PERIOD}")
    assert len(_names(page)) == 6
    page.get_by_label("Województwo").select_option("śląskie")
    # htmx swaps the results in place and pushes the shareable URL.
    page.wait_for_url(re.compile(r"voivodeship=%C5%9Bl%C4%85skie"))
    page.wait_for_function("document.querySelectorAll('#ranking-results tbody tr').length === 3")
    assert set(_names(page)) == {
        "Miasto Gamma — oficjalny",
        "Miasto Delta — oficjalny",
        "Miasto Epsilon — oficjalny",
    }
    page.get_by_label("Kategoria", exact=True).select_option("love")
    page.wait_for_url(re.compile(r"category=love"))
    page.wait_for_function("document.querySelectorAll('#ranking-results tbody tr').length === 2")
    # The shared link opens the same ranking.
    shared = page.url
    page.goto("about:blank")
    page.goto(shared)
    assert _names(page) == ["Miasto Gamma — oficjalny", "Miasto Delta — oficjalny"] or len(_names(page)) == 2
    assert page.get_by_label("Kategoria", exact=True).input_value() == "love"


def test_bad_filter_shows_the_message_in_place(page, ranking_data):
    page.goto(f"/ranking/?category=active&{PERIOD}")
    page.get_by_label("Początek okresu").fill("2025-05-01")
    page.get_by_label("Początek okresu").dispatch_event("change")
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "jest pusty" in alert.inner_text()


def test_filters_work_without_javascript(browser_instance, live_server, ranking_data):
    context = browser_instance.new_context(
        java_script_enabled=False, base_url=live_server.url, locale="pl-PL"
    )
    pg = context.new_page()
    try:
        pg.goto(f"/ranking/?category=active&{PERIOD}")
        pg.get_by_label("Klasa wielkości").select_option("50-100k")
        pg.get_by_role("button", name="Pokaż ranking").click()
        pg.wait_for_url(re.compile(r"size_class=50-100k"))
        assert len(pg.locator("#ranking-results tbody tr").all()) == 2
    finally:
        context.close()


def test_profile_page_with_the_metrics_panel_passes_axe_and_draws_charts(
    page, assert_accessible, ranking_data
):
    profile = ranking_data["profiles"][0]
    page.goto(f"/ranking/?category=active&{PERIOD}")
    page.get_by_role("link", name=profile.name).click()
    page.wait_for_url(re.compile(rf"/profil/{profile.pk}/\?start=2025-01-01&end=2025-03-31"))
    panel = page.locator(".metrics-panel")
    assert "Grupa porównawcza" in panel.inner_text()
    # vega-embed (vendored) draws all four charts as SVG.
    page.wait_for_function(
        "document.querySelectorAll('.vega-chart[data-rendered] svg').length === 4", timeout=15000
    )
    assert_accessible(page)


def test_profile_without_follower_counts_says_engagement_is_missing(page, assert_accessible, ranking_data):
    profile = ranking_data["profiles"][5]
    page.goto(f"/profil/{profile.pk}/?start=2025-01-01&end=2025-03-31")
    notice = page.locator('[data-missing="engagement"]')
    assert "Zaangażowanie: brak danych" in notice.inner_text()
    assert_accessible(page)
