"""The rows of one demo profile: daily followers, posts with counts per reaction type, count snapshots.

Times follow Europe/Warsaw habits (office hours, fewer posts at weekends) and are written as naive UTC
strings "YYYY-MM-DD HH:MM:SS", the form Django stores on SQLite and PostgreSQL reads in its UTC session.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import orjson

from ratusz.collect.models import REACTION_TYPES
from ratusz.demo import texts
from ratusz.demo.comments import ProfileComments, stored_count
from ratusz.demo.slots import Slot
from ratusz.demo.writer import IdAllocator
from ratusz.registry.models import Platform, ProfileRole

WARSAW = ZoneInfo("Europe/Warsaw")
SOURCE = "demo"

# Local posting hours (Europe/Warsaw): morning and early-afternoon office peaks, an evening bump.
POST_HOURS = np.array(
    [0.05, 0, 0, 0, 0, 0.1, 0.8, 3, 7, 9, 9.5, 8, 8, 8.5, 7.5, 6, 5, 5, 6, 6.5, 5.5, 3.5, 1.5, 0.5]
)
WEEKDAY_WEIGHT = np.array([1.05, 1.1, 1.1, 1.05, 1.0, 0.55, 0.45])  # Monday … Sunday

FORMAT_NAMES = ["photo", "link", "video", "reel", "text", "event", "shared"]
FORMATS = {
    Platform.FACEBOOK: {"photo": 0.50, "link": 0.13, "video": 0.08, "reel": 0.06, "text": 0.18, "event": 0.05},
    Platform.INSTAGRAM: {"photo": 0.62, "reel": 0.30, "video": 0.08},
    Platform.YOUTUBE: {"video": 0.85, "reel": 0.15},
}
FORMAT_ENGAGEMENT = np.array([1.0, 0.45, 1.25, 1.5, 0.6, 0.8, 0.3])  # in the order of FORMAT_NAMES
CRISIS_TOPICS = ("drogi", "awaria", "odpady", "budzet")
ANGRY_WAVE = np.array([0.45, 0.02, 0.01, 0.06, 0.04, 0.05, 0.37])
# What each role posts about: multipliers of the topics' weights (heads also post in their own voice).
ROLE_TOPICS = {
    ProfileRole.OFFICIAL: {},
    ProfileRole.HEAD: {"wlodarz": 3.0, "spolecznosc": 1.5, "budzet": 1.3, "odpady": 0.4, "praca": 0.2},
    ProfileRole.COUNCIL: {"sesja": 12.0, "budzet": 2.0, "konsultacje": 2.0, "pogoda": 0.2, "praca": 0.1},
    ProfileRole.INSTITUTION: {"wydarzenia": 3.0, "spolecznosc": 2.0, "szkoly": 1.5, "drogi": 0.3, "sesja": 0.05},
}


def topic_p(role: str) -> np.ndarray:
    """Return the probability of each topic in texts.TOPICS for a profile of this role."""
    boost = ROLE_TOPICS.get(role, {})
    w = np.array([t.weight if t.weight else boost.get(t.key, 0.0) for t in texts.TOPICS])
    w = w * np.array([boost.get(t.key, 1.0) if t.weight else 1.0 for t in texts.TOPICS])
    return w / w.sum()


TOPIC_REACTIONS = np.array([t.reactions for t in texts.TOPICS])
TOPIC_REACTIONS = TOPIC_REACTIONS / TOPIC_REACTIONS.sum(axis=1, keepdims=True)
TOPIC_COMMENT_RATE = np.array([t.comment_rate for t in texts.TOPICS])
TOPIC_SHARE_RATE = np.array([t.share_rate for t in texts.TOPICS])
COMMENT_SHARE = 0.028  # of a post's interactions, before the topic's and a crisis' factors
SNAPSHOT_SHARE = 0.08  # of posts that get count snapshots at 1 h, 6 h, 24 h and 72 h
SNAPSHOT_AGES = [(3600, 0.3), (6 * 3600, 0.62), (24 * 3600, 0.85), (72 * 3600, 0.96)]

POST_FIELDS = [
    "id", "profile_id", "platform_id", "published_at", "text", "format", "permalink", "is_own",
    *(f"reactions_{t}" for t in REACTION_TYPES),
    "reactions_total", "comments_count", "shares_count", "views_count", "followers_at_posting", "counts_at",
    "source",
]  # fmt: skip
COMMENT_FIELDS = [
    "id", "post_id", "platform_id", "parent_id", "author_key", "is_from_profile", "created_at", "text",
    "likes_count", "replies_count",
]  # fmt: skip
FOLLOWER_FIELDS = ["id", "profile_id", "date", "followers", "fans", "source", "taken_at"]
COUNT_FIELDS = ["id", "post_id", "taken_at", "reactions", "reactions_total", "comments_count", "shares_count", "views_count"]

_HMS: list[str] = []


def _hms() -> list[str]:
    if not _HMS:
        _HMS.extend(f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400))
    return _HMS


class Calendar:
    """Days of the period with their UTC offset in Warsaw, posting weight and a fast UTC formatter."""

    def __init__(self, start: date, end: date):
        self.start, self.end = start, end
        self.days = (end - start).days + 1
        self.dates = [start + timedelta(days=i) for i in range(self.days)]
        self.date_str = [d.isoformat() for d in self.dates]
        self.months = [d.month for d in self.dates]
        epoch = date(1970, 1, 1)
        self.day0 = (start - epoch).days
        self.local_midnight = np.arange(self.day0, self.day0 + self.days, dtype=np.int64) * 86400
        self.offset = np.array(
            [int(datetime(d.year, d.month, d.day, 12, tzinfo=WARSAW).utcoffset().total_seconds()) for d in self.dates],
            dtype=np.int64,
        )
        weekday = np.array([d.weekday() for d in self.dates])
        month = np.array(self.months)
        season = 1.0 + 0.12 * np.cos((month - 1) / 12 * 2 * np.pi)  # a little busier in winter
        season = np.where(month == 8, season * 0.85, season)  # holidays
        self.weight = WEEKDAY_WEIGHT[weekday] * season
        self.end_ts = int(self.local_midnight[-1] + 86400 - self.offset[-1] - 60)
        self.hour_p = POST_HOURS / POST_HOURS.sum()
        self._prefix = [(start + timedelta(days=i - 1)).isoformat() + " " for i in range(self.days + 3)]
        self._hms = _hms()

    def fmt(self, ts: int) -> str:
        """Return a Unix time (seconds) as the naive UTC string "YYYY-MM-DD HH:MM:SS"."""
        day, sec = divmod(ts, 86400)
        return self._prefix[day - self.day0 + 1] + self._hms[sec]


@dataclass
class Rows:
    posts: list[tuple] = field(default_factory=list)
    comments: list[list] = field(default_factory=list)
    followers: list[tuple] = field(default_factory=list)
    counts: list[tuple] = field(default_factory=list)

    def size(self) -> int:
        """Return the number of buffered rows."""
        return len(self.posts) + len(self.comments) + len(self.followers) + len(self.counts)

    def clear(self) -> None:
        """Forget the buffered rows (after they were written)."""
        self.posts.clear()
        self.comments.clear()
        self.followers.clear()
        self.counts.clear()


@dataclass
class Ids:
    post: IdAllocator
    comment: IdAllocator
    follower: IdAllocator
    count: IdAllocator


@dataclass
class ProfileParams:
    """What is drawn once per profile (before rates are normalised over all chosen profiles)."""

    slot: Slot
    seed: int
    followers_end: float
    growth: float  # yearly log-growth of followers
    raw_rate: float
    er: float  # expected interactions per follower of an average post
    shared_share: float
    answer_rate: float
    rate: float = 0.0  # posts a day
    profile_id: int = 0


_format_cache: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}
_template_cache: dict[tuple[int, int], list[str]] = {}


def _format_tables(platform: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per topic: (format indexes, cumulative probabilities) for this platform."""
    if platform not in _format_cache:
        base = FORMATS.get(platform, FORMATS[Platform.FACEBOOK])
        tables = []
        for topic in texts.TOPICS:
            names = list(base)
            w = np.array([base[n] * topic.formats.get(n, 1.0) for n in names])
            cum = np.cumsum(w / w.sum())
            cum[-1] = 1.0
            tables.append((np.array([FORMAT_NAMES.index(n) for n in names]), cum))
        _format_cache[platform] = tables
    return _format_cache[platform]


