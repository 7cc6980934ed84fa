"""Text folding and tokenizing shared by indexing and answering.

Everything here is deliberately simple (one Unicode normalization, ASCII regexes, whitespace
splits) so that its browser twin, web/static/engine.js, mirrors it exactly: two tokenizers drift
unless they are trivial. Indexing and querying both call `features`, so they cannot disagree.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence

_COMBINING = re.compile("[\u0300-\u036f]")
_NON_ALNUM = re.compile("[^a-z0-9]+")


_INVISIBLE = re.compile("[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def clean_input(text: str) -> str:
    """Drop control, zero-width and bidi-override characters and collapse whitespace.

    They are invisible, so a person cannot have meant them, and they can disguise text
    (a bidi override makes "ICE" display as "ECI").
    """
    return " ".join(_INVISIBLE.sub("", text).split())


def fold(text: str) -> str:
    """Lowercase, strip accents and punctuation: "¿Qué pasa?" -> "que pasa"."""
    text = unicodedata.normalize("NFKD", text)
    text = _COMBINING.sub("", text).lower()
    return _NON_ALNUM.sub(" ", text).strip()


def tokens(text: str) -> list[str]:
    return fold(text).split()


class Synonyms:
    """Phrase groups that add a shared canonical token wherever one of their phrases occurs.

    Adding (not replacing) keeps the original words, so an exact match still scores best and a
    community word ("la migra") still meets the explainer's word ("ICE").
    """

    def __init__(self, groups: Sequence[Sequence[str]]) -> None:
        self._phrases: dict[tuple[str, ...], str] = {}
        for group in groups:
            canonical = fold(group[0]).replace(" ", "_")
            for phrase in group:
                key = tuple(tokens(phrase))
                if key:
                    self._phrases[key] = canonical
        self.max_len = max((len(k) for k in self._phrases), default=0)
        # Phrases by their first token, shortest first: most tokens start no phrase, so a text is
        # scanned with one dict lookup per token.
        self._by_first: dict[str, list[tuple[int, tuple[str, ...], str]]] = {}
        for key, canonical in sorted(self._phrases.items(), key=lambda item: len(item[0])):
            self._by_first.setdefault(key[0], []).append((len(key), key, canonical))

    def expand(self, toks: Sequence[str]) -> list[str]:
        """Canonical tokens for every phrase found in `toks`, in order of appearance."""
        found: list[str] = []
        by_first = self._by_first
        for i in itertools.compress(range(len(toks)), map(by_first.__contains__, toks)):
            for n, key, canonical in by_first[toks[i]]:
                if n == 1 or tuple(toks[i : i + n]) == key:
                    found.append(canonical)
        return found


def word_features(toks: Sequence[str], stopwords: frozenset[str]) -> list[str]:
    """Content-word unigrams and bigrams of neighbouring content words: stop words are removed first, so
    "renew my itin" gives the bigram "renew itin"."""
    content = [t for t in toks if t not in stopwords]
    grams = list(content)
    grams += [f"{a} {b}" for a, b in zip(content, content[1:], strict=False)]
    return grams


def char_features(toks: Iterable[str], stopwords: frozenset[str], sizes: range = range(3, 6)) -> list[str]:
    """Character n-grams inside each content word, padded with spaces (like char_wb).

    They absorb typos ("imigration"), plurals and Spanish word endings without a stemmer.
    """
    grams: list[str] = []
    for tok in toks:
        if tok in stopwords:
            continue
        padded = f" {tok} "
        for n in sizes:
            grams += [padded[i : i + n] for i in range(len(padded) - n + 1)]
    return grams
