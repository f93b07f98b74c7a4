"""Run `polvader` (PyPI, a Polish VADER lexicon scorer) offline, as the peer baseline in evaluate and bench.

polvader's `Lexicon()` calls `spacy.load("pl_core_news_lg")`, a model that is not on PyPI (only on GitHub
release pages), and its declared dependencies pull torch/transformers, which we never install. It is
installed with `pip install --no-deps polvader` plus `spacy` (bench extra; `make bench` does both), and
here `spacy.load` is replaced, only while the lexicon is built, by a blank Polish pipeline whose lemmas
come from simplemma. The figures are therefore "polvader with a substitute lemmatiser", as in
../shared/research/polish-language.md §3.1.

Mapping to our labels (VADER's usual thresholds): compound >= 0.05 positive, <= -0.05 negative, else
neutral; polvader never predicts "ambivalent".
"""

from __future__ import annotations

from functools import lru_cache

from ratusz.errors import RatuszError

UNAVAILABLE = (
    "polvader niedostępny: zainstaluj go bez zależności (pip install --no-deps 'polvader>=1.0.1,<2' "
    "oraz pip install 'spacy>=3.8,<4'; robi to `make bench`)."
)


def available() -> bool:
    """True when polvader and spaCy can be imported."""
    try:
        import polvader  # noqa: F401
        import spacy  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def lexicon():
    """polvader's expanded Lexicon with a blank spaCy Polish pipeline and simplemma lemmas (built once)."""
    if not available():
        raise RatuszError(UNAVAILABLE)
    import simplemma
    import spacy
    from spacy.language import Language

    if "ratusz_simplemma" not in Language.factories:

        @Language.component("ratusz_simplemma")
        def _lemmatise(doc):
            for token in doc:
                token.lemma_ = simplemma.lemmatize(token.text.lower(), lang="pl")
            return doc

    def blank_pl(_name: str, **_kwargs):
        nlp = spacy.blank("pl")
        nlp.add_pipe("ratusz_simplemma")
        return nlp

    import polvader.models as pv_models

    original = pv_models.spacy.load
    pv_models.spacy.load = blank_pl
    try:
        return pv_models.Lexicon(expanded=True)
    finally:
        pv_models.spacy.load = original


def sentiment(compound: float) -> str:
    """Our sentiment label for a VADER compound score (-1..1)."""
    if compound >= 0.05:
        return "positive"
    if compound <= -0.05:
        return "negative"
    return "neutral"


def score(texts: list[str]) -> list[str]:
    """polvader's sentiment label (negative / neutral / positive) for every text."""
    lex = lexicon()
    return [sentiment(r["compound"]) for r in lex.score_batch(list(texts), batch_size=256)]