def _templates(topic_index: int, month: int) -> list[str]:
    key = (topic_index, month)
    if key not in _template_cache:
        out = []
        for template in texts.TOPICS[topic_index].posts:
            months, text = texts.split_months(template)
            if months is None or month in months:
                out.append(text)
        _template_cache[key] = out
    return _template_cache[key]


class Fill(dict):
    """Values for the placeholders of one post's templates (and its comments), computed when first used.

    Built from 12 uniform numbers of the post, so the values do not depend on which keys are asked for.
    """

    def __init__(self, u: list[float], day: date, name: str):
        super().__init__(nazwa=name)
        self.u, self.day = u, day

    def __missing__(self, key: str) -> str:
        u = self.u
        if key in ("dzien", "dzien2"):
            later = self.day + timedelta(days=2 + int(u[0] * 19))
            later2 = later + timedelta(days=7 + int(u[1] * 24))
            self["dzien"] = f"{later.day} {texts.MONTHS_GENITIVE[later.month - 1]}"
            self["dzien2"] = f"{later2.day} {texts.MONTHS_GENITIVE[later2.month - 1]}"
        elif key == "miesiac":
            self[key] = texts.MONTHS_GENITIVE[(self.day.month + int(u[2] * 3)) % 12]
        elif key == "kwota":
            if u[3] < 0.5:
                self[key] = f"{120 + int(u[4] * 870)} tys. zł"
            else:
                self[key] = f"{1 + u[4] * 24:.1f} mln zł".replace(".", ",")
        elif key in ("szkola", "szkola_miejscownik"):
            school = texts.SCHOOLS[int(u[5] * len(texts.SCHOOLS))]
            self["szkola"] = school
            self["szkola_miejscownik"] = texts.SCHOOL_LOCATIVE[school]
        elif key == "ulica":
            self[key] = texts.STREETS[int(u[6] * len(texts.STREETS))]
        elif key == "ulica2":
            self[key] = texts.STREETS[int(u[7] * len(texts.STREETS))]
        elif key == "godzina":
            self[key] = HOURS[int(u[8] * len(HOURS))]
        elif key == "liczba":
            self[key] = NUMBERS[int(u[9] * len(NUMBERS))]
        elif key == "tygodnie":
            self[key] = str(2 + int(u[10] * 11))
        elif key == "miejsce":
            self[key] = texts.PLACES[int(u[11] * len(texts.PLACES))]
        elif key == "miejsce_nazwa":
            self[key] = texts.PARK_NAMES[int(u[0] * len(texts.PARK_NAMES))]
        else:
            raise KeyError(key)
        return self[key]


