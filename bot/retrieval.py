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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, overload

import numpy as np

from bot.corpus import Explainer
from bot.spelling import Speller
from bot.text import Synonyms, char_features, tokens, word_features

if TYPE_CHECKING:
    from bot import fitting

# Blend weights, chosen on the tune half of bench/real.tsv and checked on the dev and holdout sets
# (bench/quality.py): words and characters count equally (characters absorb typos and the
# headline-style wording real people use), and the best-matching questions count a little more
# than the whole explainer, whose text catches what no alternate question says.
WORD_WEIGHT = 0.5
QUESTION_WEIGHT = 0.6
TOP_K = 3
GATHER_LIMIT = 16384  # stored entries a query touches, above which columns are copied as slices (same result)


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
    """One fitted feature space, as arrays for answering: the query path never calls scikit-learn."""

    indptr: np.ndarray  # the TF-IDF matrix stored by column (CSC): a query touches only its own columns
    indices: np.ndarray  # the rows of column c are indices[indptr[c]:indptr[c + 1]], their values data[...]
    data: np.ndarray
    n_rows: int
    columns: dict[str, int]  # feature -> column, columns in sorted feature order (as sklearn numbers them)
    idf: list[float]  # column -> idf
    df: np.ndarray  # column -> document frequency (topics using it); the model file pairs it with the idf
    unknown_idf: float  # a feature the corpus never uses: no column, the highest idf

    @classmethod
    def of(cls, fitted: fitting.Fitted) -> Space:
        return cls(*fitted, unknown_idf=max(fitted.idf))


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
        self.entries_: tuple[Entry, ...] = tuple(entries)  # what was indexed (bot/browser_model.py exports it)

        # Imported here, not at the top: a server receives a fitted Bot from a child process
        # (bot/isolation.py) and must not load scikit-learn and SciPy just to answer.
        from bot import fitting

        words, chars = fitting.Rows(), fitting.Rows()
        grams_of: dict[str, list[str]] = {}  # token -> its character n-grams, each token cut once

        def add(text: str) -> None:
            toks = tokens(text)
            words.add(word_features(toks, stopwords) + synonyms.expand(toks))
            content = [t for t in toks if t not in stopwords]
            for tok in content:
                if tok not in grams_of:
                    grams_of[tok] = char_features([tok], stopwords)
            chars.add(content)

        # One row per short text (title, alternate questions), then one long row per entry.
        owner: list[int] = []
        for i, e in enumerate(entries):
            for text in e.short:
                add(text)
                owner.append(i)
        for e in entries:
            add(e.long)
        self.n_short_ = len(owner)
        self.row_entry_ = np.asarray(owner + list(range(len(entries))))  # the entry of every row
        # One space per kind of feature, short rows first, then one long row per entry.
        word_space, char_space = fitting.spaces(words, chars, grams_of, self.row_entry_)
        self.word_space_, self.char_space_ = Space.of(word_space), Space.of(char_space)
        self.speller_ = Speller(self.word_space_.columns, self.word_space_.idf)
        # Entry i's short rows, padded with -1 to a rectangle, so the per-entry top-k is one sort.
        owners = np.asarray(owner, dtype=np.int64)  # ascending: an entry's short rows are consecutive
        sizes = np.bincount(owners, minlength=len(entries))
        first = np.cumsum(sizes) - sizes
        self.groups_ = np.full((len(entries), max(int(sizes.max()), 1)), -1)
        self.groups_[owners, np.arange(len(owners)) - first[owners]] = np.arange(len(owners))
        # How many rows an entry's mean reads: TOP_K, fewer for an entry with fewer short rows, and nan
        # for one with none (as np.nanmean gives).
        self.top_count_ = np.where(sizes > 0, np.minimum(sizes, TOP_K), np.nan)

    def features(self, text: str) -> Features:
        return self._features(tokens(text))

    def _features(self, toks: list[str]) -> Features:
        # A misspelt word is read as the index word it slipped from, for the word features only:
        # synonym groups list misspellings of their own ("vensido") and read what was typed.
        fixed = self.speller_.correct(toks, self.stopwords)
        words = word_features(fixed, self.stopwords) + self.synonyms.expand(toks)
        return Features(words=words, chars=char_features(toks, self.stopwords))

    def words(self) -> frozenset[str]:
        """Every token of every indexed row: words the corpus itself publishes, out-of-scope
        subjects' questions included (private mode's model file carries the rows, so it need not
        list these words again; bot/browser_model.py)."""
        return frozenset(t for e in self.entries_ for row in (*e.short, e.long) for t in tokens(row))

    def search(self, text: str) -> Hits:
        """All entries, best first, with their blended similarity to `text`."""
        return self.search_tokens(tokens(text))

    def search_tokens(self, toks: list[str]) -> Hits:
        """`search` for a text already cut into tokens (`bot.text.tokens`): a caller that reads the
        question in several ways folds it once."""
        f = self._features(toks)
        rows = WORD_WEIGHT * _similarities(self.word_space_, f.words)
        rows += (1 - WORD_WEIGHT) * _similarities(self.char_space_, f.chars)
        short, long = rows[: self.n_short_], rows[self.n_short_ :]
        scores = QUESTION_WEIGHT * self._best_rows(short) + (1 - QUESTION_WEIGHT) * long
        # Ties break by corpus order (stable sort), so the same question always gets the same reply.
        scores = np.round(scores, 6)
        return Hits(self.ids_, np.argsort(-scores, kind="stable"), scores)

    def _best_rows(self, short: np.ndarray) -> np.ndarray:
        """Per entry, the mean of its TOP_K most similar short rows (nan for an entry without any).

        One lucky row ("how long does it take" matching "how long do I bake a cake") should not
        decide; a topic that several of its phrasings match is the better bet.
        """
        # Every entry at once: character n-grams give almost every entry some matching row (99.8%
        # at 10,000 explainers), so sorting only the matched ones costs more than it saves.
        # Scores are never negative, so a missing row read as 0 sorts below every real one and adds
        # nothing: the sum of the TOP_K largest is the sum of an entry's real rows among them.
        padded = np.append(short, 0.0)[self.groups_]  # -1 (no row) reads the 0
        if padded.shape[1] > TOP_K:  # the TOP_K largest, then in order (summed as a full sort gives them)
            padded = np.partition(padded, -TOP_K, axis=1)
        return np.asarray(np.sum(np.sort(padded[:, -TOP_K:], axis=1), axis=1) / self.top_count_)


