"""Research script: variants of the harm model, cross-validated on CBD exactly as `ratusz language evaluate` does,
and checked on benign city comments. Not a speed benchmark, so `make bench` does not run it.

    python -m benchmarks.harm_variants                       # every variant, split seeds 1,2,3
    python -m benchmarks.harm_variants base lexicon --seeds 1

For each variant and split seed (outer StratifiedKFold seed = train.SEED + seed; seed 1 is the split that
`ratusz language evaluate` reports) it prints the pooled out-of-fold F1 of the harmful class (computed here
in Python: the same figure as the organisers' evaulate1.pl for seed 1 of "base", 0.5391), precision, recall,
how many of tests/language/data/municipal_benign.txt's 40 comments each fold model flags, and the share of
the language benchmark's generated city comments flagged. Features are cached in var/bench/harm_features.pkl
(derived hashed features, not texts). Needs ../shared/data.

Variants (see VARIANTS): hyper-parameters (C, NB smoothing, inner folds), extra stacking inputs that fold
into the one weight vector (a hand-written lexicon of Polish insult and vulgar stems; the sentiment model's
negative-minus-positive logit; a logistic regression on a 300-dimensional SVD of unlabelled BAN-PL, PolEmo
and participatory-budget texts), and extra training rows inside the fold fits (BAN-PL rows at weight 0.15,
NB ratios from all rows or from CBD rows only, participatory-budget project names as benign rows).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from benchmarks.language import SHARED, short_comments

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "var" / "bench" / "harm_features.pkl"
BENIGN = ROOT / "tests" / "language" / "data" / "municipal_benign.txt"
# stems of at most 5 letters (one character n-gram each), written by hand, not derived from CBD
STEMS = str.split(
    "kurw chuj huj pierd jeba jebi jebn zjeb skurw spier wypie pojeb pizd cipa cipy kutas fiut cwel szmat dziwk "
    "debil idiot kretyn głupi głupk głupo baran matoł cham dureń durni frajer pajac błazen błazn lewak pisio "
    "pisda zdrajc złodz oszus gnida gnido gnoj ścierw bydl morda mordę ryja pedał ciota faszy nazis komuch ubek "
    "tuman cymba osioł menel żul świnia świni brudas zbocz zbok psychol popap nienor spieprz sukin suko suka "
    "zasra gówni"
)


def pb_names(data: Path) -> list[str]:
    """Distinct project names of every participatory-budget file (real, benign municipal Polish)."""
    names: set[str] = set()
    for path in sorted((data / "participatory-budgets").glob("*.pb")):
        lines = path.read_text(encoding="utf-8").splitlines()
        at = lines.index("PROJECTS")
        col = lines[at + 1].split(";").index("name")
        for line in lines[at + 2 :]:
            if line == "VOTES":
                break
            names.add(line.split(";")[col])
    return sorted(names)


def features(data: Path) -> dict:
    """Hashed features of every set the variants use (cached)."""
    if CACHE.is_file():
        return pickle.loads(CACHE.read_bytes())
    from ratusz.language import datasets
    from ratusz.language.train import features_of

    texts, harmful, kind = datasets.cbd(data)
    ban_texts, ban_labels = datasets.ban_pl(data)
    polemo, _dev = datasets.polemo_sentences(data)
    benign = [s for s in BENIGN.read_text(encoding="utf-8").splitlines() if s and not s.startswith("#")]
    out = {
        "x": features_of(texts),
        "y": np.array(harmful),
        "k": np.array(kind),
        "bx": features_of(ban_texts),
        "by": np.array(ban_labels),
        "px": features_of(pb_names(data)),
        "polx": features_of(polemo.texts),
        "polemo_y": np.array([datasets.SENTIMENTS.index(s) for s in polemo.labels]),
        "mbx": features_of(benign),
        "scx": features_of(short_comments(5000, seed=7)),
    }
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    CACHE.write_bytes(pickle.dumps(out))
    return out


def nb_lr(
    x: sp.csr_matrix, y: np.ndarray, c: float, alpha: float, sw: np.ndarray | None, nb_rows: int | None
):
    """train._nb_lr with sample weights, the NB ratio optionally from the first nb_rows rows only."""
    from ratusz.language.train import SEED, Linear, nb_ratio

    r = nb_ratio(x[:nb_rows], y[:nb_rows], alpha) if nb_rows else nb_ratio(x, y, alpha)
    fit = LogisticRegression(C=c, solver="liblinear", max_iter=2000, random_state=SEED)
    fit.fit(x @ sp.diags(r), y, sample_weight=sw)
    return Linear(w=fit.coef_[0] * r, b=float(fit.intercept_[0]))


def fit_harm(xt: sp.csr_matrix, yt: np.ndarray, stack: list, cfg: dict, seed: int):
    """train.fit_harm's harm part with the variant's options; returns weights, bias and threshold."""
    from ratusz.language.train import _best_threshold

    v = cfg.get("V")
    z = np.asarray(xt @ v) if v is not None else None
    oof = np.zeros((len(yt), 2))
    parts: list[list] = [[], []]
    for tr, te in StratifiedKFold(cfg.get("folds", 5), shuffle=True, random_state=seed).split(xt, yt):
        rows = [(xt[tr], yt[tr], 1.0), *cfg.get("extra", [])]
        x = sp.vstack([r[0] for r in rows], format="csr")
        y = np.concatenate([r[1] for r in rows])
        sw = np.concatenate([np.full(r[0].shape[0], r[2]) for r in rows]) if len(rows) > 1 else None
        m = nb_lr(
            x, y, cfg.get("C", 10.0), cfg.get("alpha", 0.5), sw, len(tr) if cfg.get("nb_cbd_only") else None
        )
        oof[te, 0] = m.decision_function(xt[te])
        parts[0].append((m.w, m.b))
        if z is not None:
            lr = LogisticRegression(C=cfg.get("svd_C", 1.0), max_iter=3000).fit(z[tr], yt[tr])
            oof[te, 1] = z[te] @ lr.coef_[0] + lr.intercept_[0]
            parts[1].append((v @ lr.coef_[0], float(lr.intercept_[0])))
    own = [oof[:, 0]] + ([oof[:, 1]] if z is not None else [])
    cols = np.column_stack(own + [s.decision_function(xt) for s in stack])
    st = LogisticRegression(C=1e4, max_iter=1000).fit(cols, yt)
    threshold = _best_threshold(yt, st.predict_proba(cols)[:, 1])
    a = st.coef_[0]
    w = sum(a[i] * np.mean([p[0] for p in parts[i]], axis=0) for i in range(len(own)))
    b = sum(a[i] * np.mean([p[1] for p in parts[i]]) for i in range(len(own))) + float(st.intercept_[0])
    for j, s in enumerate(stack, start=len(own)):
        w, b = w + a[j] * s.w, b + a[j] * s.b
    return w, b, threshold


def cross_validate(f: dict, cfg: dict, seeds: list[int]) -> list[dict]:
    from ratusz.language.train import SEED

    x, y = f["x"], f["y"]
    stack = cfg.get("stack", [])
    out = []
    for s in seeds:
        pred = np.zeros(len(y), dtype=int)
        benign, city = [], []
        for i, (tr, te) in enumerate(
            StratifiedKFold(5, shuffle=True, random_state=SEED + s).split(x, y), start=1
        ):
            w, b, thr = fit_harm(x[tr], y[tr], stack, cfg, SEED + i)
            cut = np.log(thr / (1 - thr)) - b  # probability >= thr, as a logit
            pred[te] = x[te] @ w >= cut
            benign.append(int((f["mbx"] @ w >= cut).sum()))
            city.append(float((f["scx"] @ w >= cut).mean()))
        tp, fp = int((pred & y).sum()), int((pred & (1 - y)).sum())
        p, r = tp / max(tp + fp, 1), tp / int(y.sum())
        out.append(
            {
                "seed": s,
                "f1": round(2 * p * r / (p + r) if p + r else 0, 4),
                "P": round(p, 3),
                "R": round(r, 3),
                "benign_40_per_fold": benign,
                "city_flagged": round(float(np.mean(city)), 4),
            }
        )
    return out


def _ban(f: dict, c: float = 10.0):
    return nb_lr(f["bx"], f["by"], c, 0.5, None, None)


def _lexicon():
    from ratusz.language.features import DIM, char_bucket
    from ratusz.language.train import Linear

    w = np.zeros(DIM)
    w[[char_bucket(stem[:5]) for stem in STEMS]] = 1.0
    return Linear(w=w, b=0.0)


def _sentiment(f: dict):
    from ratusz.language.train import C_SENT, SEED, Linear

    m = LogisticRegression(C=C_SENT, max_iter=300, random_state=SEED).fit(f["polx"], f["polemo_y"])
    # negative minus positive logit
    return Linear(w=m.coef_[0] - m.coef_[2], b=float(m.intercept_[0] - m.intercept_[2]))


def _svd(f: dict, k: int = 300) -> np.ndarray:
    from sklearn.decomposition import TruncatedSVD

    x = sp.vstack([f["bx"], f["polx"], f["px"]], format="csr")
    idf = np.log((1 + x.shape[0]) / (1 + np.bincount(x.indices, minlength=x.shape[1]))) + 1
    svd = TruncatedSVD(k, n_iter=4, random_state=20190411).fit(x @ sp.diags(idf))
    return (svd.components_.T * idf[:, None]).astype(np.float32)


def _ban_rows(f: dict, weight: float = 0.15) -> tuple:
    return (f["bx"], f["by"], weight)


def _pb_rows(f: dict) -> tuple:
    return (f["px"], np.zeros(f["px"].shape[0], dtype=int), 1.0)


VARIANTS: dict[str, Callable[[dict], dict]] = {
    "base": lambda f: {"stack": [_ban(f)]},
    "C3": lambda f: {"stack": [_ban(f)], "C": 3.0},
    "C30": lambda f: {"stack": [_ban(f)], "C": 30.0},
    "alpha0.25": lambda f: {"stack": [_ban(f)], "alpha": 0.25},
    "alpha1": lambda f: {"stack": [_ban(f)], "alpha": 1.0},
    "folds10": lambda f: {"stack": [_ban(f)], "folds": 10},
    "lexicon": lambda f: {"stack": [_ban(f), _lexicon()]},
    "sentiment": lambda f: {"stack": [_ban(f), _sentiment(f)]},
    "svd300": lambda f: {"stack": [_ban(f)], "V": _svd(f)},
    "pb_rows": lambda f: {"stack": [_ban(f)], "extra": [_pb_rows(f)]},
    "ban_rows": lambda f: {"stack": [_ban(f)], "extra": [_ban_rows(f)]},
    "ban_rows_nb_cbd": lambda f: {"stack": [_ban(f)], "extra": [_ban_rows(f)], "nb_cbd_only": True},
    "ban_rows_nb_cbd_pb": lambda f: {
        "stack": [_ban(f)],
        "extra": [_ban_rows(f), _pb_rows(f)],
        "nb_cbd_only": True,
    },
}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.harm_variants", description=__doc__.split("\n")[0]
    )
    parser.add_argument("variants", nargs="*", default=list(VARIANTS), help=f"any of: {', '.join(VARIANTS)}")
    parser.add_argument("--seeds", default="1,2,3", help="outer split seeds, comma-separated (default 1,2,3)")
    args = parser.parse_args(argv)
    unknown = [v for v in args.variants if v not in VARIANTS]
    if unknown:
        sys.exit(f"unknown variant {unknown[0]!r}; choose from: {', '.join(VARIANTS)}")
    if not (SHARED / "language").is_dir():
        sys.exit(f"no language data at {SHARED}: these experiments need ../shared/data")
    f = features(SHARED)
    seeds = [int(s) for s in args.seeds.split(",")]
    for name in args.variants:
        start = time.perf_counter()
        rows = cross_validate(f, VARIANTS[name](f), seeds)
        mean = np.mean([r["f1"] for r in rows])
        print(
            f"{name}: mean F1 {mean:.4f} {json.dumps(rows)} ({time.perf_counter() - start:.0f} s)", flush=True
        )


if __name__ == "__main__":
    main(sys.argv[1:])
