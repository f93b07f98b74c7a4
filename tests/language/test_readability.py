"""FOG-PL, Pisarek, the Jasnopis-like band and the plain-language hints of `ratusz language check`."""

from __future__ import annotations

import json
import math

import pytest

from ratusz.errors import RatuszError
from ratusz.language.readability import check, split_sentences


def test_indices_follow_the_published_formulas():
    # 2 sentences, 12 words; hard words (4+ syllables): "informacja" (4), "komunikacja" (5) -> 16.7 %
    text = "Mamy nową informację dla was. Komunikacja miejska jedzie dziś inaczej niż zwykle."
    r = check(text)
    assert (r.sentences, r.words) == (2, 12)
    asl, hard = 12 / 2, 100 * 2 / 12
    assert r.hard_words == 2
    assert r.fog_pl == pytest.approx(round(0.4 * (asl + hard), 2))
    assert r.pisarek_linear == pytest.approx(round(asl / 3 + hard / 3 + 1, 2))
    assert r.pisarek_nonlinear == pytest.approx(round(0.5 * math.sqrt(asl**2 + hard**2), 2))


def test_pisarek_leaves_out_proper_names_but_fog_counts_them():
    r = check("Czekamy w Konstantynopolitańczykowianeczce jutro.")
    assert r.hard_words == 1  # FOG-PL counts it
    assert r.pisarek_linear == pytest.approx(round(4 / 3 + 1, 2))  # Pisarek does not


def test_sentences_do_not_end_at_abbreviations_or_dates():
    text = "Spotkanie odbędzie się 5 maja 2025 r. w sali nr 3 przy ul. Długiej. Zapraszamy np. seniorów!"
    assert len(split_sentences(text)) == 2


def test_officialese_draft_gets_all_kinds_of_hints_and_a_high_band():
    draft = (
        "Uprzejmie informujemy, iż droga została zamknięta w celu zapewnienia bezpieczeństwa mieszkańców. "
        "Remont jest prowadzony przez wykonawcę wyłonionego w przetargu nieograniczonym, a jego zakończenie "
        "planowane jest na koniec listopada zgodnie z harmonogramem uzgodnionym z Zarządem Dróg Powiatowych."
    )
    r = check(draft)
    kinds = {h.kind for h in r.hints}
    assert kinds == {"long_sentence", "passive", "nominalisation", "officialese"}
    assert "została zamknięta" in r.passive and "jest prowadzony" in r.passive
    assert "zapewnienia" in r.nominalisations
    assert r.band >= 6 and r.fog_pl > 14


def test_plain_post_gets_no_hints_and_a_low_band():
    r = check("Jutro zamykamy ulicę Długą. Objazd jest przez Krótką. Dziękujemy za cierpliwość!")
    assert r.hints == []
    assert r.band <= 3


def test_empty_or_wordless_text_is_a_clear_error():
    with pytest.raises(RatuszError, match="nie zawiera słów"):
        check("  ... 🙂 ")


def test_check_cli_prints_json(cli):
    result = cli("language", "check", "Droga została zamknięta.", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["passive"] == ["została zamknięta"] and data["band"] >= 1
