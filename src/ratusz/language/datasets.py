"""Readers of the labelled Polish data in ../shared/data/language (training and evaluation only).

Nothing here is copied into the repository: CBD and BAN-PL texts must not be republished, so BAN-PL is
decrypted in memory straight from its zip (never written to disk) and CBD is read in place.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ratusz.errors import RatuszError

POLEMO_LABELS = {
    "minus_m": "negative",
    "zero": "neutral",
    "plus_m": "positive",
    "amb": "ambivalent",
}
SENTIMENTS = ["negative", "neutral", "positive", "ambivalent"]
HARM_TYPES = ["none", "cyberbullying", "hate"]


@dataclass
class Labelled:
    """Texts with one label each (and, for PolEmo sentences, where each line came from)."""

    texts: list[str]
    labels: list[str]
    source: list[str]


def language_dir(data: Path) -> Path:
    """Return ../shared/data/language under `data` (the shared data folder), or raise when missing."""
    folder = data / "language"
    if not folder.is_dir():
        raise RatuszError(
            f"Brak katalogu danych językowych {folder}: podaj --data z folderem ../shared/data "
            "(np. --data ../shared/data)."
        )
    return folder


def _lines(path: Path) -> list[str]:
    if not path.is_file():
        raise RatuszError(f"Brak pliku {path}: sprawdź, czy folder danych jest kompletny.")
    return path.read_text(encoding="utf-8").splitlines()


def cbd(data: Path) -> tuple[list[str], list[int], list[int]]:
    """CBD (PolEval 2019 task 6) training tweets with task 1 (0/1) and task 2 (0/1/2) labels."""
    folder = language_dir(data) / "cbd"
    texts = _lines(folder / "train_text.txt")
    harmful = [int(x) for x in _lines(folder / "train_tags_task1_harmful.txt") if x.strip()]
    kind = [int(x) for x in _lines(folder / "train_tags_task2_type.txt") if x.strip()]
    if not len(texts) == len(harmful) == len(kind):
        raise RatuszError(
            f"CBD w {folder}: liczba tekstów i etykiet się nie zgadza ({len(texts)}/{len(harmful)})."
        )
    return texts, harmful, kind


def ban_pl(data: Path) -> tuple[list[str], list[int]]:
    """BAN-PL_1 texts (Wykop.pl) and classes 0/1, decrypted in memory (password from the upstream README)."""
    path = language_dir(data) / "ban-pl" / "BAN-PL_1.zip"
    if not path.is_file():
        raise RatuszError(
            f"Brak pliku {path}: BAN-PL jest potrzebny do trenowania modelu szkodliwych treści."
        )
    with zipfile.ZipFile(path) as archive:
        raw = archive.read("BAN-PL.csv", pwd=b"BAN-PL_1")
    texts: list[str] = []
    labels: list[int] = []
    seen: set[str] = set()
    for row in csv.DictReader(io.StringIO(raw.decode("utf-8"))):
        text = " ".join(row["Text"].replace("{USERNAME}", " ").split())
        if not text or text in seen:
            continue
        seen.add(text)
        texts.append(text)
        labels.append(int(row["Class"]))
    return texts, labels


def _overlap(folder: Path) -> set[tuple[str, int]]:
    rows = _lines(folder / "overlap_with_klej.tsv")[1:]
    return {(r.split("\t")[0], int(r.split("\t")[1])) for r in rows if r.strip()}


def _sentence_file(folder: Path, name: str, drop: set[tuple[str, int]]) -> Labelled:
    out = Labelled([], [], [])
    for number, line in enumerate(_lines(folder / name), start=1):
        if (name, number) in drop or "__label__" not in line:
            continue
        text, _, label = line.rpartition(" __label__")
        code = label.strip().removeprefix("z_")
        if code not in POLEMO_LABELS:
            continue
        out.texts.append(text.strip())
        out.labels.append(POLEMO_LABELS[code])
        out.source.append(name)
    return out


def polemo_sentences(data: Path) -> tuple[Labelled, Labelled]:
    """PolEmo 2.0 sentence-level training data (hotels + medicine train, minus the lines listed in
    overlap_with_klej.tsv) and the hotels dev sentences (held out)."""
    folder = language_dir(data) / "polemo2-sentence"
    drop = _overlap(folder)
    train = Labelled([], [], [])
    for name in ("hotels.sentence.train.txt", "medicine.sentence.train.normalized.txt"):
        part = _sentence_file(folder, name, drop)
        train.texts += part.texts
        train.labels += part.labels
        train.source += part.source
    dev = _sentence_file(folder, "hotels.sentence.dev.txt", drop)
    return train, dev


def polemo_reviews(data: Path) -> Labelled:
    """PolEmo 2.0-IN dev reviews (KLEJ packaging, 723 reviews) with 4-class labels."""
    path = language_dir(data) / "polemo2-in" / "dev.tsv"
    out = Labelled([], [], [])
    for row in csv.DictReader(io.StringIO("\n".join(_lines(path))), delimiter="\t", quoting=csv.QUOTE_NONE):
        code = row["target"].strip().removeprefix("__label__meta_")
        if code in POLEMO_LABELS:
            out.texts.append(row["sentence"])
            out.labels.append(POLEMO_LABELS[code])
            out.source.append("polemo2-in/dev.tsv")
    return out
