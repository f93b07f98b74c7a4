"""Instagram professional accounts through the Instagram Graph API: followers, media, comments with replies.

Same Graph conventions as Facebook (errors, paging, usage headers); `profile.platform_id` is the IG user id.
Instagram has likes only, so `reactions_like` = `reactions_total` = like_count and other types stay NULL.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ratusz.collect.collectors.base import Collector, CommentData, ItemError, Job, PostData, Window
from ratusz.collect.collectors.facebook import classify_graph, parse_comment
from ratusz.collect.collectors.fields import count, optional_str, parse_time, required_str
from ratusz.collect.collectors.http import ApiError, Gone, QuotaExhausted, Throttled, TokenDead

MEDIA_FIELDS = "id,caption,timestamp,media_type,media_product_type,permalink,like_count,comments_count"
COMMENT_FIELDS = "id,text,timestamp,like_count,from{id},replies{id,text,timestamp,like_count,from{id}}"
FORMATS = {"IMAGE": "photo", "CAROUSEL_ALBUM": "photo", "VIDEO": "video"}


def parse_media(item: dict[str, Any]) -> PostData:
    """Return a PostData from one IG Media object; ItemError when it is unusable."""
    media_id = required_str(item, "id")
    media_type = optional_str(item, "media_type")
    fmt = "reel" if item.get("media_product_type") == "REELS" else FORMATS.get(media_type, "other")
    likes = count(item.get("like_count"), "like_count")  # absent when the owner hides like counts
    return PostData(
        platform_id=media_id,
        published_at=parse_time(item.get("timestamp"), "timestamp"),
        text=optional_str(item, "caption"),
        format=fmt,
        permalink=optional_str(item, "permalink"),
        reactions={"like": likes},
        reactions_total=likes,
        comments_count=count(item.get("comments_count"), "comments_count"),
        raw=dict(item),
    )


class InstagramCollector(Collector):
    """Instagram professional (business or creator) accounts."""

    id = "instagram"
    title = "Instagram (konta profesjonalne)"
    settings = ("RATUSZ_INSTAGRAM_GRAPH_URL",)
    base_url_setting = "RATUSZ_INSTAGRAM_GRAPH_URL"
    classify = staticmethod(classify_graph)

    def snapshot_followers(self, job: Job, day: date) -> None:
        """Save today's followers_count of the account."""
        body = job.client.get(
            f"{self.base_url()}/{job.profile.platform_id}",
            {"fields": "id,followers_count,media_count", "access_token": job.token},
        )
        try:
            followers = count(body.get("followers_count"), "followers_count")
        except (ItemError, AttributeError) as exc:
            job.warn(job.profile.platform_id, f"liczba obserwujących pominięta: {exc}")
            return
        if followers is None:
            job.warn(job.profile.platform_id, "platforma nie podała liczby obserwujących")
            return
        job.save_followers(day, followers, None)

    def _parse_comment(self, job: Job, item: Any, media_id: str, parent: str | None) -> CommentData | None:
        try:
            if not isinstance(item, dict):
                raise ItemError("element nie jest obiektem JSON")
            comment = parse_comment(item, self.id, job.profile.platform_id)
        except ItemError as exc:
            item_id = item.get("id") if isinstance(item, dict) else None
            job.skip_item(f"{media_id}/{item_id or '?'}", f"komentarz pominięty: {exc}")
            return None
        comment.parent_platform_id = parent
        return comment

    def comments(self, job: Job, media_id: str) -> list[CommentData]:
        """Return every comment of a media object with its replies (bad ones skipped and logged)."""
        params = {"fields": COMMENT_FIELDS, "limit": 50, "access_token": job.token}
        result: list[CommentData] = []
        for item in job.client.paged(f"{self.base_url()}/{media_id}/comments", params):
            top = self._parse_comment(job, item, media_id, None)
            if top is None:
                continue
            result.append(top)
            replies = item.get("replies")
            if not isinstance(replies, dict):
                continue
            reply_items = list(replies.get("data") or [])
            next_url = (replies.get("paging") or {}).get("next")
            if next_url:
                reply_items.extend(job.client.paged(next_url))
            for reply in reply_items:
                parsed = self._parse_comment(job, reply, media_id, top.platform_id)
                if parsed is not None:
                    result.append(parsed)
        return result

    def collect_window(self, job: Job, window: Window) -> None:
        """Fetch the account's media of the window, newest first, each with its comments."""
        until = window.fetch_until()
        params = {
            "fields": MEDIA_FIELDS,
            "since": int(window.start.timestamp()),
            "until": int(until.timestamp()),
            "limit": 100,
            "access_token": job.token,
        }
        for item in job.client.paged(f"{self.base_url()}/{job.profile.platform_id}/media", params):
            item_id = str(item.get("id") or "?") if isinstance(item, dict) else "?"
            try:
                if not isinstance(item, dict):
                    raise ItemError("element nie jest obiektem JSON")
                post = parse_media(item)
            except ItemError as exc:
                job.skip_item(item_id, f"post pominięty: {exc}")
                continue
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
