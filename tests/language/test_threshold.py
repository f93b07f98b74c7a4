"""RATUSZ_HARM_THRESHOLD: the trained harm threshold by default, a declared setting to move it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ratusz.collect.models import Comment
from ratusz.errors import RatuszError
from ratusz.language import model as model_mod
from ratusz.language.pipeline import score_stored
from ratusz.language.scoring import score_texts
from tests.factories import make_comment, make_post, make_profile

TEXTS = [
    "Ty głupi debilu, zamknij ryj, śmieciu jeden.",
    "Kiedy będzie remont ulicy Polnej?",
    "No i znowu korki, kto to wymyślił.",
]


@pytest.fixture
def fresh_model():
    """Reload the model after the test, so a changed setting does not leak into other tests."""
    model_mod.forget()
    yield
    model_mod.forget()


def test_default_is_the_trained_threshold(monkeypatch, fresh_model):
    monkeypatch.delenv("RATUSZ_HARM_THRESHOLD", raising=False)
    lm = model_mod.get()
    assert lm.harm_threshold == pytest.approx(lm.meta["harm_threshold"])
    assert lm.version == lm.meta["version"]


def test_the_setting_moves_the_threshold_and_marks_the_version(monkeypatch, fresh_model):
    trained = model_mod.get()
    probs = [r["harm_probability"] for r in score_texts(TEXTS)]
    monkeypatch.setenv("RATUSZ_HARM_THRESHOLD", "0,001")  # a comma works as the decimal mark too
    model_mod.forget()
    low = model_mod.get()
    assert low.harm_threshold == pytest.approx(0.001)
    assert low.version == f"{trained.version}-t0.001" and len(low.version) <= 40
    assert [r["harm"] != "none" for r in score_texts(TEXTS)] == [p >= 0.001 for p in probs]
    monkeypatch.setenv("RATUSZ_HARM_THRESHOLD", "0.999")
    model_mod.forget()
    results = score_texts(TEXTS)
    assert [r["harm"] != "none" for r in results] == [p >= 0.999 for p in probs]
    assert [r["harm_probability"] for r in results] == probs  # only the cut moves


@pytest.mark.parametrize("bad", ["abc", "0", "1", "1.5", "-0.2", "nan"])
def test_a_bad_value_is_one_clear_sentence(monkeypatch, fresh_model, bad):
    monkeypatch.setenv("RATUSZ_HARM_THRESHOLD", bad)
    model_mod.forget()
    with pytest.raises(RatuszError, match="RATUSZ_HARM_THRESHOLD"):
        model_mod.get()


def test_a_changed_threshold_rescores_stored_comments_once(db, monkeypatch, fresh_model):
    post = make_post(make_profile(), datetime(2025, 3, 1, 10, tzinfo=UTC))
    for text in TEXTS:
        make_comment(post, text)
    assert score_stored().scored == 3
    monkeypatch.setenv("RATUSZ_HARM_THRESHOLD", "0.999")
    model_mod.forget()
    assert score_stored().scored == 3
    assert score_stored().scored == 0
    for c in Comment.objects.all():
        assert (c.harm != "none") == (c.harm_probability >= 0.999)
    assert set(Comment.objects.values_list("scored_model_version", flat=True)) == {model_mod.get().version}
