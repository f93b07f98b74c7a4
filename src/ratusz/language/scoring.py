"""One scoring interface for comments: harm, sentiment, question, language — `score_texts`.

Every text gets a result, whatever it contains: an empty line, emoji only, another language, 100 kB of
text or (from the CLI) bytes that were not UTF-8 are reported per text in `status` and `note`, and never
stop the batch. Models see at most MAX_CHARS characters of a text (the rest is reported as truncated).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ratusz.language import model as model_mod
from ratusz.language import rules
from ratusz.language.features import featurise

MAX_CHARS = 5000
BATCH = 4096

NOTES = {
    "empty": "Pusty tekst: nie ma czego oceniać.",
    "no_letters": "Tekst bez liter (np. same emoji): nastrój oceniony tylko z emoji.",
    "other_language": "Tekst nie wygląda na polski: modele działają tylko dla polskiego, więc go nie oceniły.",
    "truncated": f"Tekst dłuższy niż {MAX_CHARS} znaków: oceniono tylko początek.",
    "invalid_utf8": "Wiersz nie był poprawnym UTF-8: błędne bajty zastąpiono znakiem �.",
}


def _empty_result(version: str, status: str) -> dict[str, Any]:
    return {
        "language": "",
        "sentiment": None,
        "sentiment_scores": None,
        "harm": None,
        "harm_probability": None,
        "harm_type_scores": None,
        "is_question": None,
        "model_version": version,
        "status": status,
        "note": NOTES.get(status, ""),
    }


def _score_batch(texts: list[str], lm: model_mod.LanguageModel) -> list[dict[str, Any]]:
    version = lm.version
    results: list[dict[str, Any] | None] = [None] * len(texts)
    prepared: list[str] = []
    index: list[int] = []
    truncated: set[int] = set()
    for i, raw in enumerate(texts):
        text = raw if isinstance(raw, str) else str(raw)
        if not text.strip():
            results[i] = _empty_result(version, "empty")
            continue
        if len(text) > MAX_CHARS:
            text = text[:MAX_CHARS]
            truncated.add(i)
        prepared.append(text.replace("\x00", " "))
        index.append(i)
    if prepared:
        feats = featurise(prepared)
        logits = lm.logits(feats)
        p_harm = lm.harm_probability(logits)
        p_hate = lm.hate_probability(logits)
        p_sent = lm.sentiment_probabilities(logits)
        langs = rules.language(feats)
        questions = rules.questions(feats)
        pos_emoji, neg_emoji = rules.emoji_mood(feats)
        sent_idx = p_sent.argmax(axis=1)
        for j, i in enumerate(index):
            lang = langs[j]
            status = "truncated" if i in truncated else "ok"
            res: dict[str, Any] = {
                "language": lang,
                "sentiment": None,
                "sentiment_scores": None,
                "harm": None,
                "harm_probability": None,
                "harm_type_scores": None,
                "is_question": bool(questions[j]),
                "model_version": version,
            }
            if lang == "other":
                status = "other_language"
            else:
                ph = float(p_harm[j])
                hate = float(p_hate[j])
                harmful = ph >= lm.harm_threshold
                res["harm_probability"] = round(ph, 4)
                res["harm"] = ("hate" if hate >= 0.5 else "cyberbullying") if harmful else "none"
                res["harm_type_scores"] = {
                    "none": round(1.0 - ph, 4),
                    "cyberbullying": round(ph * (1.0 - hate), 4),
                    "hate": round(ph * hate, 4),
                }
                if lang == "und":
                    status = "no_letters"
                    pos, neg = int(pos_emoji[j]), int(neg_emoji[j])
                    res["sentiment"] = (
                        "ambivalent"
                        if pos and neg
                        else "positive"
                        if pos
                        else "negative"
                        if neg
                        else "neutral"
                    )
                else:
                    res["sentiment"] = model_mod.SENTIMENTS[int(sent_idx[j])]
                    res["sentiment_scores"] = {
                        name: round(float(p), 4)
                        for name, p in zip(model_mod.SENTIMENTS, p_sent[j], strict=True)
                    }
            res["status"] = status
            res["note"] = NOTES.get(status, "")
            results[i] = res
    return [r for r in results if r is not None]


def score_texts(texts: Sequence[str], *, batch_size: int = BATCH) -> list[dict[str, Any]]:
    """Score texts; return one dict per text, in order, with language ("pl", "other", "und" or "" when empty),
    sentiment (negative/neutral/positive/ambivalent), sentiment_scores (probabilities summing to 1),
    harm (none/cyberbullying/hate), harm_probability (calibrated, 0..1), harm_type_scores, is_question,
    model_version, status (ok, empty, no_letters, other_language, truncated) and note (a Polish sentence).
    Fields a model could not fill are None."""
    lm = model_mod.get()
    out: list[dict[str, Any]] = []
    for start in range(0, len(texts), batch_size):
        out.extend(_score_batch(list(texts[start : start + batch_size]), lm))
    return out


def score_arrays(texts: Sequence[str]) -> dict[str, np.ndarray]:
    """Fast path for bulk scoring (no per-text dicts): arrays of harm probability, harm class index
    (0 none, 1 cyberbullying, 2 hate), sentiment index (model.SENTIMENTS order), question flags, language."""
    lm = model_mod.get()
    prepared = [t[:MAX_CHARS].replace("\x00", " ") for t in texts]
    feats = featurise(prepared)
    logits = lm.logits(feats)
    p_harm = lm.harm_probability(logits)
    hate = lm.hate_probability(logits) >= 0.5
    harm_cls = np.where(p_harm >= lm.harm_threshold, np.where(hate, 2, 1), 0)
    return {
        "harm_probability": p_harm,
        "harm_class": harm_cls,
        "sentiment": lm.sentiment_probabilities(logits).argmax(axis=1),
        "is_question": rules.questions(feats),
        "language": np.array(rules.language(feats)),
    }


def rows_for_storage(rows: list[tuple[int, str]]) -> list[tuple]:
    """Score (comment id, text) rows; return update tuples (language, sentiment, sentiment scores as JSON
    text or None, harm, harm probability, is_question, id). Used by the pipeline's worker processes, so
    this module must not import Django."""
    import json

    out = []
    for (pk, _text), r in zip(rows, score_texts([text or "" for _pk, text in rows]), strict=True):
        scores = r["sentiment_scores"]
        out.append(
            (
                r["language"] or "",
                r["sentiment"] or "",
                json.dumps(scores) if scores is not None else None,
                r["harm"] or "",
                r["harm_probability"],
                r["is_question"],
                pk,
            )
        )
    return out


def warm_up() -> None:
    """Load the model now (worker process initialiser), so the first batch is not slower."""
    model_mod.get()