class Hits(Sequence[Hit]):
    """Every entry, best first; a Hit is made only when read, as most readers stop after a few."""

    __slots__ = ("_ids", "_order", "_scores")

    def __init__(self, ids: list[str], order: np.ndarray, scores: np.ndarray) -> None:
        self._ids, self._order, self._scores = ids, order, scores

    def __len__(self) -> int:
        return len(self._order)

    @overload
    def __getitem__(self, i: int) -> Hit: ...
    @overload
    def __getitem__(self, i: slice) -> list[Hit]: ...
    def __getitem__(self, i: int | slice) -> Hit | list[Hit]:
        if isinstance(i, slice):
            return [self._hit(j) for j in self._order[i].tolist()]
        return self._hit(int(self._order[i]))

    def __iter__(self) -> Iterator[Hit]:
        for start in range(0, len(self._order), 32):
            for j in self._order[start : start + 32].tolist():
                yield self._hit(j)

    def __repr__(self) -> str:
        return f"Hits({list(self)!r})"

    def _hit(self, entry: int) -> Hit:
        return Hit(self._ids[entry], float(self._scores[entry]))


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
    columns, idfs = space.columns, space.idf
    cols: list[int] = []
    vals: list[float] = []
    norm = 0.0
    for feature, count in counts.items():
        col = columns.get(feature, -1)
        idf = idfs[col] if col >= 0 else space.unknown_idf
        weight = idf if count == 1 else (1.0 + math.log(count)) * idf  # sublinear tf, as the vectorizer
        norm += weight * weight
        if col >= 0:
            cols.append(col)
            vals.append(weight)
    if not cols:
        return np.zeros(space.n_rows)
    rows, data, lengths = _columns(space, np.asarray(cols))
    weights = data * np.repeat(np.asarray(vals) / math.sqrt(norm), lengths)
    # Each row's terms are added in the query's column order, so a score never depends on the path.
    return np.bincount(rows, weights=weights, minlength=space.n_rows)


def _columns(space: Space, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The stored (row, value) pairs of `cols`, column after column, and each column's length."""
    starts = space.indptr[cols]
    lengths = space.indptr[cols + 1] - starts
    if lengths.sum() < GATHER_LIMIT:
        # Few entries: gather them by position (each column's start, counted up), in one go.
        index = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        return space.indices[index], space.data[index], lengths
    # Many (a large corpus, common n-grams): copy each column's contiguous slice, which is cheaper.
    bounds = list(zip(starts.tolist(), (starts + lengths).tolist(), strict=True))
    rows = np.concatenate([space.indices[a:z] for a, z in bounds])
    return rows, np.concatenate([space.data[a:z] for a, z in bounds]), lengths
