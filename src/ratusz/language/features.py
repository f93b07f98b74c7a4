"""Hashed character n-gram and word features for a whole batch of texts at once, in numpy.

Why not sklearn's HashingVectorizer: its char analyzer builds every n-gram as a Python string
(about 3,500 short comments/s), far below the throughput we need. Here the batch is joined into one
array of code points and every n-gram of every text is hashed in a handful of vectorised numpy
operations (a polynomial rolling hash in wrapping uint64 arithmetic, then a splitmix64 finaliser),
so one batch costs a few array passes, not a Python loop per n-gram.

Features (the same code builds them for training and for scoring, so they cannot drift):
- char block: n-grams of length 1..5 over the normalised text, each text framed by spaces,
  hashed into CHAR_DIM buckets, each count divided by sqrt(number of n-grams of the text);
- word block: unigrams and bigrams of letter/digit runs with Polish diacritics folded
  ("źle" = "zle", since comments are often typed without them), hashed into WORD_DIM buckets,
  divided by sqrt(number of word features of the text).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

CHAR_BITS = 18
WORD_BITS = 17
CHAR_DIM = 1 << CHAR_BITS
WORD_DIM = 1 << WORD_BITS
DIM = CHAR_DIM + WORD_DIM
MAX_NGRAM = 5
SEP = 0  # code point between texts of a batch; removed from the texts beforehand

_U64 = np.uint64
_P = _U64(0x100000001B3)  # FNV prime: odd, so invertible modulo 2**64
_P_INV = _U64(pow(0x100000001B3, -1, 1 << 64))
_M1 = _U64(0xBF58476D1CE4E5B9)
_M2 = _U64(0x94D049BB133111EB)
_WORD_SEED = _U64(0x9E3779B97F4A7C15)
_BIGRAM_Q = _U64(0xD6E8FEB86659FD93)

_URL = re.compile(r"https?://[^\s\x00]+|www\.[^\s\x00]+")
_MENTION = re.compile(r"@\w+")

_FOLD_PAIRS = {"ą": "a", "ć": "c", "ę": "e", "ł": "l", "ń": "n", "ó": "o", "ś": "s", "ź": "z", "ż": "z"}


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads the bits of a rolling hash over all 64 bits (uint64 -> uint64)."""
    h = h ^ (h >> _U64(30))
    h = h * _M1
    h = h ^ (h >> _U64(27))
    h = h * _M2
    return h ^ (h >> _U64(31))


