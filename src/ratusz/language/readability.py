"""Readability and plain-language hints for a draft post: FOG-PL, Pisarek, a "Jasnopis-like" band, flags.

Formulas (../shared/research/polish-language.md §4.1): ASL = words / sentences, %H = 100 × hard words / words,
hard word = 4 or more syllables.
- FOG-PL = 0.4 × (ASL + %H)                     (years of education)
- Pisarek, linear = ASL/3 + %H/3 + 1; non-linear = ½ √(ASL² + %H²), hard words without numerals and
  proper names.
The 1–7 band is our own banding of FOG-PL, shown as "Jasnopis-like": Jasnopis (jasnopis.pl) uses a trained
model whose details are not public, so we do not claim to reproduce it.

Passive voice and verbal nouns (nominalisations) are found with Morfeusz 2 (SGJP dictionary, offline):
a form of "być"/"zostać" followed within three words by a passive participle (tag `ppas`), and words whose
analyses include a gerund (tag `ger`, e.g. "zapewnienie", "dokonanie").
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from ratusz.errors import RatuszError
from ratusz.language.syllables import count_syllables

LONG_SENTENCE_WORDS = 20
HARD_WORD_SYLLABLES = 4
MAX_CHECK_CHARS = 50_000

_ABBREVIATIONS = {
    "np",
    "tzn",
    "ul",
    "godz",
    "r",
    "ok",
    "tj",
    "itp",
    "itd",
    "dr",
    "prof",
    "ks",
    "św",
    "al",
    "pl",
    "os",
    "m.in",
    "wg",
    "ws",
    "tel",
    "nr",
    "zob",
    "por",
    "oprac",
    "mgr",
    "inż",
    "hab",
    "jw",
    "pn",
    "wt",
    "śr",
    "czw",
    "pt",
    "sob",
    "niedz",
    "gr",
    "zł",
    "tys",
    "mln",
    "mld",
    "proc",
    "min",
    "str",
    "woj",
    "pow",
    "gm",
}
_SENTENCE_END = re.compile(r"([.!?…]+)(\s+|$)")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)

# officialese with a plainer alternative (Pracownia Prostej Polszczyzny, KPRM "Komunikacja pisemna" 2015)
OFFICIALESE = {
    "niniejszy": "ten",
    "niniejszym": "(pomiń)",
    "niezwłocznie": "jak najszybciej",
    "uprzejmie informujemy": "informujemy / chcemy przekazać",
    "w celu": "aby, żeby",
    "w związku z": "ponieważ, z powodu",
    "uiścić": "zapłacić",
    "uiszczenie": "zapłata",
    "dokonać": "zrobić (albo czasownik: dokonać zapłaty → zapłacić)",
    "dokonania": "czasownik zamiast rzeczownika",
    "przedmiotowy": "ten, Pana/Pani",
    "przedmiotowej": "tej, Pana/Pani",
    "celem": "aby",
    "w razie": "jeśli",
    "na skutek": "z powodu",
    "w oparciu o": "na podstawie",
    "winien": "powinien",
    "jednakże": "ale",
    "aczkolwiek": "ale",
    "iż": "że",
}
_OFFICIALESE_RE = re.compile(
    r"\b(" + "|".join(re.escape(k) for k in sorted(OFFICIALESE, key=len, reverse=True)) + r")\b", re.I
)

BANDS = [
    (6.0, 1, "bardzo łatwy (szkoła podstawowa, klasy 1–3)"),
    (8.0, 2, "łatwy (szkoła podstawowa, klasy 4–8)"),
    (10.0, 3, "dość łatwy (zasadnicza szkoła / początek liceum)"),
    (12.0, 4, "średni (szkoła średnia)"),
    (14.0, 5, "dość trudny (studia licencjackie)"),
    (17.0, 6, "trudny (studia magisterskie)"),
    (math.inf, 7, "bardzo trudny (specjaliści)"),
]
FOG_SCALE = [
    (7, "bardzo prosty"),
    (10, "prosty"),
    (13, "dość prosty"),
    (16, "dość trudny"),
    (18, "trudny"),
    (math.inf, "bardzo trudny"),
]


@dataclass
class Hint:
    """One plain-language hint: kind (long_sentence, passive, nominalisation, officialese), the text
    fragment it refers to, and a suggestion in Polish."""

    kind: str
    fragment: str
    message: str


@dataclass
class Readability:
    """The readability report of a text; indices are in years of education (FOG-PL) or Pisarek points."""

    sentences: int
    words: int
    syllables: int
    hard_words: int
    avg_sentence_length: float
    hard_word_percent: float
    fog_pl: float
    fog_label: str
    pisarek_linear: float
    pisarek_nonlinear: float
    band: int
    band_label: str
    long_sentences: list[str] = field(default_factory=list)
    passive: list[str] = field(default_factory=list)
    nominalisations: list[str] = field(default_factory=list)
    hints: list[Hint] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Return the report as plain JSON-ready data."""
        return asdict(self)


