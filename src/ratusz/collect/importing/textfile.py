"""Opening user files as text: UTF-8 (with or without BOM) or cp1250, which Polish offices often export."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from ratusz.errors import RatuszError

SAMPLE_BYTES = 1 << 16


def detect_encoding(sample: bytes, name: str) -> str:
    """Return 'utf-8-sig' or 'cp1250' for a file's first bytes, or raise RatuszError if it is not text."""
    if not sample.strip():
        raise RatuszError(f"{name}: plik jest pusty; wskaż plik z danymi.")
    if b"\x00" in sample:
        raise RatuszError(
            f"{name}: to nie jest plik tekstowy (zawiera bajty binarne); wskaż plik CSV lub JSON Lines."
        )
    try:
        sample.decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the sample's end is still UTF-8.
        if exc.start >= len(sample) - 3 and exc.reason == "unexpected end of data":
            return "utf-8-sig"
    try:
        sample.decode("cp1250")
    except UnicodeDecodeError:
        raise RatuszError(
            f"{name}: nie umiem odczytać kodowania znaków (ani UTF-8, ani Windows-1250); zapisz plik jako UTF-8."
        ) from None
    return "cp1250"


@contextmanager
def open_text(path: Path | str, encoding: str | None = None) -> Iterator[TextIO]:
    """Open a file for reading as text, detecting UTF-8 or cp1250; '-' reads standard input.

    Decoding errors later in the file surface as RatuszError naming the file.
    """
    import sys

    path = Path(path)
    if str(path) == "-":
        yield sys.stdin
        return
    if not path.exists():
        raise RatuszError(f"{path}: nie ma takiego pliku; sprawdź ścieżkę.")
    if path.is_dir():
        raise RatuszError(f"{path}: to jest folder, a nie plik; wskaż plik z danymi.")
    raw = path.open("rb")
    try:
        enc = encoding or detect_encoding(raw.read(SAMPLE_BYTES), path.name)
        raw.seek(0)
        text = io.TextIOWrapper(raw, encoding=enc, newline="")
        try:
            yield text
        except UnicodeDecodeError as exc:
            raise RatuszError(
                f"{path.name}: niepoprawne znaki w kodowaniu {enc} (bajt {exc.start}); zapisz plik jako UTF-8."
            ) from None
    finally:
        raw.close()
