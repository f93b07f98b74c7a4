"""Real-data check (docs/real-data-check.md): the UCI Facebook metrics file through the real import and the
metrics library; our interactions equal the file's T_Interactions wherever all counts are present."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_uci_interactions_match_t_interactions_and_missing_counts_stay_missing(shared_data):
    from ratusz.reports.real_data_check import read_file, render_markdown, run_check

    path = shared_data / "facebook" / "uci_facebook_metrics_dataset_Facebook.csv"
    check = run_check(path)
    file_rows = read_file(path)
    incomplete = [r for r in file_rows.values() if None in (r["like"], r["comment"], r["share"])]
    assert check.posts_imported == check.posts_in_file == 500
    # Every post with its three counts present agrees with T_Interactions = like + comment + share …
    assert check.compared == 500 - len(incomplete) and check.equal == check.compared
    assert check.differences == []
    # … and the posts with an empty cell are unknown for us (the file counts the empty cell as 0).
    assert sorted(u["line"] for u in check.unknown) == sorted(r["line"] for r in incomplete)
    assert len(check.unknown) == 4
    # ER = interactions ÷ Page_T_Likes, per post, to the last digit.
    assert check.er["posts"] == check.compared and check.er_max_abs_diff < 1e-12
    assert check.er["mean"] == pytest.approx(check.er["file_mean"])
    p = check.profile
    assert p["posts"] == 500 and p["posts_with_interactions"] == 496
    assert p["interactions"] == check.file_totals["t_interactions"] - sum(
        u["t_interactions"] for u in check.unknown
    )
    assert p["engagement"] is not None and p["followers"] is None  # followers only at posting time
    assert "496 of 496" in render_markdown(check, "cmd")


def test_the_published_real_data_document_states_the_same_figures(shared_data):
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "real-data-check.md").read_text(encoding="utf-8")
    assert "| equal to `T_Interactions` | 496 |" in doc
    assert "python -m ratusz.reports.real_data_check" in doc
