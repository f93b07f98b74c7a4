"""Compare the database with what a fake server holds: every post, comment, count and snapshot, once."""

from __future__ import annotations

from ratusz.collect.models import Comment, FollowerSnapshot, Post
from ratusz.collect.privacy import author_key
from tests.collect.fakegraph import Dataset


def db_matches(data: Dataset, *, reaction_types: tuple[str, ...] | None = None) -> list[str]:
    """Return the differences between the database and the dataset (empty when they match exactly)."""
    problems: list[str] = []
    expected = data.expected()
    posts = {
        p.platform_id: p
        for p in Post.objects.filter(profile__platform=data.platform).select_related("profile")
    }
    if set(posts) != set(expected):
        problems.append(
            f"posts: missing {sorted(set(expected) - set(posts))[:5]}, extra {sorted(set(posts) - set(expected))[:5]}"
        )
    types = (
        reaction_types
        if reaction_types is not None
        else (
            ("like", "love", "care", "haha", "wow", "sad", "angry")
            if data.platform == "facebook"
            else ("like",)
        )
    )
    for pid, want in expected.items():
        post = posts.get(pid)
        if post is None:
            continue
        if post.published_at != want["time"]:
            problems.append(f"{pid}: published_at {post.published_at} != {want['time']}")
        for r in types:
            if getattr(post, f"reactions_{r}") != want["reactions"][r]:
                problems.append(
                    f"{pid}: reactions_{r} {getattr(post, f'reactions_{r}')} != {want['reactions'][r]}"
                )
        comments = {c.platform_id: c for c in Comment.objects.filter(post=post).select_related("parent")}
        if set(comments) != set(want["comments"]):
            problems.append(
                f"{pid}: comments differ: missing {sorted(set(want['comments']) - set(comments))[:3]}, extra {sorted(set(comments) - set(want['comments']))[:3]}"
            )
            continue
        for cid, c in want["comments"].items():
            got = comments[cid]
            parent = got.parent.platform_id if got.parent else None
            want_parent = c["parent"] if c["parent"] in want["comments"] else None
            if (parent, got.is_from_profile, got.text, got.created_at, got.likes_count) != (
                want_parent,
                c["from_page"],
                c["text"],
                c["created"],
                c["likes"],
            ):
                problems.append(
                    f"{cid}: stored ({parent}, {got.is_from_profile}, {got.created_at}, {got.likes_count}) differs"
                )
            if got.author_key != author_key(data.platform, c["author"]):
                problems.append(f"{cid}: author_key is not the pseudonym of the author")
    for i in range(data.accounts):
        snaps = FollowerSnapshot.objects.filter(profile__platform_id=data.account_id(i))
        if data.account_id(i) in data.followers_missing:
            continue
        if [s.followers for s in snaps] != [data.followers(i)[0]]:
            problems.append(f"followers of {data.account_id(i)}: {[s.followers for s in snaps]}")
    return problems