def _build_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lookup tables over the Basic Multilingual Plane: is-word-character, is-space, diacritic folding."""
    chars = [chr(i) for i in range(65536)]
    is_word = np.fromiter((ch.isalnum() for ch in chars), dtype=bool, count=65536)
    is_space = np.fromiter((ch.isspace() for ch in chars), dtype=bool, count=65536)
    is_space[0] = False
    fold = np.arange(65536, dtype=np.uint64)
    for src, dst in _FOLD_PAIRS.items():
        fold[ord(src)] = ord(dst)
    return is_word, is_space, fold


_IS_WORD, _IS_SPACE, _FOLD = _build_tables()


def normalise(text: str) -> str:
    """Return the text as the models see it: lower case, NFC, URLs replaced by "url", @mentions dropped,
    digits mapped to 0, a character repeated 3+ times cut to two, whitespace collapsed (a str, no unit)."""
    codes = encode([text.replace("\x00", " ")]).codes
    return codes.astype(np.uint32).tobytes().decode("utf-32-le", errors="surrogatepass").strip()


def _normalise_joined(joined: str) -> np.ndarray:
    """String-level steps in C (regex, lower), then character-level steps as numpy array operations."""
    if not unicodedata.is_normalized("NFC", joined):
        joined = unicodedata.normalize("NFC", joined)
    joined = _URL.sub(" url ", joined.lower())
    # @mentions are dropped, not kept as a token: almost every harmful CBD tweet is a reply that starts
    # with "@anonymized_account", so a mention token would teach "harm = addressed to someone on Twitter",
    # which says nothing about comments under a city's post.
    joined = _MENTION.sub(" ", joined)
    c = np.frombuffer(joined.encode("utf-32-le", errors="surrogatepass"), dtype=np.uint32).astype(np.uint64)
    c[_IS_SPACE[np.minimum(c, 65535).astype(np.int64)] & (c < 65536)] = 32
    c[(c >= 49) & (c <= 57)] = 48
    keep = np.ones(len(c), dtype=bool)
    if len(c) > 2:
        keep[2:] = ~((c[2:] == c[1:-1]) & (c[1:-1] == c[:-2]))
    c = c[keep]
    keep = np.ones(len(c), dtype=bool)
    if len(c) > 1:
        keep[1:] = ~((c[1:] == 32) & (c[:-1] == 32))
    return c[keep]


@dataclass
class Batch:
    """Code points of a normalised batch: `codes` holds ' text ' per text separated by SEP;
    `doc` gives the text index of every position (SEP positions belong to the next text)."""

    codes: np.ndarray
    doc: np.ndarray
    size: int


def encode(texts: list[str]) -> Batch:
    """Normalise a batch (see `normalise`) in one pass over the joined texts and return its code points
    (uint64) with a per-position text index. Texts must not contain NUL (callers replace it)."""
    codes = _normalise_joined(" " + " \x00 ".join(texts) + " ")
    doc = np.cumsum(codes == SEP, dtype=np.int64)
    return Batch(codes=codes, doc=doc, size=len(texts))


_pow_cache: dict[str, np.ndarray] = {}


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """P**i and P**-i modulo 2**64 for i < n (cached and grown as needed)."""
    have = _pow_cache.get("p")
    if have is None or len(have) < n:
        size = max(n, 1 << 16, 2 * (0 if have is None else len(have)))
        p = np.full(size, _P, dtype=np.uint64)
        p[0] = 1
        pinv = np.full(size, _P_INV, dtype=np.uint64)
        pinv[0] = 1
        _pow_cache["p"] = np.cumprod(p, dtype=np.uint64)
        _pow_cache["pinv"] = np.cumprod(pinv, dtype=np.uint64)
    return _pow_cache["p"][:n], _pow_cache["pinv"][:n]


def _csr(rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int) -> sp.csr_matrix:
    """A CSR matrix from entries already sorted by row, each worth 1/sqrt(entries in its row)."""
    counts = np.bincount(rows, minlength=n_rows)
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    weight = 1.0 / np.sqrt(np.maximum(counts, 1)).astype(np.float32)
    data = weight[rows]
    return sp.csr_matrix((data, cols.astype(np.int32), indptr), shape=(n_rows, n_cols))


def char_features(batch: Batch) -> sp.csr_matrix:
    """Char n-grams (1..MAX_NGRAM) of every text as a CSR matrix (texts x CHAR_DIM), row weights 1/sqrt(n)."""
    c = batch.codes
    length = len(c)
    hashes = np.zeros((length, MAX_NGRAM), dtype=np.uint64)
    valid = np.zeros((length, MAX_NGRAM), dtype=bool)
    h = np.zeros(length, dtype=np.uint64)
    ok = np.ones(length, dtype=bool)
    for n in range(1, MAX_NGRAM + 1):
        m = length - n + 1
        if m <= 0:
            break
        h = h[:m] * _P + c[n - 1 :] + _U64(n)
        ok = ok[:m] & (c[n - 1 :] != SEP)
        hashes[:m, n - 1] = _mix(h)
        valid[:m, n - 1] = ok
    valid[:, 0] &= c != 32  # a lone space says nothing
    flat_valid = valid.ravel()
    cols = (hashes.ravel()[flat_valid] & _U64(CHAR_DIM - 1)).astype(np.int64)
    rows = np.repeat(batch.doc, MAX_NGRAM)[flat_valid]
    return _csr(rows, cols, batch.size, CHAR_DIM)


def char_bucket(ngram: str) -> int:
    """The char-block column of one n-gram (1..MAX_NGRAM code points of normalised text) as
    `char_features` computes it (for building weight vectors over given n-grams, e.g. a lexicon)."""
    if not 1 <= len(ngram) <= MAX_NGRAM:
        raise ValueError(f"an n-gram has 1 to {MAX_NGRAM} characters, not {len(ngram)}: {ngram!r}")
    h = np.zeros(1, dtype=np.uint64)
    for n, ch in enumerate(ngram, start=1):
        h = h * _P + _U64(ord(ch)) + _U64(n)
    return int(_mix(h)[0] & _U64(CHAR_DIM - 1))


def word_spans(batch: Batch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start and end (exclusive) positions of each word (run of letters/digits), and its text index."""
    c = batch.codes
    is_word = np.where(c < 65536, _IS_WORD[np.minimum(c, 65535).astype(np.int64)], False)
    edge = np.diff(is_word.astype(np.int8), prepend=0, append=0)
    starts = np.flatnonzero(edge == 1)
    ends = np.flatnonzero(edge == -1)
    return starts, ends, batch.doc[starts]


