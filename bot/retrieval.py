"""The TF-IDF index of one language's explainers: fit once, then answer from memory.

Each explainer is indexed twice: every alternate question (and the title) as its own short row,
because people's questions look most like other people's questions; and one long row with all of
its text, which catches words only the body uses. Two feature spaces, each TF-IDF weighted and
L2-normalised, are blended: content words (with synonyms) and character n-grams inside words
(typos, plurals, Spanish endings). Because each space is normalised, the blend of dot products is
a weighted cosine similarity in [0, 1].
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.corpus import Explainer
from bot.text import Synonyms, char_features, tokens, word_features

# Blend weights, chosen on the dev set (see bench/quality.py): words carry meaning, characters
# carry robustness; the best single question counts more than the whole explainer.
WORD_WEIGHT = 0.55
QUESTION_WEIGHT = 0.7


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    score: float


@dataclass(frozen=True, slots=True)
class Features:
    """A text turned into the two kinds of features the index compares."""

    words: list[str]
    chars: list[str]


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

        short_texts: list[str] = []
        owner: list[int] = []
        for i, e in enumerate(entries):
            for text in e.short:
                short_texts.append(text)
                owner.append(i)
        short = [self.features(t) for t in short_texts]
        long = [self.features(e.long) for e in entries]
        self.words_ = _vectorizer().fit([f.words for f in short + long])
        self.chars_ = _vectorizer().fit([f.chars for f in short + long])
        self.short_words_ = self.words_.transform([f.words for f in short])
        self.short_chars_ = self.chars_.transform([f.chars for f in short])
        self.long_words_ = self.words_.transform([f.words for f in long])
        self.long_chars_ = self.chars_.transform([f.chars for f in long])
        # Rows are grouped by entry; reduceat takes the best row of each group.
        self.owner_ = np.asarray(owner)
        self.starts_ = np.flatnonzero(np.r_[True, self.owner_[1:] != self.owner_[:-1]])

    def features(self, text: str) -> Features:
        toks = tokens(text)
        words = word_features(toks, self.stopwords) + self.synonyms.expand(toks)
        return Features(words=words, chars=char_features(toks, self.stopwords))

    def search(self, text: str) -> list[Hit]:
        """All explainers, best first, with their blended similarity to `text`."""
        f = self.features(text)
        qw = _query_vector(self.words_, f.words)
        qc = _query_vector(self.chars_, f.chars)
        short = WORD_WEIGHT * _dot(self.short_words_, qw) + (1 - WORD_WEIGHT) * _dot(self.short_chars_, qc)
        long = WORD_WEIGHT * _dot(self.long_words_, qw) + (1 - WORD_WEIGHT) * _dot(self.long_chars_, qc)
        best_short = np.maximum.reduceat(short, self.starts_)
        scores = QUESTION_WEIGHT * best_short + (1 - QUESTION_WEIGHT) * long
        # Ties break by corpus order (stable sort), so the same question always gets the same reply.
        order = np.argsort(-scores, kind="stable")
        return [Hit(self.ids_[i], float(round(scores[i], 6))) for i in order]


def _query_vector(vectorizer: TfidfVectorizer, features: list[str]) -> sparse.csr_matrix:
    """TF-IDF of a query, normalised over ALL its features, known or not.

    `transform` would drop words the corpus never uses before normalising, so "how long to bake a
    cake" would look exactly like "how long": a perfect match for any question with "long" in it.
    Counting unknown words (at the highest IDF, as if seen nowhere) keeps their weight in the norm,
    so a question that is mostly about something else scores low and is declined.
    """
    counts: dict[str, int] = {}
    for feature in features:
        counts[feature] = counts.get(feature, 0) + 1
    vocabulary = vectorizer.vocabulary_
    idf = vectorizer.idf_
    unknown_idf = float(idf.max()) if len(idf) else 1.0
    cols: list[int] = []
    vals: list[float] = []
    norm = 0.0
    for feature, count in counts.items():
        col = vocabulary.get(feature)
        weight = (1.0 + np.log(count)) * (idf[col] if col is not None else unknown_idf)
        norm += weight * weight
        if col is not None:
            cols.append(col)
            vals.append(weight)
    scale = 1.0 / np.sqrt(norm) if norm > 0 else 0.0
    return sparse.csr_matrix((np.asarray(vals) * scale, ([0] * len(cols), cols)), shape=(1, len(idf)))


def _dot(matrix: sparse.csr_matrix, query: sparse.csr_matrix) -> np.ndarray:
    return np.asarray((matrix @ query.T).todense()).ravel()
