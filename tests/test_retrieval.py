"""The index's fast paths give exactly what the plain computations they replace give.

Scores must not move by a single bit (the browser engine mirrors them, and the thresholds were
calibrated on them), so each shortcut is compared with the straightforward version it replaced.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from bot import retrieval
from bot.engine import Bot
from bot.lang import STOPWORDS
from bot.retrieval import TOP_K, Entry, Hit, Index
from bot.text import Synonyms, tokens

WORDS = "itin irs ice file taxes la migra renew expired address share data tax id number work permit".split()


def _identity(features: list[str]) -> list[str]:
    return features


def _tfidf() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer=_identity, sublinear_tf=True, norm="l2", smooth_idf=True, dtype=np.float64)


@pytest.mark.parametrize("space", ["words", "chars"])
def test_index_matrices_equal_tfidf_vectorizer_bit_for_bit(bot: Bot, space: str) -> None:
    """The counts are built without TfidfVectorizer's per-feature loop; the matrix must be its matrix."""
    for ix in bot.indexes.values():
        texts = [t for e in ix.entries_ for t in e.short] + [e.long for e in ix.entries_]
        rows = [getattr(ix.features(t), space) for t in texts]
        # Fitted on one document per topic (all its rows), applied to every row.
        topics: list[list[str]] = [[] for _ in ix.entries_]
        for i, row in zip(ix.row_entry_.tolist(), rows, strict=True):
            topics[i] += row
        vectorizer = _tfidf().fit(topics)
        expected = vectorizer.transform(rows).tocsc()
        fitted = ix.word_space_ if space == "words" else ix.char_space_
        assert fitted.columns == vectorizer.vocabulary_
        assert np.array_equal(fitted.idf, vectorizer.idf_)
        assert fitted.unknown_idf == vectorizer.idf_.max()
        assert (fitted.n_rows, len(fitted.indptr) - 1) == expected.shape
        for name in ("indptr", "indices"):
            assert np.array_equal(getattr(fitted, name), getattr(expected, name)), name
        # The values are stored as float32: the vectorizer's float64 values, each rounded to 32 bits.
        assert fitted.data.dtype == np.float32
        assert np.array_equal(fitted.data, expected.data.astype(np.float32))


def _naive_best_rows(ix: Index, short: np.ndarray) -> np.ndarray:
    """The per-entry top-k mean over every entry, as it was computed before."""
    padded = np.where(ix.groups_ >= 0, short[ix.groups_], -np.inf)
    top = np.sort(padded, axis=1)[:, -TOP_K:]
    top = np.where(np.isfinite(top), top, np.nan)
    with np.errstate(all="ignore"):
        return np.nanmean(top, axis=1)


def test_best_rows_equals_the_full_computation_on_random_scores() -> None:
    rng = random.Random(7)
    entries = [
        Entry(f"e{i}", tuple(" ".join(rng.choices(WORDS, k=4)) for _ in range(rng.randint(1, 7))), "long text")
        for i in range(60)
    ]
    ix = Index(entries, STOPWORDS["en"], Synonyms([]))
    gen = np.random.default_rng(7)
    for density in (0.0, 0.01, 0.1, 0.5, 1.0):
        for _ in range(20):
            short = gen.random(ix.n_short_) * (gen.random(ix.n_short_) < density)
            assert np.array_equal(ix._best_rows(short), _naive_best_rows(ix, short))


def test_hits_read_like_the_list_of_every_entry(bot: Bot) -> None:
    ix = bot.indexes["en"]
    hits = ix.search("can ice get my address if i file")
    full = list(hits)
    assert len(hits) == len(full) == len(ix.ids_) and sorted(h.id for h in full) == sorted(ix.ids_)
    # Best first; equal scores in corpus order.
    assert full == sorted(full, key=lambda h: (-h.score, ix.ids_.index(h.id)))
    assert hits[0] == full[0] and hits[-1] == full[-1] and hits[1:4] == full[1:4] and hits[::7] == full[::7]
    assert isinstance(hits[0], Hit)
    with pytest.raises(IndexError):
        hits[len(full)]


def _naive_expand(synonyms: Synonyms, toks: list[str]) -> list[str]:
    found = []
    for i in range(len(toks)):
        for n in range(1, min(synonyms.max_len, len(toks) - i) + 1):
            canonical = synonyms._phrases.get(tuple(toks[i : i + n]))
            if canonical is not None:
                found.append(canonical)
    return found


def test_synonym_expansion_equals_the_plain_scan(bot: Bot) -> None:
    synonyms = bot.synonyms
    phrase_words = [t for key in synonyms._phrases for t in key]
    rng = random.Random(3)
    for _ in range(500):
        toks = rng.choices(phrase_words + WORDS, k=rng.randint(0, 25))
        assert synonyms.expand(toks) == _naive_expand(synonyms, toks)
    toks = tokens("la migra vino a la casa")
    assert synonyms.expand(toks) == _naive_expand(synonyms, toks) != []


def test_both_ways_of_reading_columns_give_the_same_scores(bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large corpus copies whole column slices instead of gathering by position: same bits."""
    questions = [
        "can ice get my address if i file my taxes",
        "me pueden deportar si hago mis taxes",
        "itin expired",
        "how long does it take to bake a cake",
        "",
    ]
    before = {(q, lang): list(ix.search(q)) for q in questions for lang, ix in bot.indexes.items()}
    monkeypatch.setattr(retrieval, "GATHER_LIMIT", 0)
    after = {(q, lang): list(ix.search(q)) for q in questions for lang, ix in bot.indexes.items()}
    assert after == before
