"""`ratusz language evaluate`: each model's benchmark metric per data set, next to polvader where it applies.

- CBD (harmful, task 6.1): F1 of the harmful class computed by the organisers' `evaulate1.pl` (run on our
  folds, see perlscore.py). CBD has no test split here, so the whole training procedure (inner CV for
  calibration and threshold included) is repeated inside a seeded, stratified K-fold cross-validation
  and the pooled out-of-fold predictions are scored; per-fold figures give the spread.
- CBD task 6.2 (none / cyberbullying / hate): micro- and macro-F by `evaulate2.pl`, same folds.
- PolEmo 2.0-IN dev (723 reviews, KLEJ packaging): 4-class accuracy of the shipped sentiment model,
  which never saw these reviews (sentences overlapping KLEJ dev/test are dropped before training);
  also accuracy on the held-out hotel dev sentences. polvader on the same texts (it has no
  "ambivalent", so its 4-class accuracy is bounded by the share of other classes).
- Questions: precision/recall of the rules on hand-labelled comment-like sentences written by the language
  engineer (tests/language/data/questions.tsv, 120, used while writing the rules; questions_holdout.tsv,
  40, written after the rules were frozen). Only in a source checkout.
- Language: share of texts detected as Polish on the Polish data sets (should be ~100 %).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedKFold

from ratusz.language import datasets, polvader_compat, rules
from ratusz.language.features import featurise
from ratusz.language.perlscore import run_scorer
from ratusz.language.train import SEED, features_of, fit_ban, fit_harm

Progress = Callable[[str], None]
QUESTIONS_DIR = Path(__file__).resolve().parents[3] / "tests" / "language" / "data"
QUESTIONS_FILE = QUESTIONS_DIR / "questions.tsv"
QUESTIONS_HOLDOUT = QUESTIONS_DIR / "questions_holdout.tsv"


def _quiet(_msg: str) -> None:
    pass


def cbd_cross_validation(data: Path, folds: int = 5, progress: Progress = _quiet) -> dict:
    """Out-of-fold harm predictions on CBD with the full training procedure inside each fold; returns the
    organisers' script figures (pooled) and per-fold F1 values."""
    folder = datasets.language_dir(data) / "cbd"
    texts, harmful, kind = datasets.cbd(data)
    y, k = np.array(harmful), np.array(kind)
    x = features_of(texts)
    progress("BAN-PL: model")
    ban = fit_ban(data, progress)
    pred1 = np.zeros(len(y), dtype=int)
    pred2 = np.zeros(len(y), dtype=int)
    fold_f1 = []
    for i, (tr, te) in enumerate(
        StratifiedKFold(folds, shuffle=True, random_state=SEED + 1).split(x, y), start=1
    ):
        progress(f"CBD: fold {i}/{folds}")
        harm = fit_harm(x[tr], y[tr], k[tr], ban, seed=SEED + i)
        p = harm.probability(x[te])
        is_harm = p >= harm.threshold
        pred1[te] = is_harm.astype(int)
        pred2[te] = np.where(is_harm, np.where(harm.hate(x[te]) >= 0.5, 2, 1), 0)
        fold_f1.append(
            run_scorer(folder / "evaulate1.pl", y[te].tolist(), pred1[te].tolist())["Balanced F-score"]
        )
    task1 = run_scorer(folder / "evaulate1.pl", y.tolist(), pred1.tolist())
    task2 = run_scorer(folder / "evaulate2.pl", k.tolist(), pred2.tolist())
    return {"task1": task1, "task2": task2, "fold_f1": fold_f1}


def sentiment_accuracy(data: Path, with_polvader: bool = True) -> dict:
    """Accuracy (0..1) of the shipped model and polvader on PolEmo-IN dev reviews and hotel dev sentences."""
    from ratusz.language.scoring import score_texts

    reviews = datasets.polemo_reviews(data)
    _train, dev = datasets.polemo_sentences(data)
    out: dict = {}
    for name, ds in (("polemo2-in/dev.tsv (723 recenzje)", reviews), ("hotels.sentence.dev (zdania)", dev)):
        ours = [r["sentiment"] for r in score_texts(ds.texts)]
        acc = float(np.mean([a == b for a, b in zip(ours, ds.labels, strict=True)]))
        pv = None
        if with_polvader and polvader_compat.available():
            theirs = polvader_compat.score(ds.texts)
            pv = float(np.mean([a == b for a, b in zip(theirs, ds.labels, strict=True)]))
        out[name] = {"ratusz": acc, "polvader": pv, "n": len(ds.texts)}
    return out


