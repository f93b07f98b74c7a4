"""The shipped model: one weight matrix for all linear models, loaded lazily once from the package.

Columns of the weight matrix (K = 6): 0 harm logit (harmful vs not), 1 hate-vs-cyberbullying logit
(meaning only for harmful texts), 2..5 sentiment logits (negative, neutral, positive, ambivalent).
Scoring a batch is therefore one featurisation and two sparse-times-dense products
(char block and word block), whatever the number of models.

Files in src/ratusz/language/artifacts/: model.npz (float16 weights, float32 biases) and model.json
(version, calibration, threshold, training data fingerprints, evaluation figures).
The harm threshold can be overridden with RATUSZ_HARM_THRESHOLD (see `threshold_setting`).
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ratusz import config
from ratusz.errors import RatuszError
from ratusz.language.features import CHAR_DIM, WORD_DIM, Features

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SENTIMENTS = ["negative", "neutral", "positive", "ambivalent"]
HARM_COL, HATE_COL, SENT_COLS = 0, 1, slice(2, 6)
K = 6


@dataclass
class LanguageModel:
    """Weights and calibration of the shipped models (see module docstring for the column layout)."""

    w_char: np.ndarray
    w_word: np.ndarray
    bias: np.ndarray
    platt_a: float
    platt_b: float
    harm_threshold: float
    meta: dict
    threshold_overridden: bool = False

    @property
    def version(self) -> str:
        """The model version string recorded on every scored comment (e.g. "lang1-3fa2c9d1e0"); with
        RATUSZ_HARM_THRESHOLD set, the threshold is appended ("lang1-3fa2c9d1e0-t0.4"), so stored
        comments scored with another threshold are re-scored."""
        if self.threshold_overridden:
            return f"{self.meta['version']}-t{self.harm_threshold:.4g}"
        return self.meta["version"]

    def logits(self, features: Features) -> np.ndarray:
        """Raw scores of every text for every column (float32 array, texts x K)."""
        out = features.chars @ self.w_char
        out += features.words @ self.w_word
        out += self.bias
        return out

    def harm_probability(self, logits: np.ndarray) -> np.ndarray:
        """Calibrated probability (0..1) that each text is harmful, by Platt scaling of the harm logit."""
        return 1.0 / (1.0 + np.exp(-(self.platt_a * logits[:, HARM_COL] + self.platt_b)))

    def hate_probability(self, logits: np.ndarray) -> np.ndarray:
        """Probability (0..1) that a harmful text is hate speech rather than cyberbullying."""
        return 1.0 / (1.0 + np.exp(-logits[:, HATE_COL]))

    def sentiment_probabilities(self, logits: np.ndarray) -> np.ndarray:
        """Softmax over the four sentiment logits (texts x 4, rows sum to 1)."""
        z = logits[:, SENT_COLS]
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


def weights_version(w_char: np.ndarray, w_word: np.ndarray, bias: np.ndarray, params: dict) -> str:
    """A version string derived from the weights and parameters, so a retrained model re-scores comments."""
    h = hashlib.sha256()
    for arr in (w_char, w_word, bias):
        h.update(np.ascontiguousarray(arr).tobytes())
    h.update(json.dumps(params, sort_keys=True).encode())
    return f"lang1-{h.hexdigest()[:10]}"


def save(model: LanguageModel, folder: Path = ARTIFACTS) -> None:
    """Write model.npz and model.json into `folder` (the package's artifacts folder by default)."""
    folder.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        folder / "model.npz",
        w_char=model.w_char.astype(np.float16),
        w_word=model.w_word.astype(np.float16),
        bias=model.bias.astype(np.float32),
    )
    meta = dict(model.meta)
    meta.update(platt_a=model.platt_a, platt_b=model.platt_b, harm_threshold=model.harm_threshold)
    (folder / "model.json").write_text(
        json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def threshold_setting() -> float | None:
    """RATUSZ_HARM_THRESHOLD as a number in (0, 1), or None when it is empty (use the trained threshold);
    raise RatuszError with one sentence when it is not such a number."""
    raw = config.get("RATUSZ_HARM_THRESHOLD").strip().replace(",", ".")
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not 0.0 < value < 1.0:
        raise RatuszError(
            f"RATUSZ_HARM_THRESHOLD={raw!r} nie jest liczbą z przedziału (0, 1): podaj np. 0.4 "
            "albo zostaw puste, by użyć progu z treningu."
        )
    return value


def load(folder: Path = ARTIFACTS) -> LanguageModel:
    """Read the model from `folder`; raise RatuszError when it has not been built."""
    npz, js = folder / "model.npz", folder / "model.json"
    if not (npz.is_file() and js.is_file()):
        raise RatuszError(f"Brak modelu językowego w {folder}: zbuduj go poleceniem `ratusz language train`.")
    meta = json.loads(js.read_text(encoding="utf-8"))
    with np.load(npz) as data:
        w_char = data["w_char"].astype(np.float32)
        w_word = data["w_word"].astype(np.float32)
        bias = data["bias"].astype(np.float32)
    if w_char.shape != (CHAR_DIM, K) or w_word.shape != (WORD_DIM, K):
        raise RatuszError(
            f"Model w {folder} ma inny kształt niż oczekiwany: zbuduj go ponownie (`ratusz language train`)."
        )
    override = threshold_setting()
    return LanguageModel(
        w_char=w_char,
        w_word=w_word,
        bias=bias,
        platt_a=float(meta["platt_a"]),
        platt_b=float(meta["platt_b"]),
        harm_threshold=float(meta["harm_threshold"]) if override is None else override,
        meta=meta,
        threshold_overridden=override is not None,
    )


_lock = threading.Lock()
_loaded: dict[Path, LanguageModel] = {}


def get(folder: Path = ARTIFACTS) -> LanguageModel:
    """The model of `folder`, loaded on first use and then kept (thread-safe)."""
    with _lock:
        if folder not in _loaded:
            _loaded[folder] = load(folder)
        return _loaded[folder]


def forget() -> None:
    """Drop the cached model (after `ratusz language train` wrote a new one in this process)."""
    with _lock:
        _loaded.clear()
