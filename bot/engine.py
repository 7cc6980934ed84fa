"""The bot: one validated corpus, one index per language, and `ask`.

Mirrored in web/static/engine.js (private mode); tests/test_private.py holds the two equal.

Everything heavy happens in the constructor (read files, validate, fit the indexes); `ask` only
reads memory, so answering never touches the disk and the same question always gets the same
reply. A new corpus means a new Bot.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from pathlib import Path

from bot.checks import load_corpus
from bot.corpus import Corpus, Explainer
from bot.lang import STOPWORDS, detect, is_mixed
from bot.messages import CATALOGUE, t
from bot.privacy import COMMON_WORDS, public_values, scrub
from bot.referrals import Directory
from bot.reply import Answer, Reply, SourceOut, Suggestion
from bot.retrieval import Entry, Hit, Index, entry_of
from bot.text import Synonyms, clean_input, fold
from bot.urgency import UrgencyRules, trigrams

MAX_SUGGESTIONS = 3
# Runners-up offered after an answer: the next RUNNERS_UP hits scoring at least RUNNER_UP_FACTOR x the
# threshold (the person may have meant them).
RUNNERS_UP = 3
RUNNER_UP_FACTOR = 0.8
# When to read a question with every language's index: "mixed" (both English and Spanish cue words),
# "always", or "never". "mixed" and "always" scored the same on the dev set; "mixed" costs less.
MIX_SEARCH = "mixed"
OOS_MARGIN = 1.2  # > 1: an explainer within this factor of an out-of-scope subject still answers
# An out-of-scope subject that sends a person to one of these lines (despair, abuse at home) is
# never overridden by a close explainer: "my husband hits me and says he will call ICE" gets the
# domestic violence line first, not the detention card.
SAFETY_KINDS = ("crisis", "domestic-violence")
OUT = "out-of-scope:"  # prefix of out-of-scope subjects' ids inside the index
# The help a decline lists, in this order. The emergency hotline comes last: a decline is often an
# emergency the urgent rules did not read (of 111 messages real people wrote during raids and
# arrests, quoted on public pages, the rules caught about a third; with the hotline in every decline
# 96 of them show its number, 73 without), and a calm question loses nothing by one more line.
DECLINE_KINDS = ("immigration-legal", "tax-help", "emergency")
# A decline suggests a topic only when it scores at least this share of the language's threshold.
# Off-topic questions ("best pizza place downtown") top out near 0.03-0.07 on the dev set, real
# near misses ("can i get a mortgage with my itin") reach 0.11 or more; 0.75 x 0.14 = 0.105 keeps those.
DECLINE_FLOOR = 0.75
# What is left of "my number is 555-..." once the number is scrubbed: the words that introduced a
# personal detail, followed by nothing. They say nothing about the question but pull retrieval
# ("number" is an ITIN word), so they are dropped before searching. ASCII classes only, so that
# engine.js runs the very same pattern.
DANGLING_LEAD = re.compile(
    r"(^|[\s,.;:!?\u00bf\u00a1(])(?:(?:my|mi|your|su)\s+)?(?:(?:phone|cell)\s+)?"
    r"(?:number|phone|cell|name|email|e-mail|n[u\u00fa]mero|tel[e\u00e9]fono|celular|nombre|correo|me\s+llamo)"
    r"(?:\s+(?:is|es))?\s*:?\s*(?=[,.;!?]|$)",
    re.IGNORECASE,
)


# A message that is only a greeting or a thank-you ("hola", "buenos dias", "thank you so much"), on
# folded text. Its words are stop words, so retrieval finds nothing; the decline greets or thanks
# back and says what the bot can do, instead of "I'm not sure I can answer that".
SMALL_TALK_CHARS = 60  # longer messages say something more
SMALL_TALK = {
    "greeting": re.compile(
        r"^(?:(?:hi|hello|hey|hola|ola|buenas|buenos dias|buenas tardes|buenas noches|good morning|good afternoon"
        r"|good evening|saludos)\s*)+(?:there|everyone|alguien|a todos|how are you|como esta|como estas)?$"
    ),
    "thanks": re.compile(
        r"^(?:(?:ok|okay|muchas|mil)\s+)?(?:thanks|thank you|thx|ty|gracias)"
        r"(?:\s+(?:so much|a lot|very much|for the help|por la ayuda|por todo))?$"
    ),
}


def small_talk(folded: str) -> str | None:
    """ "greeting", "thanks", or None when the message (folded: `bot.text.fold`) says something else."""
    if len(folded) > SMALL_TALK_CHARS:
        return None
    return next((kind for kind, pattern in SMALL_TALK.items() if pattern.match(folded)), None)


def drop_dangling_leads(text: str) -> str:
    """ "my name is , my number is , can ICE find me" -> ", , can ICE find me"."""
    return re.sub(r"\s{2,}", " ", DANGLING_LEAD.sub(r"\1", text)).strip()


class Bot:
    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.synonyms = Synonyms(corpus.synonyms)
        # Out-of-scope subjects sit in the index beside the explainers, so a near miss ("how do
        # I renew DACA") finds its real subject and is declined instead of matching "ITIN renewal".
        self.out_of_scope = {OUT + s.id: s for s in corpus.out_of_scope}
        # The words of each subject's decline: its own where the catalogue has them ("decline.crisis" for
        # the subject `crisis`), else "not a subject this chat covers", never "try other words".
        self.subject_messages = {
            OUT + s.id: s.id if f"decline.{s.id}" in CATALOGUE else "out-of-scope" for s in corpus.out_of_scope
        }
        self.indexes: dict[str, Index] = {}
        for lang in corpus.languages:
            served = corpus.served(lang)
            if not served:
                continue
            entries = [entry_of(e) for e in served]
            entries += [
                Entry(OUT + s.id, s.questions[lang], " ".join(s.questions[lang]))
                for s in corpus.out_of_scope
                if s.questions.get(lang)
            ]
            self.indexes[lang] = Index(entries, STOPWORDS[lang], self.synonyms)
        # Words the corpus publishes: a capitalised run of them is a term, not a person's name. They are
        # the words of every indexed row (the served explainers, whole, and out-of-scope subjects'
        # questions: "Medicaid", "Costco" are subjects, not names); drafts are not indexed, so they stay
        # out. Private mode's model file leaves the indexed words out of its list and rebuilds them
        # from the rows it carries anyway (bot/browser_model.py).
        self.indexed_words = frozenset().union(*(ix.words() for ix in self.indexes.values()))
        self.known_words = self.indexed_words | STOPWORDS["en"] | STOPWORDS["es"] | COMMON_WORDS
        served = [e for lang in corpus.languages for e in corpus.served(lang)]
        published = [t for e in served for t in (e.text, *e.questions)]
        published += [r.phone or "" for r in corpus.legal_aid]
        self.known_words |= public_values(published)
        self._ids = {lang: {e.id for e in corpus.served(lang)} for lang in corpus.languages}
        # Whether language b has topics language a lacks, worked out once rather than per question.
        self._more = {(a, b): bool(self._ids[b] - self._ids[a]) for a in corpus.languages for b in corpus.languages}
        self.urgency = UrgencyRules(corpus.urgent_rules)
        self.directory = Directory(corpus.legal_aid)
        self.default_lang = corpus.languages[0]
        # Topic order, the same on every surface: the urgent topic first, then the required topics
        # in the order corpus.yaml lists them (for the shipped corpus: the agreement, what ICE can get,
        # the law, then ITINs, filing, families, help), then a deployment's own topics by id.
        urgent_ids = {e.id for e in corpus.explainers if e.urgent}
        required = {id: i for i, id in enumerate(corpus.required_topics)}
        rank = {e.id: (e.id not in urgent_ids, required.get(e.id, len(required)), e.id) for e in corpus.explainers}
        # Each served explainer's answer and title are the same in every reply: made once, shared
        # (the reply models are frozen).
        self._answers = {(e.id, e.lang): _answer(e) for e in served}
        self._titles = {(e.id, e.lang): Suggestion(id=e.id, title=e.title) for e in served}
        # Fixed by the corpus, so worked out once: every decline lists the topics.
        self._served = {lang: sorted(corpus.served(lang), key=lambda e: rank[e.id]) for lang in corpus.languages}
        topic_ids = {
            lang: list(dict.fromkeys(e.id for each in (lang, *corpus.languages) for e in self._served[each]))
            for lang in corpus.languages
        }
        # Each language's topic list (every decline shows it), made once; replies get a copy of the list.
        self._topics = {lang: self.titles(ids, lang) for lang, ids in topic_ids.items()}

    @classmethod
    def from_path(cls, root: Path | None = None, *, extra_directories: Sequence[Path] = ()) -> Bot:
        return cls(load_corpus(root, extra_directories=extra_directories))

    # ------------------------------------------------------------------ answering

    def ask(self, question: str, lang: str | None = None) -> Reply:
        """Answer `question` from the corpus, or decline; `lang` None means detect it."""
        # Personal data goes first, before any other code reads the text.
        clean = scrub(clean_input(question), self.known_words)
        text = drop_dangling_leads(clean.text) if clean.found else clean.text
        notices = ["personal-data"] if clean.found else []

        folded = fold(text)  # once: language, rules and every index read the same folded text
        toks = folded.split()  # = tokens(text)
        searched: dict[str, Sequence[Hit]] = {}  # this question's hits per index, so no index is searched twice
        text_lang = self._text_language(text, toks, lang, searched)
        # An explicit `lang` is the language of the reply; retrieval reads the question in the
        # language it is written in, so "what is an ITIN" asked from a Spanish page still finds it.
        lang = lang if lang in self.corpus.languages else text_lang
        grams = trigrams(folded)  # once, for every kind of rule
        urgent = self.urgency.urgent_folded(folded, grams)
        crisis = self.urgency.matches("crisis", folded, grams)
        abuse = self.urgency.matches("abuse", folded, grams)
        hits, hit_lang = self._search(toks, text_lang, searched)
        threshold = self.corpus.thresholds[hit_lang]
        top = hits[0] if hits else Hit("", 0.0)

        best_real = next((h for h in hits if h.id not in self.out_of_scope), Hit("", 0.0))
        subject = self.out_of_scope.get(top.id)
        safety = subject is not None and any(kind in SAFETY_KINDS for kind in subject.refer)
        if subject is not None and not safety and (top.score < threshold or best_real.score * OOS_MARGIN >= top.score):
            # An explainer almost as close as the out-of-scope subject ("does the ITIN give me a
            # work permit") is the better answer: it says what the ITIN does not do. A subject below
            # the threshold is a chance match ("Mamá, date prisa. Lo tiraron al suelo" is not about
            # visas): the generic decline, with its emergency line, fits better than the subject's help.
            subject, top = None, best_real
        chosen: Explainer | None = None
        confidence = best_real.score
        if urgent:
            chosen = self._urgent_explainer(lang, hits)
            if chosen is not None:
                confidence = next((h.score for h in hits if h.id == chosen.id), top.score)
        elif subject is None and not crisis and top.score >= threshold:
            # Words of despair get no explainer (its words would only be close by chance): the
            # crisis line first, then the close topics as suggestions.
            chosen = self.explainer(top.id, lang)
        if not urgent and chosen is not None and chosen.urgent and self.urgency.scene_folded(folded, grams):
            # Retrieval found the door or detention card for a scene the rules missed, told in the
            # present ("officers are asking everyone for papers in the waiting room"): the same card,
            # with emergency help first.
            urgent = True
        if chosen is not None and chosen.lang != lang:
            notices.append("language-fallback")
        # Help that leads whatever else the reply says: despair, an emergency now, a partner's threat.
        first = tuple(k for k, on in (("crisis", crisis), ("emergency", urgent), ("domestic-violence", abuse)) if on)

        if chosen is None:
            kinds = subject.refer if subject and subject.refer else DECLINE_KINDS
            # Hits come best first: read them only while they are close enough, up to the suggestions shown.
            close = (h.id for h in itertools.takewhile(lambda h: h.score >= threshold * DECLINE_FLOOR, hits))
            shown = list(itertools.islice((id for id in close if id not in self.out_of_scope), MAX_SUGGESTIONS))
            # Despair, abuse at home (a partner's threat the rules read, or its subject), a subject the corpus
            # does not cover, or a hello: the decline speaks to it.
            reason = (
                "crisis"
                if crisis
                else "domestic-violence"
                if abuse
                else self.subject_messages.get(top.id)
                if subject
                else small_talk(folded)
            )
            return self._decline(lang, shown, notices, urgent, confidence, (*first, *kinds), reason)
        return Reply(
            lang=lang,  # type: ignore[arg-type]  # a corpus language: validate allows only en and es
            answered=True,
            confidence=round(min(max(confidence, 0.0), 1.0), 6),
            urgent=urgent,
            answer=self.answer_of(chosen),
            suggestions=self._suggestions(chosen, hits, lang),
            topics=[],
            message=None,
            notices=notices,
            notice_messages=[t(f"notice.{n}", lang) for n in notices],
            referrals=self.directory.for_kinds((*first, *chosen.refer), lang),
        )

    def _text_language(self, text: str, toks: list[str], asked: str | None, searched: dict[str, Sequence[Hit]]) -> str:
        """The language the question is written in."""
        guess = detect(text, toks)
        if guess in self.indexes:
            return guess
        if asked in self.indexes:
            return asked
        # No function words at all ("itin renewal"): the language whose explainers match best.
        return max(
            self.indexes, key=lambda lang: (self._hits(toks, lang, searched)[0].score, lang == self.default_lang)
        )

    def _hits(self, toks: list[str], lang: str, searched: dict[str, Sequence[Hit]]) -> Sequence[Hit]:
        if lang not in searched:
            searched[lang] = self.indexes[lang].search_tokens(toks)
        return searched[lang]

    def _search(self, toks: list[str], lang: str, searched: dict[str, Sequence[Hit]]) -> tuple[Sequence[Hit], str]:
        """Hits from the index of `lang`, or from another language's index when that one wins.

        Another index is consulted when the question mixes languages (both indexes read it; the
        topic is then shown in the reply's language), or when it holds topics `lang` lacks (a
        deployment's one-language topic, shown with a fallback notice). The better match, relative
        to each index's own threshold, wins.
        """
        own = self._hits(toks, lang, searched) if lang in self.indexes else []
        own_ids = self._ids[lang]
        mixed = MIX_SEARCH == "always" or (MIX_SEARCH == "mixed" and is_mixed(toks))
        best, best_lang = own, lang
        for other in self.indexes:
            if other == lang or not (mixed or self._more[lang, other]):
                continue
            theirs = self._hits(toks, other, searched)
            top = theirs[0]
            if top.id in self.out_of_scope or not (mixed or top.id not in own_ids):
                continue
            if self._ratio(theirs, other) > self._ratio(best, best_lang):
                best, best_lang = theirs, other
        return best, best_lang

    def _ratio(self, hits: Sequence[Hit], lang: str) -> float:
        return hits[0].score / self.corpus.thresholds[lang] if hits else 0.0

    def _urgent_explainer(self, lang: str, hits: Sequence[Hit]) -> Explainer | None:
        """The urgent explainer the question matches best ("they took my husband" is not "ICE is at
        my door"), else the first one: an emergency is always answered."""
        for h in hits:
            e = self.explainer(h.id, lang)
            if e is not None and e.urgent:
                return e
        for candidate in (lang, *self.corpus.languages):
            for e in self.served(candidate):
                if e.urgent:
                    return e
        return None

    def answer_of(self, e: Explainer) -> Answer:
        return self._answers.get((e.id, e.lang)) or _answer(e)

    def _suggestions(self, chosen: Explainer, hits: Sequence[Hit], lang: str) -> list[Suggestion]:
        """Close runners-up first (the person may have meant them), then the explainer's related ids."""
        threshold = self.corpus.thresholds[lang]
        ids = [h.id for h in hits[1 : 1 + RUNNERS_UP] if h.id != chosen.id and h.score >= threshold * RUNNER_UP_FACTOR]
        ids += [r for r in chosen.related if r != chosen.id]
        return self.titles(ids, lang)[:MAX_SUGGESTIONS]

    def titles(self, ids: Sequence[str], lang: str) -> list[Suggestion]:
        """A title for each id (in `lang`, else another language), each id once, unknown ids left out."""
        found = (self.explainer(id, lang) for id in dict.fromkeys(ids))
        return [self._titles.get((e.id, e.lang)) or Suggestion(id=e.id, title=e.title) for e in found if e is not None]

    def _decline(
        self,
        lang: str,
        close: list[str],
        notices: list[str],
        urgent: bool,
        confidence: float,
        kinds: Sequence[str],
        reason: str | None,
    ) -> Reply:
        return Reply(
            lang=lang,  # type: ignore[arg-type]  # a corpus language: validate allows only en and es
            answered=False,
            confidence=round(min(max(confidence, 0.0), 1.0), 6),
            urgent=urgent,
            answer=None,
            suggestions=self.titles(close, lang),
            topics=self.topics(lang),
            message=t(f"decline.{reason}" if reason else "decline", lang),
            notices=notices,
            notice_messages=[t(f"notice.{n}", lang) for n in notices],
            referrals=self.directory.for_kinds(kinds, lang),
        )

    # ------------------------------------------------------------------ browsing

    def served(self, lang: str) -> list[Explainer]:
        """The served explainers of `lang` in topic order (urgent first, then the required topics)."""
        return list(self._served.get(lang, ()))

    def topics(self, lang: str) -> list[Suggestion]:
        """Every served topic in `lang` (falling back per topic to another language), in topic order."""
        return list(self._topics[lang]) if lang in self._topics else []

    def explainer(self, id: str, lang: str) -> Explainer | None:
        """The explainer `id` in `lang`, else in the first corpus language that has it."""
        for each in (lang, *self.corpus.languages):
            e = self.corpus.get(id, each)
            if e is not None:
                return e
        return None


def _answer(e: Explainer) -> Answer:
    return Answer(
        id=e.id,
        title=e.title,
        summary=e.summary,
        html=e.html,
        sources=[SourceOut(title=s.title, url=s.url) for s in e.sources],
        reviewed=e.reviewed.isoformat(),
        urgent=e.urgent,
        lang=e.lang,  # type: ignore[arg-type]
    )


__all__ = ["Bot"]
