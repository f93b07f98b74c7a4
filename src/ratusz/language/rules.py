"""Rules computed on a whole batch at once from the shared features: language, questions, emoji mood.

Everything here is a numpy operation over all texts of a batch (word hashes looked up with np.isin,
per-text counts with np.bincount), so the rules cost little next to the models.

Language: comments under a Polish city's posts are Polish unless they show otherwise, so a text is "pl"
when it has Polish diacritics or Polish function words, "other" when most of its letters are not Latin
(e.g. Ukrainian or Russian in Cyrillic) or when it has English/German/other function words and fewer
Polish ones, and "und" (undetermined) when it has no letters at all (emoji, punctuation, numbers).
Short texts with neither signal ("super", "brawo") count as Polish.

Questions ("does the comment ask the city something"): a request formula ("proszę o informację",
"mam pytanie", "czy ktoś wie", "kiedy będzie"), or — unless the text is rhetorical ("?!", "!?") — a
question mark, or a sentence opened by a clearly interrogative word ("czy", "dlaczego", "czemu", …)
in a text that does not end with an ellipsis. How these rules were
labelled and validated: docs in benchmarks/language.py and `ratusz language evaluate`.
"""

from __future__ import annotations

import numpy as np

from ratusz.language.features import _IS_WORD, SEP, Features, _mix, word_hash

_PAIR_Q = np.uint64(0xD6E8FEB86659FD93)


def _split(words: str) -> list[str]:
    return words.split()


PL_DIACRITICS = np.array([ord(c) for c in "ąćęłńóśźż"], dtype=np.uint64)

PL_WORDS = _split(
    "się nie że jest są był była było będzie już tylko jeszcze tak też bardzo może można może dla przez "
    "oraz gdzie kiedy czy dlaczego jak który która które ten ta to te tego tej temu jego jej ich nas nam "
    "nasz nasza nasze mamy ma mam być żeby aby ale więc bo jako tu tam tutaj teraz dzisiaj jutro wszystko "
    "wszyscy nic ktoś coś proszę dziękuję dzięki miasto miasta gmina gminy urząd pan pani państwo szkoda "
    "brawo super fajnie ładnie świetnie gratulacje gratuluję wreszcie kiedyś znowu ulica ulicy drogi droga"
)
OTHER_WORDS = _split(
    # English
    "the and is are you of for this that with have what not but was will can my your our they their "
    "from would should there been very great thanks thank please "
    # German
    "und der die das ist nicht ich sie ein eine mit auf den dem von wir sind auch sehr danke bitte "
    # Czech / Slovak
    "jsem jsou jste není ako alebo tiež velmi děkuji ďakujem "
    # Spanish / French / Italian
    "el los las que una por para est les des une pas avec pour il della sono"
)
# words that make a question when they open a sentence, even without a question mark
# ("kiedy", "ile", "gdzie" are too often conjunctions or rhetorical without a question mark)
QUESTION_OPENERS = {"czy", "dlaczego", "czemu", "skąd", "dokąd", "którędy"}
REQUEST_BIGRAMS = [
    ("proszę", "o"),
    ("prosimy", "o"),
    ("prośba", "o"),
    ("poproszę", "o"),
    ("mam", "pytanie"),
    ("pytanie", "do"),
    ("chciałbym", "zapytać"),
    ("chciałabym", "zapytać"),
    ("chciałem", "zapytać"),
    ("chciałam", "zapytać"),
    ("czy", "ktoś"),
    ("czy", "można"),
    ("czy", "będzie"),
    ("czy", "wiadomo"),
    ("kiedy", "będzie"),
    ("kiedy", "ruszy"),
    ("kiedy", "wreszcie"),
    ("do", "kiedy"),
    ("na", "kiedy"),
    ("jak", "długo"),
    ("co", "dalej"),
]
POSITIVE_EMOJI = "😀😃😄😁😆😊🙂😍🥰😘😻👍👏🙌💪❤🧡💛💚💙💜🤍🖤💖💗💓💕🎉🥳✨🌞☀⭐🌟👌🤗😎🙏💐🌸🌷🌹"
NEGATIVE_EMOJI = "😠😡🤬😤😒🙄😞😟😢😭😩😫🤮🤢👎💩🖕😱😨😰😖😣😔☹🙁😑😐🤦"