def read_questions(path: Path = QUESTIONS_FILE) -> tuple[list[str], list[bool]]:
    """The hand-labelled question set: texts and labels (True = asks the city something)."""
    texts, labels = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, _, text = line.partition("\t")
        texts.append(text)
        labels.append(label.strip() == "1")
    return texts, labels


def question_scores(path: Path = QUESTIONS_FILE) -> dict:
    """Precision, recall and F1 (0..1) of the question rules on the hand-labelled set."""
    texts, labels = read_questions(path)
    pred = rules.questions(featurise(texts))
    gold = np.array(labels)
    tp = int((pred & gold).sum())
    fp = int((pred & ~gold).sum())
    fn = int((~pred & gold).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "n": len(texts)}


def polish_share(texts: list[str]) -> float:
    """Share (0..1) of texts the language rules call Polish."""
    langs = rules.language(featurise(texts))
    return sum(lang == "pl" for lang in langs) / len(langs)


def evaluate(data: Path, folds: int = 5, progress: Progress = _quiet) -> list[dict]:
    """All evaluation rows: model, dataset, metric, ratusz, polvader (or a reason why not), how."""
    rows: list[dict] = []
    pv_na = "nie dotyczy (polvader ocenia tylko nastrój)"
    cv = cbd_cross_validation(data, folds, progress)
    spread = (
        f"folds: {', '.join(f'{f:.2f}' for f in cv['fold_f1'])}; sd {statistics.pstdev(cv['fold_f1']):.2f}"
    )
    how = (
        f"{folds}-fold stratified CV on CBD train (seed {SEED + 1}), organisers' script on pooled out-of-fold"
    )
    rows.append(
        {
            "model": "harm",
            "dataset": "CBD task 6.1",
            "metric": "F1 harmful (%)",
            "ratusz": cv["task1"]["Balanced F-score"],
            "polvader": pv_na,
            "how": f"{how}; {spread}",
        }
    )
    rows.append(
        {
            "model": "harm",
            "dataset": "CBD task 6.1",
            "metric": "precision / recall (%)",
            "ratusz": f"{cv['task1']['Precision']:.2f} / {cv['task1']['Recall']:.2f}",
            "polvader": pv_na,
            "how": how,
        }
    )
    rows.append(
        {
            "model": "harm",
            "dataset": "CBD task 6.1",
            "metric": "accuracy (%)",
            "ratusz": cv["task1"]["Accuracy"],
            "polvader": pv_na,
            "how": how,
        }
    )
    rows.append(
        {
            "model": "harm type",
            "dataset": "CBD task 6.2",
            "metric": "micro-F / macro-F (%)",
            "ratusz": f"{cv['task2']['Micro-Average F-score']:.2f} / {cv['task2']['Macro-Average F-score']:.2f}",
            "polvader": pv_na,
            "how": f"{how}; evaulate2.pl",
        }
    )
    progress("PolEmo: nastrój (ratusz i polvader)")
    have_pv = polvader_compat.available()
    for name, res in sentiment_accuracy(data, with_polvader=have_pv).items():
        rows.append(
            {
                "model": "sentiment",
                "dataset": name,
                "metric": "accuracy, 4 classes",
                "ratusz": round(res["ratusz"], 4),
                "polvader": round(res["polvader"], 4)
                if res["polvader"] is not None
                else polvader_compat.UNAVAILABLE,
                "how": "shipped model; these texts never in training (KLEJ overlap removed)",
            }
        )
    for path, how in (
        (QUESTIONS_FILE, "rules; set written while developing them (optimistic)"),
        (QUESTIONS_HOLDOUT, "rules; set written after the rules were frozen"),
    ):
        if not path.is_file():
            continue
        q = question_scores(path)
        rows.append(
            {
                "model": "questions",
                "dataset": f"{path.name} ({q['n']}, hand-labelled)",
                "metric": "precision / recall / F1",
                "ratusz": f"{q['precision']:.2f} / {q['recall']:.2f} / {q['f1']:.2f}",
                "polvader": "nie dotyczy",
                "how": how,
            }
        )
    texts, _h, _k = datasets.cbd(data)
    reviews = datasets.polemo_reviews(data)
    rows.append(
        {
            "model": "language",
            "dataset": "CBD + PolEmo-IN dev",
            "metric": "detected as Polish",
            "ratusz": round(polish_share(texts + reviews.texts), 4),
            "polvader": "nie dotyczy",
            "how": "all texts are Polish: 1.0 is perfect",
        }
    )
    return rows
