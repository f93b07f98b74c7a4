"""The ranking, methodology and report pages through Django's test client (real database)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from ratusz.metrics.definitions import CATEGORIES, METHOD_VERSION, METRICS, tie_break_text
from tests.metrics_web.conftest import PERIOD

pytestmark = pytest.mark.django_db


def _ranked_names(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/profil/\d+/[^"]*">([^<]+)</a>', html)


def test_ranking_page_lists_profiles_in_rank_order_with_the_method_stated(client, ranking_data):
    response = client.get(f"/ranking/?category=active&{PERIOD}")
    html = response.content.decode()
    assert response.status_code == 200
    names = _ranked_names(html)
    # Active ranks by the number of posts: 14, 13, 12 (tie broken by interactions), 12, 11; 3 posts are below the threshold?
    assert names[:2] == ["Miasto Alfa — oficjalny", "Miasto Delta — oficjalny"]
    assert len(names) == 6
    assert METHOD_VERSION in html
    assert tie_break_text("active") in html
    assert "1.01.2025–31.03.2025" in html
    assert "co najmniej 1 własnych postów" in html


def test_ranking_rows_link_to_the_profile_page_with_the_period(client, ranking_data):
    profile = ranking_data["profiles"][0]
    html = client.get(f"/ranking/?category=active&{PERIOD}").content.decode()
    assert (
        f'href="{reverse("web:profile", kwargs={"pk": profile.pk})}?start=2025-01-01&amp;end=2025-03-31"'
        in html
    )


def test_love_category_applies_the_thresholds_and_says_so(client, ranking_data):
    html = client.get(f"/ranking/?category=love&{PERIOD}").content.decode()
    names = _ranked_names(html)
    # Epsilon has 3 posts (< 10) and Zeta has no follower counts: both are outside the ranking.
    assert "Miasto Epsilon — oficjalny" not in names
    assert "Miasto Zeta — oficjalny" not in names
    assert len(names) == 4
    assert "poza progami: 2 z 6 profili" in html


def test_filters_narrow_the_ranking(client, ranking_data):
    html = client.get(
        f"/ranking/?category=active&{PERIOD}&voivodeship=śląskie&size_class=50-100k"
    ).content.decode()
    assert _ranked_names(html) == ["Miasto Delta — oficjalny", "Miasto Epsilon — oficjalny"]
    assert "województwo: śląskie" in html
    # The report link downloads the same ranking.
    assert (
        'href="/ranking/raport.pdf?category=active&amp;start=2025-01-01&amp;end=2025-03-31&amp;size_class=50-100k'
        "&amp;voivodeship=%C5%9Bl%C4%85skie&amp;platform=facebook" in html
    )


def test_htmx_request_gets_only_the_results_fragment(client, ranking_data):
    response = client.get(
        f"/ranking/?category=active&{PERIOD}&voivodeship=śląskie", headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="ranking-results"')
    assert "<form" not in html
    assert len(_ranked_names(html)) == 3


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("category=active&start=2025-03-01&end=2025-01-01", "jest pusty"),
        ("category=active&start=2999-01-01&end=2999-02-01", "w przyszłości"),
        (
            "category=active&start=2025-01-01&end=2025-03-31&voivodeship=Atlantyda",
            "Nie znam województwa „Atlantyda”; dostępne: dolnośląskie",
        ),
        (
            "category=active&start=2025-01-01&end=2025-03-31&size_class=huge",
            "Nie znam klasy wielkości „huge”; dostępne: <5k",
        ),
        ("category=nope&start=2025-01-01&end=2025-03-31", "Nie znam kategorii „nope”"),
        ("category=active&start=31.01.2025&end=2025-03-31", "nie jest poprawną datą"),
        (
            "category=love&start=2025-01-01&end=2025-03-31&voivodeship=opolskie",
            "Żaden aktywny profil nie pasuje",
        ),
    ],
)
def test_bad_input_is_one_clear_sentence_not_an_error_page(client, ranking_data, query, message):
    response = client.get(f"/ranking/?{query}")
    html = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert"' in html
    assert message in html.replace("&lt;", "<")
    assert "Traceback" not in html


def test_a_category_with_no_eligible_profile_says_why(client, ranking_data):
    html = client.get("/ranking/?category=love&start=2025-01-01&end=2025-01-10").content.decode()
    assert "Brak profili spełniających warunki kategorii" in html
    assert "obniż progi" in html


def test_htmx_error_is_swapped_in_with_status_200(client, ranking_data):
    response = client.get(
        "/ranking/?category=active&start=2025-03-01&end=2025-01-01", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_ranking_page_without_parameters_uses_a_default_period(client, ranking_data):
    response = client.get("/ranking/")
    html = response.content.decode()
    assert response.status_code == 200
    # The newest post is in March 2025: the default period is the 12 months up to March 2025.
    assert 'name="start" value="2024-04-01"' in html
    assert 'name="end" value="2025-03-31"' in html
    assert len(_ranked_names(html)) == 6


def test_methodology_page_shows_every_definition_from_the_code(client):
    html = client.get("/ranking/metoda/").content.decode()
    for metric in METRICS:
        assert f'data-metric="{metric.key}"' in html
        assert metric.name_pl in html
        assert metric.formula.replace("&", "&amp;").replace("'", "&#x27;").replace('"', "&quot;") in html
    for category in CATEGORIES.values():
        assert category.name_pl in html
        assert tie_break_text(category.key) in html
    assert METHOD_VERSION in html


def test_report_download_is_a_pdf(client, ranking_data):
    response = client.get(f"/ranking/raport.pdf?category=active&{PERIOD}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "zloty-lajk-active-2025-01-01-2025-03-31.pdf" in response["Content-Disposition"]


def test_report_download_with_bad_input_explains(client, ranking_data):
    response = client.get("/ranking/raport.pdf?category=active&start=2025-03-01&end=2025-01-01")
    assert response.status_code == 400
    assert "jest pusty" in response.content.decode()


def test_cached_peer_percentiles_equal_the_library_figures(ranking_data):
    from datetime import date

    from ratusz.metrics import metrics
    from ratusz.metrics.views import peer_percentiles

    profile = ranking_data["profiles"][1]
    start, end = date(2025, 1, 1), date(2025, 3, 31)
    ours = peer_percentiles(profile, start, end)
    library = metrics.peer_percentiles(profile, start, end)
    assert ours["peers"] == library["peers"] == 4  # the four gminy miejskie of 20-50k
    for key, figures in library["metrics"].items():
        assert ours["metrics"][key]["percentile"] == pytest.approx(figures["percentile"]), key
        assert ours["metrics"][key]["value"] == pytest.approx(figures["value"]), key


def test_profile_panel_shows_percentiles_and_says_when_engagement_is_missing(client, ranking_data):
    alfa, zeta = ranking_data["profiles"][0], ranking_data["profiles"][5]
    html = client.get(f"/profil/{alfa.pk}/?start=2025-01-01&end=2025-03-31").content.decode()
    assert "Grupa porównawcza: gmina miejska, klasa wielkości 20-50k, Facebook — 4 profili" in html
    assert 'data-metric="engagement"' in html and "Percentyl w grupie" in html
    assert 'data-missing="engagement"' not in html
    html = client.get(f"/profil/{zeta.pk}/?start=2025-01-01&end=2025-03-31").content.decode()
    assert 'data-missing="engagement"' in html
    assert "Zaangażowanie: brak danych." in html


def test_profile_panel_with_unreadable_dates_explains_and_falls_back(client, ranking_data):
    alfa = ranking_data["profiles"][0]
    response = client.get(f"/profil/{alfa.pk}/?start=wczoraj&end=2025-03-31")
    assert response.status_code == 200
    assert "„wczoraj” nie jest poprawną datą" in response.content.decode()


def test_cached_pages_follow_changes_of_the_data(client, ranking_data):
    from datetime import UTC, datetime

    from tests.factories import make_post

    url = f"/ranking/?category=active&{PERIOD}&voivodeship=śląskie&size_class=50-100k"
    assert _ranked_names(client.get(url).content.decode()) == [
        "Miasto Delta — oficjalny",
        "Miasto Epsilon — oficjalny",
    ]
    epsilon = ranking_data["profiles"][4]
    for day in range(1, 20):  # Epsilon overtakes Delta (13 posts)
        make_post(
            epsilon,
            published_at=datetime(2025, 2, day, 12, tzinfo=UTC),
            reactions_total=1,
            comments_count=0,
            shares_count=0,
        )
    assert _ranked_names(client.get(url).content.decode()) == [
        "Miasto Epsilon — oficjalny",
        "Miasto Delta — oficjalny",
    ]
    epsilon.posts.filter(published_at__month=2, published_at__year=2025, reactions_total=1).update(
        is_own=False
    )
    epsilon.save()  # a bulk update sends no signal; saving the profile does
    assert _ranked_names(client.get(url).content.decode())[0] == "Miasto Delta — oficjalny"


def test_profile_panel_shows_the_ppi_value_it_ranks_by(client, ranking_data):
    """PPI exists only within a group: the panel shows the peer group's value next to its percentile
    (it used to say "brak danych" beside a percentile)."""
    import re
    from datetime import date

    from ratusz.metrics.views import peer_percentiles

    alfa = ranking_data["profiles"][0]
    peer = peer_percentiles(alfa, date(2025, 1, 1), date(2025, 3, 31))["metrics"]["ppi"]
    assert peer["value"] is not None and peer["percentile"] is not None
    html = client.get(f"/profil/{alfa.pk}/?start=2025-01-01&end=2025-03-31").content.decode()
    row = re.search(r'<tr[^>]*data-metric="ppi".*?</tr>', html, re.S)
    assert row, "the panel has a PPI row"
    assert "brak danych" not in row.group(0)


def test_missing_notes_tell_the_truth_when_posts_carry_followers_at_posting(client, db):
    """Without follower snapshots, posts that carry their own followers at posting (the UCI file, some
    imports) still give an engagement: the notes and the page say which figures are unknown, and do not
    claim engagement is (issue 3)."""
    from datetime import UTC, date, datetime

    from ratusz.metrics import metrics
    from tests.factories import make_post, make_profile

    profile = make_profile(name="Gmina Bez Stanów")
    for day in (3, 10, 17):
        make_post(
            profile,
            published_at=datetime(2025, 2, day, 10, tzinfo=UTC),
            reactions_total=20,
            comments_count=4,
            shares_count=1,
            followers_at_posting=1000,
        )
    summary = metrics.profile_summary(profile, date(2025, 2, 1), date(2025, 2, 28))
    assert summary["engagement"] is not None and summary["followers"] is None
    [note] = summary["missing"]
    assert "zaangażowanie liczymy z liczby obserwujących zapisanej przy postach" in note
    assert "zaangażowania" not in note  # the old sentence said engagement could not be computed

    html = client.get(f"/profil/{profile.pk}/?start=2025-02-01&end=2025-02-28").content.decode()
    assert 'data-missing="engagement"' not in html
    assert "zaangażowanie liczymy z liczby obserwujących zapisanej przy postach" in html
    assert "Zaangażowanie liczymy z liczby obserwujących zapisanej przy postach" in html  # the page notice
    assert "(np. zaangażowanie) są dla niego nieznane" not in html

    bare = make_profile(name="Gmina Bez Niczego")
    make_post(bare, published_at=datetime(2025, 2, 3, 10, tzinfo=UTC), reactions_total=5, comments_count=0,
              shares_count=0)
    summary = metrics.profile_summary(bare, date(2025, 2, 1), date(2025, 2, 28))
    assert summary["engagement"] is None
    assert any("zaangażowania i wskaźników na 1000 obserwujących nie da się policzyć" in n
               for n in summary["missing"])
    html = client.get(f"/profil/{bare.pk}/?start=2025-02-01&end=2025-02-28").content.decode()
    assert 'data-missing="engagement"' in html and "(np. zaangażowanie) są dla niego nieznane" in html


def test_english_pages_show_english_metric_names_and_chart_texts(client, ranking_data):
    from django.utils import translation

    alfa = ranking_data["profiles"][0]
    try:
        html = client.get(f"/en/profil/{alfa.pk}/?{PERIOD}").content.decode()
        assert "Metrics and comparison with similar units" in html
        assert "Activity (number of posts)" in html and "Aktywność (liczba postów)" not in html
        assert "Posts per week" in html and "Posty w tygodniu" not in html
        assert "Engagement over time [%]" in html
        ranking = client.get(f"/en/ranking/?category=active&{PERIOD}").content.decode()
        assert '<h2 id="results-heading">Category Active</h2>' in ranking
        polish = client.get(f"/profil/{alfa.pk}/?{PERIOD}").content.decode()
        assert "Posty w tygodniu" in polish and "Aktywność (liczba postów)" in polish
    finally:
        translation.activate("pl")
