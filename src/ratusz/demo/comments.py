"""Comment threads under demo posts: residents' comments and replies, and the profile's own answers.

All random numbers of one profile's comments are drawn at once (numpy, vectorised) and consumed in order,
so the Python loop only assembles rows. Authors are synthetic ids ("demo-author-<slot>-<n>") from a
heavy-tailed pool of repeat commenters, pseudonymised with `author_key` exactly as imported comments are;
the raw ids are never stored.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ratusz.collect.privacy import author_key
from ratusz.demo import texts

KINDS = ["question", "praise", "neutral", "complaint", "suggestion", "rude"]
CALM_MIX = np.array([0.22, 0.30, 0.18, 0.19, 0.07, 0.04])
ANGRY_MIX = np.array([0.20, 0.05, 0.08, 0.47, 0.04, 0.16])
REPLY_SHARE = 0.3
# How often the profile answers a resident's top-level comment, relative to its answer rate.
ANSWER_WEIGHT = [1.0, 0.15, 0.03, 0.45, 0.2, 0.0]


def stored_count(n_platform: np.ndarray) -> np.ndarray:
    """Return how many of a post's comments the demo stores: all of a small thread, a sample of a big one."""
    n = np.asarray(n_platform, dtype=np.int64)
    return np.where(n <= 6, n, 6 + np.sqrt(np.maximum(n - 6, 0)).astype(np.int64))


class ProfileComments:
    """Pre-drawn randomness for all comments of one profile; `thread` writes one post's comments."""

    def __init__(self, rng: np.random.Generator, total: int, platform: str, slot_index: int, pool: int, answer_rate: float):
        c = max(total, 1)
        self.who = (pool * rng.random(c) ** 3).astype(np.int64).tolist()
        self.kind_calm = rng.choice(len(KINDS), size=c, p=CALM_MIX).tolist()
        self.kind_angry = rng.choice(len(KINDS), size=c, p=ANGRY_MIX).tolist()
        self.reply_u = rng.random(c).tolist()
        self.target_u = (rng.random(c) ** 0.7).tolist()
        self.delay_top = rng.lognormal(math.log(5400), 1.3, c).astype(np.int64).tolist()
        self.delay_reply = rng.lognormal(math.log(1800), 1.2, c).astype(np.int64).tolist()
        self.likes = rng.lognormal(-0.4, 1.3, c).astype(np.int64).tolist()
        self.text_u = rng.random(c).tolist()
        self.jitter = rng.integers(0, 7200, c).tolist()
        self.answer_u = rng.random(c).tolist()
        self.answer_delay = rng.lognormal(math.log(3 * 3600), 1.0, c).astype(np.int64).tolist()
        self.answer_text_u = rng.random((c, 3)).tolist()
        self.answer_likes = rng.lognormal(0.0, 1.0, c).astype(np.int64).tolist()
        self.cursor = 0
        self.platform = platform
        self.slot_index = slot_index
        self.answer_rate = answer_rate
        self.keys: dict[int, str] = {}

    def _key(self, who: int) -> str:
        key = self.keys.get(who)
        if key is None:
            key = self.keys[who] = author_key(self.platform, f"demo-author-{self.slot_index}-{who}")
        return key

    def thread(
        self,
        out: list[list],
        next_id: int,
        post_id: int,
        post_pid: str,
        published: int,
        n: int,
        topic: texts.Topic,
        fill: dict[str, str],
        angry: bool,
        offset: int,
        end_ts: int,
        fmt: Callable[[int], str],
    ) -> tuple[int, int]:
        """Append up to n resident comments and the profile's answers to `out` (ids from next_id).

        Returns (rows appended, of which the profile's answers).
        """
        start = len(out)
        tops: list[tuple[int, int, int, str | None]] = []  # (id, created, kind, the answer it calls for)
        children: dict[int, int] = {}
        seq = 0
        kinds = self.kind_angry if angry else self.kind_calm
        base = self.cursor
        self.cursor += n
        for c in range(base, base + n):
            kind = kinds[c]
            if tops and self.reply_u[c] < REPLY_SHARE:
                parent, parent_created, _, _ = tops[int(len(tops) * self.target_u[c])]
                created = parent_created + self.delay_reply[c]
                pool = texts.RUDE_COMMENTS if kind == 5 else texts.RESIDENT_REPLIES
            else:
                parent = None
                created = published + self.delay_top[c]
                pool = _pool(kind, topic, self.target_u[c])
            local_hour = (created + offset) // 3600 % 24
            if local_hour < 6:  # residents sleep too
                created += (6 - local_hour) * 3600 + self.jitter[c]
            if created > end_ts:
                continue
            seq += 1
            cid = next_id + seq - 1
            template = text = pool[int(self.text_u[c] * len(pool))]
            if "{" in text:
                text = text.format_map(fill)
            out.append(
                [cid, post_id, f"{post_pid}_{seq}", parent, self._key(self.who[c]), False, fmt(created), text,
                 self.likes[c], 0 if parent else None]
            )  # fmt: skip
            if parent is None:
                tops.append((cid, created, kind, texts.ANSWER_TO.get(template) if kind == 0 else None))
            else:
                children[parent] = children.get(parent, 0) + 1
        answers = 0
        for cid, created, kind, paired in tops:
            c = base + (cid - next_id) % max(n, 1)
            if self.answer_u[c] >= self.answer_rate * ANSWER_WEIGHT[kind]:
                continue
            when = created + self.answer_delay[c]
            local = (when + offset) // 3600 % 24
            if local < 7 or local >= 21:  # the office answers in the morning
                when += ((24 - local + 8) % 24) * 3600 + self.jitter[c]
            if when > end_ts:
                continue
            u1, u2, u3 = self.answer_text_u[c]
            if paired is not None:
                body = paired.format_map(fill)
            elif kind == 1:
                body = texts.THANKS_ANSWERS[int(u1 * len(texts.THANKS_ANSWERS))]
            elif kind == 3:
                body = texts.COMPLAINT_ANSWERS[int(u1 * len(texts.COMPLAINT_ANSWERS))]
            else:
                body = texts.GENERIC_ANSWERS[int(u1 * len(texts.GENERIC_ANSWERS))]
            opening = texts.ANSWER_OPENINGS[int(u2 * len(texts.ANSWER_OPENINGS))]
            if opening.endswith(", "):
                body = body[:1].lower() + body[1:]
            closing = texts.ANSWER_CLOSINGS[int(u3 * len(texts.ANSWER_CLOSINGS))]
            seq += 1
            out.append(
                [next_id + seq - 1, post_id, f"{post_pid}_{seq}", cid, "", True, fmt(when),
                 (opening + body + closing).strip(), self.answer_likes[c], 0]
            )  # fmt: skip
            children[cid] = children.get(cid, 0) + 1
            answers += 1
        if children:
            for row in out[start:]:
                if row[3] is None:
                    row[9] = children.get(row[0], 0)
        else:
            for row in out[start:]:
                if row[3] is None:
                    row[9] = 0
        return seq, answers


def _pool(kind: int, topic: texts.Topic, u: float) -> list[str]:
    if kind == 0:
        return topic.questions if u < 0.8 else texts.GENERIC_QUESTIONS
    if kind == 1:
        return topic.praise
    if kind == 3:
        return topic.complaints
    if kind == 4:
        return texts.SUGGESTIONS
    if kind == 5:
        return texts.RUDE_COMMENTS
    return texts.NEUTRAL_COMMENTS
