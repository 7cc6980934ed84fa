"""Read a whole corpus folder, check it across files, and hand back what may be served.

`python -m bot check` prints these problems; the server and the CLI refuse to start on errors, so a
mistake in one explainer can never turn into a wrong answer in front of a person.

`check` also runs the editorial checks (the two languages agree on every figure, summaries read at
grade 8 or below). Loading for serving skips them: they judge content under review, not whether the
files can be served safely, and the readability scorer is slow to import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from bot.corpus import (
    DEFAULT_CORPUS,
    HELP_KINDS,
    Corpus,
    CorpusError,
    Explainer,
    OutOfScope,
    Problem,
    Resource,
    load_yaml,
    read_explainer,
    version_of,
)
from bot.lang import LANGUAGES
from bot.parity import check_pairs
from bot.referrals import read_directory
from bot.text import fold
from bot.urgency import check_rules, expand_words

MANIFEST = "corpus.yaml"
MAX_TRANSLATION_GAP_DAYS = 30
DEFAULT_THRESHOLD = 0.3
# A help line for emergencies that has stopped answering is worse than none: verify those twice as often.
EMERGENCY_MAX_AGE_DAYS = 90


@dataclass(frozen=True)
class Report:
    corpus: Corpus | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _read_yaml(path: Path, problems: list[Problem]) -> Any:
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(Problem(_rel(path), 1, "file is missing"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(
            Problem(_rel(path), mark.line + 1 if mark else 1, f"not valid YAML: {getattr(exc, 'problem', exc)}")
        )
    return None


def validate(
    root: Path,
    *,
    today: dt.date | None = None,
    max_age_days: int = 180,
    extra_directories: Sequence[Path] = (),
    editorial: bool = True,
) -> Report:
    """Check every file of the corpus at `root`; build the Corpus only if there are no errors.

    `editorial` adds language parity (errors) and summary readability (warnings).
    """
    today = today or dt.date.today()
    root = Path(root)
    problems: list[Problem] = []

    manifest_path = root / MANIFEST
    languages, thresholds, required_topics = _read_manifest(root, problems)
    files: list[Path] = [manifest_path]
    explainers, unreadable = _read_explainers(root, languages, required_topics, today, files, problems)
    problems += _cross_checks(explainers, languages, required_topics, today, max_age_days, unreadable)
    problems += _source_roots(explainers)
    if editorial:
        from bot.readability import long_sentence_problems, summary_problems

        problems += check_pairs(explainers, languages)
        problems += summary_problems(explainers)
        problems += long_sentence_problems(explainers)

    synonyms_path = root / "synonyms.yaml"
    files.append(synonyms_path)
    synonyms = _read_synonyms(synonyms_path, problems)
    urgent_path = root / "urgent.yaml"
    files.append(urgent_path)
    raw_rules = _read_yaml(urgent_path, problems) or {}
    rule_problems = check_rules(raw_rules)
    problems += [Problem(_rel(urgent_path), 1, f"{where}: {msg}") for where, msg in rule_problems]
    urgent_rules = {} if rule_problems else expand_words(raw_rules)

    oos_path = root / "out-of-scope.yaml"
    out_of_scope: list[OutOfScope] = []
    if oos_path.exists():
        files.append(oos_path)
        out_of_scope = _read_out_of_scope(oos_path, {e.id for e in explainers}, languages, problems)

    paths = [*map(Path, extra_directories), root / "legal-aid.yaml"]
    files += paths
    directory = _read_directories(paths, today, max_age_days, problems)

    if any(not p.warning for p in problems):
        return Report(None, problems)
    corpus = Corpus(
        languages=tuple(languages),
        explainers=tuple(explainers),
        thresholds=thresholds,
        synonyms=synonyms,
        urgent_rules=urgent_rules,
        legal_aid=tuple(directory),
        version=version_of(root, [f for f in files if f.exists()]),
        out_of_scope=tuple(out_of_scope),
        required_topics=required_topics,
    )
    return Report(corpus, problems)


def _read_manifest(root: Path, problems: list[Problem]) -> tuple[list[str], dict[str, float], tuple[str, ...]]:
    """corpus.yaml: the languages (else the language folders found), their thresholds, the required topics."""
    path = root / MANIFEST
    manifest = _read_yaml(path, problems) or {}
    languages = manifest.get("languages") if isinstance(manifest, dict) else None
    if not isinstance(languages, list) or not languages or any(code not in LANGUAGES for code in languages):
        problems.append(
            Problem(_rel(path), 1, f"'languages' must list the corpus languages, from: {', '.join(LANGUAGES)}")
        )
        languages = [code for code in LANGUAGES if (root / code).is_dir()]
    thresholds = {lang: float((manifest.get("thresholds") or {}).get(lang, DEFAULT_THRESHOLD)) for lang in languages}
    return languages, thresholds, _required_topics(path, manifest, problems)


def _read_explainers(
    root: Path,
    languages: list[str],
    required_topics: tuple[str, ...],
    today: dt.date,
    files: list[Path],
    problems: list[Problem],
) -> tuple[list[Explainer], set[tuple[str, str]]]:
    """Every explainer file of every language folder (each added to `files`), and the required ones' absence.

    Also returns the (language, id) of each file that exists but has errors of its own, so the checks
    across files do not call it missing: one mistake gets one message, in the file that has it.
    """
    explainers: list[Explainer] = []
    unreadable: set[tuple[str, str]] = set()
    for lang in languages:
        folder = root / lang
        for path in sorted(folder.glob("*.md")):
            files.append(path)
            explainer, found = read_explainer(path, _rel(path), today)
            problems += found
            if explainer:
                explainers.append(explainer)
            else:
                unreadable.add((lang, path.stem))
        for topic in required_topics:
            if not (folder / f"{topic}.md").exists():
                missing = folder / f"{topic}.md"
                problems.append(
                    Problem(_rel(missing), 1, f"required topic '{topic}' is missing in '{lang}': write this file")
                )
    return explainers, unreadable


def _read_directories(paths: list[Path], today: dt.date, max_age_days: int, problems: list[Problem]) -> list[Resource]:
    """The help directories, in order; a resource not verified for too long is a warning, an id used twice an error."""
    directory: list[Resource] = []
    for path in paths:
        entries, found = read_directory(path, _rel(path), today)
        directory += entries
        problems += found
        for entry in entries:
            age = (today - entry.verified).days
            limit = min(EMERGENCY_MAX_AGE_DAYS, max_age_days) if entry.kind == "emergency" else max_age_days
            if age > limit:
                kind = "emergency resource" if entry.kind == "emergency" else "resource"
                problems.append(
                    Problem(
                        _rel(path),
                        entry.line,
                        f"{kind} '{entry.id}' was last verified {age} days ago (over {limit}); "
                        "call or visit it and update 'verified'",
                        warning=True,
                    )
                )
    seen: set[str] = set()
    for entry in directory:
        if entry.id in seen:
            problems.append(
                Problem(
                    "legal-aid",
                    entry.line,
                    f"resource id {entry.id!r} is used twice (in the shipped or an extra directory); ids must be unique",
                )
            )
        seen.add(entry.id)
    return directory


def _required_topics(path: Path, manifest: Any, problems: list[Problem]) -> tuple[str, ...]:
    """The ids `corpus.yaml` requires in every language (`required_topics: [...]`; none when absent)."""
    value = manifest.get("required_topics") if isinstance(manifest, dict) else None
    if value is None:
        return ()
    line = 1
    if path.exists():
        lines = path.read_text(encoding="utf-8").split("\n")
        line = next((i + 1 for i, text in enumerate(lines) if text.startswith("required_topics:")), 1)
    if not isinstance(value, list) or not all(isinstance(t, str) and t for t in value):
        problems.append(
            Problem(_rel(path), line, "'required_topics' must be a list of explainer ids, like [itin-basics]")
        )
        return ()
    twice = sorted({t for t in value if value.count(t) > 1})
    if twice:
        problems.append(Problem(_rel(path), line, f"required topic {twice[0]!r} is listed twice; list each id once"))
    return tuple(dict.fromkeys(value))


def load_corpus(root: Path | None = None, **kwargs: Any) -> Corpus:
    """The validated corpus, or CorpusError listing every problem."""
    report = validate(root or DEFAULT_CORPUS, editorial=False, **kwargs)
    if report.corpus is None:
        raise CorpusError(report.errors)
    return report.corpus


def _cross_checks(
    explainers: list[Explainer],
    languages: Sequence[str],
    required_topics: Sequence[str],
    today: dt.date,
    max_age_days: int,
    unreadable: AbstractSet[tuple[str, str]],
) -> list[Problem]:
    problems: list[Problem] = []
    # A file with errors of its own is reported there; here it counts as present, not missing.
    unreadable_ids = {id for _, id in unreadable}
    # Ids are unique within a language: read_explainer makes each id its file's name in its language's folder.
    by_lang: dict[str, dict[str, Explainer]] = {lang: {} for lang in languages}
    for e in explainers:
        by_lang[e.lang][e.id] = e

    all_ids = {e.id for e in explainers}
    for e in explainers:
        for rid in e.related:
            if (e.lang, rid) in unreadable or (rid not in all_ids and rid in unreadable_ids):
                continue
            if rid not in all_ids:
                problems.append(Problem(e.path, e.lines.get("related", 1), f"unknown related id '{rid}'"))
            elif rid not in by_lang[e.lang]:
                problems.append(
                    Problem(e.path, e.lines.get("related", 1), f"related id '{rid}' has no '{e.lang}' explainer")
                )
        age = (today - e.reviewed).days
        if age > max_age_days:
            problems.append(
                Problem(
                    e.path,
                    e.lines.get("reviewed", 1),
                    f"last reviewed {age} days ago (over {max_age_days}); check it against its sources and update 'reviewed'",
                    warning=True,
                )
            )

    # The same question under two topics would make retrieval pick between them by chance. The message
    # goes to the draft when one of the two is a draft (a new file copied from a vetted one), so nobody is
    # sent to delete questions from the vetted explainer.
    for lang in languages:
        owner: dict[str, tuple[Explainer, int]] = {}
        for e in by_lang[lang].values():
            for i, q in enumerate(e.questions):
                key = fold(q)
                if key not in owner:
                    owner[key] = (e, i)
                    continue
                first, j = owner[key]
                if first.id == e.id:
                    continue  # repeated inside one file: read_explainer reports it
                (here, n), (there, m) = (
                    ((first, j), (e, i)) if first.status == "draft" != e.status else ((e, i), (first, j))
                )
                problems.append(
                    Problem(
                        here.path,
                        here.lines.get(f"questions[{n}]", 1),
                        f"question {here.questions[n]!r} is also listed under '{there.id}' "
                        f"({there.path}:{there.lines.get(f'questions[{m}]', 1)}); keep it under one topic",
                    )
                )

    # Every topic in every language, and translations reviewed together.
    ids = sorted(all_ids)
    for topic in ids:
        present = {lang: by_lang[lang][topic] for lang in languages if topic in by_lang[lang]}
        for lang in languages:
            if lang not in present and topic not in required_topics and (lang, topic) not in unreadable:
                some = next(iter(present.values()))
                problems.append(
                    Problem(some.path, 1, f"'{topic}' has no '{lang}' translation (expected {lang}/{topic}.md)")
                )
        dates = sorted(present.values(), key=lambda e: e.reviewed)
        if len(dates) > 1 and (dates[-1].reviewed - dates[0].reviewed).days > MAX_TRANSLATION_GAP_DAYS:
            old = dates[0]
            problems.append(
                Problem(
                    old.path,
                    old.lines.get("reviewed", 1),
                    f"reviewed {old.reviewed}, but the {dates[-1].lang} version was reviewed {dates[-1].reviewed}: more than {MAX_TRANSLATION_GAP_DAYS} days apart, so the translations may say different things; check this version against the {dates[-1].lang} one and its sources, then update 'reviewed'",
                )
            )
        urgent = {e.urgent for e in present.values()}
        if len(urgent) > 1:
            problems.append(
                Problem(
                    dates[0].path,
                    dates[0].lines.get("urgent", 1),
                    f"'urgent' differs between the languages of '{topic}'",
                )
            )
    for lang in languages:
        if by_lang[lang] and not any(e.urgent and e.served for e in by_lang[lang].values()):
            problems.append(
                Problem(f"{lang}/", 1, f"no vetted explainer in '{lang}' has 'urgent: true'; emergencies need one")
            )
    return problems


def _source_roots(explainers: list[Explainer]) -> list[Problem]:
    """Warn about sources that are a site's home page: they cannot show where the text's facts are."""
    problems: list[Problem] = []
    for e in explainers:
        for i, source in enumerate(e.sources):
            parts = urlsplit(source.url)
            if parts.path in ("", "/") and not parts.query:
                problems.append(
                    Problem(
                        e.path,
                        e.lines.get(f"sources[{i}]", e.lines.get("sources", 1)),
                        f"source {source.url!r} is a site's home page; link the page, report or ruling that says it",
                        warning=True,
                    )
                )
    return problems


def _read_synonyms(path: Path, problems: list[Problem]) -> tuple[tuple[str, ...], ...]:
    data = _read_yaml(path, problems)
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        if path.exists():
            problems.append(Problem(_rel(path), 1, "the file must have a 'groups:' list of phrase lists"))
        return ()
    seen: dict[str, int] = {}
    out: list[tuple[str, ...]] = []
    for i, group in enumerate(groups):
        if not isinstance(group, list) or not group:
            problems.append(Problem(_rel(path), 1, f"group {i + 1} must be a list of phrases"))
            continue
        odd = [p for p in group if not isinstance(p, str) or not fold(p)]
        if odd:
            problems.append(
                Problem(
                    _rel(path),
                    1,
                    f"group {i + 1} ({group[0]!r}): {odd[0]!r} is not a phrase; write numbers in quotes, like '{odd[0]}'",
                )
            )
            continue
        for phrase in group:
            key = fold(phrase)
            if key in seen and seen[key] != i:
                problems.append(
                    Problem(
                        _rel(path), 1, f"phrase {phrase!r} is in groups {seen[key] + 1} and {i + 1}; keep it in one"
                    )
                )
            seen[key] = i
        out.append(tuple(group))
    return tuple(out)


def _read_out_of_scope(
    path: Path, explainer_ids: set[str], languages: Sequence[str], problems: list[Problem]
) -> list[OutOfScope]:
    """Subjects the corpus does not cover: questions closer to these than to any explainer are declined."""
    text = path.read_text(encoding="utf-8")
    data = _read_yaml(path, problems)
    subjects = data.get("subjects") if isinstance(data, dict) else None
    if not isinstance(subjects, list):
        problems.append(Problem(_rel(path), 1, "the file must have a 'subjects:' list"))
        return []
    lines = [i + 1 for i, line in enumerate(text.split("\n")) if line.lstrip().startswith("- id:")]
    out: list[OutOfScope] = []
    seen: set[str] = set()
    for n, item in enumerate(subjects):
        line = lines[n] if n < len(lines) else 1
        where = _rel(path)
        sid = item.get("id") if isinstance(item, dict) else None
        if not isinstance(sid, str) or not sid:
            problems.append(Problem(where, line, "each subject needs an 'id'"))
            continue
        if sid in explainer_ids:
            problems.append(
                Problem(where, line, f"subject id '{sid}' is also an explainer id; an explainer cannot be out of scope")
            )
        if sid in seen:
            problems.append(Problem(where, line, f"subject id '{sid}' is used twice"))
        seen.add(sid)
        refer = item.get("refer") or []
        bad_kinds = [k for k in refer if k not in HELP_KINDS]
        if bad_kinds:
            problems.append(
                Problem(
                    where,
                    line,
                    f"subject '{sid}': unknown help kind {bad_kinds[0]!r}; use one of: {', '.join(HELP_KINDS)}",
                )
            )
        questions = item.get("questions")
        if not isinstance(questions, dict):
            problems.append(Problem(where, line, f"subject '{sid}': 'questions' must map languages to lists"))
            continue
        clean: dict[str, tuple[str, ...]] = {}
        for lang in languages:
            qs = questions.get(lang) or []
            if not isinstance(qs, list) or not all(isinstance(q, str) and fold(q) for q in qs):
                problems.append(Problem(where, line, f"subject '{sid}': questions in '{lang}' must be a list of text"))
                continue
            clean[lang] = tuple(qs)
        out.append(OutOfScope(sid, tuple(refer), clean))
    return out
