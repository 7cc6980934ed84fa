"""The model file of private mode: everything the browser needs to answer like the server.

`build_model(bot)` reads the running Bot (its indexes, rules, catalogue, explainers and help
directory), never a second hand-kept copy, and `model_bytes` serialises it deterministically (sorted
keys, no timestamps): the same corpus always gives the same bytes. web/static/engine.js answers
from it; tests/test_private.py holds the two engines together on every row of the dev set.

The indexes travel as the folded tokens of each indexed row (a row's long text refers to its short
rows instead of repeating them) plus the exact IDF of every document frequency. The browser
rebuilds the TF-IDF matrices from them exactly as scikit-learn does: that is far smaller than the
matrices themselves, and the exact IDF values keep the two engines equal to the last bit.
"""

from __future__ import annotations

import gzip
import inspect
import json
import re
from typing import Any

from bot import engine as engine_module
from bot import lang as lang_module
from bot import privacy, retrieval, text
from bot.engine import Bot
from bot.jsregex import BOUNDARY, check_ascii_rule, js_pattern
from bot.messages import CATALOGUE
from bot.referrals import PER_KIND
from bot.retrieval import Entry, Index, Space
from bot.urgency import RULE_KINDS

FORMAT = 1


def _tokens(t: str) -> str:
    return " ".join(text.tokens(t))


def _long_parts(entry: Entry) -> list[int | str]:
    """The long row as pieces: the index of a short row where its tokens recur, else literal tokens."""
    long = text.tokens(entry.long)
    shorts = [text.tokens(s) for s in entry.short]
    starting: dict[str, list[int]] = {}  # first token -> the short rows that start with it, in order
    for j, toks in enumerate(shorts):
        if toks:
            starting.setdefault(toks[0], []).append(j)
    parts: list[int | str] = []
    literal: list[str] = []
    pos, next_short = 0, 0
    while pos < len(long):
        # The first short row that recurs here, looking from the one after the last found, round
        # to the start: in order, the long row repeats them from the title on.
        candidates = sorted(starting.get(long[pos], ()), key=lambda j: (j - next_short) % len(shorts))
        found = next((j for j in candidates if long[pos : pos + len(shorts[j])] == shorts[j]), None)
        if found is None:
            literal.append(long[pos])
            pos += 1
            continue
        if literal:
            parts.append(" ".join(literal))
            literal = []
        parts.append(found)
        pos += len(shorts[found])
        next_short = found + 1
    if literal:
        parts.append(" ".join(literal))
    rebuilt = [t for p in parts for t in (shorts[p] if isinstance(p, int) else p.split(" "))]
    assert rebuilt == long, f"long row of {entry.id} does not rebuild"
    return parts


def _idf_table(space: Space) -> list[list[float]]:
    """[document frequency, idf] pairs: every feature with that frequency has exactly that idf.

    A document is a topic (retrieval.Index): the frequency is the number of entries with the
    feature in any of their rows, as engine.js counts it.
    """
    table: dict[int, float] = {}
    for d, v in zip(space.df.tolist(), space.idf, strict=True):
        assert table.setdefault(d, v) == v, "idf is not a function of document frequency"
    return [[d, table[d]] for d in sorted(table)]


def _index(ix: Index) -> dict[str, Any]:
    entries = ix.entries_
    assert [e.id for e in entries] == ix.ids_
    return {
        "ids": list(ix.ids_),
        "short": [[_tokens(s) for s in e.short] for e in entries],
        "long": [_long_parts(e) for e in entries],
        "idf": {
            "words": _idf_table(ix.word_space_),
            "chars": _idf_table(ix.char_space_),
        },
        "features": {"words": len(ix.word_space_.columns), "chars": len(ix.char_space_.columns)},
    }


def text_rules() -> dict[str, str]:
    """bot/text.py's clean_input and fold patterns, for engine.js and the widget."""
    return {
        "invisible": text._INVISIBLE.pattern,
        "combining": text._COMBINING.pattern,
        "non_alnum": text._NON_ALNUM.pattern,
    }


