"""Reading delimited text (CSV, `;`-separated, tab-separated) row by row with clear messages."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from ratusz.collect.importing.records import SourceFile

DELIMITERS = ",;\t|"
csv.field_size_limit(1 << 28)


def detect_delimiter(source: SourceFile, given: str | None = None) -> str:
    """Return the delimiter: the one given ('tab' means a tab) or the one guessed from the first lines."""
    if given:
        given = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";"}.get(given.lower(), given)
        if len(given) != 1:
            raise source.error(None, "delimiter", f"separator „{given}” musi być jednym znakiem")
        return given
    text = source.text
    if not text.seekable():  # standard input: cannot look ahead
        return ","
    sample = text.read(1 << 16)
    text.seek(0)
    first = sample.split("\n", 1)[0]
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    if counts[best]:
        return best
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","


def read_rows(source: SourceFile, delimiter: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """Return (header, rows) where rows yields (first line number of the row, values).

    Raises a clear error for an empty header, duplicate column names, and rows with too many or too few values.
    """
    reader = csv.reader(source.text, delimiter=delimiter)
    try:
        header = next(reader, None)
    except UnicodeDecodeError as exc:
        raise source.error(
            1, None, f"niepoprawne znaki w kodowaniu {exc.encoding}; zapisz plik jako UTF-8"
        ) from None
    except csv.Error as exc:
        raise source.error(1, None, f"nagłówek nie jest poprawnym wierszem CSV ({exc})") from None
    if not header or not any(h.strip() for h in header):
        raise source.error(1, None, "brak wiersza nagłówka z nazwami kolumn")
    header = [h.strip() for h in header]
    seen: set[str] = set()
    for h in header:
        if h in seen:
            raise source.error(1, h, "kolumna o tej nazwie występuje w nagłówku dwa razy")
        seen.add(h)
    width = len(header)

    def rows() -> Iterator[tuple[int, list[str]]]:
        last = reader.line_num
        try:
            for values in reader:
                start, last = last + 1, reader.line_num
                if not values or (len(values) == 1 and not values[0].strip()):
                    continue
                if len(values) != width:
                    more = len(values) > width
                    raise source.error(
                        start,
                        None,
                        f"wiersz ma {len(values)} wartości, a nagłówek {width} kolumn "
                        + (
                            "(nadmiarowe wartości — sprawdź separator i cudzysłowy)"
                            if more
                            else "(brakuje wartości)"
                        ),
                    )
                yield start, values
        except UnicodeDecodeError as exc:
            raise source.error(
                last + 1, None, f"niepoprawne znaki w kodowaniu {exc.encoding}; zapisz plik jako UTF-8"
            ) from None
        except csv.Error as exc:
            raise source.error(last + 1, None, f"niepoprawny wiersz CSV ({exc})") from None

    return header, rows()
