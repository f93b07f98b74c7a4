"""Run the PolEval 2019 task 6 organisers' Perl scorers (`evaulate1.pl`, `evaulate2.pl`) on our own folds.

The scripts hard-code the gold labels of the official test set (whose texts we do not have) and loop over
exactly 1,000 lines. To score cross-validation predictions with the organisers' own arithmetic, we run an
in-memory copy of the script with only two things replaced: the gold-label array (our fold's labels) and
the loop bound (our fold's size). The copy lives in a temporary folder and is deleted afterwards.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ratusz.errors import RatuszError

_GOLD = re.compile(r"my @goldstandardresults = \(.*?\);", re.S)
_LOOP = re.compile(r"foreach my \$index \(0\.\.999\)")
_NUMBER = re.compile(r"^(.*?)\s*=\s*([0-9.]+)%", re.M)


def run_scorer(script: Path, gold: list[int], predicted: list[int]) -> dict[str, float]:
    """Score predictions with the organisers' script `script` against `gold`; return its figures as
    {name: percent}, e.g. {"Precision": 61.2, "Recall": 50.3, "Balanced F-score": 55.2, "Accuracy": 92.1}."""
    if shutil.which("perl") is None:
        raise RatuszError(
            "Brak interpretera perl: zainstaluj go (apt-get install perl), by uruchomić skrypt organizatorów."
        )
    if len(gold) != len(predicted) or not gold:
        raise RatuszError("Liczba przewidywań musi równać się liczbie etykiet (i być większa od zera).")
    source = script.read_text(encoding="utf-8")
    if not (_GOLD.search(source) and _LOOP.search(source)):
        raise RatuszError(f"Skrypt {script} ma nieoczekiwaną postać: nie umiemy podmienić w nim etykiet.")
    gold_array = "my @goldstandardresults = (" + ", ".join(f'"{g}"' for g in gold) + ");"
    source = _GOLD.sub(lambda _m: gold_array, source, count=1)
    source = _LOOP.sub(f"foreach my $index (0..{len(gold) - 1})", source, count=1)
    with tempfile.TemporaryDirectory(prefix="ratusz-perl-") as tmp:
        scorer = Path(tmp) / script.name
        scorer.write_text(source, encoding="utf-8")
        results = Path(tmp) / "results.txt"
        results.write_text("".join(f"{p}\n" for p in predicted), encoding="utf-8")
        proc = subprocess.run(
            ["perl", str(scorer), str(results)], capture_output=True, text=True, timeout=120, check=False
        )
    if proc.returncode != 0:
        raise RatuszError(f"Skrypt {script.name} zakończył się błędem: {proc.stderr.strip()[:200]}")
    return {name.strip(): float(value) for name, value in _NUMBER.findall(proc.stdout)}
