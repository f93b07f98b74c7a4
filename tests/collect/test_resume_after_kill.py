"""`ratusz collect` killed with SIGKILL mid-run, twice, then run again: the database equals the server's data.

The collection runs as a real subprocess against the loopback server, with its own database (a SQLite file,
or a fresh PostgreSQL database when the suite runs on PostgreSQL), so nothing here is simulated.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection

from tests.collect.conftest import FAST
from tests.collect.fakegraph import Dataset, FakeServer

BIN = Path(sys.executable).parent

SEED = """
from django.core.management import call_command
from ratusz.collect.tokens import set_token
from ratusz.registry.models import Profile
call_command("migrate", verbosity=0)
for account_id, token in {accounts!r}:
    set_token(Profile.objects.create(platform="facebook", platform_id=account_id, name="Strona " + account_id), token)
"""

DUMP = """
import json
from ratusz.collect.models import Comment, FollowerSnapshot, Post
from ratusz.registry.models import Profile
out = {"posts": {}, "followers": {}, "states": {}}
for p in Post.objects.all():
    out["posts"][p.platform_id] = {
        "time": p.published_at.isoformat(),
        "reactions": {r: getattr(p, "reactions_" + r) for r in ["like", "love", "care", "haha", "wow", "sad", "angry"]},
        "comments": sorted(
            [c.platform_id, c.parent.platform_id if c.parent else None, c.is_from_profile, c.likes_count]
            for c in p.comments.select_related("parent")
        ),
    }
for s in FollowerSnapshot.objects.select_related("profile"):
    out["followers"].setdefault(s.profile.platform_id, []).append(s.followers)
out["comment_rows"] = Comment.objects.count()
from ratusz.collect.run_models import CollectionRun
out["runs"] = [r.status for r in CollectionRun.objects.order_by("-started_at")]
print("DUMP" + json.dumps(out))
"""


@pytest.fixture
def subprocess_db(tmp_path, transactional_db):
    """Environment of a separate database for the subprocesses; yields the env dict."""
    env = {**os.environ, "RATUSZ_HOME": str(tmp_path), **FAST, "RATUSZ_SECRET_KEY": "kill-test-secret"}
    env.pop("RATUSZ_DATABASE_URL", None)
    created = None
    if connection.vendor == "postgresql":
        import psycopg

        s = connection.settings_dict
        created = f"ratusz_killtest_{os.getpid()}"
        dsn = dict(
            host=s["HOST"] or "127.0.0.1",
            port=s["PORT"] or 5432,
            user=s["USER"],
            dbname="postgres",
            autocommit=True,
        )
        if s.get("PASSWORD"):
            dsn["password"] = s["PASSWORD"]
        with psycopg.connect(**dsn) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{created}"')
            conn.execute(f'CREATE DATABASE "{created}"')
        auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
        env["RATUSZ_DATABASE_URL"] = f"postgresql://{auth}@{dsn['host']}:{dsn['port']}/{created}"
    yield env
    if created:
        with psycopg.connect(**dsn) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)')


def run(env, *args, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, input=stdin, capture_output=True, text=True, timeout=180)


def kill_after(env, server: FakeServer, requests: int, argv: list[str]) -> None:
    start = server.requests
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while server.requests - start < requests:
        assert proc.poll() is None, f"finished before the kill: {proc.stderr.read()}"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


@pytest.mark.slow
def test_collection_killed_twice_resumes_with_nothing_lost_and_nothing_twice(subprocess_db, monkeypatch):
    data = Dataset(accounts=3, posts=14, comments=6)
    data.deleted.add(data.post_id(1, 5))
    server = FakeServer(data)
    env = {**subprocess_db, "RATUSZ_FACEBOOK_GRAPH_URL": server.start()}
    server.delay = 0.01  # so the kills land mid-run on a fast machine too
    try:
        ratusz, manage = str(BIN / "ratusz"), str(BIN / "ratusz-manage")
        accounts = [(data.account_id(i), data.token(i)) for i in range(data.accounts)]
        seeded = run(env, manage, "shell", "-c", SEED.format(accounts=accounts))
        assert seeded.returncode == 0, seeded.stderr
        since = (data.start - timedelta(days=1)).date().isoformat()
        argv = [ratusz, "collect", "--all", "--since", since, "--concurrency", "2"]
        kill_after(env, server, 12, argv)
        kill_after(env, server, 25, argv)
        final = run(env, *argv)
        assert final.returncode == 0, final.stderr
        dumped = run(env, manage, "shell", "-c", DUMP)
        assert dumped.returncode == 0, dumped.stderr
        db = json.loads(dumped.stdout.split("DUMP", 1)[1])
    finally:
        server.stop()

    expected = data.expected()
    assert set(db["posts"]) == set(expected)
    for pid, want in expected.items():
        got = db["posts"][pid]
        assert got["reactions"] == want["reactions"], pid
        assert got["comments"] == sorted(
            [cid, c["parent"], c["from_page"], c["likes"]] for cid, c in want["comments"].items()
        ), pid
    assert db["comment_rows"] == sum(len(p["comments"]) for p in expected.values())
    assert db["followers"] == {data.account_id(i): [data.followers(i)[0]] for i in range(data.accounts)}
    assert db["runs"] == ["ok", "interrupted", "interrupted"]