def split_sentences(text: str) -> list[str]:
    """Split a text into sentences at . ! ? … (not after a common abbreviation or an initial) and at
    blank lines; return the non-empty sentences."""
    sentences: list[str] = []
    for block in re.split(r"\n\s*\n|\n(?=\s*[-•*–]\s)", text):
        start = 0
        for m in _SENTENCE_END.finditer(block):
            before = block[start : m.start()].rsplit(None, 1)
            last = before[-1].lower() if before else ""
            if m.group(1) == "." and (last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha())):
                continue
            nxt = block[m.end() : m.end() + 1]
            if nxt and not (nxt.isupper() or nxt.isdigit() or nxt in '"„«(-–'):
                continue
            sentences.append(block[start : m.end()].strip())
            start = m.end()
        if block[start:].strip():
            sentences.append(block[start:].strip())
    return [s for s in sentences if _TOKEN.search(s)]


@lru_cache(maxsize=1)
def _morfeusz():
    import morfeusz2

    return morfeusz2.Morfeusz(expand_tags=False)


def _analyses(sentence: str) -> list[tuple[str, set[str], set[str]]]:
    """Per token of a sentence: its form, the set of its lemmas and the set of its grammatical classes."""
    tokens: dict[int, tuple[str, set[str], set[str]]] = {}
    for start, _end, (form, lemma, tag, *_rest) in _morfeusz().analyse(sentence):
        form_, lemmas, classes = tokens.setdefault(start, (form, set(), set()))
        lemmas.add(lemma.split(":")[0].lower())
        classes.add(tag.split(":")[0])
    return [tokens[k] for k in sorted(tokens)]


def _passive_and_gerunds(sentence: str) -> tuple[list[str], list[str]]:
    toks = [t for t in _analyses(sentence) if "interp" not in t[2]]
    passive: list[str] = []
    gerunds: list[str] = []
    for i, (form, lemmas, classes) in enumerate(toks):
        if lemmas & {"być", "zostać"} and classes & {"fin", "praet", "bedzie", "inf", "impt", "cond"}:
            for j in range(i + 1, min(i + 4, len(toks))):
                if "ppas" in toks[j][2]:
                    passive.append(" ".join(t[0] for t in toks[i : j + 1]))
                    break
        if "ger" in classes and len(form) > 5:
            gerunds.append(form)
    return passive, gerunds


def _is_proper_name(token: str, position: int) -> bool:
    return position > 0 and token[:1].isupper()


def _band(fog: float) -> tuple[int, str]:
    for limit, band, label in BANDS:
        if fog <= limit:
            return band, label
    return 7, BANDS[-1][2]


def _fog_label(fog: float) -> str:
    for limit, label in FOG_SCALE:
        if fog < limit:
            return label
    return FOG_SCALE[-1][1]


def check(text: str) -> Readability:
    """Return the readability report of a Polish text (a post draft); raise RatuszError when it has no words."""
    if len(text) > MAX_CHECK_CHARS:
        raise RatuszError(
            f"Tekst ma {len(text)} znaków, a sprawdzamy najwyżej {MAX_CHECK_CHARS}: podziel go na części."
        )
    sentences = split_sentences(text)
    n_words = n_syll = n_hard = n_hard_pisarek = 0
    long_sentences: list[str] = []
    passive: list[str] = []
    gerunds: list[str] = []
    for sentence in sentences:
        tokens = _TOKEN.findall(sentence)
        words_here = [t for t in tokens if not t[0].isdigit()]
        n_words += len(tokens)
        for position, token in enumerate(words_here):
            syl = sum(count_syllables(part) for part in token.split("-"))
            n_syll += syl
            if syl >= HARD_WORD_SYLLABLES:
                n_hard += 1
                if not _is_proper_name(token, position):
                    n_hard_pisarek += 1
        if len(tokens) > LONG_SENTENCE_WORDS:
            long_sentences.append(sentence)
        p, g = _passive_and_gerunds(sentence)
        passive += p
        gerunds += g
    if n_words == 0:
        raise RatuszError("Tekst nie zawiera słów: wpisz lub wklej treść posta.")
    asl = n_words / len(sentences)
    hard_pct = 100.0 * n_hard / n_words
    hard_pct_p = 100.0 * n_hard_pisarek / n_words
    fog = 0.4 * (asl + hard_pct)
    band, band_label = _band(fog)
    hints = [
        Hint("long_sentence", s, f"Zdanie ma {len(_TOKEN.findall(s))} słów; podziel je (zalecane do 15–20).")
        for s in long_sentences
    ]
    hints += [
        Hint("passive", p, "Strona bierna: napisz, kto działa (np. „zamykamy drogę”).") for p in passive
    ]
    hints += [
        Hint("nominalisation", g, "Rzeczownik odczasownikowy: spróbuj użyć czasownika.")
        for g in dict.fromkeys(gerunds)
    ]
    for m in dict.fromkeys(x.group(0) for x in _OFFICIALESE_RE.finditer(text)):
        hints.append(Hint("officialese", m, f"Urzędowe sformułowanie; prościej: {OFFICIALESE[m.lower()]}."))
    return Readability(
        sentences=len(sentences),
        words=n_words,
        syllables=n_syll,
        hard_words=n_hard,
        avg_sentence_length=round(asl, 2),
        hard_word_percent=round(hard_pct, 2),
        fog_pl=round(fog, 2),
        fog_label=_fog_label(fog),
        pisarek_linear=round(asl / 3 + hard_pct_p / 3 + 1, 2),
        pisarek_nonlinear=round(0.5 * math.sqrt(asl**2 + hard_pct_p**2), 2),
        band=band,
        band_label=band_label,
        long_sentences=long_sentences,
        passive=passive,
        nominalisations=list(dict.fromkeys(gerunds)),
        hints=hints,
    )
