"""`ratusz language train`: build the shipped models from ../shared/data, reproducibly (fixed seed).

Harmful content (columns 0 and 1 of the weight matrix):
- a logistic regression on CBD tweets (task 1 labels: harmful or not): the mean of its K fold models,
  each fitted on NB-weighted features (NBSVM-style: every feature scaled by its log-count ratio
  log(P(feature | harmful) / P(feature | not harmful)), smoothed by NB_ALPHA, computed on that fold's
  training rows only); the ratio folds into the weights, so scoring costs nothing more,
- a logistic regression on BAN-PL (Wykop posts removed by moderators vs neutral ones), NB-weighted the same way,
- a two-input logistic regression ("stacker") on out-of-fold CBD scores of the first and the BAN-PL
  scores of the second. It calibrates (Platt scaling on held-out scores) and weighs the two sources;
  since all three are linear, they fold into one column of weights: a·w_cbd + b·w_ban.
- the harmful threshold maximises F1 of the out-of-fold calibrated probabilities;
- hate vs cyberbullying: a logistic regression on the harmful CBD tweets only (task 2 labels).
Sentiment (columns 2–5): a multinomial logistic regression on PolEmo 2.0 sentences (hotels and medicine
train files) minus every line listed in overlap_with_klej.tsv, so polemo2-in/dev.tsv stays unseen.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from ratusz.language import datasets
from ratusz.language.features import CHAR_DIM, DIM, featurise
from ratusz.language.model import ARTIFACTS, SENTIMENTS, K, LanguageModel, save, weights_version

SEED = 20190411
FOLDS = 5
C_CBD = 10.0
C_BAN = 10.0
NB_ALPHA = 0.5
C_TYPE = 3.0
C_SENT = 3.0
BATCH = 8192

Progress = Callable[[str], None]


def _quiet(_msg: str) -> None:
    pass


def features_of(texts: list[str]) -> sp.csr_matrix:
    """The training matrix (texts x DIM) of raw texts, built in batches by the scoring featuriser."""
    parts = [
        featurise([t.replace("\x00", " ") for t in texts[i : i + BATCH]]).matrix()
        for i in range(0, len(texts), BATCH)
    ]
    return sp.vstack(parts, format="csr") if parts else sp.csr_matrix((0, DIM), dtype=np.float32)


def _lr(x: sp.csr_matrix, y: np.ndarray, c: float, class_weight: str | None = None) -> LogisticRegression:
    return LogisticRegression(
        C=c, solver="liblinear", class_weight=class_weight, max_iter=2000, random_state=SEED
    ).fit(x, y)


def nb_ratio(x: sp.csr_matrix, y: np.ndarray, alpha: float = NB_ALPHA) -> np.ndarray:
    """Log-count ratio per feature (NBSVM): log of the smoothed share of class-1 rows having the feature
    over the same share for class 0 (float64 array over the columns of x)."""
    present = x.copy()
    present.data = np.ones_like(present.data)
    p = alpha + np.asarray(present[y == 1].sum(axis=0)).ravel()
    q = alpha + np.asarray(present[y == 0].sum(axis=0)).ravel()
    return np.log((p / p.sum()) / (q / q.sum()))


@dataclass
class Linear:
    """A linear scorer over the raw features: score = x @ w + b (NB weighting folded into w)."""

    w: np.ndarray
    b: float

    def decision_function(self, x: sp.csr_matrix) -> np.ndarray:
        return x @ self.w + self.b


def _nb_lr(x: sp.csr_matrix, y: np.ndarray, c: float) -> Linear:
    """Logistic regression on NB-weighted features, returned as weights over the raw features."""
    r = nb_ratio(x, y)
    fit = _lr(x @ sp.diags(r), y, c)
    return Linear(w=fit.coef_[0] * r, b=float(fit.intercept_[0]))


def _best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """The probability threshold with the best F1 of class 1 (ties: the higher threshold)."""
    order = np.argsort(-p, kind="stable")
    tp = np.cumsum(y[order] == 1)
    fp = np.cumsum(y[order] == 0)
    f1 = 2 * tp / (tp + fp + y.sum())
    best = int(np.argmax(f1))
    below = p[order][best + 1] if best + 1 < len(order) else 0.0
    return float((p[order][best] + below) / 2)


@dataclass
class HarmModel:
    """Harm weights (over DIM features) with calibration folded in, the threshold, and the type model."""

    w: np.ndarray
    b: float
    threshold: float
    w_type: np.ndarray
    b_type: float
    stack: tuple[float, float, float]

    def probability(self, x: sp.csr_matrix) -> np.ndarray:
        """Calibrated harmful probability per row of x (0..1)."""
        return 1.0 / (1.0 + np.exp(-(x @ self.w + self.b)))

    def hate(self, x: sp.csr_matrix) -> np.ndarray:
        """Probability that a harmful row is hate speech rather than cyberbullying (0..1)."""
        return 1.0 / (1.0 + np.exp(-(x @ self.w_type + self.b_type)))


def fit_harm(x: sp.csr_matrix, y: np.ndarray, kind: np.ndarray, ban: Linear, seed: int = SEED) -> HarmModel:
    """Fit the harm model on CBD rows x (labels y 0/1, kind 0/1/2) with the BAN-PL model `ban`:
    inner stratified CV gives out-of-fold scores for the stacker and the threshold."""
    oof = np.zeros(len(y))
    coefs, intercepts = [], []
    for tr, te in StratifiedKFold(FOLDS, shuffle=True, random_state=seed).split(x, y):
        fold = _nb_lr(x[tr], y[tr], C_CBD)
        oof[te] = fold.decision_function(x[te])
        coefs.append(fold.w)
        intercepts.append(fold.b)
    ban_scores = ban.decision_function(x)
    stacker = LogisticRegression(C=1e4, max_iter=1000).fit(np.column_stack([oof, ban_scores]), y)
    a, b = (float(v) for v in stacker.coef_[0])
    c = float(stacker.intercept_[0])
    p_oof = stacker.predict_proba(np.column_stack([oof, ban_scores]))[:, 1]
    threshold = _best_threshold(y, p_oof)
    # The shipped CBD model is the mean of the fold models, not a refit on all rows: the stacker was fitted
    # on fold-model scores, and a refit on more data gives larger scores than those it was calibrated on
    # (too many texts above the threshold). A mean of linear models is one linear model.
    w = a * np.mean(coefs, axis=0) + b * ban.w
    bias = a * float(np.mean(intercepts)) + b * ban.b + c
    harmful = kind > 0
    typ = _lr(x[harmful], (kind[harmful] == 2).astype(int), C_TYPE, class_weight="balanced")
    return HarmModel(
        w=w.astype(np.float32),
        b=bias,
        threshold=threshold,
        w_type=typ.coef_[0].astype(np.float32),
        b_type=float(typ.intercept_[0]),
        stack=(a, b, c),
    )


def fit_ban(data: Path, progress: Progress = _quiet) -> Linear:
    """The BAN-PL logistic regression on NB-weighted features (decrypted in memory, never written to disk)."""
    texts, labels = datasets.ban_pl(data)
    progress(f"BAN-PL: {len(texts)} tekstów")
    return _nb_lr(features_of(texts), np.array(labels), C_BAN)


def fit_sentiment(data: Path, progress: Progress = _quiet) -> tuple[LogisticRegression, int]:
    """The 4-class sentiment model on PolEmo sentences (overlap with KLEJ dev/test removed); returns it
    with the number of training sentences."""
    train, _dev = datasets.polemo_sentences(data)
    progress(f"PolEmo: {len(train.texts)} zdań")
    y = np.array([SENTIMENTS.index(label) for label in train.labels])
    model = LogisticRegression(C=C_SENT, max_iter=300, random_state=SEED)
    return model.fit(features_of(train.texts), y), len(train.texts)


def _fingerprint(data: Path) -> dict[str, str]:
    folder = datasets.language_dir(data)
    files = [
        "cbd/train_text.txt",
        "cbd/train_tags_task1_harmful.txt",
        "cbd/train_tags_task2_type.txt",
        "ban-pl/BAN-PL_1.zip",
        "polemo2-sentence/hotels.sentence.train.txt",
        "polemo2-sentence/medicine.sentence.train.normalized.txt",
        "polemo2-sentence/overlap_with_klej.tsv",
    ]
    return {f: hashlib.sha256((folder / f).read_bytes()).hexdigest()[:16] for f in files}


def train(data: Path, out: Path = ARTIFACTS, progress: Progress = _quiet) -> LanguageModel:
    """Train every model from `data` (../shared/data) and write the artefacts to `out`; return the model."""
    fingerprint = _fingerprint(data)
    progress("CBD: cechy")
    texts, harmful, kind = datasets.cbd(data)
    x = features_of(texts)
    progress("BAN-PL: model")
    ban = fit_ban(data, progress)
    progress("CBD: model szkodliwości z kalibracją")
    harm = fit_harm(x, np.array(harmful), np.array(kind), ban)
    progress("PolEmo: model nastroju")
    sent, n_sent = fit_sentiment(data, progress)
    w = np.zeros((DIM, K), dtype=np.float32)
    w[:, 0] = harm.w
    w[:, 1] = harm.w_type
    w[:, 2:6] = sent.coef_.T
    bias = np.array([harm.b, harm.b_type, *sent.intercept_], dtype=np.float32)
    # round to what the shipped float16 file holds, so the version hash matches what is loaded
    w = w.astype(np.float16).astype(np.float32)
    params = {
        "seed": SEED,
        "folds": FOLDS,
        "C": {"cbd": C_CBD, "ban": C_BAN, "type": C_TYPE, "sentiment": C_SENT},
        "nb_alpha": NB_ALPHA,
        "data": fingerprint,
    }
    meta = {
        "version": weights_version(w[:CHAR_DIM], w[CHAR_DIM:], bias, params),
        "params": params,
        "stack": {"cbd": harm.stack[0], "ban_pl": harm.stack[1], "intercept": harm.stack[2]},
        "trained_on": {
            "harm": f"CBD train ({len(texts)} tweets) + BAN-PL_1 (Wykop, stacked)",
            "harm_type": "CBD task 2, harmful tweets only",
            "sentiment": f"PolEmo 2.0 sentences, hotels + medicine ({n_sent}, KLEJ overlap removed)",
        },
    }
    model = LanguageModel(
        w_char=w[:CHAR_DIM],
        w_word=w[CHAR_DIM:],
        bias=bias,
        platt_a=1.0,
        platt_b=0.0,
        harm_threshold=harm.threshold,
        meta=meta,
    )
    save(model, out)
    return model
