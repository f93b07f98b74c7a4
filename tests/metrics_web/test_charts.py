"""The Vega-Lite charts: valid specs (the schema Altair ships), missing values never drawn as zeros,
a text alternative for every chart, static SVG for reports."""

from __future__ import annotations

from datetime import date

import pytest
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema import load_schema

from ratusz.metrics import charts

WEEKS = [
    {"week": date(2025, 1, 6), "posts": 3, "engagement": 0.012, "mood": 0.5},
    {"week": date(2025, 1, 13), "posts": 0, "engagement": None, "mood": None},
    {"week": date(2025, 1, 20), "posts": 5, "engagement": 0.004, "mood": -0.25},
]
RANKING = [
    {
        "rank": 1,
        "name": "Miasto A",
        "posts": 40,
        "engagement": 0.02,
        "reactions": 100,
        "comments": 20,
        "shares": 5,
    },
    {
        "rank": 2,
        "name": "Miasto B",
        "posts": 30,
        "engagement": None,
        "reactions": 90,
        "comments": None,
        "shares": 1,
    },
]


def _all() -> list[charts.Chart]:
    return [
        charts.posts_per_week(WEEKS),
        charts.interactions_by_type({"like": 10, "love": 2, "care": None, "comments": 4, "shares": 1}),
        charts.engagement_over_time(WEEKS),
        charts.reaction_mood(WEEKS),
        charts.ranking_bars(RANKING, "posts", "Liczba postów"),
        charts.interactions_mix(RANKING),
    ]


@pytest.mark.parametrize("chart", _all(), ids=lambda c: c.key)
def test_every_chart_is_a_valid_vega_lite_spec_with_a_text_alternative(chart):
    validate_jsonschema(chart.spec, load_schema())
    assert chart.spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    assert chart.summary and chart.rows and chart.columns
    assert all(len(row) == len(chart.columns) for row in chart.rows)


def test_unknown_values_are_gaps_not_zeros():
    engagement = charts.engagement_over_time(WEEKS)
    assert [v["engagement"] for v in engagement.spec["data"]["values"]] == [1.2, None, 0.4]
    assert "brak danych" in engagement.rows[1]
    mood = charts.reaction_mood(WEEKS)
    assert [v["mood"] for v in mood.spec["data"]["values"]] == [0.5, -0.25]  # the undefined week is not drawn
    mix = charts.interactions_by_type({"like": 10, "care": None, "comments": 4, "shares": 1})
    assert "Trzymaj się" not in [v["part"] for v in mix.spec["data"]["values"]]
    assert "brak danych: Trzymaj się" in mix.summary


def test_a_profile_without_follower_counts_has_an_empty_engagement_chart_that_says_why():
    chart = charts.engagement_over_time([{"week": date(2025, 1, 6), "engagement": None}])
    assert chart.empty
    assert "Brak danych o obserwujących" in chart.summary


def test_specs_of_different_data_do_not_share_rows():
    a = charts.posts_per_week(WEEKS[:1])
    b = charts.posts_per_week(WEEKS)
    assert len(a.spec["data"]["values"]) == 1 and len(b.spec["data"]["values"]) == 3


def test_static_svg_for_reports_is_labelled():
    svg = charts.posts_per_week(WEEKS).svg()
    assert svg.lstrip().startswith("<svg") and 'role="img"' in svg and 'aria-label="Posty w tygodniu"' in svg
