"""Polish syllable counting on a word list with known counts (hand-checked against Polish syllabification)."""

from __future__ import annotations

import pytest

from ratusz.language.syllables import count_syllables

KNOWN = {
    # plain words
    "dom": 1,
    "kot": 1,
    "ale": 2,
    "urząd": 2,
    "miasto": 2,
    "gmina": 2,
    "mieszkańcy": 3,
    "ulica": 3,
    "samorząd": 3,
    "informacja": 4,
    "komunikacja": 5,
    "odpowiedzialność": 5,
    "bezpieczeństwo": 4,
    "przedszkole": 3,
    "pszczoła": 2,
    "chrząszcz": 1,
    "źdźbło": 1,
    "ewaluacja": 5,
    # "i" before a vowel after a consonant softens it: not a nucleus
    "nie": 1,
    "się": 1,
    "ziemia": 2,
    "biuro": 2,
    "pianino": 3,
    "historia": 3,
    "Maria": 2,
    "kiedy": 2,
    "wiosna": 2,
    "niebieski": 3,
    "dziecko": 2,
    "świeca": 2,
    "pieniądze": 3,
    # "i" at the start of a word or after a vowel is a nucleus
    "idea": 3,
    "Ukraina": 4,
    "uiścić": 3,
    "iść": 1,
    "maj": 1,
    "kraj": 1,
    # loanword stems where "i" before a vowel stays a syllable
    "klient": 2,
    "dieta": 3,
    "biologia": 4,
    "triumf": 2,
    # au / eu: one syllable at the start of a word and in loanword stems, two across a prefix or in -eum
    "auto": 2,
    "autobus": 3,
    "Europa": 3,
    "euro": 2,
    "neutralny": 3,
    "pauza": 2,
    "aula": 2,
    "nauka": 3,
    "nauczyciel": 4,
    "zauważyć": 4,
    "nieuczciwy": 4,
    "muzeum": 3,
    "liceum": 3,
    "zaułek": 3,
    # words without a vowel
    "w": 0,
    "z": 0,
}


@pytest.mark.parametrize(("word", "expected"), sorted(KNOWN.items()))
def test_syllable_count_matches_the_known_count(word, expected):
    assert count_syllables(word) == expected


def test_the_list_is_counted_right_as_a_whole():
    wrong = {w: count_syllables(w) for w, n in KNOWN.items() if count_syllables(w) != n}
    assert wrong == {}
