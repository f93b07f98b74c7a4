"""`import_file`: read a file in one of the registered formats and write it, all or nothing."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from ratusz.collect.importing.records import SourceFile
from ratusz.collect.importing.registry import get_format
from ratusz.collect.importing.textfile import open_text
from ratusz.collect.importing.writer import ImportWriter
from ratusz.errors import RatuszError

PROGRESS_EVERY = 500


@dataclass
class ImportResult:
    """What an import did: rows written (posts, comments, snapshots, follower counts), time in seconds."""

    file: str
    format: str
    posts: int
    posts_created: int
    posts_updated: int
    comments: int
    comments_created: int
    snapshots: int
    followers: int
    profiles_created: int
    seconds: float
    bytes: int

    def as_dict(self) -> dict[str, Any]:
        """Return the result as a plain dict (for --json output)."""
        return asdict(self)


def import_file(
    path: Path | str,
    format_id: str,
    options: dict[str, Any] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import one file in the given format in a single transaction and return what was written.

    `progress` is called now and then with the number of bytes read. On any bad input a RatuszError
    naming the file, line and field is raised and nothing is written.
    """
    fmt = get_format(format_id)
    options = dict(options or {})
    known = {o.name for o in fmt.options}
    unknown = [k for k, v in options.items() if v not in (None, "", (), []) and k not in known]
    if unknown:
        raise RatuszError(
            f"Format „{fmt.id}” nie ma opcji „{unknown[0]}”; jego opcje: {', '.join(sorted(known)) or 'brak'}.",
            code="bad_option",
        )
    path = Path(path)
    started = time.perf_counter()
    with open_text(path) as text:
        size = path.stat().st_size if path.is_file() else None
        source = SourceFile(path, text, size)
        with transaction.atomic():
            writer = ImportWriter(source, fmt.id)
            try:
                count = 0
                for record in fmt.records(source, options):
                    writer.add(record)
                    count += 1
                    if progress is not None and count % PROGRESS_EVERY == 0:
                        progress(source.bytes_read())
                stats = writer.finish()
            finally:
                writer.close()  # before the transaction commits or rolls back
            if count == 0:
                raise source.error(
                    None,
                    None,
                    "plik nie zawiera żadnego posta ani stanu obserwujących (są tylko puste wiersze lub nagłówek)",
                )
            from ratusz.collect.signals import posts_stored

            posts_stored.send(
                sender="import"
            )  # derived tables (the metrics rollup) follow in this transaction
    if progress is not None and size is not None:
        progress(size)
    if stats.comments_created:
        from ratusz.collect.signals import comments_stored

        comments_stored.send(sender="import", count=stats.comments_created)
    return ImportResult(
        file=path.name,
        format=fmt.id,
        posts=stats.posts,
        posts_created=stats.posts_created,
        posts_updated=stats.posts - stats.posts_created,
        comments=stats.comments,
        comments_created=stats.comments_created,
        snapshots=stats.snapshots,
        followers=stats.followers,
        profiles_created=stats.profiles_created,
        seconds=round(time.perf_counter() - started, 3),
        bytes=size or 0,
    )
