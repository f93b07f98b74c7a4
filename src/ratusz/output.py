"""One way to print listings from every CLI command: a table on a terminal, or --json, --csv, --nl."""

from __future__ import annotations

import csv
import enum
import json
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import typer
from rich.console import Console
from rich.table import Table


class Format(enum.StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    nl = "nl"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def output_format(json_: bool, csv_: bool, nl: bool) -> Format:
    """Return the chosen format from the three standard flags (at most one may be set)."""
    chosen = [f for f, on in ((Format.json, json_), (Format.csv, csv_), (Format.nl, nl)) if on]
    if len(chosen) > 1:
        raise typer.BadParameter("choose one of --json, --csv and --nl")
    return chosen[0] if chosen else Format.table


JsonOpt = typer.Option(False, "--json", help="Print a JSON array.")
CsvOpt = typer.Option(False, "--csv", help="Print CSV with a header row.")
NlOpt = typer.Option(False, "--nl", help="Print one JSON object per line.")


def emit(
    rows: Iterable[dict[str, Any]],
    fmt: Format,
    columns: Sequence[str] | None = None,
    title: str | None = None,
    file: Any = None,
) -> None:
    """Write rows (dicts) in the chosen format to stdout (or `file`)."""
    out = file or sys.stdout
    rows = [{k: _plain(v) for k, v in r.items()} for r in rows]
    cols = list(columns) if columns else (list(rows[0].keys()) if rows else [])
    if fmt is Format.json:
        json.dump(rows, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt is Format.nl:
        for r in rows:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
    elif fmt is Format.csv:
        writer = csv.DictWriter(out, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        table = Table(title=title)
        for c in cols:
            table.add_column(c)
        for r in rows:
            table.add_row(*("" if r.get(c) is None else str(r.get(c)) for c in cols))
        Console(file=out).print(table)