HOURS = ("10:00", "11:00", "12:00", "15:00", "16:00", "17:00", "17:30", "18:00", "19:00")
NUMBERS = ("2", "3", "4", "5", "6", "8", "10", "12", "15", "20", "24", "35", "40", "120")


def profile_rows(p: ProfileParams, cal: Calendar, ids: Ids, rows: Rows, with_comments: bool) -> tuple[int, int]:
    """Append one profile's rows to `rows`; return (posts, comments)."""
    slot = p.slot
    rng = np.random.default_rng([p.seed, slot.index, 2])
    days = cal.days
    is_fb = slot.platform == Platform.FACEBOOK
    fmt = cal.fmt

    # Followers: exponential growth towards followers_end, a small random walk, rare steps after viral posts.
    t = np.arange(days)
    log_f = math.log(p.followers_end) - p.growth * (days - 1 - t) / 365.0
    walk = np.cumsum(rng.normal(0, 0.0008, days))
    log_f = log_f + walk - walk[-1]
    jump = (rng.random(days) < 1.5 / 365) * rng.exponential(0.01, days)
    log_f = log_f - (np.cumsum(jump[::-1])[::-1] - jump)
    followers = np.maximum(1, np.round(np.exp(log_f))).astype(np.int64)
    fl = followers.tolist()
    fa = np.round(followers * 0.93).astype(np.int64).tolist() if is_fb else [None] * days
    fid = ids.follower.take(days)
    taken = (cal.local_midnight + 23 * 3600 + 1800 - cal.offset).tolist()
    for i in range(days):
        rows.followers.append((fid + i, p.profile_id, cal.date_str[i], fl[i], fa[i], SOURCE, fmt(taken[i])))

    # Crisis episodes: 2-day windows with more posts, angry reactions and many comments.
    crisis_days = np.zeros(days, dtype=bool)
    for c in rng.integers(0, days, rng.poisson(1.2 * days / 365)):
        crisis_days[c : c + 2] = True

    # Posts: how many, on which days, at which local minute.
    n = int(rng.poisson(p.rate * days))
    day_w = cal.weight * np.where(crisis_days, 2.5, 1.0)
    day_idx = np.sort(rng.choice(days, size=n, p=day_w / day_w.sum()))
    minute = rng.choice(24, size=n, p=cal.hour_p) * 60 + rng.integers(0, 60, n)
    ts = cal.local_midnight[day_idx] + minute * 60 - cal.offset[day_idx]
    order = np.argsort(ts, kind="stable")
    day_idx, ts = day_idx[order], ts[order]

    own = rng.random(n) >= p.shared_share
    topic_idx = rng.choice(len(texts.TOPICS), size=n, p=topic_p(slot.role))
    in_crisis = crisis_days[day_idx] & (rng.random(n) < 0.7)
    controversial = in_crisis | (rng.random(n) < 0.015)
    crisis_topics = np.array([i for i, tp in enumerate(texts.TOPICS) if tp.key in CRISIS_TOPICS])
    topic_idx = np.where(in_crisis, crisis_topics[rng.integers(0, len(crisis_topics), n)], topic_idx)

    fmt_idx = np.full(n, FORMAT_NAMES.index("shared"))
    fmt_u = rng.random(n)
    for k, (names, cum) in enumerate(_format_tables(slot.platform)):
        mask = (topic_idx == k) & own
        fmt_idx[mask] = names[np.searchsorted(cum, fmt_u[mask])]

    f_at = followers[day_idx]
    multiplier = rng.lognormal(-0.3, 0.95, n) * FORMAT_ENGAGEMENT[fmt_idx] * np.where(controversial, 2.5, 1.0)
    interactions = rng.poisson(f_at * p.er * multiplier)
    c_share = COMMENT_SHARE * TOPIC_COMMENT_RATE[topic_idx] * np.where(controversial, 3.0, 1.0)
    c_share = np.clip(c_share * rng.lognormal(0, 0.3, n), 0, 0.6)
    s_share = np.clip(0.05 * TOPIC_SHARE_RATE[topic_idx] * rng.lognormal(0, 0.4, n), 0, 0.4) if is_fb else np.zeros(n)
    parts = rng.multinomial(interactions, np.stack([1 - c_share - s_share, c_share, s_share], axis=1))
    reactions_total, comments_platform, shares = parts[:, 0], parts[:, 1], parts[:, 2]
    if is_fb:
        base = TOPIC_REACTIONS[topic_idx]
        base = np.where(controversial[:, None], 0.4 * base + 0.6 * ANGRY_WAVE, base)
        mix = rng.gamma(base * 60 + 1e-3)
        by_type = rng.multinomial(reactions_total, mix / mix.sum(axis=1, keepdims=True)).tolist()
    else:
        by_type = None
    views = np.round(interactions * rng.lognormal(math.log(25), 0.6, n) + f_at * 0.05).astype(np.int64).tolist()
    has_views = ((fmt_idx == 2) | (fmt_idx == 3) | (slot.platform == Platform.YOUTUBE)).tolist()
    text_u = rng.random((n, 16)).tolist()
    snap_u = rng.random((n, 5)).tolist()

    comments = None
    stored = stored_count(comments_platform) if with_comments else np.zeros(n, dtype=np.int64)
    if with_comments:
        pool = max(30, int(p.followers_end * 0.03))
        comments = ProfileComments(rng, int(stored.sum()), slot.platform, slot.index, pool, p.answer_rate)

    pid = ids.post.take(n)
    ts_l, day_l = ts.tolist(), day_idx.tolist()
    rt, cp, sh = reactions_total.tolist(), comments_platform.tolist(), shares.tolist()
    stored_l = stored.tolist()
    angry_l, topic_l, own_l, fmt_l = controversial.tolist(), topic_idx.tolist(), own.tolist(), fmt_idx.tolist()
    comments_written = 0
    profile_pid = slot.platform_id
    for i in range(n):
        post_id = pid + i
        published = ts_l[i]
        topic = texts.TOPICS[topic_l[i]]
        u = text_u[i]
        fill = Fill(u, cal.dates[day_l[i]], slot.unit.name)
        if own_l[i]:
            options = _templates(topic_l[i], cal.months[day_l[i]]) or topic.posts
            text = options[int(u[12] * len(options))].format_map(fill)
            text += texts.EMOJI[int(u[13] * len(texts.EMOJI))] + texts.HASHTAGS[int(u[14] * len(texts.HASHTAGS))]
        else:
            text = texts.SHARED_POSTS[int(u[12] * len(texts.SHARED_POSTS))]
        platform_post_id = f"{profile_pid}_{i + 1}"
        answers = 0
        if comments is not None and stored_l[i]:
            written, answers = comments.thread(
                rows.comments, ids.comment.next, post_id, platform_post_id, published, stored_l[i], topic, fill,
                angry_l[i], int(cal.offset[day_l[i]]), cal.end_ts, fmt,
            )  # fmt: skip
            ids.comment.take(written)
            comments_written += written
        reactions = by_type[i] if by_type is not None else [rt[i], None, None, None, None, None, None]
        views_count = views[i] if has_views[i] else None
        comments_count = cp[i] + answers
        shares_count = sh[i] if is_fb else None
        rows.posts.append(
            (
                post_id, p.profile_id, platform_post_id, fmt(published), text, FORMAT_NAMES[fmt_l[i]], "", own_l[i],
                *reactions, rt[i], comments_count, shares_count, views_count, None,
                fmt(min(published + 7 * 86400, cal.end_ts)), SOURCE,
            )
        )  # fmt: skip
        if snap_u[i][0] < SNAPSHOT_SHARE:
            _count_snapshots(snap_u[i], rows, ids, post_id, published, cal, reactions, rt[i], comments_count,
                             shares_count, views_count)  # fmt: skip
    return n, comments_written


def _count_snapshots(u, rows, ids, post_id, published, cal, reactions, total, comments, shares, views) -> None:
    prev = 0.0
    for (age, share), jitter in zip(SNAPSHOT_AGES, u[1:], strict=True):
        when = published + age
        if when > cal.end_ts:
            break
        frac = max(prev, min(1.0, share * (0.85 + 0.25 * jitter)))
        prev = frac
        by_type = {t: int(v * frac) for t, v in zip(REACTION_TYPES, reactions, strict=True) if v is not None}
        rows.counts.append(
            (
                ids.count.take(), post_id, cal.fmt(when), orjson.dumps(by_type).decode(), int(total * frac),
                int(comments * frac), None if shares is None else int(shares * frac),
                None if views is None else int(views * frac),
            )
        )  # fmt: skip