def word_hashes(batch: Batch, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """A 64-bit hash of every word with Polish diacritics folded (uint64, one per span)."""
    c = batch.codes
    folded = np.where(c < 65536, _FOLD[np.minimum(c, 65535).astype(np.int64)], c)
    p, pinv = _powers(len(c) + 1)
    prefix = np.zeros(len(c) + 1, dtype=np.uint64)
    np.cumsum(folded * p[: len(c)], dtype=np.uint64, out=prefix[1:])
    span = (prefix[ends] - prefix[starts]) * pinv[starts]
    return _mix(span ^ _WORD_SEED)


def word_hash(word: str) -> int:
    """The word hash of one word as `word_hashes` computes it (for building look-up sets of words)."""
    batch = encode([word])
    starts, ends, _ = word_spans(batch)
    return int(word_hashes(batch, starts, ends)[0])


def word_features(
    batch: Batch, starts: np.ndarray, ends: np.ndarray, docs: np.ndarray, hashes: np.ndarray
) -> sp.csr_matrix:
    """Word unigrams and bigrams as a CSR matrix (texts x WORD_DIM), row weights 1/sqrt(n)."""
    same = docs[1:] == docs[:-1] if len(docs) > 1 else np.zeros(0, dtype=bool)
    bigram = _mix(hashes[:-1] * _BIGRAM_Q + hashes[1:])[same] if len(docs) > 1 else hashes[:0]
    # interleave so entries stay sorted by text: unigram k, then bigram (k, k+1)
    all_hashes = np.concatenate([hashes, bigram])
    all_docs = np.concatenate([docs, docs[:-1][same] if len(docs) > 1 else docs[:0]])
    order = np.argsort(all_docs, kind="stable")
    cols = (all_hashes[order] & _U64(WORD_DIM - 1)).astype(np.int64)
    return _csr(all_docs[order], cols, batch.size, WORD_DIM)


@dataclass
class Features:
    """Everything the models need about a batch, computed once and shared by all models."""

    chars: sp.csr_matrix
    words: sp.csr_matrix
    batch: Batch
    word_starts: np.ndarray
    word_docs: np.ndarray
    word_hashes: np.ndarray

    def matrix(self) -> sp.csr_matrix:
        """Char and word blocks side by side (texts x DIM), for training."""
        x = sp.hstack([self.chars, self.words], format="csr")
        x.sum_duplicates()
        return x


def featurise(texts: list[str]) -> Features:
    """Features of a batch of raw texts (normalised here; NUL characters must be replaced beforehand)."""
    batch = encode(texts)
    starts, ends, docs = word_spans(batch)
    hashes = word_hashes(batch, starts, ends)
    return Features(
        chars=char_features(batch),
        words=word_features(batch, starts, ends, docs, hashes),
        batch=batch,
        word_starts=starts,
        word_docs=docs,
        word_hashes=hashes,
    )
