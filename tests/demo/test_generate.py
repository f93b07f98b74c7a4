"""Generating the demo: determinism for a seed, `--if-empty`, `--replace`, bad options, the plan's scale."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from ratusz.collect.models import REACTION_TYPES, Comment, FollowerSnapshot, Post
from ratusz.demo.generator import DemoOptions, delete_demo, generate, plan
from ratusz.errors import RatuszError

pytestmark = pytest.mark.django_db

TINY = DemoOptions(profiles=12, months=1, end_date=date(2025, 3, 31), seed=5)


def _snapshot() -> tuple[list, list, list]:
    """All demo rows by natural keys (ids differ between runs, content must not)."""
    posts = sorted(
        Post.objects.values_list(
            "profile__platform_id", "platform_id", "published_at", "text", "format", "is_own",
            *(f"reactions_{t}" for t in REACTION_TYPES), "reactions_total", "comments_count", "shares_count",
            "views_count", "counts_at",
        )
    )  # fmt: skip
    comments = sorted(
        Comment.objects.values_list(
            "post__platform_id", "platform_id", "parent__platform_id", "author_key", "is_from_profile", "created_at",
            "text", "likes_count", "replies_count",
        )
    )  # fmt: skip
    followers = sorted(FollowerSnapshot.objects.values_list("profile__platform_id", "date", "followers", "fans"))
    return posts, comments, followers


def test_same_seed_gives_identical_rows_and_another_seed_does_not(db, units):
    generate(TINY)
    first = _snapshot()
    assert first[0] and first[1] and first[2]
    assert delete_demo() == 12
    assert not Post.objects.exists() and not Comment.objects.exists()
    generate(TINY)
    assert _snapshot() == first
    with pytest.raises(RatuszError, match="--replace"):  # generating over existing demo data is refused
        generate(TINY)
    assert _snapshot() == first
    delete_demo()
    generate(DemoOptions(profiles=12, months=1, end_date=date(2025, 3, 31), seed=6))
    assert _snapshot()[0] != first[0]


def test_scale_maps_to_profiles_and_months(db, units):
    one = plan(DemoOptions(scale=1, end_date=date(2025, 12, 31)))
    assert len(one.slots) == 300 and one.months == 12 and one.start == date(2025, 1, 1)
    assert len(plan(DemoOptions(scale=20)).slots) == 6000
    national = plan(DemoOptions(scale=100, end_date=date(2025, 12, 31)))
    assert len(national.slots) == national.total_slots >= 9000
    assert national.months == 36 and national.start == date(2023, 1, 1)
    # A smaller scale is a subset of a bigger one (same seed): slots are chosen in a fixed order.
    small = {s.index for s in plan(DemoOptions(scale=0.5)).slots}
    assert small <= {s.index for s in one.slots}


def _cli(*args: str):
    from ratusz.cli import _register_commands_once, app

    _register_commands_once()
    return CliRunner(env={"COLUMNS": "200"}).invoke(app, list(args))


def test_cli_if_empty_does_nothing_when_posts_exist(db, units):
    args = ["demo", "--profiles", "4", "--months", "1", "--end-date", "2025-03-31"]
    first = _cli(*args, "--if-empty")
    assert first.exit_code == 0, first.output
    posts = Post.objects.count()
    assert posts > 0
    again = _cli(*args, "--if-empty")
    assert again.exit_code == 0 and "pominięte" in again.output
    assert Post.objects.count() == posts
    replaced = _cli(*args, "--replace", "--no-comments", "--seed", "9")
    assert replaced.exit_code == 0, replaced.output
    assert Post.objects.exists() and not Comment.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--end-date", "31.12.2025"], "RRRR-MM-DD"),
        (["--months", "0"], "od 1 do 120"),
        (["--scale", "0"], "większa od zera"),
    ],
)
def test_cli_bad_options_are_one_clear_sentence(db, args, message):
    result = _cli("demo", *args)
    assert result.exit_code != 0
    assert isinstance(result.exception, RatuszError) and message in result.exception.message
    assert not Post.objects.exists()