def _pair(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    return _mix(first * _PAIR_Q + second)


def _hash_set(words: list[str]) -> np.ndarray:
    return np.unique(np.array([word_hash(w) for w in words], dtype=np.uint64))


_cache: dict[str, np.ndarray] = {}


def _tables() -> dict[str, np.ndarray]:
    if not _cache:
        _cache["pl"] = _hash_set(PL_WORDS)
        _cache["other"] = _hash_set(OTHER_WORDS)
        _cache["openers"] = _hash_set(sorted(QUESTION_OPENERS))
        first = _hash_set([a for a, _ in REQUEST_BIGRAMS])
        _cache["request_first"] = first
        _cache["request_pairs"] = np.unique(
            _pair(
                np.array([word_hash(a) for a, _ in REQUEST_BIGRAMS], dtype=np.uint64),
                np.array([word_hash(b) for _, b in REQUEST_BIGRAMS], dtype=np.uint64),
            )
        )
        _cache["pos_emoji"] = np.array(sorted({ord(c) for c in POSITIVE_EMOJI}), dtype=np.uint64)
        _cache["neg_emoji"] = np.array(sorted({ord(c) for c in NEGATIVE_EMOJI}), dtype=np.uint64)
    return _cache


def _per_text(mask: np.ndarray, docs: np.ndarray, size: int) -> np.ndarray:
    return np.bincount(docs[mask], minlength=size)


def language(features: Features) -> list[str]:
    """Language of every text of the batch: "pl", "other" or "und" (no letters)."""
    t = _tables()
    b = features.batch
    c = b.codes
    size = b.size
    # letters: word characters that are not digits (digits were mapped to "0")
    is_letter = np.where(c < 65536, _IS_WORD[np.minimum(c, 65535).astype(np.int64)], False) & (c != 48)
    letters = _per_text(is_letter, b.doc, size)
    non_latin = _per_text(is_letter & (c >= 0x370), b.doc, size)
    diacritics = _per_text(np.isin(c, PL_DIACRITICS), b.doc, size)
    h, d = features.word_hashes, features.word_docs
    pl_hits = _per_text(np.isin(h, t["pl"]), d, size)
    other_hits = _per_text(np.isin(h, t["other"]), d, size)
    other = (
        (non_latin * 2 > letters)
        | ((other_hits > pl_hits) & (diacritics == 0))
        | ((other_hits >= 2) & (other_hits > 2 * pl_hits + diacritics))
    )
    return np.select([letters == 0, other], ["und", "other"], "pl").tolist()


def questions(features: Features) -> np.ndarray:
    """Whether each text asks something (bool array, one per text); see the module docstring for the rules."""
    t = _tables()
    b = features.batch
    c = b.codes
    size = b.size
    qmarks = _per_text(c == 63, b.doc, size)
    bang = np.zeros(len(c), dtype=bool)
    if len(c) > 1:
        bang[1:] = ((c[1:] == 33) & (c[:-1] == 63)) | ((c[1:] == 63) & (c[:-1] == 33))
    rhetorical = _per_text(bang, b.doc, size) > 0
    h, d, starts = features.word_hashes, features.word_docs, features.word_starts
    # a word opens a sentence when it is the first of its text or follows . ! ? or a newline-like break
    first = np.ones(len(d), dtype=bool)
    if len(d) > 1:
        first[1:] = d[1:] != d[:-1]
        prev_char = c[np.maximum(starts - 2, 0)]
        first |= np.isin(prev_char, np.array([46, 33, 63], dtype=np.uint64))
    strong_open = _per_text(first & np.isin(h, t["openers"]), d, size) > 0
    request = np.zeros(size, dtype=bool)
    if len(d) > 1:
        cand = np.flatnonzero(np.isin(h[:-1], t["request_first"]) & (d[:-1] == d[1:]))
        if len(cand):
            keys = _pair(h[cand], h[cand + 1])
            hit = np.isin(keys, t["request_pairs"])
            request[d[cand[hit]]] = True
    # a text ending in an ellipsis ("Dlaczego mnie to nie dziwi...") is a sigh, not a question
    ends = np.flatnonzero(c == SEP) - 2
    ends = np.append(ends, len(c) - 2)
    last = c[np.maximum(ends, 0)]
    before = c[np.maximum(ends - 1, 0)]
    ellipsis = (last == 0x2026) | ((last == 46) & (before == 46))
    return request | (~rhetorical & ((qmarks > 0) | (strong_open & ~ellipsis)))


def emoji_mood(features: Features) -> tuple[np.ndarray, np.ndarray]:
    """Counts of positive and negative emoji in every text (two int arrays)."""
    t = _tables()
    b = features.batch
    pos = _per_text(np.isin(b.codes, t["pos_emoji"]), b.doc, b.size)
    neg = _per_text(np.isin(b.codes, t["neg_emoji"]), b.doc, b.size)
    return pos, neg
