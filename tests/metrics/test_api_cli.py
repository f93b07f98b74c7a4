"""The metrics API (django-ninja, through Django's test client) and the `ratusz rank` CLI."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest
from typer.testing import CliRunner

from tests.factories import make_followers, make_post, make_profile, make_unit


@pytest.fixture
def two_profiles(db):
    out = []
    for posts, followers in ((12, 1000), (11, 3000)):
        p = make_profile(make_unit())
        make_followers(p, date(2025, 1, 1), followers)
        for k in range(posts):
            make_post(p, datetime(2025, 3, 1 + k, 10, tzinfo=UTC), reactions_total=20, comments_count=2,
                      shares_count=1)
        out.append(p)
    return out


def test_openapi_lists_the_metrics_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/metrics/rankings", "/api/metrics/rankings/runs", "/api/metrics/rankings/runs/{run_id}",
                 "/api/metrics/profiles/{profile_id}", "/api/metrics/profiles/{profile_id}/posts",
                 "/api/metrics/posts/{post_id}", "/api/metrics/definitions"):
        assert path in paths, path


def test_api_ranking_compute_store_and_verify(client, two_profiles):
    r = client.get("/api/metrics/rankings", {"category": "love", "period": "2025-03-01..2025-03-31",
                                             "voivodeship": "dolnoslaskie"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert [row["profile_id"] for row in body["rows"]] == [two_profiles[0].pk, two_profiles[1].pk]
    assert body["filters"]["voivodeship"] == "02" and len(body["input_fingerprint"]) == 64
    created = client.post("/api/metrics/rankings/runs", {"category": "active", "period": "2025-03"},
                          content_type="application/json")
    assert created.status_code == 200, created.content
    run_id = created.json()["id"]
    assert client.get("/api/metrics/rankings/runs").json()[0]["id"] == run_id
    detail = client.get(f"/api/metrics/rankings/runs/{run_id}").json()
    assert detail["rows"][0]["posts"] == 12
    assert client.get(f"/api/metrics/rankings/runs/{run_id}/verify").json()["reproduced"] is True


def test_api_errors_use_the_one_error_shape(client, two_profiles):
    r = client.get("/api/metrics/rankings", {"period": "2025-03", "voivodeship": "Atlantyda"})
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["code"] == "invalid_input" and "Nie znam województwa „Atlantyda”" in err["message"]
    r = client.get("/api/metrics/rankings", {"period": "2025-03", "category": "love", "min_posts": 99})
    assert r.status_code == 400 and r.json()["error"]["code"] == "no_eligible_profiles"
    assert client.get("/api/metrics/rankings/runs/999999").status_code == 404
    assert client.get("/api/metrics/profiles/999999").json()["error"]["code"] == "not_found"
    future = client.get(f"/api/metrics/profiles/{two_profiles[0].pk}", {"period": "2099"})
    assert future.status_code == 400 and "w przyszłości" in future.json()["error"]["message"]


def test_api_profile_metrics_posts_and_definitions(client, two_profiles):
    p = two_profiles[0]
    body = client.get(f"/api/metrics/profiles/{p.pk}", {"period": "2025-03"}).json()
    assert body["summary"]["posts"] == 12 and body["summary"]["interactions"] == 12 * 23
    assert body["peers"]["peers"] == 2 and body["peers"]["metrics"]["posts"]["percentile"] == 1.0
    posts = client.get(f"/api/metrics/profiles/{p.pk}/posts", {"period": "2025-03"}).json()
    assert len(posts) == 12 and posts[0]["er"] == pytest.approx(23 / 1000)
    one = client.get(f"/api/metrics/posts/{posts[1]['id']}").json()
    assert one["overperformance"] == pytest.approx(1.0)
    series = client.get(f"/api/metrics/profiles/{p.pk}/series", {"period": "2025-03"}).json()
    assert sum(w["posts"] for w in series) == 12
    method = client.get("/api/metrics/definitions").json()
    assert {m["key"] for m in method["metrics"]} >= {"engagement", "sii", "ppi", "overperformance"}


def _cli(*args: str):
    from ratusz.cli import _register_commands, app

    if not any(c.name == "rank" for c in app.registered_commands):
        _register_commands()
    return CliRunner(env={"COLUMNS": "250"}).invoke(app, list(args))


def test_cli_rank_prints_the_same_rows_as_table_json_csv_nl(two_profiles):
    base = ["rank", "--period", "2025-03-01..2025-03-31", "--category", "love", "--size-class", "20-50k",
            "--voivodeship", "dolnośląskie"]
    as_json = json.loads(_cli(*base, "--json").stdout)
    assert [r["profile_id"] for r in as_json] == [two_profiles[0].pk, two_profiles[1].pk]
    as_csv = list(csv.DictReader(io.StringIO(_cli(*base, "--csv").stdout)))
    assert [int(r["profile_id"]) for r in as_csv] == [r["profile_id"] for r in as_json]
    as_nl = [json.loads(line) for line in _cli(*base, "--nl").stdout.splitlines()]
    assert as_nl == as_json
    table = _cli(*base)
    assert table.exit_code == 0 and two_profiles[0].name in table.stdout


def test_cli_rank_save_show_verify(two_profiles):
    from ratusz.metrics.models import RankingRun

    assert _cli("rank", "--period", "2025-03", "--save", "--json").exit_code == 0
    run = RankingRun.objects.get()
    shown = json.loads(_cli("ranking", "show", str(run.pk), "--json").stdout)
    assert shown[0]["posts"] == 12
    assert _cli("ranking", "verify", str(run.pk)).exit_code == 0
    assert str(run.pk) in _cli("ranking", "list").stdout


def test_cli_bad_input_is_one_sentence(two_profiles):
    from ratusz.errors import RatuszError

    result = _cli("rank", "--period", "2025-03", "--size-class", "olbrzymie")
    assert isinstance(result.exception, RatuszError)
    assert "dostępne: <5k" in result.exception.message
