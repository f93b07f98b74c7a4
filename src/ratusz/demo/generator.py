"""The demo dataset: seeded, realistic profiles, posts, comments and follower histories of real units.

How scale maps to size (documented in the README):
- profiles = min(round(300 · scale), number of profile slots of the register, ~10,000), chosen from
  `slots.build_slots()` (every voivodeship, level, kind, size class, role and platform from 45 profiles up);
- months = 12, or — once the profiles are capped — 12 · 300 · scale / slots, rounded (scale 100 →
  9,923 profiles over 36 months, ≈ 16 million posts); `--months` overrides it;
- posts: each profile posts at a heavy-tailed rate (lognormal, bigger units and official profiles more),
  normalised so the mean over the chosen profiles is RATE_PER_DAY posts a day (about 4 % shared posts).

Everything is drawn from numpy Generators seeded by (seed, slot number): the same seed, end date and
scale give identical rows. The generator streams: rows are written in batches of profiles, each batch in
one transaction, so memory stays flat whatever the scale.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
from django.db import connection, models, transaction
from django.db.models import ProtectedError

from ratusz.collect.models import Comment, FollowerSnapshot, Post, PostCountSnapshot
from ratusz.collect.signals import posts_stored
from ratusz.demo.rows import (
    COMMENT_FIELDS,
    COUNT_FIELDS,
    FOLLOWER_FIELDS,
    POST_FIELDS,
    WARSAW,
    Calendar,
    Ids,
    ProfileParams,
    Rows,
    profile_rows,
)
from ratusz.demo.slots import DEMO_PREFIX, Slot, build_slots, choose_slots
from ratusz.demo.writer import IdAllocator, TableWriter
from ratusz.errors import RatuszError
from ratusz.registry.models import Platform, Profile, ProfileRole, Unit

PROFILES_PER_SCALE = 300
RATE_PER_DAY = 1.47  # all posts a day per profile on average; ~1.41 own posts

@dataclass(frozen=True)
class DemoOptions:
    """What to generate. `profiles` overrides the count derived from `scale` (tests use small numbers)."""

    scale: float = 1.0
    seed: int = 2025
    months: int | None = None
    end_date: date | None = None
    comments: bool = True
    profiles: int | None = None
    batch_profiles: int = 25
    flush_rows: int = 20_000


@dataclass
class DemoPlan:
    slots: list[Slot]
    start: date
    end: date
    months: int
    total_slots: int

    @property
    def days(self) -> int:
        """Return the number of days in the period (inclusive)."""
        return (self.end - self.start).days + 1


@dataclass
class DemoResult:
    profiles: int = 0
    posts: int = 0
    comments: int = 0
    follower_snapshots: int = 0
    count_snapshots: int = 0
    start: date | None = None
    end: date | None = None
    write_seconds: float = 0.0  # time spent inside the database inserts (executemany / COPY)


def _months_back(end: date, months: int) -> date:
    """Return the first day of a period of `months` calendar months ending on `end` (inclusive)."""
    y, m = end.year, end.month - months
    while m <= 0:
        m += 12
        y -= 1
    day = min(end.day, [31, 29 if y % 4 == 0 and (y % 100 or y % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30,
                        31, 30, 31][m - 1])
    return date(y, m, day) + timedelta(days=1)


def plan(options: DemoOptions) -> DemoPlan:
    """Return which profiles and which period a demo of these options covers (no rows written)."""
    if options.scale <= 0 and not options.profiles:
        raise RatuszError("--scale musi być większa od zera, np. --scale 1 (ok. 300 profili).")
    if options.months is not None and not 1 <= options.months <= 120:
        raise RatuszError(f"--months {options.months}: podaj od 1 do 120 miesięcy.")
    slots = build_slots()
    if not slots:
        raise RatuszError("Rejestr jednostek jest pusty; wczytaj go: ratusz registry load")
    wanted = options.profiles or max(1, round(PROFILES_PER_SCALE * options.scale))
    count = min(wanted, len(slots))
    months = options.months or max(12, round(12 * wanted / len(slots)))
    end = options.end_date or (datetime.now(WARSAW).date() - timedelta(days=1))
    start = _months_back(end, months)
    return DemoPlan(choose_slots(slots, count, options.seed), start, end, months, len(slots))


def demo_profiles_exist() -> int:
    """Return the number of demo profiles in the database (their platform id starts with "demo-")."""
    return Profile.objects.filter(platform_id__startswith=DEMO_PREFIX).count()


def delete_demo() -> int:
    """Delete every demo profile with its posts, comments and snapshots; return the profiles deleted."""
    ids = list(Profile.objects.filter(platform_id__startswith=DEMO_PREFIX).values_list("pk", flat=True))
    if not ids:
        return 0
    with transaction.atomic():
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            posts = Post.objects.filter(profile_id__in=chunk)
            comments = Comment.objects.filter(post__in=posts)
            # Rows of other apps that point at these posts or comments (moderation, scores…) go the ORM way.
            _delete_referrers(Comment, comments)
            _delete_referrers(Post, posts)
            # Raw deletes: Django's cascade would load millions of rows into memory first.
            PostCountSnapshot.objects.filter(post__in=posts)._raw_delete(connection.alias)
            Comment.objects.filter(post__in=posts, parent__isnull=False)._raw_delete(connection.alias)
            Comment.objects.filter(post__in=posts)._raw_delete(connection.alias)
            posts._raw_delete(connection.alias)
            FollowerSnapshot.objects.filter(profile_id__in=chunk)._raw_delete(connection.alias)
        Profile.objects.filter(pk__in=ids).delete()
        posts_stored.send(sender="demo")
    return len(ids)


_OWN_TABLES = (Post, Comment, PostCountSnapshot, FollowerSnapshot)


def _delete_referrers(model: type, rows) -> None:
    for rel in model._meta.related_objects:
        if rel.related_model in _OWN_TABLES or not rel.field.concrete:
            continue
        referrers = rel.related_model._base_manager.filter(**{f"{rel.field.name}__in": rows})
        if rel.on_delete is models.SET_NULL:
            referrers.update(**{rel.field.name: None})
        else:
            try:
                referrers.delete()
            except ProtectedError as exc:
                raise RatuszError(
                    f"Nie można usunąć danych demonstracyjnych: odwołują się do nich wiersze "
                    f"„{rel.related_model._meta.verbose_name_plural}”; usuń je najpierw."
                ) from exc


# --- per-profile parameters --------------------------------------------------------------------------


def _audience_base(slot: Slot) -> float:
    u = slot.unit
    if u.level == "wojewodztwo":
        ratio = 0.02
    elif u.kind == "powiat":
        ratio = 0.08
    elif u.kind in ("gmina miejska", "miasto na prawach powiatu"):
        ratio = 0.38
    else:
        ratio = 0.30
    return u.population * ratio * (u.population / 20_000) ** 0.05


ROLE_AUDIENCE = {ProfileRole.OFFICIAL: 1.0, ProfileRole.HEAD: 0.35, ProfileRole.COUNCIL: 0.06, ProfileRole.INSTITUTION: 0.12}
PLATFORM_AUDIENCE = {Platform.FACEBOOK: 1.0, Platform.INSTAGRAM: 0.18, Platform.YOUTUBE: 0.04}
ROLE_ACTIVITY = {ProfileRole.OFFICIAL: 1.0, ProfileRole.HEAD: 0.6, ProfileRole.COUNCIL: 0.3, ProfileRole.INSTITUTION: 0.75}
PLATFORM_ACTIVITY = {Platform.FACEBOOK: 1.0, Platform.INSTAGRAM: 0.45, Platform.YOUTUBE: 0.08}
ROLE_ENGAGEMENT = {ProfileRole.OFFICIAL: 1.0, ProfileRole.HEAD: 1.8, ProfileRole.COUNCIL: 0.5, ProfileRole.INSTITUTION: 0.8}
PLATFORM_ENGAGEMENT = {Platform.FACEBOOK: 1.0, Platform.INSTAGRAM: 1.3, Platform.YOUTUBE: 0.25}


def _profile_params(slots: list[Slot], seed: int) -> list[ProfileParams]:
    params = []
    for slot in slots:
        rng = np.random.default_rng([seed, slot.index, 1])
        base = _audience_base(slot) * ROLE_AUDIENCE[slot.role] * PLATFORM_AUDIENCE[slot.platform]
        noise = rng.lognormal(0.0, 0.55)
        if rng.random() < 0.05:  # a few pages far above their size (a viral history, an active mayor)
            noise *= rng.uniform(2.0, 4.0)
        followers_end = max(60.0, base * noise)
        growth = float(np.clip(rng.normal(0.09, 0.06), -0.03, 0.4))
        size = (slot.unit.population / 20_000) ** 0.22  # big cities post several times a day
        raw_rate = ROLE_ACTIVITY[slot.role] * PLATFORM_ACTIVITY[slot.platform] * size * rng.lognormal(0.0, 0.8)
        er = (
            0.02
            * (followers_end / 1000) ** -0.33
            * ROLE_ENGAGEMENT[slot.role]
            * PLATFORM_ENGAGEMENT[slot.platform]
            * rng.lognormal(0.0, 0.35)
        )
        params.append(
            ProfileParams(
                slot=slot,
                seed=seed,
                followers_end=followers_end,
                growth=growth,
                raw_rate=float(raw_rate),
                er=float(er),
                shared_share=float(rng.beta(1.2, 30)) if slot.platform == Platform.FACEBOOK else 0.0,
                answer_rate=float(rng.beta(2.0, 2.5)),
            )
        )
    mean_raw = sum(p.raw_rate for p in params) / max(1, len(params))
    for p in params:
        p.rate = p.raw_rate * RATE_PER_DAY / mean_raw
    return params


# --- the driver ---------------------------------------------------------------------------------------


ProgressFn = Callable[[int, int, int], None]  # (profiles done, posts written, comments written)


def generate(options: DemoOptions, progress: ProgressFn | None = None, the_plan: DemoPlan | None = None) -> DemoResult:
    """Write the demo dataset to the database in batches of profiles; return what was written.

    Raises RatuszError when demo profiles are already there (delete them first with `delete_demo`).
    """
    if not Unit.objects.exists():
        from ratusz.registry.services import load_register

        load_register()
    existing = demo_profiles_exist()
    if existing:
        raise RatuszError(
            f"W bazie są już dane demonstracyjne ({existing} profili); usuń je i utwórz od nowa: ratusz demo --replace"
        )
    the_plan = the_plan or plan(options)
    params = _profile_params(the_plan.slots, options.seed)
    cal = Calendar(the_plan.start, the_plan.end)
    result = DemoResult(start=the_plan.start, end=the_plan.end)
    writers = {
        "posts": TableWriter(Post, POST_FIELDS),
        "comments": TableWriter(Comment, COMMENT_FIELDS),
        "followers": TableWriter(FollowerSnapshot, FOLLOWER_FIELDS),
        "counts": TableWriter(PostCountSnapshot, COUNT_FIELDS),
    }
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A bigger page cache keeps the indexes of the four tables in memory while appending.
            cursor.execute("PRAGMA cache_size = -131072")
    for batch in _chunks(params, options.batch_profiles):
        with transaction.atomic():
            ids = Ids(IdAllocator(Post), IdAllocator(Comment), IdAllocator(FollowerSnapshot), IdAllocator(PostCountSnapshot))
            profiles = Profile.objects.bulk_create(
                [
                    Profile(
                        platform=pp.slot.platform,
                        platform_id=pp.slot.platform_id,
                        name=pp.slot.name,
                        unit_id=pp.slot.unit.teryt,
                        role=pp.slot.role,
                    )
                    for pp in batch
                ]
            )
            for pp, prof in zip(batch, profiles, strict=True):
                pp.profile_id = prof.pk
            rows = Rows()
            for pp in batch:
                posts, comments = profile_rows(pp, cal, ids, rows, options.comments)
                result.posts += posts
                result.comments += comments
                result.profiles += 1
                if rows.size() >= options.flush_rows:
                    _flush(rows, writers, result)
                if progress:
                    progress(result.profiles, result.posts, result.comments)
            _flush(rows, writers, result)
            for alloc in (ids.post, ids.comment, ids.follower, ids.count):
                alloc.sync_sequence()
            posts_stored.send(sender="demo")  # derived tables (the metrics rollup) follow in this transaction
    return result


def _flush(rows: Rows, writers: dict[str, TableWriter], result: DemoResult) -> None:
    started = time.perf_counter()
    # Parents before children (the FK checks are deferred anyway, but a reader sees a sane order).
    result.follower_snapshots += writers["followers"].write(rows.followers)
    writers["posts"].write(rows.posts)
    writers["comments"].write(rows.comments)
    result.count_snapshots += writers["counts"].write(rows.counts)
    rows.clear()
    result.write_seconds += time.perf_counter() - started


def _chunks(items: list, n: int) -> Iterator[list]:
    for i in range(0, len(items), max(1, n)):
        yield items[i : i + n]
