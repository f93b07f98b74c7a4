"""Facebook Pages through the Meta Graph API: page audience, own posts with reactions by type, comments.

Reactions by type come in one call per page of posts through field expansion with aliases; comments are
read flat (`filter=stream`, chronological) with their `parent`, so threads and the page's own replies are
kept. See ../shared/research/platform-apis-and-metrics.md §1.1–1.5.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from ratusz.collect.collectors.base import Collector, CommentData, ItemError, Job, PostData, Window
from ratusz.collect.collectors.fields import (
    count,
    optional_str,
    parse_time,
    pseudonym,
    required_str,
    summary_count,
)
from ratusz.collect.collectors.http import (
    ApiError,
    Gone,
    QuotaExhausted,
    Throttled,
    TokenDead,
    TransientError,
    parse_usage,
)
from ratusz.collect.models import REACTION_TYPES

#: Graph error codes that mean "slow down" (research §1.5); 4 is the app-wide limit, the rest per token.
THROTTLE_CODES = frozenset({4, 17, 32, 341, 613, *range(80000, 80015)})
APP_THROTTLE_CODES = frozenset({4, 341})
DEFAULT_THROTTLE_WAIT = 3600.0  # seconds, when the platform gives no estimate (Mixpost's choice)

POST_FIELDS = ",".join(
    [
        "id",
        "created_time",
        "message",
        "permalink_url",
        "status_type",
        "from{id}",
        "attachments{media_type,type}",
        "shares",
        "comments.limit(0).summary(total_count)",
        "reactions.limit(0).summary(total_count).as(reactions_total)",
        *(f"reactions.type({t.upper()}).limit(0).summary(total_count).as(r_{t})" for t in REACTION_TYPES),
    ]
)
COMMENT_FIELDS = "id,created_time,message,from{id},like_count,comment_count,parent{id}"


def classify_graph(response: httpx.Response, body: Any) -> ApiError | None:
    """Return the ApiError a Graph API response stands for, or None when it is a success."""
    error = body.get("error") if isinstance(body, dict) else None
    if response.status_code < 400 and error is None:
        return None
    if not isinstance(error, dict):
        if response.status_code >= 500:
            return TransientError(f"błąd serwera HTTP {response.status_code}")
        return ApiError(f"nieoczekiwana odpowiedź HTTP {response.status_code}")
    code = error.get("code") if isinstance(error.get("code"), int) else None
    subcode = error.get("error_subcode") if isinstance(error.get("error_subcode"), int) else None
    message = f"Graph API #{code} (HTTP {response.status_code}): {str(error.get('message', ''))[:200]}"
    if code in (190, 102):
        return TokenDead(message, code=code, subcode=subcode)
    if code in THROTTLE_CODES:
        _, _, regain_minutes = parse_usage(response.headers)
        wait = regain_minutes * 60 if regain_minutes > 0 else DEFAULT_THROTTLE_WAIT
        scope = "app" if code in APP_THROTTLE_CODES else "token"
        return Throttled(message, wait=wait, scope=scope, code=code)
    if code in (1, 2) or error.get("is_transient") is True or response.status_code >= 500:
        return TransientError(message, code=code, subcode=subcode)
    if code == 100 and subcode == 33:
        return Gone(message, code=code, subcode=subcode)
    return ApiError(message, code=code, subcode=subcode)


def _post_format(item: dict[str, Any]) -> str:
    status_type = item.get("status_type") or ""
    attachments = item.get("attachments")
    first = {}
    if isinstance(attachments, dict) and isinstance(attachments.get("data"), list) and attachments["data"]:
        first = attachments["data"][0] if isinstance(attachments["data"][0], dict) else {}
    media_type, kind = str(first.get("media_type", "")), str(first.get("type", ""))
    if status_type == "created_event" or media_type == "event" or kind == "event":
        return "event"
    if "reel" in kind or "reel" in status_type:
        return "reel"
    if media_type == "video" or "video" in kind:
        return "video"
    if media_type in ("photo", "album") or kind in ("photo", "album"):
        return "photo"
    if status_type == "shared_story" and kind not in ("share", ""):
        return "shared"
    if media_type == "link" or kind == "share":
        return "link"
    return "text" if not first else "other"


def _strip_people(item: dict[str, Any]) -> dict[str, Any]:
    # Edges requested with limit(0) carry no people, but never keep a list of reactors or commenters.
    raw: dict[str, Any] = {}
    for key, value in item.items():
        if isinstance(value, dict) and "data" in value and key not in ("attachments",):
            value = {k: v for k, v in value.items() if k != "data"}
        raw[key] = value
    return raw


def parse_post(item: dict[str, Any], page_id: str) -> tuple[PostData, list[str]]:
    """Return a PostData from one Graph post (and warnings about it); ItemError when it is unusable."""
    warnings: list[str] = []
    post_id = required_str(item, "id")
    published_at = parse_time(item.get("created_time"), "created_time")
    reactions = {t: summary_count(item, f"r_{t}") for t in REACTION_TYPES}
    total = summary_count(item, "reactions_total")
    known = [v for v in reactions.values() if v is not None]
    if total is not None and len(known) == len(REACTION_TYPES) and total > sum(known):
        warnings.append(
            f"{total - sum(known)} reakcji nieznanego typu (np. THANKFUL, PRIDE): są w sumie, bez rozbicia"
        )
    extra = sorted(k for k in item if k.startswith("r_") and k[2:] not in REACTION_TYPES)
    if extra:
        warnings.append(f"nieznane typy reakcji pominięte w rozbiciu: {', '.join(extra)}")
    shares = item.get("shares")
    if shares is not None and not isinstance(shares, dict):
        raise ItemError("pole „shares” ma zły typ")
    author = item.get("from")
    is_own = not (isinstance(author, dict) and author.get("id") and str(author["id"]) != page_id)
    data = PostData(
        platform_id=post_id,
        published_at=published_at,
        text=optional_str(item, "message"),
        format=_post_format(item),
        permalink=optional_str(item, "permalink_url"),
        is_own=is_own,
        reactions=reactions,
        reactions_total=total,
        comments_count=summary_count(item, "comments"),
        shares_count=count(shares.get("count"), "shares.count") if isinstance(shares, dict) else None,
        raw=_strip_people(item),
    )
    return data, warnings


def parse_comment(item: dict[str, Any], platform: str, owner_id: str) -> CommentData:
    """Return a CommentData from one Graph/Instagram comment; the author id is replaced by its keyed hash."""
    comment_id = required_str(item, "id")
    created = item.get("created_time", item.get("timestamp"))
    author = item.get("from")
    if author is not None and not isinstance(author, dict):
        raise ItemError("pole „from” ma zły typ")
    author_id = str(author.get("id") or "") if author else ""
    parent = item.get("parent")
    parent_id = None
    if isinstance(parent, dict) and parent.get("id"):
        parent_id = str(parent["id"])
    elif parent is not None and not isinstance(parent, dict):
        raise ItemError("pole „parent” ma zły typ")
    likes, replies = item.get("like_count"), item.get("comment_count")
    return CommentData(
        platform_id=comment_id,
        created_at=parse_time(created, "created_time"),
        text=optional_str(item, "message") if "message" in item else optional_str(item, "text"),
        author_key=pseudonym(platform, author_id),
        is_from_profile=bool(author_id) and author_id == owner_id,
        parent_platform_id=parent_id,
        # plain non-negative ints (the usual case) need no further checks
        likes_count=likes if likes.__class__ is int and likes >= 0 else count(likes, "like_count"),
        replies_count=replies
        if replies.__class__ is int and replies >= 0
        else count(replies, "comment_count"),
    )


class FacebookCollector(Collector):
    """Facebook Pages (Graph API with a Page access token)."""

    id = "facebook"
    title = "Facebook (strony)"
    settings = ("RATUSZ_FACEBOOK_GRAPH_URL",)
    base_url_setting = "RATUSZ_FACEBOOK_GRAPH_URL"
    classify = staticmethod(classify_graph)

    def snapshot_followers(self, job: Job, day: date) -> None:
        """Save today's followers_count and fan_count of the page."""
        page_id = job.profile.platform_id
        body = job.client.get(
            f"{self.base_url()}/{page_id}",
            {"fields": "id,followers_count,fan_count", "access_token": job.token},
        )
        try:
            followers = count(body.get("followers_count"), "followers_count")
            fans = count(body.get("fan_count"), "fan_count")
        except (ItemError, AttributeError) as exc:
            job.warn(page_id, f"liczba obserwujących pominięta: {exc}")
            return
        if followers is None and fans is None:
            job.warn(page_id, "platforma nie podała liczby obserwujących")
            return
        job.save_followers(day, followers, fans)

    def comments(self, job: Job, post_id: str) -> list[CommentData]:
        """Return every comment and reply of a post (bad ones are skipped and logged)."""
        params = {
            "filter": "stream",
            "order": "chronological",
            "fields": COMMENT_FIELDS,
            "limit": 100,
            "access_token": job.token,
        }
        result = []
        for item in job.client.paged(f"{self.base_url()}/{post_id}/comments", params):
            try:
                result.append(parse_comment(item, self.id, job.profile.platform_id))
            except ItemError as exc:
                item_id = item.get("id") if isinstance(item, dict) else None
                job.skip_item(f"{post_id}/{item_id or '?'}", f"komentarz pominięty: {exc}")
            except AttributeError:
                job.skip_item(f"{post_id}/?", "komentarz pominięty: element nie jest obiektem JSON")
        return result

    def collect_window(self, job: Job, window: Window) -> None:
        """Fetch the page's published posts of the window, newest first, each with all its comments."""
        until = window.fetch_until()
        params = {
            "fields": POST_FIELDS,
            "since": int(window.start.timestamp()),
            "until": int(until.timestamp()),
            "limit": 100,
            "access_token": job.token,
        }
        url = f"{self.base_url()}/{job.profile.platform_id}/published_posts"
        for item in job.client.paged(url, params):
            item_id = str(item.get("id") or "?") if isinstance(item, dict) else "?"
            try:
                if not isinstance(item, dict):
                    raise ItemError("element nie jest obiektem JSON")
                post, warnings = parse_post(item, job.profile.platform_id)
            except ItemError as exc:
                job.skip_item(item_id, f"post pominięty: {exc}")
                continue
            for warning in warnings:
                job.warn(item_id, warning)
            try:
                comments = self.comments(job, post.platform_id)
            except Gone:
                job.skip_item(item_id, "post usunięty na platformie w trakcie zbierania: pominięty")
                continue
            except (TokenDead, Throttled, QuotaExhausted):
                raise
            except ApiError as exc:
                job.window_failed(window, f"komentarze posta {item_id}: {exc.message}")
                continue
            job.save_post(window, post, comments)
