"""YouTube channels through the YouTube Data API v3: subscribers, uploaded videos, comment threads.

Every call's quota cost is counted in QuotaUsage per Pacific-time day (YouTube's reset) before it is made,
and collection stops at RATUSZ_YOUTUBE_DAILY_QUOTA. The channel's key (its stored token) or
RATUSZ_YOUTUBE_API_KEY is sent as `key`. `profile.platform_id` is the channel id (UC…).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from django.db import transaction
from django.db.models import F

from ratusz import config
from ratusz.collect.collectors.base import Collector, CommentData, ItemError, Job, PostData, Window
from ratusz.collect.collectors.fields import count, optional_str, parse_time, pseudonym, required_str
from ratusz.collect.collectors.http import (
    ApiError,
    Gone,
    QuotaExhausted,
    Throttled,
    TokenDead,
    TransientError,
)
from ratusz.collect.run_models import QuotaUsage

PACIFIC = ZoneInfo("America/Los_Angeles")
#: Quota units per call (YouTube Data API v3 quota table); list calls cost 1, search costs 100.
COSTS = {"search": 100}
QUOTA_API = "youtube"


def spend_quota(units: int, *, now: datetime | None = None) -> int:
    """Count `units` against today's YouTube budget; return the units spent today including them.

    Raises QuotaExhausted (and counts nothing) when the call would go over RATUSZ_YOUTUBE_DAILY_QUOTA.
    """
    budget = int(config.get("RATUSZ_YOUTUBE_DAILY_QUOTA"))
    day = (now or datetime.now(PACIFIC)).astimezone(PACIFIC).date()
    with transaction.atomic():
        usage, _ = QuotaUsage.objects.get_or_create(api=QUOTA_API, day=day)
        updated = QuotaUsage.objects.filter(pk=usage.pk, units__lte=budget - units).update(
            units=F("units") + units
        )
    if not updated:
        raise QuotaExhausted(
            f"dzienny budżet YouTube ({budget} jednostek) wyczerpany: zbieranie wróci po północy czasu pacyficznego"
        )
    return QuotaUsage.objects.get(pk=usage.pk).units


def classify_youtube(response: httpx.Response, body: Any) -> ApiError | None:
    """Return the ApiError a YouTube Data API response stands for, or None on success."""
    error = body.get("error") if isinstance(body, dict) else None
    if response.status_code < 400 and error is None:
        return None
    if response.status_code >= 500:
        return TransientError(f"YouTube: błąd serwera HTTP {response.status_code}")
    if not isinstance(error, dict):
        return ApiError(f"YouTube: nieoczekiwana odpowiedź HTTP {response.status_code}")
    reasons = {e.get("reason") for e in error.get("errors") or [] if isinstance(e, dict)}
    message = f"YouTube {response.status_code} {','.join(sorted(r for r in reasons if r))}: {str(error.get('message', ''))[:200]}"
    if reasons & {"quotaExceeded", "dailyLimitExceeded"}:
        return QuotaExhausted(message)
    if reasons & {"rateLimitExceeded", "userRateLimitExceeded"}:
        return Throttled(message, wait=60.0, scope="token")
    if response.status_code == 401 or reasons & {"keyInvalid", "authError", "keyExpired"}:
        return TokenDead(message)
    if reasons & {"videoNotFound", "commentsDisabled"} or response.status_code == 404:
        return Gone(message)
    return ApiError(message)


def parse_video(item: dict[str, Any]) -> PostData:
    """Return a PostData from one videos.list item; ItemError when it is unusable."""
    video_id = required_str(item, "id")
    snippet = item.get("snippet")
    stats = item.get("statistics") or {}
    if not isinstance(snippet, dict) or not isinstance(stats, dict):
        raise ItemError("brak pola „snippet” albo „statistics”")
    likes = count(stats.get("likeCount"), "likeCount")  # absent when the owner hides likes
    title, description = optional_str(snippet, "title"), optional_str(snippet, "description")
    return PostData(
        platform_id=video_id,
        published_at=parse_time(snippet.get("publishedAt"), "publishedAt"),
        text="\n\n".join(t for t in (title, description) if t),
        format="video",
        permalink=f"https://www.youtube.com/watch?v={video_id}",
        reactions={"like": likes},
        reactions_total=likes,
        comments_count=count(stats.get("commentCount"), "commentCount"),
        views_count=count(stats.get("viewCount"), "viewCount"),
        raw=dict(item),
    )


def parse_yt_comment(item: dict[str, Any], channel_id: str, parent: str | None) -> CommentData:
    """Return a CommentData from a YouTube comment resource (author pseudonymised)."""
    comment_id = required_str(item, "id")
    snippet = item.get("snippet")
    if not isinstance(snippet, dict):
        raise ItemError("brak pola „snippet”")
    author = snippet.get("authorChannelId")
    author_id = str(author.get("value") or "") if isinstance(author, dict) else ""
    return CommentData(
        platform_id=comment_id,
        created_at=parse_time(snippet.get("publishedAt"), "publishedAt"),
        text=optional_str(snippet, "textOriginal") or optional_str(snippet, "textDisplay"),
        author_key=pseudonym("youtube", author_id),
        is_from_profile=bool(author_id) and author_id == channel_id,
        parent_platform_id=parent,
        likes_count=count(snippet.get("likeCount"), "likeCount"),
    )


class YouTubeCollector(Collector):
    """YouTube channels (Data API v3 with an API key)."""

    id = "youtube"
    title = "YouTube (kanały)"
    settings = ("RATUSZ_YOUTUBE_API_URL", "RATUSZ_YOUTUBE_API_KEY", "RATUSZ_YOUTUBE_DAILY_QUOTA")
    base_url_setting = "RATUSZ_YOUTUBE_API_URL"
    needs_token = False  # a channel may use the installation-wide API key
    classify = staticmethod(classify_youtube)

    def __init__(self) -> None:
        self.uploads: str | None = None

    def before_request(self, url: str) -> None:
        """Count the call's quota cost before it is made (QuotaExhausted at the budget)."""
        endpoint = url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]
        spend_quota(COSTS.get(endpoint, 1))

    def _key(self, job: Job) -> str:
        key = job.token or config.get("RATUSZ_YOUTUBE_API_KEY")
        if not key:
            raise TokenDead("brak klucza YouTube: ustaw RATUSZ_YOUTUBE_API_KEY albo token kanału")
        return key

    def _pages(self, job: Job, endpoint: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        params = {**params, "key": self._key(job)}
        while True:
            body = job.client.get(f"{self.base_url()}/{endpoint}", params)
            items = body.get("items") if isinstance(body, dict) else None
            if not isinstance(items, list):
                raise ApiError(f"YouTube: odpowiedź {endpoint} bez listy „items”")
            yield from items
            token = body.get("nextPageToken")
            if not token:
                return
            params = {**params, "pageToken": token}

    def _load_channel(self, job: Job) -> dict[str, Any]:
        items = list(
            self._pages(job, "channels", {"part": "statistics,contentDetails", "id": job.profile.platform_id})
        )
        if not items or not isinstance(items[0], dict):
            raise Gone(f"YouTube: kanał {job.profile.platform_id} nie istnieje")
        uploads = ((items[0].get("contentDetails") or {}).get("relatedPlaylists") or {}).get("uploads")
        self.uploads = uploads if isinstance(uploads, str) else ""
        return items[0]

    def snapshot_followers(self, job: Job, day: date) -> None:
        """Save today's subscriber count of the channel (nothing when the channel hides it)."""
        stats = self._load_channel(job).get("statistics") or {}
        try:
            hidden = stats.get("hiddenSubscriberCount") is True
            subscribers = None if hidden else count(stats.get("subscriberCount"), "subscriberCount")
        except (ItemError, AttributeError) as exc:
            job.warn(job.profile.platform_id, f"liczba subskrybentów pominięta: {exc}")
            return
        if subscribers is not None:
            job.save_followers(day, subscribers, None)

    def comments(self, job: Job, video_id: str) -> list[CommentData]:
        """Return every comment thread of a video with all replies (bad ones skipped and logged)."""
        channel = job.profile.platform_id
        result: list[CommentData] = []
        params = {
            "part": "snippet,replies",
            "videoId": video_id,
            "maxResults": 100,
            "textFormat": "plainText",
        }
        for thread in self._pages(job, "commentThreads", params):
            try:
                top_item = (thread.get("snippet") or {}).get("topLevelComment")
                if not isinstance(top_item, dict):
                    raise ItemError("brak pola „topLevelComment”")
                top = parse_yt_comment(top_item, channel, None)
                total_replies = count((thread.get("snippet") or {}).get("totalReplyCount"), "totalReplyCount")
            except (ItemError, AttributeError) as exc:
                job.skip_item(
                    f"{video_id}/{thread.get('id', '?') if isinstance(thread, dict) else '?'}",
                    f"komentarz pominięty: {exc}",
                )
                continue
            top.replies_count = total_replies
            result.append(top)
            replies = list((thread.get("replies") or {}).get("comments") or [])
            if total_replies and total_replies > len(replies):
                replies = list(
                    self._pages(
                        job, "comments", {"part": "snippet", "parentId": top.platform_id, "maxResults": 100}
                    )
                )
            for reply in replies:
                try:
                    result.append(parse_yt_comment(reply, channel, top.platform_id))
                except (ItemError, AttributeError) as exc:
                    job.skip_item(
                        f"{video_id}/{reply.get('id', '?') if isinstance(reply, dict) else '?'}",
                        f"odpowiedź pominięta: {exc}",
                    )
        return result

    def _video_ids(self, job: Job, window: Window) -> list[str]:
        """Return the ids of uploads published in the window below resume_until, newest first."""
        if self.uploads is None:
            self._load_channel(job)
        if not self.uploads:
            raise ApiError(f"YouTube: kanał {job.profile.platform_id} nie ma listy przesłanych filmów")
        upper = min(window.end, window.resume_until) if window.resume_until else window.end
        inclusive = window.resume_until is not None
        ids: list[tuple[datetime, str]] = []
        params = {"part": "contentDetails", "playlistId": self.uploads, "maxResults": 50}
        for item in self._pages(job, "playlistItems", params):
            details = item.get("contentDetails") if isinstance(item, dict) else None
            try:
                if not isinstance(details, dict):
                    raise ItemError("brak pola „contentDetails”")
                published = parse_time(details.get("videoPublishedAt"), "videoPublishedAt")
                video_id = required_str(details, "videoId")
            except ItemError as exc:
                job.skip_item(
                    str(item.get("id", "?")) if isinstance(item, dict) else "?", f"film pominięty: {exc}"
                )
                continue
            if published < window.start:
                break  # the uploads playlist runs newest first: the rest is older than the window
            if published < upper or (inclusive and published == upper):
                ids.append((published, video_id))
        return [v for _, v in sorted(ids, reverse=True)]

    def collect_window(self, job: Job, window: Window) -> None:
        """Fetch the channel's videos of the window, newest first, each with its comment threads."""
        ids = self._video_ids(job, window)
        videos: dict[str, dict[str, Any]] = {}
        for i in range(0, len(ids), 50):
            for item in self._pages(
                job, "videos", {"part": "snippet,statistics", "id": ",".join(ids[i : i + 50])}
            ):
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    videos[item["id"]] = item
        for video_id in ids:
            item = videos.get(video_id)
            if item is None:
                job.skip_item(video_id, "film usunięty na platformie w trakcie zbierania: pominięty")
                continue
            try:
                post = parse_video(item)
            except ItemError as exc:
                job.skip_item(video_id, f"film pominięty: {exc}")
                continue
            try:
                comments = self.comments(job, video_id)
            except Gone:
                comments = []  # comments disabled (or video gone after listing; the listing still holds it)
            except (TokenDead, Throttled, QuotaExhausted):
                raise
            except ApiError as exc:
                job.window_failed(window, f"komentarze filmu {video_id}: {exc.message}")
                continue
            job.save_post(window, post, comments)
