"""The JSON Lines interchange format: schema, import, pseudonymisation, threading, idempotency."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import orjson
import pytest

from ratusz.collect.importing.service import import_file
from ratusz.collect.models import Comment, FollowerSnapshot, Post, PostCountSnapshot
from ratusz.collect.privacy import author_key
from ratusz.errors import RatuszError
from ratusz.registry.models import Profile

from .conftest import PROFILE, counts, post_line, write_jsonl


def schema() -> dict:
    text = (
        resources.files("ratusz.collect.importing")
        .joinpath("schema", "ratusz-post-v1.schema.json")
        .read_text()
    )
    return json.loads(text)


def validator() -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema())
    return jsonschema.Draft202012Validator(schema())


VALID = [
    post_line(1),
    post_line(2, comments=[], reactions=None, counts_at=None),
    {"platform_id": 77, "published_at": "2025-03-01 10:00", "profile": {"name": "Gmina Bez Id"}},
    post_line(3, reactions={"like": 5}, format="reel", raw={"id": "1001_3", "whatever": [1, 2]}),
    {
        "type": "followers",
        "format_version": 1,
        "profile": PROFILE,
        "date": "2025-03-01",
        "followers": 10,
        "fans": None,
    },
]
INVALID = [
    ("reactions_total", post_line(1, reactions_total=-1)),
    ("comments_count", post_line(1, comments_count="5")),
    ("format", post_line(1, format="carousel")),
    ("published_at", post_line(1, published_at="1 marca 2025")),
    ("published_at", post_line(1, published_at="2025-03-01")),
    ("colour", post_line(1, colour="red")),
    ("reactions.lol", post_line(1, reactions={"lol": 1})),
    (
        "comments[0].likes_count",
        post_line(
            1, comments=[{"platform_id": "c", "created_at": "2025-03-01T10:00:00Z", "likes_count": 1.5}]
        ),
    ),
    ("comments[0].created_at", post_line(1, comments=[{"platform_id": "c"}])),
    (
        "comments[0].is_from_profile",
        post_line(
            1, comments=[{"platform_id": "c", "created_at": "2025-03-01T10:00:00Z", "is_from_profile": "tak"}]
        ),
    ),
    ("platform_id", {k: v for k, v in post_line(1).items() if k != "platform_id"}),
    ("format_version", post_line(1, format_version=2)),
    ("type", post_line(1, type="story")),
    ("profile.colour", post_line(1, profile={"name": "X", "colour": 1})),
    ("date", {"type": "followers", "profile": PROFILE, "date": "01.03.2025", "followers": 1}),
]


@pytest.mark.parametrize("obj", VALID, ids=range(len(VALID)))
def test_valid_lines_pass_the_schema_and_import(db, tmp_path: Path, obj):
    validator().validate(obj)
    result = import_file(write_jsonl(tmp_path / "one.jsonl", [obj]), "jsonl")
    assert result.posts + result.followers == 1


@pytest.mark.parametrize(("field", "obj"), INVALID, ids=[f for f, _ in INVALID])
def test_invalid_lines_fail_the_schema_and_the_import_naming_the_field(db, tmp_path: Path, field, obj):
    assert list(validator().iter_errors(obj)), "the schema should refuse this line"
    path = write_jsonl(tmp_path / "zly.jsonl", [post_line(9), obj])
    with pytest.raises(RatuszError) as exc:
        import_file(path, "jsonl")
    message = exc.value.message
    assert message.startswith("zly.jsonl, wiersz 2, pole „" + field + "”"), message
    assert counts() == {"profiles": 0, "posts": 0, "comments": 0, "snapshots": 0, "followers": 0}


def test_import_writes_posts_comments_threads_and_pseudonyms(db, jsonl_file: Path):
    result = import_file(jsonl_file, "jsonl")
    assert (
        result.posts,
        result.posts_created,
        result.comments,
        result.followers,
        result.profiles_created,
    ) == (3, 3, 6, 1, 1)
    profile = Profile.objects.get()
    assert (profile.platform, profile.platform_id, profile.name, profile.unit) == (
        "facebook",
        "1001",
        "Miasto Testowe",
        None,
    )
    post = Post.objects.get(platform_id="1001_1")
    assert (post.reactions_like, post.reactions_love, post.reactions_total, post.comments_count) == (
        10,
        2,
        13,
        3,
    )
    assert post.views_count is None and post.followers_at_posting is None  # missing counts stay NULL
    assert post.format == "photo" and post.source == "jsonl" and post.text.startswith("Zapraszamy")
    assert post.raw["platform_id"] == "1001_1" and "comments" not in post.raw
    question, answer, thanks = post.comments.order_by("created_at")
    assert answer.parent == question and answer.is_from_profile  # author_id == the profile's own id
    assert not question.is_from_profile and question.parent is None
    assert question.author_key == author_key("facebook", "resident-42") and len(question.author_key) == 32
    # raw author ids and names are stored nowhere
    dump = json.dumps(list(Comment.objects.values()), default=str) + json.dumps(
        list(Post.objects.values_list("raw", flat=True))
    )
    assert "resident-42" not in dump and "Kowalski" not in dump
    assert FollowerSnapshot.objects.get().followers == 1234
    snap = PostCountSnapshot.objects.get(post=post)
    assert (
        snap.reactions["like"] == 10
        and snap.comments_count == 3
        and snap.taken_at.isoformat() == "2025-03-08T00:00:00+00:00"
    )


def test_reimport_updates_counts_adds_a_snapshot_and_never_duplicates(db, tmp_path: Path, jsonl_file: Path):
    import_file(jsonl_file, "jsonl")
    before = counts()
    again = import_file(jsonl_file, "jsonl")  # the same file: same counts_at, nothing new
    assert counts() == before and again.posts_created == 0 and again.posts_updated == 3
    later = post_line(
        1, reactions={"like": 50}, reactions_total=50, comments_count=4, counts_at="2025-03-15T00:00:00Z"
    )
    later["comments"][0]["likes_count"] = 9
    result = import_file(write_jsonl(tmp_path / "later.jsonl", [later]), "jsonl")
    assert (result.posts_created, result.posts_updated, result.comments_created) == (0, 1, 0)
    post = Post.objects.get(platform_id="1001_1")
    assert (post.reactions_like, post.reactions_total, post.comments_count) == (50, 50, 4)
    assert post.reactions_love is None  # absent from the newer line: unknown
    assert post.comments.get(platform_id="c1-1").likes_count == 9
    assert list(post.count_snapshots.order_by("taken_at").values_list("reactions_total", flat=True)) == [
        13,
        50,
    ]
    assert counts()["posts"] == before["posts"] and counts()["comments"] == before["comments"]


def test_without_counts_at_every_import_adds_a_snapshot(db, tmp_path: Path):
    path = write_jsonl(tmp_path / "a.jsonl", [post_line(1, counts_at=None, comments=[])])
    import_file(path, "jsonl")
    import_file(path, "jsonl")
    assert PostCountSnapshot.objects.count() == 2 and Post.objects.count() == 1


def test_lines_without_profile_use_the_profile_option(db, tmp_path: Path):
    obj = post_line(1)
    del obj["profile"]
    path = write_jsonl(tmp_path / "a.jsonl", [obj])
    with pytest.raises(RatuszError, match="--profile-name"):
        import_file(path, "jsonl")
    import_file(path, "jsonl", {"profile_name": "Gmina Z Opcji", "platform": "instagram"})
    assert Profile.objects.get().name == "Gmina Z Opcji" and Profile.objects.get().platform == "instagram"


def test_teryt_links_the_unit_and_an_unknown_one_is_refused(registry, tmp_path: Path):
    ok = write_jsonl(tmp_path / "a.jsonl", [post_line(1, profile={**PROFILE, "teryt": "0264011"})])
    import_file(ok, "jsonl")
    assert Profile.objects.get().unit.name == "Wrocław"
    bad = write_jsonl(tmp_path / "b.jsonl", [post_line(1, profile={"name": "Nowa", "teryt": "9999999"})])
    with pytest.raises(RatuszError, match=r"b.jsonl, wiersz 1, pole „profile.teryt”"):
        import_file(bad, "jsonl")


def test_reply_to_a_comment_of_an_earlier_import_and_to_a_missing_parent(db, tmp_path: Path):
    import_file(write_jsonl(tmp_path / "a.jsonl", [post_line(1)]), "jsonl")
    reply = {"platform_id": "late", "parent_id": "c1-3", "created_at": "2025-03-05T10:00:00Z", "text": "+1"}
    import_file(write_jsonl(tmp_path / "b.jsonl", [post_line(1, comments=[reply])]), "jsonl")
    assert Comment.objects.get(platform_id="late").parent.platform_id == "c1-3"
    orphan = {**reply, "platform_id": "orphan", "parent_id": "nope"}
    with pytest.raises(RatuszError, match=r"pole „comments\[0\].parent_id”"):
        import_file(write_jsonl(tmp_path / "c.jsonl", [post_line(1, comments=[orphan])]), "jsonl")


def test_big_batches_and_repeated_posts_across_batches(db, tmp_path: Path, monkeypatch):
    from ratusz.collect.importing import writer

    monkeypatch.setattr(writer, "BATCH_POSTS", 7)
    lines = [post_line(n) for n in range(1, 41)]
    import_file(write_jsonl(tmp_path / "many.jsonl", lines), "jsonl")
    assert counts()["posts"] == 40 and counts()["comments"] == 120
    assert Comment.objects.filter(parent__isnull=False).count() == 40
    dup = write_jsonl(tmp_path / "dup.jsonl", [post_line(n) for n in range(100, 120)] + [post_line(101)])
    with pytest.raises(RatuszError) as exc:
        import_file(dup, "jsonl")
    assert (
        exc.value.message.startswith("dup.jsonl, wiersz 21, pole „platform_id”")
        and "wierszu 2" in exc.value.message
    )
    assert counts()["posts"] == 40


def test_schema_example_in_the_docs_is_valid():
    docs = Path(__file__).resolve().parents[2] / "docs" / "import-format.md"
    examples = [
        orjson.loads(line)
        for line in docs.read_text(encoding="utf-8").splitlines()
        if line.startswith('{"type"')
    ]
    assert len(examples) >= 2
    for obj in examples:
        validator().validate(obj)


def test_repeated_post_of_a_new_profile_across_batches_names_both_lines(db, tmp_path: Path, monkeypatch):
    # A profile without earlier posts has its posts appended (no upsert); a repeat still gets the clear message.
    from ratusz.collect.importing import writer

    monkeypatch.setattr(writer, "BATCH_POSTS", 5)
    lines = [post_line(n) for n in range(1, 13)] + [post_line(3)]
    with pytest.raises(RatuszError) as exc:
        import_file(write_jsonl(tmp_path / "rep.jsonl", lines), "jsonl")
    assert (
        exc.value.message.startswith("rep.jsonl, wiersz 13, pole „platform_id”")
        and "wierszu 3" in exc.value.message
    )
    assert counts() == {"profiles": 0, "posts": 0, "comments": 0, "snapshots": 0, "followers": 0}


def test_new_and_known_posts_of_a_profile_in_one_file_keep_their_threads(db, tmp_path: Path, monkeypatch):
    # Known posts go through the upsert, new ones are appended with reserved ids; the ids must not clash.
    from ratusz.collect.importing import writer

    monkeypatch.setattr(writer, "BATCH_POSTS", 4)
    import_file(write_jsonl(tmp_path / "a.jsonl", [post_line(n) for n in range(1, 11, 2)]), "jsonl")
    other = {"platform": "facebook", "platform_id": "2002", "name": "Gmina Druga"}
    mixed = [post_line(n) for n in range(1, 11)] + [
        post_line(n, profile=other, platform_id=f"2002_{n}") for n in range(1, 6)
    ]
    import_file(write_jsonl(tmp_path / "b.jsonl", mixed), "jsonl")
    assert (
        counts()["posts"] == 15 and counts()["comments"] == 45 and counts()["snapshots"] == 15
    )  # same counts_at: one per post
    for reply in Comment.objects.filter(parent__isnull=False).select_related("parent"):
        assert (
            reply.parent.post_id == reply.post_id and reply.parent.platform_id == reply.platform_id[:-1] + "1"
        )
    import_file(tmp_path / "b.jsonl", "jsonl")  # once more: only updates
    assert counts()["posts"] == 15 and counts()["comments"] == 45


def test_shared_reaction_helpers_follow_the_model_columns():
    from ratusz.collect import models, reactions

    assert tuple(models.REACTION_TYPES) == reactions.REACTION_TYPES
    full = {t: i for i, t in enumerate(reactions.REACTION_TYPES, start=1)}
    assert reactions.reaction_values(full) == tuple(range(1, 8)) and reactions.complete_total(full) == 28
    partial = reactions.reactions_from([("like", 3), ("thankful", 9), ("sad", None)])
    assert partial == {"like": 3, "sad": None} and reactions.complete_total(partial) is None
    assert reactions.reaction_values(partial) == (3, None, None, None, None, None, None)


def test_appended_and_upserted_posts_keep_the_metrics_rollup_equal_to_the_posts(db, tmp_path: Path):
    # Appending (executemany / multi-row VALUES / COPY) must fire the rollup's triggers like the upsert does.
    from ratusz.metrics import rollup

    import_file(write_jsonl(tmp_path / "a.jsonl", [post_line(n) for n in range(1, 6)]), "jsonl")
    later = [post_line(n, published_at=f"2025-03-0{n}T10:00:00+01:00", counts_at=None) for n in range(3, 9)]
    import_file(write_jsonl(tmp_path / "b.jsonl", later), "jsonl")
    assert rollup.check() == []
