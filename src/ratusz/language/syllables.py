"""Polish syllable counting by vowel nuclei, with the orthographic rules that decide what is a nucleus.

A Polish syllable has exactly one vowel nucleus (a ą e ę i o ó u y). Two spelling rules change the count:
- "i" written before another vowel after a consonant only softens that consonant ("nie", "się", "ziemia",
  "biuro"): it is not a nucleus. At the start of a word or after a vowel it is ("idea", "Ukraina").
  A short list of loanword stems keeps "i" as a nucleus before a vowel ("klient", "dieta", "biologia").
- "au" and "eu" are one syllable in loanwords ("auto", "Europa", "neutralny", "pauza") but two where a
  prefix meets a stem ("nauka" = na-u-ka, "zauważyć", "nieuczciwy") or in the Latin "-eum" ("muzeum").
  They count as one at the start of a word and in a list of loanword stems, otherwise as two.
Words without a vowel ("w", "z") have 0 syllables.
"""

from __future__ import annotations

import re

VOWELS = frozenset("aąeęioóuy")

# stems where "i" before a vowel is its own syllable (kli-ent, di-e-ta, bi-o-lo-gia, tri-umf, ...)
_I_NUCLEUS_STEMS = (
    "klient",
    "kliencie",
    "klienc",
    "diet",
    "biolog",
    "biochem",
    "biograf",
    "biotech",
    "bioetyk",
    "biomas",
    "biodegrad",
    "triumf",
    "dialog",
    "diagno",
    "diament",
    "diabet",
    "orient",
    "pianist",
    "pediatr",
    "higien",
    "socjolog",
    "kwiet",
)
# stems where "au"/"eu" inside a word is one syllable (a diphthong)
_DIPHTHONG_STEMS = (
    "pauz",
    "klauz",
    "aul",
    "laur",
    "saun",
    "faun",
    "flaut",
    "kaucj",
    "aplauz",
    "astronaut",
    "nautyk",
    "traum",
    "neutr",
    "pseud",
    "feud",
    "reumat",
    "leuk",
    "farmaceut",
    "terapeut",
    "europ",
    "euro",
    "neuro",
    "hermeneut",
    "kapitaul",
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _i_is_nucleus_here(word: str, index: int) -> bool:
    return any(
        word.find(stem) != -1 and word.find(stem) <= index < word.find(stem) + len(stem)
        for stem in _I_NUCLEUS_STEMS
    )


def _in_diphthong_stem(word: str, index: int) -> bool:
    for stem in _DIPHTHONG_STEMS:
        at = word.find(stem)
        if at != -1 and at <= index < at + len(stem):
            return True
    return False


def count_syllables(word: str) -> int:
    """Return the number of syllables of one Polish word (an int >= 0; 0 for words without a vowel)."""
    w = word.lower()
    count = 0
    i = 0
    n = len(w)
    while i < n:
        ch = w[i]
        if ch not in VOWELS:
            i += 1
            continue
        nxt = w[i + 1] if i + 1 < n else ""
        if ch == "i" and nxt in VOWELS and i > 0 and w[i - 1] not in VOWELS and not _i_is_nucleus_here(w, i):
            i += 1  # softening "i": the next vowel is the nucleus
            continue
        if ch in "ae" and nxt == "u" and (i == 0 or _in_diphthong_stem(w, i)):
            count += 1
            i += 2  # diphthong au/eu
            continue
        count += 1
        i += 1
    return count


def words(text: str) -> list[str]:
    """Return the words (runs of letters) of a text, in order."""
    return _WORD.findall(text)
