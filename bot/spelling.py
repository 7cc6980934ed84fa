"""Read a misspelt word of a question as the index word one typing slip away.

People type on a phone in a hurry: "renwal", "numbr", "mensages", "direcion". Character n-grams
give such a word partial credit, but its word features ("renewal", "itin renewal") are lost, and
a synonym group cannot list every slip. A word the index does not know is read as the known word
one edit away (a letter dropped, added, changed, or two swapped), starting with the same letter.

Only the question is corrected, never the corpus, and only for its word features: synonym
groups and character n-grams still read what was typed (a group lists misspellings on purpose,
"vensido", "texteo"). Mirrored in web/static/engine.js (`makeSpeller`); the browser
parity tests hold the two equal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

# Words the corrector reads and offers: letters only (no "w2", "1040", synonym tokens or bigrams)
# and at least four of them, since a short word is one edit away from too many others.
_WORD = re.compile(r"[a-z]{4,}")


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class Speller:
    """The known words of one index, looked up by the words they become with one letter deleted.

    Two words are one edit apart when one is the other with a letter deleted, or when both share a
    deleted form (a letter changed, or two swapped): so a question's word is looked up with its
    own deleted forms only (symmetric delete), never by trying every letter of the alphabet.
    """

    def __init__(self, columns: Mapping[str, int], idf: Sequence[float]) -> None:
        """`columns`: the index's word features and their columns; `idf`: the idf of each column."""
        self._known = columns  # read for membership only
        self._idf: dict[str, float] = {}
        self._by_deleted: dict[str, list[str]] = {}
        for word, column in columns.items():
            if _WORD.fullmatch(word):
                self._idf[word] = idf[column]
                for form in (word, *sorted(_deletes(word))):
                    self._by_deleted.setdefault(form, []).append(word)

    def correct(self, tokens: Sequence[str], stopwords: frozenset[str]) -> list[str]:
        """`tokens` with each unknown word replaced by its correction, where there is one."""
        return [self._word(t) if t not in self._known and t not in stopwords else t for t in tokens]

    def _word(self, token: str) -> str:
        """The correction of one unknown word: of the known words one edit away that start with
        its letter and differ in more than the last letter, the most common (lowest idf), then the
        first in alphabetical order. A different ending is more often another form of a real word
        than a slip ("arreglo" is not "arregla", "hell" not "help", "cuartos" not "cuarto")."""
        if not _WORD.fullmatch(token):
            return token
        found: set[str] = set()
        for form in (token, *_deletes(token)):
            found.update(self._by_deleted.get(form, ()))
        stem = token[:-1]
        candidates = [w for w in found if w[0] == token[0] and stem not in (w, w[:-1]) and w[:-1] != token]
        return min(candidates, key=lambda w: (self._idf[w], w)) if candidates else token
