"""The TF-IDF index of one language's explainers: fit once, then answer from memory.

Mirrored in web/static/engine.js (private mode); tests/test_private.py holds the two equal.

Each explainer is indexed twice: every alternate question (and the title) as its own short row,
because people's questions look most like other people's questions; and one long row with all of
its text, which catches words only the body uses. Two feature spaces, each TF-IDF weighted and
L2-normalised, are blended: content words (with synonyms) and character n-grams inside words
(typos, plurals, Spanish endings). Because each space is normalised, the blend of dot products is
a weighted cosine similarity in [0, 1].
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.corpus import Explainer
from bot.text import Synonyms, char_features, tokens, word_features

# Blend weights, chosen on the tune half of bench/real.tsv and checked on the dev and holdout sets
# (bench/quality.py): words and characters count equally (characters absorb typos and the
# headline-style wording real people use), and the best-matching questions count a little more
# than the whole explainer, whose text catches what no alternate question says.
WORD_WEIGHT = 0.5
QUESTION_WEIGHT = 0.6
TOP_K = 3


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    score: float


@dataclass(frozen=True, slots=True)
class Features:
    """A text turned into the two kinds of features the index compares."""

    words: list[str]
    chars: list[str]


@dataclass(frozen=True, slots=True)
class Space:
    """One fitted feature space, precomputed for answering: the query path never calls sklearn."""

    matrix: sparse.csc_matrix  # one row per indexed text, stored by column
    lookup: dict[str, tuple[int, float]]  # feature -> (column, idf)
    unknown: tuple[int, float]  # a feature the corpus never uses: no column, the highest idf


def _space(vectorizer: TfidfVectorizer, texts: list[list[str]]) -> Space:
    idf = vectorizer.idf_.tolist()
    lookup = {feature: (col, idf[col]) for feature, col in vectorizer.vocabulary_.items()}
    return Space(vectorizer.transform(texts).tocsc(), lookup, (-1, max(idf)))


def _identity(features: list[str]) -> list[str]:
    return features


def _vectorizer() -> TfidfVectorizer:
    # One definition for both spaces, so indexing and querying cannot drift apart.
    return TfidfVectorizer(analyzer=_identity, sublinear_tf=True, norm="l2", smooth_idf=True, dtype=np.float64)


@dataclass(frozen=True, slots=True)
class Entry:
    """What the index knows of one explainer (or one out-of-scope subject)."""

    id: str
    short: tuple[str, ...]  # title and alternate questions: one row each
    long: str  # everything, as one row


def entry_of(e: Explainer) -> Entry:
    return Entry(e.id, (e.title, *e.questions), " ".join((e.title, e.summary, *e.questions, e.text)))


class Index:
    """Read-only after construction; build a new one to reload a corpus."""

    def __init__(self, entries: Sequence[Entry], stopwords: frozenset[str], synonyms: Synonyms) -> None:
        if not entries:
            raise ValueError("cannot index an empty list of entries")
        self.stopwords = stopwords
        self.synonyms = synonyms
        self.ids_: list[str] = [e.id for e in entries]
        self.entries_: tuple[Entry, ...] = tuple(entries)  # what was indexed (bot/model.py exports it)

        short_texts: list[str] = []
        owner: list[int] = []
        for i, e in enumerate(entries):
            for text in e.short:
                short_texts.append(text)
                owner.append(i)
        short = [self.features(t) for t in short_texts]
        long = [self.features(e.long) for e in entries]
        # Document frequency counts topics, not rows: a word most explainers use ("immigrants",
        # "taxes") is weak evidence even if only one topic's alternate questions happen to repeat it.
        self.row_entry_ = np.asarray(owner + list(range(len(entries))))  # the entry of every row
        topic_words: list[list[str]] = [[] for _ in entries]
        topic_chars: list[list[str]] = [[] for _ in entries]
        for i, f in zip(self.row_entry_.tolist(), short + long, strict=True):
            topic_words[i] += f.words
            topic_chars[i] += f.chars
        self.words_ = _vectorizer().fit(topic_words)
        self.chars_ = _vectorizer().fit(topic_chars)
        # One matrix per feature space, short rows first, then one long row per entry; stored by
        # column (CSC) so a query touches only the columns of its own features.
        self.word_space_ = _space(self.words_, [f.words for f in short + long])
        self.char_space_ = _space(self.chars_, [f.chars for f in short + long])
        self.word_matrix_ = self.word_space_.matrix
        self.char_matrix_ = self.char_space_.matrix
        self.n_short_ = len(short)
        # Entry i's short rows, padded with -1 to a rectangle, so the per-entry top-k is one sort.
        short_owner = self.row_entry_[: self.n_short_]
        width = int(np.bincount(short_owner).max())
        self.groups_ = np.full((len(entries), width), -1)
        for i in range(len(entries)):
            rows = np.flatnonzero(short_owner == i)
            self.groups_[i, : len(rows)] = rows

    def features(self, text: str) -> Features:
        toks = tokens(text)
        words = word_features(toks, self.stopwords) + self.synonyms.expand(toks)
        return Features(words=words, chars=char_features(toks, self.stopwords))

    def search(self, text: str) -> list[Hit]:
        """All entries, best first, with their blended similarity to `text`."""
        f = self.features(text)
        rows = WORD_WEIGHT * _similarities(self.word_space_, f.words)
        rows += (1 - WORD_WEIGHT) * _similarities(self.char_space_, f.chars)
        short, long = rows[: self.n_short_], rows[self.n_short_ :]
        scores = QUESTION_WEIGHT * self._best_rows(short) + (1 - QUESTION_WEIGHT) * long
        # Ties break by corpus order (stable sort), so the same question always gets the same reply.
        scores = np.round(scores, 6)
        order = np.argsort(-scores, kind="stable")
        return [Hit(self.ids_[i], float(scores[i])) for i in order]

    def _best_rows(self, short: np.ndarray) -> np.ndarray:
        """Per entry, the mean of its TOP_K most similar short rows.

        One lucky row ("how long does it take" matching "how long do I bake a cake") should not
        decide; a topic that several of its phrasings match is the better bet.
        """
        padded = np.where(self.groups_ >= 0, short[self.groups_], -np.inf)
        top = np.sort(padded, axis=1)[:, -TOP_K:]
        top = np.where(np.isfinite(top), top, np.nan)
        mean: np.ndarray = np.nanmean(top, axis=1)
        return mean


def _similarities(space: Space, features: list[str]) -> np.ndarray:
    """Cosine similarity of every row with the query's TF-IDF vector.

    The query is normalised over ALL its features, known or not: `transform` would drop words the
    corpus never uses before normalising, so "how long to bake a cake" would look exactly like
    "how long", a perfect match for any question with "long" in it. Counting unknown words (at
    the highest IDF, as if seen nowhere) keeps their weight in the norm, so a question mostly
    about something else scores low and is declined.
    """
    counts: dict[str, int] = {}
    for feature in features:
        counts[feature] = counts.get(feature, 0) + 1
    cols: list[int] = []
    vals: list[float] = []
    norm = 0.0
    for feature, count in counts.items():
        col, idf = space.lookup.get(feature, space.unknown)
        weight = idf if count == 1 else (1.0 + math.log(count)) * idf  # sublinear tf, as the vectorizer
        norm += weight * weight
        if col >= 0:
            cols.append(col)
            vals.append(weight)
    matrix = space.matrix
    if not cols:
        return np.zeros(matrix.shape[0])
    col_arr = np.asarray(cols)
    starts = matrix.indptr[col_arr]
    lengths = matrix.indptr[col_arr + 1] - starts
    # Positions of all the query columns' entries in one go: each column's start, counted up.
    index = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
    weights = matrix.data[index] * np.repeat(np.asarray(vals) / math.sqrt(norm), lengths)
    out = np.bincount(matrix.indices[index], weights=weights, minlength=matrix.shape[0])
    return out
