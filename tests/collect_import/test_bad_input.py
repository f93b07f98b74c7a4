"""Bad input: one clear Polish sentence naming the file, line and field; exit code 1; nothing written.

Every case runs through the library and through the real `ratusz import` command.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ratusz.collect.importing.formats.crowdtangle import COLUMNS
from ratusz.collect.importing.service import import_file
from ratusz.errors import RatuszError

from .conftest import counts, post_line, run_cli, write_jsonl
from .test_csv import ct_row, write_ct

NOTHING = {"profiles": 0, "posts": 0, "comments": 0, "snapshots": 0, "followers": 0}
CSV_MAP = ["platform_id=id", "published_at=data", "reactions_like=polubienia", "profile_name=profil"]


def _csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def make_case(name: str, tmp: Path) -> tuple[Path, str, dict, list[str], list[str]]:
    """Return (file, format, library options, CLI options, expected parts of the message)."""
    opts = {"map": CSV_MAP}
    cli = [a for m in CSV_MAP for a in ("--map", m)]
    good = "id;data;polubienia;profil\n1;2025-01-01 10:00;5;Gmina A\n"
    if name == "unknown_format":
        return write_jsonl(tmp / "a.jsonl", [post_line(1)]), "excel", {}, [], ["„excel”", "jsonl"]
    if name == "missing_column":
        return (
            _csv(tmp / "brak.csv", "id;data;profil\n1;2025-01-01;A\n"),
            "csv",
            opts,
            cli,
            ["brak.csv", "wiersz 1", "„reactions_like”", "„polubienia”"],
        )
    if name == "extra_values":
        return (
            _csv(tmp / "nadmiar.csv", good + "2;2025-01-02 10:00;7;Gmina A;coś\n"),
            "csv",
            opts,
            cli,
            ["nadmiar.csv", "wiersz 3", "5 wartości"],
        )
    if name == "missing_values":
        return (
            _csv(tmp / "mniej.csv", good + "2;2025-01-02 10:00\n"),
            "csv",
            opts,
            cli,
            ["mniej.csv", "wiersz 3", "brakuje"],
        )
    if name == "wrong_type_csv":
        return (
            _csv(tmp / "typ.csv", good + "2;2025-01-02 10:00;dużo;Gmina A\n"),
            "csv",
            opts,
            cli,
            ["typ.csv", "wiersz 3", "„reactions_like (kolumna „polubienia”)”", "„dużo”"],
        )
    if name == "wrong_date_csv":
        return (
            _csv(tmp / "data.csv", good + "2;wczoraj;1;Gmina A\n"),
            "csv",
            opts,
            cli,
            ["data.csv", "wiersz 3", "published_at", "„wczoraj”"],
        )
    if name == "wrong_type_jsonl":
        return (
            write_jsonl(tmp / "typ.jsonl", [post_line(1), post_line(2, shares_count="dwa")]),
            "jsonl",
            {},
            [],
            ["typ.jsonl", "wiersz 2", "„shares_count”"],
        )
    if name == "broken_json":
        return (
            write_jsonl(tmp / "json.jsonl", [post_line(1), '{"platform_id": "x",']),
            "jsonl",
            {},
            [],
            ["json.jsonl", "wiersz 2", "JSON"],
        )
    if name == "duplicate_csv":
        return (
            _csv(tmp / "dup.csv", good + "1;2025-01-02 10:00;7;Gmina A\n"),
            "csv",
            opts,
            cli,
            ["dup.csv", "wiersz 3", "„platform_id”", "wierszu 2"],
        )
    if name == "duplicate_jsonl":
        return (
            write_jsonl(tmp / "dup.jsonl", [post_line(1), post_line(2), post_line(1)]),
            "jsonl",
            {},
            [],
            ["dup.jsonl", "wiersz 3", "„platform_id”", "wierszu 1"],
        )
    if name == "duplicate_comment":
        p = post_line(1)
        p["comments"].append(dict(p["comments"][0]))
        return (
            write_jsonl(tmp / "kom.jsonl", [p]),
            "jsonl",
            {},
            [],
            ["kom.jsonl", "wiersz 1", "„comments[3].platform_id”"],
        )
    if name == "bad_utf8_jsonl":
        # past the first 64 KB, which decide the encoding
        path = write_jsonl(tmp / "utf.jsonl", [post_line(n) for n in range(100)])
        path.write_bytes(path.read_bytes() + b'{"platform_id": "\xff\xfe"}\n')
        return path, "jsonl", {}, [], ["utf.jsonl", "wiersz 101", "UTF-8"]
    if name == "count_too_big":  # refused by the database itself: still one sentence
        return (
            write_jsonl(tmp / "duzo.jsonl", [post_line(1, shares_count=2**63)]),
            "jsonl",
            {},
            [],
            ["duzo.jsonl", "wiersz 1", "baza danych odrzuciła"],
        )
    if name == "empty":
        return _csv(tmp / "pusty.csv", ""), "csv", opts, cli, ["pusty.csv", "pusty"]
    if name == "header_only":
        return (
            _csv(tmp / "naglowek.csv", "id;data;polubienia;profil\n"),
            "csv",
            opts,
            cli,
            ["naglowek.csv", "żadnego posta"],
        )
    if name == "not_text":
        path = tmp / "zdjecie.csv"
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
        return path, "csv", opts, cli, ["zdjecie.csv", "nie jest plik tekstowy"]
    if name == "ct_extra_column":
        rows = [ct_row()]
        return (
            write_ct(tmp / "ct.csv", rows, [*COLUMNS, "Kolor"]),
            "crowdtangle",
            {},
            [],
            ["ct.csv", "wiersz 1", "„Kolor”", "nieznana kolumna"],
        )
    if name == "ct_missing_column":
        path = tmp / "ct2.csv"
        cols = [c for c in COLUMNS if c != "Post Created"]
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore")
            w.writeheader()
            w.writerow(ct_row())
        return path, "crowdtangle", {}, [], ["ct2.csv", "wiersz 1", "„Post Created”", "brak"]
    if name == "no_profile":
        return (
            _csv(tmp / "bezprofilu.csv", "id;data\n1;2025-01-01 10:00\n"),
            "csv",
            {"map": CSV_MAP[:2]},
            ["--map", CSV_MAP[0], "--map", CSV_MAP[1]],
            ["bezprofilu.csv", "--profile-name"],
        )
    if name == "bad_teryt":
        return (
            write_jsonl(tmp / "teryt.jsonl", [post_line(1, profile={"name": "X", "teryt": "123"})]),
            "jsonl",
            {},
            [],
            ["teryt.jsonl", "wiersz 1", "„profile.teryt”"],
        )
    raise AssertionError(name)


CASES = [
    "unknown_format", "missing_column", "extra_values", "missing_values", "wrong_type_csv", "wrong_date_csv",
    "wrong_type_jsonl", "broken_json", "bad_utf8_jsonl",
    "count_too_big", "duplicate_csv", "duplicate_jsonl", "duplicate_comment", "empty",
    "header_only", "not_text", "ct_extra_column", "ct_missing_column", "no_profile", "bad_teryt",
]  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_bad_input_through_the_library(db, tmp_path: Path, case: str):
    path, fmt, options, _, expected = make_case(case, tmp_path)
    with pytest.raises(RatuszError) as exc:
        import_file(path, fmt, options)
    message = exc.value.message
    for part in expected:
        assert part in message, (part, message)
    assert "\n" not in message and "Traceback" not in message
    assert counts() == NOTHING


@pytest.mark.parametrize("case", CASES)
def test_bad_input_through_the_cli(db, tmp_path: Path, case: str):
    path, fmt, _, cli_opts, expected = make_case(case, tmp_path)
    code, output, exc = run_cli(["import", str(path), "--format", fmt, *cli_opts])
    assert code == 1 and isinstance(exc, RatuszError), (code, output, exc)
    for part in expected:
        assert part in output, (part, output)
    assert counts() == NOTHING


def test_cp1250_export_is_not_bad_input(db, tmp_path: Path):
    path = _csv(
        tmp_path / "cp.csv", "id;data;polubienia;profil\n1;2025-01-01 10:00;5;Urząd Gminy Łęki\n", "cp1250"
    )
    code, output, exc = run_cli(
        ["import", str(path), "--format", "csv", *[a for m in CSV_MAP for a in ("--map", m)]]
    )
    assert code == 0, (output, exc)
    assert counts()["posts"] == 1


def test_an_error_late_in_a_big_file_writes_nothing(db, tmp_path: Path, monkeypatch):
    from ratusz.collect.importing import writer

    monkeypatch.setattr(writer, "BATCH_POSTS", 5)
    lines = [post_line(n) for n in range(1, 30)] + [post_line(99, published_at="nigdy")]
    with pytest.raises(RatuszError, match="wiersz 30"):
        import_file(write_jsonl(tmp_path / "late.jsonl", lines), "jsonl")
    assert counts() == NOTHING


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A migrated SQLite database file for running the installed `ratusz` command as a process."""
    path = tmp_path_factory.mktemp("cli") / "template.sqlite3"
    env = {**os.environ, "RATUSZ_DATABASE_URL": f"sqlite:///{path}"}
    subprocess.run([_ratusz(), "migrate"], env=env, check=True, capture_output=True, timeout=300)
    return path


def _ratusz() -> str:
    return str(Path(sys.executable).with_name("ratusz"))


@pytest.mark.slow
def test_the_installed_command_prints_one_line_and_exits_1(tmp_path: Path, migrated_sqlite: Path):
    db = tmp_path / "db.sqlite3"
    shutil.copy(migrated_sqlite, db)
    env = {**os.environ, "RATUSZ_DATABASE_URL": f"sqlite:///{db}", "COLUMNS": "300"}
    bad = write_jsonl(tmp_path / "zly.jsonl", [post_line(1), post_line(2, comments_count=-3)])
    proc = subprocess.run(
        [_ratusz(), "import", str(bad), "--format", "jsonl"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "zly.jsonl, wiersz 2, pole „comments_count”" in lines[0]
    good = write_jsonl(tmp_path / "dobry.jsonl", [post_line(1), post_line(2)])
    proc = subprocess.run(
        [_ratusz(), "import", str(good), "--format", "jsonl", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert '"posts_created":2' in proc.stdout and '"comments":6' in proc.stdout