def privacy_rules() -> dict[str, Any]:
    """bot/privacy.py's rules for a browser: private mode's engine and the widget's pre-send warning
    (from the model file, or from /api/widget-config) run exactly these, as scrub() does."""
    return {
        # In this order, with the flags giu (engine.js); the others: isu, giu and gu.
        "patterns": [[kind, js_pattern(p, re.IGNORECASE)] for kind, p in privacy._COMPILED],
        "name_stop": js_pattern(privacy._NAME_STOP, re.IGNORECASE | re.DOTALL),
        "name_after": js_pattern(privacy._NAME_AFTER, re.IGNORECASE),
        "name_run": js_pattern(privacy._NAME_RUN, 0),
        "particles": sorted(privacy._PARTICLES),
        "headline_word": js_pattern(privacy._HEADLINE_WORD, 0),
        "headline_min": privacy.HEADLINE_MIN,
        "headline_share": privacy.HEADLINE_SHARE,
        "boundary": BOUNDARY,  # where a browser lacks look-behind, the engine uses \\b instead
    }


def build_model(bot: Bot) -> dict[str, Any]:
    """Everything private mode needs, read from `bot` (see the module docstring)."""
    corpus = bot.corpus
    sizes = inspect.signature(text.char_features).parameters["sizes"].default
    explainers = []
    for lang in corpus.languages:
        for e in bot.served(lang):  # in topic order: the widget lists topics in this order
            item = bot.answer_of(e).model_dump(mode="json")
            item.update(related=list(e.related), refer=list(e.refer))
            explainers.append(item)
    return {
        "format": FORMAT,
        "version": corpus.version,
        "languages": list(corpus.languages),
        "default_lang": bot.default_lang,
        "thresholds": dict(corpus.thresholds),
        "constants": {
            "word_weight": retrieval.WORD_WEIGHT,
            "question_weight": retrieval.QUESTION_WEIGHT,
            "top_k": retrieval.TOP_K,
            "char_sizes": [sizes.start, sizes.stop],
            "max_suggestions": engine_module.MAX_SUGGESTIONS,
            "runners_up": engine_module.RUNNERS_UP,
            "runner_up_factor": engine_module.RUNNER_UP_FACTOR,
            "spanish_marks": lang_module.SPANISH_MARKS,
            "mark_weight": lang_module.MARK_WEIGHT,
            "es_ratio": lang_module.ES_RATIO,
            "oos_margin": engine_module.OOS_MARGIN,
            "safety_kinds": list(engine_module.SAFETY_KINDS),
            "mix_search": engine_module.MIX_SEARCH,
            "decline_kinds": list(engine_module.DECLINE_KINDS),
            "decline_floor": engine_module.DECLINE_FLOOR,
            "dangling_lead": engine_module.DANGLING_LEAD.pattern,
            "small_talk": {kind: check_ascii_rule(p.pattern) for kind, p in engine_module.SMALL_TALK.items()},
            "small_talk_chars": engine_module.SMALL_TALK_CHARS,
            "per_kind": PER_KIND,
        },
        "text": text_rules(),
        "stopwords": {lang: sorted(words) for lang, words in lang_module.STOPWORDS.items()},
        "cues": {"en": sorted(lang_module._CUES_EN), "es": sorted(lang_module._CUES_ES)},
        "synonyms": {" ".join(key): canonical for key, canonical in bot.synonyms._phrases.items()},
        "indexes": {lang: _index(ix) for lang, ix in bot.indexes.items()},
        "out_of_scope": {id: list(s.refer) for id, s in bot.out_of_scope.items()},
        "subject_messages": bot.subject_messages,
        "explainers": explainers,
        "directory": {lang: [r.model_dump(mode="json") for r in bot.directory.all(lang)] for lang in corpus.languages},
        "privacy": privacy_rules(),
        # engine.js adds the words of the index rows it receives anyway (Bot.indexed_words): about
        # 10 KB of the gzipped file not sent twice.
        "known_words": sorted(bot.known_words - bot.indexed_words),
        "urgent": {kind: [check_ascii_rule(p.pattern) for p in bot.urgency._compiled[kind]] for kind in RULE_KINDS},
        "messages": CATALOGUE,
    }


def model_bytes(bot: Bot) -> bytes:
    """The model file: compact JSON, sorted keys, UTF-8, the same bytes for the same corpus."""
    data = json.dumps(build_model(bot), ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return data.encode("utf-8")


def gzipped(model: bytes) -> bytes:
    """The model file compressed for hosts that do not compress (the widget inflates it): no
    timestamp inside, so the same corpus always gives the same bytes, as `model_bytes` does."""
    return gzip.compress(model, compresslevel=9, mtime=0)


__all__ = ["build_model", "gzipped", "model_bytes", "privacy_rules", "text_rules"]
