"""A real HTTP server on loopback that answers like the Graph API (Facebook Pages, Instagram) and YouTube
Data API v3, from a deterministic dataset generated on the fly (so a benchmark can serve millions of comments).

Fault injection: `server.faults` maps a path regex to a queue of faults served to the next matching
requests (HTTP 5xx, a slow answer, a malformed body, a Graph error with its code, throttling headers);
`dataset.deleted` lists posts that are listed but gone when their comments are read; `dataset.broken`
mutates chosen items (missing or mistyped fields). Run standalone: python tests/collect/fakegraph.py.
"""

from __future__ import annotations

import base64
import json
import re
import socket
import sys
import threading
import time
import zlib
from collections import Counter as TallyCounter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import orjson

REACTIONS = ["like", "love", "care", "haha", "wow", "sad", "angry"]


def _h(*parts: object) -> int:
    return zlib.crc32(":".join(map(str, parts)).encode())


def iso(t: datetime) -> str:
    """Graph's time format (…+0000) of a UTC time."""
    return t.replace(tzinfo=None, microsecond=0).isoformat() + "+0000"


@lru_cache(maxsize=64)
def _aliases(fields: str) -> list[tuple[str, str]]:
    """(reaction type, alias) pairs asked for by field expansion, e.g. reactions.type(LOVE)….as(r_love)."""
    return re.findall(r"reactions\.type\((\w+)\)[^,]*?\.as\((\w+)\)", fields)


@dataclass
class Dataset:
    """Accounts × posts × comments, all derived from indices (nothing big is held in memory)."""

    accounts: int = 3
    posts: int = 12
    comments: int = 7
    start: datetime = field(
        default_factory=lambda: (
            datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=20)
        )
    )
    span_days: float = 18.0
    platform: str = "facebook"
    deleted: set[str] = field(default_factory=set)  # listed, but gone when its comments are read
    vanished: set[str] = field(default_factory=set)  # deleted: neither listed nor readable
    broken: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = field(default_factory=dict)
    thankful: dict[str, int] = field(
        default_factory=dict
    )  # post id -> reactions of a type ratusz has no column for
    followers_missing: set[str] = field(default_factory=set)

    # --- identities
    def account_id(self, i: int) -> str:
        return {"facebook": f"{1000 + i}", "instagram": f"17841{400000 + i}", "youtube": f"UCfake{i:06d}"}[
            self.platform
        ]

    def token(self, i: int) -> str:
        return f"tok-{self.account_id(i)}"

    def account_index(self, account_id: str) -> int | None:
        key = (self.platform, self.accounts)
        if getattr(self, "_index_key", None) != key:  # built once (a benchmark serves 1,000 accounts)
            self._index = {self.account_id(i): i for i in range(self.accounts)}
            self._index_key = key
        return self._index.get(account_id)

    def post_id(self, i: int, j: int) -> str:
        return f"{self.account_id(i)}_{j}" if self.platform != "youtube" else f"v{i:05d}x{j:04d}"

    def parse_post_id(self, post_id: str) -> tuple[int, int] | None:
        if self.platform == "youtube":
            m = re.fullmatch(r"v(\d{5})x(\d{4})", post_id)
            return (int(m[1]), int(m[2])) if m else None
        acc, _, j = post_id.rpartition("_")
        i = self.account_index(acc)
        return (i, int(j)) if i is not None and j.isdigit() and int(j) < self.posts else None

    # --- content
    def followers(self, i: int) -> tuple[int, int]:
        return 1000 + _h("f", i) % 50000, 900 + _h("fan", i) % 40000

    def post_time(self, i: int, j: int) -> datetime:
        # newest post has the highest j; a few posts share a second to test the inclusive resume bound
        step = self.span_days * 86400 / max(1, self.posts)
        return self.start + timedelta(seconds=int(j * step) + (i % 7) * 60)

    def reactions(self, i: int, j: int) -> dict[str, int]:
        return {r: _h("r", r, i, j) % (200 if r == "like" else 15) for r in REACTIONS}

    def comment_count(self, i: int, j: int) -> int:
        return self.comments

    def comment(self, i: int, j: int, k: int) -> dict[str, Any]:
        post = self.post_id(i, j)
        from_page = k % 5 == 4
        parent = f"{post}_c{k - 1}" if k % 3 == 2 else None
        return {
            "id": f"{post}_c{k}",
            "created": self.post_time(i, j) + timedelta(minutes=k + 1),
            "author": self.account_id(i) if from_page else f"user{_h('u', i, j, k) % 97}",
            "text": f"Komentarz {k} pod postem {j} ({'odpowiedź urzędu' if from_page else 'mieszkaniec'})",
            "likes": _h("cl", i, j, k) % 9,
            "parent": parent,
            "from_page": from_page,
        }

    # --- the truth a correct collector must store (deleted and broken items excluded)
    def expected(self) -> dict[str, dict[str, Any]]:
        result = {}
        for i in range(self.accounts):
            for j in range(self.posts):
                pid = self.post_id(i, j)
                if pid in self.deleted or pid in self.broken or pid in self.vanished:
                    continue
                comments = {}
                for k in range(self.comment_count(i, j)):
                    c = self.comment(i, j, k)
                    if c["id"] in self.broken:
                        continue
                    comments[c["id"]] = c
                result[pid] = {
                    "account": self.account_id(i),
                    "time": self.post_time(i, j),
                    "reactions": self.reactions(i, j),
                    "comments": comments,
                }
        return result


