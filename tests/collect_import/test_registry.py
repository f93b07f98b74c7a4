"""The plug-in registry: every registered format declares itself soundly; an outside format plugs in."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest

from ratusz.collect.importing import registry
from ratusz.collect.importing.records import PostRecord, ProfileRef, SourceFile, iter_lines
from ratusz.collect.importing.registry import (
    ENTRY_POINT_GROUP,
    FormatOption,
    all_formats,
    check_format,
    get_format,
    register_format,
)
from ratusz.collect.importing.service import import_file
from ratusz.collect.models import Post
from ratusz.errors import RatuszError


def test_every_registered_format_declares_itself_soundly():
    formats = all_formats()
    assert {"jsonl", "crowdtangle", "csv"} <= set(formats)
    for fmt_id, fmt in formats.items():
        assert fmt.id == fmt_id
        assert check_format(fmt) == [], fmt_id
        assert fmt.title and fmt.reads and fmt.extensions
        assert all(isinstance(o, FormatOption) and o.help for o in fmt.options)


def test_builtins_are_registered_through_entry_points_like_a_plugin():
    declared = {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}
    assert {"jsonl", "crowdtangle", "csv"} <= set(declared)
    for name, target in declared.items():
        assert all_formats()[name] is entry_points(group=ENTRY_POINT_GROUP)[name].load(), target


def test_unknown_format_is_named_with_the_known_ones():
    with pytest.raises(RatuszError) as exc:
        get_format("xlsx")
    assert "„xlsx”" in exc.value.message and "jsonl" in exc.value.message


class PipeFormat:
    """An outside format: `profile|post id|ISO time|text` per line."""

    id = "pipe"
    title = "Pipe-separated test format"
    reads = "Lines profile|id|time|text."
    extensions = (".txt",)
    options = (FormatOption("platform", "Platform of the profiles.", "str", "facebook"),)

    def records(self, source: SourceFile, options: dict[str, Any]) -> Iterator[PostRecord]:
        for line, text in iter_lines(source):
            name, pid, when, body = text.rstrip("\n").split("|")
            yield PostRecord(line=line, profile=ProfileRef(name=name), platform_id=pid,
                             published_at=datetime.fromisoformat(when), text=body)  # fmt: skip


def test_an_outside_format_registers_and_imports(db, tmp_path: Path):
    register_format(PipeFormat())
    try:
        assert check_format(all_formats()["pipe"]) == []
        path = tmp_path / "posts.txt"
        path.write_text("Gmina A|p1|2025-01-02T10:00:00+00:00|Dzień dobry\n", encoding="utf-8")
        result = import_file(path, "pipe")
        assert result.posts == 1
        post = Post.objects.get()
        assert post.text == "Dzień dobry" and post.profile.name == "Gmina A" and post.source == "pipe"
        assert post.published_at == datetime(2025, 1, 2, 10, tzinfo=UTC)
    finally:
        registry._REGISTRY.formats.pop("pipe", None)


def test_an_unsound_declaration_is_refused():
    class Bad(PipeFormat):
        id = "Bad Id"
        options = (FormatOption("x", "", "weird"),)

    with pytest.raises(ValueError, match="Bad Id"):
        register_format(Bad())
    assert check_format(object())
