"""The batch featuriser: the same text gives the same features alone or in any batch, and normalisation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ratusz.language.features import char_bucket, featurise, normalise, word_hash


def _row(texts: list[str], i: int) -> dict[int, float]:
    m = featurise(texts).matrix()
    row = m.getrow(i)
    return dict(zip(row.indices.tolist(), np.round(row.data, 6).tolist(), strict=True))


def test_normalise_lowercases_and_replaces_urls_mentions_digits_and_repeats():
    assert (
        normalise("  Suuuuper!!!!  Zobacz https://x.pl/a?b=1 @Jan_K  w 2025 ") == "suuper!! zobacz url w 00"
    )


def test_diacritics_are_folded_for_word_features_only():
    assert word_hash("źle") == word_hash("zle")
    assert featurise(["źle"]).chars.indices.tolist() != featurise(["zle"]).chars.indices.tolist()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(max_size=60), min_size=1, max_size=6), st.integers(min_value=0, max_value=5))
def test_a_text_has_the_same_features_alone_and_inside_a_batch(texts, pick):
    texts = [t.replace("\x00", " ") for t in texts]
    i = pick % len(texts)
    assert _row(texts, i) == _row([texts[i]], 0)


def test_features_are_pinned_so_shipped_models_keep_working():
    # our own hash (not Python's salted hash()): a change here silently breaks every shipped model
    assert word_hash("gmina") == 8098590133240180881
    assert sorted(featurise(["Dziękujemy mieszkańcom!"]).chars.indices.tolist())[:5] == [
        43,
        1085,
        2610,
        4166,
        10300,
    ]


def test_each_char_ngram_counts_one_over_sqrt_of_the_ngrams_of_its_text():
    # " ab " has a, b / " a", "ab", "b " / " ab", "ab " / " ab " = 8 n-grams (lone spaces are skipped)
    f = featurise(["ab"])
    assert f.chars.nnz == 8
    assert np.allclose(f.chars.data, 1 / np.sqrt(8))


def test_char_bucket_is_the_column_char_features_gives_an_ngram():
    columns = set(featurise(["kurwa mać"]).chars.indices)
    assert {char_bucket("kurw"), char_bucket("urwa"), char_bucket("ć")} <= columns
    assert char_bucket("kurwx") not in columns
    with pytest.raises(ValueError):
        char_bucket("za-długie")
