"""Helpers for the import tests: writing sample files, running the real `ratusz` CLI, counting rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from ratusz.collect.models import Comment, FollowerSnapshot, Post, PostCountSnapshot
from ratusz.registry.models import Profile

PROFILE = {"platform": "facebook", "platform_id": "1001", "name": "Miasto Testowe", "role": "official"}


def post_line(n: int = 1, **kw: Any) -> dict[str, Any]:
    """A valid post object of the interchange format v1 with two comments and a reply of the profile."""
    obj: dict[str, Any] = {
        "type": "post",
        "format_version": 1,
        "profile": dict(PROFILE),
        "platform_id": f"1001_{n}",
        "published_at": "2025-03-01T10:00:00+01:00",
        "text": f"Zapraszamy na sesję rady nr {n}",
        "format": "photo",
        "permalink": f"https://www.facebook.com/1001/posts/{n}",
        "is_own": True,
        "reactions": {"like": 10, "love": 2, "care": 0, "haha": 0, "wow": 1, "sad": 0, "angry": 0},
        "reactions_total": 13,
        "comments_count": 3,
        "shares_count": 1,
        "views_count": None,
        "followers_at_posting": None,
        "counts_at": "2025-03-08T00:00:00Z",
        "comments": [
            {"platform_id": f"c{n}-1", "parent_id": None, "author_id": "resident-42", "author_name": "Jan Kowalski",
             "is_from_profile": False, "created_at": "2025-03-01T11:00:00+01:00", "text": "Kiedy będzie remont?",
             "likes_count": 2},
            {"platform_id": f"c{n}-2", "parent_id": f"c{n}-1", "author_id": "1001", "is_from_profile": False,
             "created_at": "2025-03-01T12:00:00+01:00", "text": "W maju.", "likes_count": 0},
            {"platform_id": f"c{n}-3", "parent_id": None, "author_id": "resident-7",
             "created_at": "2025-03-02T09:00:00+01:00", "text": "Dziękuję"},
        ],
    }  # fmt: skip
    obj.update(kw)
    return obj


def write_jsonl(path: Path, objects: list[Any]) -> Path:
    """Write objects one per line (strings are written as they are) and return the path."""
    with path.open("wb") as fh:
        for obj in objects:
            fh.write(obj.encode() if isinstance(obj, str) else orjson.dumps(obj))
            fh.write(b"\n")
    return path


def counts() -> dict[str, int]:
    """Rows in every table an import writes to."""
    return {
        "profiles": Profile.objects.count(),
        "posts": Post.objects.count(),
        "comments": Comment.objects.count(),
        "snapshots": PostCountSnapshot.objects.count(),
        "followers": FollowerSnapshot.objects.count(),
    }


_registered = False


def run_cli(args: list[str]):
    """Run `ratusz ARGS` in-process on the real Typer app with every app's commands registered.

    Returns (exit code, output, exception) the way ratusz.cli.main reports them: a RatuszError is the
    one-line message with exit code 1.
    """
    global _registered
    from typer.testing import CliRunner

    from ratusz import cli
    from ratusz.errors import RatuszError

    if not _registered:
        cli._register_commands()
        _registered = True
    result = CliRunner().invoke(cli.app, args)
    if isinstance(result.exception, RatuszError):
        return 1, result.output + result.exception.message, result.exception
    return result.exit_code, result.output, result.exception


@pytest.fixture
def jsonl_file(tmp_path: Path) -> Path:
    """A small valid JSON Lines file: three posts and a follower count."""
    return write_jsonl(
        tmp_path / "posty.jsonl",
        [post_line(1), post_line(2), post_line(3, comments=[]),
         {"type": "followers", "format_version": 1, "profile": PROFILE, "date": "2025-03-01", "followers": 1234, "fans": 1200}],
    )  # fmt: skip