Fault = dict[str, Any]


class _QuietServer(ThreadingHTTPServer):
    """A client closing its keep-alive connection (as httpx does at the end of a run) is not an error."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class FakeServer:
    """Threaded HTTP/1.1 server on 127.0.0.1 serving a Dataset; start() returns the base URL."""

    def __init__(
        self, dataset: Dataset, *, short_pages: bool = False, usage: dict[str, int] | None = None
    ) -> None:
        self.data = dataset
        self.short_pages = short_pages
        self.usage = usage or {}
        self.faults: dict[str, list[Fault]] = {}
        self.dead_tokens: set[str] = set()
        self.requests = 0
        self.paths: TallyCounter[str] = TallyCounter()
        self.lock = threading.Lock()
        self.delay = 0.0
        self.page_size = 0  # caps `limit` when set (more pages with few items)
        # When set, every answer reports the calling token's use as Graph does (X-Business-Use-Case-Usage):
        # call_count = 100 × the token's calls so far / token_budget.
        self.token_budget = 0
        self.token_calls: TallyCounter[str] = TallyCounter()
        self.on_request: Callable[[str, dict[str, str]], None] | None = None  # may change the dataset mid-run
        handler = type("Handler", (_Handler,), {"fake": self})
        self.httpd = _QuietServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def base_url(self) -> str:
        return self.root + ("/youtube/v3" if self.data.platform == "youtube" else "/v23.0")

    def start(self) -> str:
        self.thread.start()
        return self.base_url

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def add_fault(self, path_regex: str, *faults: Fault) -> None:
        with self.lock:
            self.faults.setdefault(path_regex, []).extend(faults)

    def take_fault(self, path: str) -> Fault | None:
        with self.lock:
            for pattern, queue in self.faults.items():
                if queue and re.search(pattern, path):
                    return queue.pop(0)
        return None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake: FakeServer

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    # --- plumbing
    def _send(
        self, status: int, body: Any, headers: dict[str, str] | None = None, raw: bytes | None = None
    ) -> None:
        payload = raw if raw is not None else orjson.dumps(body)
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(payload)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        for k, v in self._usage_headers().items():
            self.send_header(k, v)
        # headers and body in one write: separate small writes meet delayed ACKs (40 ms per request)
        self._headers_buffer.append(b"\r\n")
        self.wfile.write(b"".join(self._headers_buffer) + payload)
        self._headers_buffer = []

    def _usage_headers(self) -> dict[str, str]:
        u = self.fake.usage
        out = {}
        token = getattr(self, "token", "")
        if self.fake.token_budget and token and "buc" not in u:
            percent = 100 * self.fake.token_calls[token] // self.fake.token_budget
            out["X-Business-Use-Case-Usage"] = json.dumps(
                {"1": [{"type": "pages", "call_count": percent, "total_cputime": 1, "total_time": 1}]}
            )
        if "app" in u:
            out["X-App-Usage"] = json.dumps({"call_count": u["app"], "total_cputime": 1, "total_time": 1})
        if "buc" in u:
            out["X-Business-Use-Case-Usage"] = json.dumps(
                {
                    "1": [
                        {
                            "type": "pages",
                            "call_count": u["buc"],
                            "total_cputime": 1,
                            "total_time": 1,
                            "estimated_time_to_regain_access": u.get("regain", 0),
                        }
                    ]
                }
            )
        if "page" in u:
            out["X-Page-Usage"] = json.dumps({"call_count": u["page"], "total_cputime": 1, "total_time": 1})
        return out

    def _graph_error(
        self,
        code: int,
        message: str,
        status: int = 400,
        subcode: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        err: dict[str, Any] = {
            "message": message,
            "type": "OAuthException",
            "code": code,
            "fbtrace_id": "fake",
        }
        if subcode is not None:
            err["error_subcode"] = subcode
        self._send(status, {"error": err}, headers)

    def _apply_fault(self, fault: Fault) -> bool:
        kind = fault["kind"]
        if kind == "status":
            self._send(
                fault.get("status", 500),
                {"error": {"message": "Internal", "code": 2}} if fault.get("json", True) else None,
                raw=None if fault.get("json", True) else b"<html>oops</html>",
            )
        elif kind == "sleep":
            time.sleep(fault["seconds"])
            return False  # then answer normally (too late for the client's timeout)
        elif kind == "malformed":
            self._send(200, None, raw=b'{"data": [{"id": "trunc')
        elif kind == "error":
            self._graph_error(
                fault["code"],
                fault.get("message", "error"),
                fault.get("status", 400),
                fault.get("subcode"),
                fault.get("headers"),
            )
        elif kind == "yt_error":
            self._send(
                fault.get("status", 403),
                {
                    "error": {
                        "code": fault.get("status", 403),
                        "message": fault["reason"],
                        "errors": [{"reason": fault["reason"]}],
                    }
                },
            )
        elif kind == "drop":
            self.close_connection = True
            self.connection.shutdown(2)
        return True

    def do_GET(self) -> None:  # noqa: N802
        fake = self.fake
        with fake.lock:
            fake.requests += 1
        parts = urlsplit(self.path)
        path = parts.path
        q = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        self.token = q.get("access_token") or q.get("key") or ""
        with fake.lock:
            fake.paths[re.sub(r"/[^/]*\d[^/]*", "/:id", path)] += 1
            if fake.token_budget:
                fake.token_calls[self.token] += 1
        if fake.delay:
            time.sleep(fake.delay)
        if fake.on_request:
            fake.on_request(path, q)
        fault = fake.take_fault(path)
        if fault and self._apply_fault(fault):
            return
        try:
            if path.startswith("/youtube/v3/"):
                self._youtube(path.removeprefix("/youtube/v3/"), q)
            elif path.startswith("/v23.0/"):
                self._graph(path.removeprefix("/v23.0/").strip("/").split("/"), q)
            else:
                self._send(404, {"error": {"message": "unknown path", "code": 803}})
        except BrokenPipeError:
            pass

    # --- paging
    def _page(self, items: list[Any], q: dict[str, str], path: str) -> dict[str, Any] | None:
        """One page of a cursor-paged edge; the cursor names the last item served, like Graph's, so it is
        invalid (None returned) when that item was deleted in the meantime."""
        limit = max(1, min(100, int(q.get("limit", 25)), self.fake.page_size or 100))
        offset, page_no = 0, 0
        if "after" in q:
            cursor = json.loads(base64.b64decode(q["after"]))
            page_no = cursor["p"]
            ids = [it.get("id") if isinstance(it, dict) else None for it in items]
            if cursor["id"] is None:
                offset = cursor["o"]
            elif cursor["id"] in ids:
                offset = ids.index(cursor["id"]) + 1
            else:
                return None
        size = limit
        if self.fake.short_pages:  # privacy filtering: fewer than limit, sometimes none, yet more follow
            size = 0 if page_no % 3 == 1 else max(1, limit // 2)
        chunk = items[offset : offset + size]
        end = offset + size
        body: dict[str, Any] = {"data": chunk}
        if end < len(items):
            last = chunk[-1].get("id") if chunk and isinstance(chunk[-1], dict) else None
            if not chunk and "after" in q:
                last = json.loads(base64.b64decode(q["after"]))["id"]
            cursor = base64.b64encode(json.dumps({"id": last, "o": end, "p": page_no + 1}).encode()).decode()
            nq = dict(q, after=cursor)
            body["paging"] = {"cursors": {"after": cursor}, "next": f"{self.fake.root}{path}?{urlencode(nq)}"}
        return body

    def _send_page(self, items: list[Any], q: dict[str, str], path: str) -> None:
        body = self._page(items, q, path)
        if body is None:
            return self._graph_error(100, "Invalid cursor: the item it points to no longer exists", 400)
        self._send(200, body)

    # --- Graph API (Facebook + Instagram)
    def _auth(self, q: dict[str, str], account: int) -> bool:
        token = q.get("access_token", "")
        if token in self.fake.dead_tokens or token != self.fake.data.token(account):
            self._graph_error(190, "Error validating access token: Session has expired", 400, 463)
            return False
        return True

    def _graph(self, segs: list[str], q: dict[str, str]) -> None:
        d = self.fake.data
        path = self.path.split("?")[0]
        if len(segs) == 1:
            i = d.account_index(segs[0])
            if i is None:
                return self._graph_error(100, "Unsupported get request", 400, 33)
            if not self._auth(q, i):
                return
            followers, fans = d.followers(i)
            body: dict[str, Any] = {"id": segs[0]}
            if segs[0] not in d.followers_missing:
                body["followers_count"] = followers
                if d.platform == "facebook":
                    body["fan_count"] = fans
            return self._send(200, body)
        node, edge = segs[0], segs[1]
        if edge in ("published_posts", "media"):
            i = d.account_index(node)
            if i is None:
                return self._graph_error(100, "Unsupported get request", 400, 33)
            if not self._auth(q, i):
                return
            since = int(q.get("since", 0))
            until = int(q.get("until", 2**40))
            js = [
                j
                for j in range(d.posts)
                if since <= d.post_time(i, j).timestamp() < until and d.post_id(i, j) not in d.vanished
            ]
            js.sort(key=lambda j: d.post_time(i, j), reverse=True)
            items = [self._post_json(i, j, q.get("fields", "")) for j in js]
            return self._send_page(items, q, path)
        if edge == "comments":
            ij = d.parse_post_id(node)
            if ij is None or node in d.deleted or node in d.vanished:
                return self._graph_error(
                    100, f"Unsupported get request. Object with ID '{node}' does not exist", 400, 33
                )
            i, j = ij
            if not self._auth(q, i):
                return
            if d.platform == "instagram":
                items = self._ig_comments(i, j)
            else:
                items = [self._comment_json(d.comment(i, j, k), i) for k in range(d.comment_count(i, j))]
            return self._send_page(items, q, path)
        return self._graph_error(100, "Unknown edge", 400)

    def _post_json(self, i: int, j: int, fields: str) -> dict[str, Any]:
        d = self.fake.data
        pid = d.post_id(i, j)
        t = d.post_time(i, j)
        reactions = d.reactions(i, j)
        if d.platform == "instagram":
            item: dict[str, Any] = {
                "id": pid,
                "caption": f"Post {j} konta {i}",
                "timestamp": iso(t),
                "media_type": ["IMAGE", "VIDEO", "CAROUSEL_ALBUM"][j % 3],
                "media_product_type": "REELS" if j % 6 == 1 else "FEED",
                "permalink": f"https://www.instagram.com/p/{pid}/",
                "like_count": reactions["like"],
                "comments_count": d.comment_count(i, j),
            }
        else:
            extra = d.thankful.get(pid, 0)
            item = {
                "id": pid,
                "created_time": iso(t),
                "message": f"Post {j} strony {i}: zapraszamy!",
                "permalink_url": f"https://www.facebook.com/{pid}",
                "status_type": "added_photos" if j % 2 else "mobile_status_update",
                "from": {"id": d.account_id(i), "name": f"Strona {i}"},
                "shares": {"count": _h("s", i, j) % 30},
                "comments": {
                    "data": [],
                    "summary": {"total_count": d.comment_count(i, j), "can_comment": True},
                },
                "reactions_total": {"data": [], "summary": {"total_count": sum(reactions.values()) + extra}},
            }
            if j % 2:
                item["attachments"] = {"data": [{"media_type": "photo", "type": "photo"}]}
            for rtype, alias in _aliases(fields):
                item[alias] = {"data": [], "summary": {"total_count": reactions.get(rtype.lower(), 0)}}
        mutate = d.broken.get(pid)
        return mutate(item) if mutate else item

    def _comment_json(self, c: dict[str, Any], i: int) -> dict[str, Any]:
        d = self.fake.data
        item: dict[str, Any] = {
            "id": c["id"],
            "created_time": iso(c["created"]),
            "message": c["text"],
            "from": {"id": c["author"], "name": "Jan Kowalski" if not c["from_page"] else f"Strona {i}"},
            "like_count": c["likes"],
            "comment_count": 0,
        }
        if c["parent"]:
            item["parent"] = {"id": c["parent"]}
        mutate = d.broken.get(c["id"])
        return mutate(item) if mutate else item

    def _ig_comments(self, i: int, j: int) -> list[dict[str, Any]]:
        d = self.fake.data
        top: list[dict[str, Any]] = []
        by_id: dict[str, dict[str, Any]] = {}
        for k in range(d.comment_count(i, j)):
            c = d.comment(i, j, k)
            item = {
                "id": c["id"],
                "text": c["text"],
                "timestamp": iso(c["created"]),
                "like_count": c["likes"],
                "from": {"id": c["author"], "username": "jan"},
            }
            mutate = d.broken.get(c["id"])
            item = mutate(item) if mutate else item
            if c["parent"] and c["parent"] in by_id:
                by_id[c["parent"]].setdefault("replies", {"data": []})["data"].append(item)
            else:
                top.append(item)
                by_id[c["id"]] = item
        return top

    # --- YouTube Data API v3
    def _yt_error(self, status: int, reason: str) -> None:
        self._send(status, {"error": {"code": status, "message": reason, "errors": [{"reason": reason}]}})

    def _yt_page(self, items: list[Any], q: dict[str, str], size: int) -> dict[str, Any]:
        offset = int(q.get("pageToken", "0") or 0)
        body: dict[str, Any] = {"items": items[offset : offset + size]}
        if offset + size < len(items):
            body["nextPageToken"] = str(offset + size)
        return body

    def _youtube(self, endpoint: str, q: dict[str, str]) -> None:
        d = self.fake.data
        if q.get("key") in self.fake.dead_tokens or not str(q.get("key", "")).startswith("tok-"):
            return self._yt_error(400, "keyInvalid")
        size = int(q.get("maxResults", 5))
        if endpoint == "channels":
            i = d.account_index(q.get("id", ""))
            if i is None:
                return self._send(200, {"items": []})
            followers, _ = d.followers(i)
            return self._send(
                200,
                {
                    "items": [
                        {
                            "id": d.account_id(i),
                            "statistics": {"subscriberCount": str(followers), "videoCount": str(d.posts)},
                            "contentDetails": {"relatedPlaylists": {"uploads": f"UU{i}"}},
                        }
                    ]
                },
            )
        if endpoint == "playlistItems":
            i = int(q["playlistId"][2:])
            js = sorted(range(d.posts), key=lambda j: d.post_time(i, j), reverse=True)
            items = [
                {
                    "id": f"pi{i}_{j}",
                    "contentDetails": {
                        "videoId": d.post_id(i, j),
                        "videoPublishedAt": iso(d.post_time(i, j)).replace("+0000", "Z"),
                    },
                }
                for j in js
            ]
            return self._send(200, self._yt_page(items, q, size))
        if endpoint == "videos":
            out = []
            for vid in q.get("id", "").split(","):
                ij = d.parse_post_id(vid)
                if ij is None or vid in d.deleted:
                    continue
                i, j = ij
                r = d.reactions(i, j)
                item = {
                    "id": vid,
                    "snippet": {
                        "publishedAt": iso(d.post_time(i, j)).replace("+0000", "Z"),
                        "title": f"Film {j}",
                        "description": "Sesja rady",
                    },
                    "statistics": {
                        "viewCount": str(r["like"] * 10),
                        "likeCount": str(r["like"]),
                        "commentCount": str(d.comment_count(i, j)),
                    },
                }
                mutate = d.broken.get(vid)
                out.append(mutate(item) if mutate else item)
            return self._send(200, {"items": out})
        if endpoint in ("commentThreads", "comments"):
            if endpoint == "commentThreads":
                ij = d.parse_post_id(q.get("videoId", ""))
                if ij is None:
                    return self._yt_error(404, "videoNotFound")
                i, j = ij
                threads = []
                replies: dict[str, list[Any]] = {}
                for k in range(d.comment_count(i, j)):
                    c = d.comment(i, j, k)
                    res = {
                        "id": c["id"],
                        "snippet": {
                            "publishedAt": iso(c["created"]).replace("+0000", "Z"),
                            "textOriginal": c["text"],
                            "likeCount": c["likes"],
                            "authorChannelId": {"value": c["author"]},
                        },
                    }
                    if c["parent"]:
                        replies.setdefault(c["parent"], []).append(res)
                    else:
                        threads.append(res)
                items = [
                    {
                        "id": t["id"],
                        "snippet": {"topLevelComment": t, "totalReplyCount": len(replies.get(t["id"], []))},
                        "replies": {"comments": replies.get(t["id"], [])},
                    }
                    for t in threads
                ]
                return self._send(200, self._yt_page(items, q, size))
            return self._send(200, {"items": []})
        return self._yt_error(404, "notFound")


def main(argv: list[str] | None = None) -> None:
    """Serve a dataset until killed; print the base URL on the first line (used by the benchmark)."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description="Fake Graph/YouTube API on loopback.")
    parser.add_argument("--platform", default="facebook")
    parser.add_argument("--accounts", type=int, default=3)
    parser.add_argument("--posts", type=int, default=12)
    parser.add_argument("--comments", type=int, default=7)
    parser.add_argument("--start", default="", help="ISO time of the first post (default: 20 days ago)")
    parser.add_argument(
        "--token-budget", type=int, default=0, help="calls per token reported as 100 %% in usage headers"
    )
    args = parser.parse_args(argv)
    data = Dataset(platform=args.platform, accounts=args.accounts, posts=args.posts, comments=args.comments)
    if args.start:
        data.start = datetime.fromisoformat(args.start)
    server = FakeServer(data)
    server.token_budget = args.token_budget
    print(server.start(), flush=True)
    sys.stdout.flush()
    server.thread.join()


if __name__ == "__main__":  # pragma: no cover - used by benchmarks/collect.py and for manual exploration
    main()
