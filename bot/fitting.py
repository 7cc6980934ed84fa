"""Fitting an index's TF-IDF spaces with scikit-learn: the only module that imports scikit-learn or SciPy.

bot/retrieval.py imports it when an index is built and never to answer. A server builds its Bot
in a short-lived child process (bot/isolation.py) and receives the fitted arrays, so a serving
process never pays the 60 MB or so that importing scikit-learn and SciPy costs.
"""

from __future__ import annotations

import itertools
from array import array
from collections import defaultdict
from typing import NamedTuple

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer


class Fitted(NamedTuple):
    """One fitted feature space as plain NumPy arrays: the TF-IDF matrix stored by column (CSC)."""

    indptr: np.ndarray  # column c's rows and values are indices/data[indptr[c]:indptr[c + 1]]
    indices: np.ndarray
    data: np.ndarray  # float32: the TF-IDF values (computed in float64) rounded to 32 bits, half the memory
    n_rows: int
    columns: dict[str, int]  # feature -> column, columns in sorted feature order (as sklearn numbers them)
    idf: list[float]  # column -> idf
    df: np.ndarray  # column -> document frequency: how many topics use the feature


class Rows:
    """Rows of features as ids (in order of first appearance), kept compact: one flat int32 array."""

    def __init__(self) -> None:
        self.ids: defaultdict[str, int] = defaultdict(itertools.count().__next__)  # a new feature gets the next id
        self.flat = array("i")
        self.lengths = array("q")

    def add(self, features: list[str]) -> None:
        self.flat.extend(map(self.ids.__getitem__, features))
        self.lengths.append(len(features))

    def sorted_columns(self) -> tuple[list[str], np.ndarray]:
        """Feature names by id, and each id's column when features are sorted (as sklearn sorts them)."""
        names = list(self.ids)
        column = np.empty(len(names), dtype=np.int64)
        column[sorted(range(len(names)), key=names.__getitem__)] = np.arange(len(names))
        return names, column

    def counts(self, column: np.ndarray, n_columns: int, chunk: int = 1 << 21) -> sparse.csr_matrix:
        """Feature counts per row: float64, each row's columns sorted, as CountVectorizer makes them.

        Built a chunk of rows at a time, so memory stays bounded for a large corpus."""
        flat = np.frombuffer(self.flat, dtype=np.int32) if self.flat else np.zeros(0, dtype=np.int32)
        lengths = np.frombuffer(self.lengths, dtype=np.int64) if self.lengths else np.zeros(0, dtype=np.int64)
        ends = np.cumsum(lengths)
        parts: list[sparse.csr_matrix] = []
        start = 0
        while start < len(lengths) or not parts:
            offset = int(ends[start - 1]) if start else 0
            stop = max(int(np.searchsorted(ends, offset + chunk, side="right")), start + 1)
            stop = min(stop, len(lengths))
            size = lengths[start:stop]
            ids = flat[offset : offset + int(size.sum())]
            row_of = np.repeat(np.arange(stop - start), size)
            part = sparse.csr_matrix(
                (np.ones(len(ids)), (row_of, column[ids])), shape=(stop - start, n_columns), dtype=np.float64
            )
            part.sum_duplicates()  # repeated features summed, columns sorted (a no-op if the conversion did it)
            parts.append(part)
            start = stop
        return sparse.csr_matrix(sparse.vstack(parts, format="csr"))


def _transformer() -> TfidfTransformer:
    """One definition for both spaces, so indexing and querying cannot drift apart: retrieval weighs a
    query the same way (sublinear tf, smoothed idf, L2 norm)."""
    return TfidfTransformer(norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=True)


def _tfidf(counts: sparse.csr_matrix, topics: sparse.csr_matrix, names: list[str], column: np.ndarray) -> Fitted:
    """The matrix TfidfVectorizer gives when fitted on one document per topic, then applied to each row.

    A topic's document is all its rows together, so its counts are the sum of its rows' counts
    (`topics` sums rows by topic); the idf depends only on which topics hold a feature."""
    per_topic = sparse.csr_matrix(topics @ counts)
    tfidf = _transformer().fit(per_topic)
    matrix = sparse.csc_matrix(tfidf.transform(counts, copy=False))
    return Fitted(
        matrix.indptr,
        matrix.indices,
        matrix.data.astype(np.float32),  # a query multiplies them by float64 weights, exactly as engine.js
        matrix.shape[0],
        dict(zip(names, column.tolist(), strict=True)),
        tfidf.idf_.tolist(),
        np.bincount(per_topic.indices, minlength=len(names)),  # as scikit-learn counts it
    )


def spaces(words: Rows, chars: Rows, grams_of: dict[str, list[str]], row_entry: np.ndarray) -> tuple[Fitted, Fitted]:
    """The word space and the character space of an index whose row i belongs to entry row_entry[i].

    `chars` holds each row's tokens; `grams_of` each token's character n-grams. Document frequency
    counts topics, not rows: a word most explainers use ("immigrants", "taxes") is weak evidence
    even if only one topic's alternate questions happen to repeat it."""
    n_rows = len(row_entry)
    topics = sparse.csr_matrix(
        (np.ones(n_rows), (row_entry, np.arange(n_rows))), shape=(int(row_entry.max()) + 1, n_rows)
    )
    names, column = words.sorted_columns()
    word_space = _tfidf(words.counts(column, len(names)), topics, names, column)
    # Character n-grams: (token counts per row) x (n-gram counts per token), each token cut once.
    per_token = Rows()
    for token in chars.ids:  # in id order, so row t of `per_token` is token t
        per_token.add(grams_of[token])
    names, column = per_token.sorted_columns()
    grams = per_token.counts(column, len(names))
    toks = chars.counts(np.arange(len(chars.ids)), len(chars.ids))
    counts = sparse.csr_matrix(toks @ grams)  # exact: small whole numbers in float64
    counts.sort_indices()
    return word_space, _tfidf(counts, topics, names, column)
