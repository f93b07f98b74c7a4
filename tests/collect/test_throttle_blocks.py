"""Throttle blocks outlive the run that met them: the next run, or a second process, waits for them too."""

from __future__ import annotations

import contextlib
import time
from datetime import timedelta

import pytest

from ratusz.collect.collectors.http import Limiter
from ratusz.collect.run_models import ThrottleBlock
from ratusz.collect.runner import DatabaseBlocks, collect_profiles
from tests.collect.conftest import make_connected_profiles
from tests.collect.fakegraph import Dataset

pytestmark = pytest.mark.django_db


class Slept(Exception):
    pass


def limiter(slept: list[float]) -> Limiter:
    """A limiter on the database store whose sleep records the delay and stops waiting."""

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        raise Slept

    made = Limiter(sleep, store=DatabaseBlocks(contextlib.nullcontext))
    made.max_wait = 600
    return made


def test_a_block_met_by_one_limiter_is_honoured_by_another_and_only_in_its_scope():
    first = limiter([])
    assert first.block("token:facebook:1", 300, persist=True) == 300
    first.block("token:facebook:3", 5)  # pacing, not throttling: not recorded
    assert list(ThrottleBlock.objects.values_list("scope", flat=True)) == ["token:facebook:1"]

    slept: list[float] = []
    second = limiter(slept)  # another process, or the next run
    with pytest.raises(Slept):
        second.wait_turn(("app:facebook", "token:facebook:1"))
    assert slept and 290 < slept[0] <= 300
    second.wait_turn(("app:facebook", "token:facebook:2"))  # other tokens go on at once
    second.wait_turn(("app:facebook", "token:facebook:3"))
    assert len(slept) == 1


def test_a_later_block_wins_and_expired_blocks_are_dropped():
    store = DatabaseBlocks(contextlib.nullcontext)
    store.save("app:facebook", time.time() + 100)
    store.save("app:facebook", time.time() + 50)  # an earlier end does not shorten the block
    store.save("token:facebook:9", time.time() - 1)  # already over
    assert set(store.load()) == {"app:facebook"}
    assert 90 < store.load()["app:facebook"] - time.time() <= 100
    store.save("token:facebook:8", time.time() + 10)
    assert not ThrottleBlock.objects.filter(scope="token:facebook:9").exists()


def test_a_block_read_from_another_process_is_capped_by_our_longest_wait():
    DatabaseBlocks(contextlib.nullcontext).save("app:facebook", time.time() + 7200)
    slept: list[float] = []
    mine = limiter(slept)
    mine.max_wait = 60
    with pytest.raises(Slept):
        mine.wait_turn(("app:facebook",))
    assert 55 < slept[0] <= 60


@pytest.mark.parametrize(("code", "scope"), [(4, "app:facebook"), (80001, "token:facebook:")])
def test_throttling_met_in_a_collection_is_recorded_for_the_next_one(fake_server, code, scope):
    server = fake_server(Dataset(accounts=1, posts=2, comments=1))
    server.add_fault(r"/comments$", {"kind": "error", "code": code, "message": "limit"})
    profiles = make_connected_profiles(server)
    run = collect_profiles(profiles, since=(server.data.start - timedelta(days=1)).date())
    assert run.status == "ok"  # the test settings cap the wait at 0.05 s, then it goes on
    block = ThrottleBlock.objects.get(scope__startswith=scope)
    if scope.startswith("token"):
        assert block.scope == f"token:facebook:{profiles[0].pk}"
    assert block.blocked_until > run.started_at
