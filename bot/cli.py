"""The command line: ask, check, corpus, eval, calibrate, serve, export."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from bot.corpus import DEFAULT_CORPUS, CorpusError
from bot.lang import LANGUAGES
from bot.messages import t
from bot.reply import Reply

if TYPE_CHECKING:  # imported when needed: `--help` should not load scikit-learn
    from bot.engine import Bot


def _bot(args: argparse.Namespace) -> Bot:
    from bot.engine import Bot

    return Bot.from_path(args.corpus, extra_directories=args.legal_aid or ())


def _print_reply(reply: Reply) -> None:
    lang = reply.lang
    w = sys.stdout.write
    for text in reply.notice_messages:
        w(f"! {text}\n\n")
    if reply.shows_banner:
        w(f"!! {t('urgent.banner', lang)}\n")
        hotline = next((r for r in reply.referrals if r.kind == "emergency" and r.phone), None)
        if hotline is not None:
            w(f"!! {t('label.call', lang, name=hotline.name)} {hotline.phone}\n")
        w("\n")
    if reply.answer is None:
        w(f"{reply.message}\n\n")
        if reply.suggestions:
            w(f"{t('label.suggestions', lang)}:\n")
            for s in reply.suggestions:
                w(f"  - {s.title} [{s.id}]\n")
        w(f"\n{t('label.topics', lang)}:\n")
        for s in reply.topics:
            w(f"  - {s.title} [{s.id}]\n")
    else:
        a = reply.answer

        w(f"{a.title}\n{'=' * len(a.title)}\n\n{a.summary}\n\n")
        w(f"{t('label.sources', lang)}:\n")
        for source in a.sources:
            w(f"  - {source.title}: {source.url}\n")
        w(f"{t('label.reviewed', lang, date=a.reviewed)}\n")
        w(f"{t('label.not-advice', lang)}\n")
        if reply.suggestions:
            w(f"\n{t('label.suggestions', lang)}:\n")
            for s in reply.suggestions:
                w(f"  - {s.title} [{s.id}]\n")
    if reply.referrals:
        w(f"\n{t('label.help', lang)}:\n")
        for r in reply.referrals:
            contact = ", ".join(x for x in (r.phone, r.url) if x)
            w(f"  - {r.name}: {contact}\n    {r.description}\n")


def cmd_ask(args: argparse.Namespace) -> int:
    try:
        code = _ask(args)
        sys.stdout.flush()  # here, so a closed pipe raises inside the try and not at exit
    except BrokenPipeError:
        # The reader stopped early (`ask ... | head`): nothing is wrong. Point stdout at /dev/null
        # so the interpreter's last flush has nowhere to fail.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return code


def _ask(args: argparse.Namespace) -> int:
    bot = _bot(args)
    if args.jsonl:
        for line in sys.stdin:
            question = line.rstrip("\n")
            if not question.strip():
                continue
            print(bot.ask(question, args.lang).model_dump_json())
        return 0
    if not args.question:
        print("error: give a question, or --jsonl to read questions from standard input", file=sys.stderr)
        return 2
    reply = bot.ask(" ".join(args.question), args.lang)
    if args.json:
        print(reply.model_dump_json(indent=2))
    else:
        _print_reply(reply)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from bot.checks import validate

    report = validate(
        args.corpus or DEFAULT_CORPUS, max_age_days=args.max_age_days, extra_directories=args.legal_aid or ()
    )
    for p in report.problems:
        print(p)
    if report.errors:
        print(f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)", file=sys.stderr)
        return 1
    corpus = report.corpus
    assert corpus is not None
    count = {lang: len(corpus.served(lang)) for lang in corpus.languages}
    served = ", ".join(f"{n} {lang}" for lang, n in count.items())
    print(f"ok: {served} explainers, {len(corpus.legal_aid)} help resources, {len(report.warnings)} warning(s)")
    return 0


def cmd_corpus(args: argparse.Namespace) -> int:
    bot = _bot(args)
    items = [
        {
            "id": e.id,
            "lang": e.lang,
            "title": e.title,
            "summary": e.summary,
            "questions": list(e.questions),
            "text": e.text,
            "sources": [{"title": s.title, "url": s.url} for s in e.sources],
            "reviewed": e.reviewed.isoformat(),
            "urgent": e.urgent,
            "related": list(e.related),
        }
        for lang in bot.corpus.languages
        for e in bot.corpus.served(lang)
    ]
    if args.json:
        print(json.dumps(items, ensure_ascii=False, indent=2))
    else:
        for item in items:
            print(f"{item['lang']}  {item['id']:<28} {item['title']}  (reviewed {item['reviewed']})")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from bot.evaluation import evaluate, read_rows

    result = evaluate(_bot(args), read_rows(args.file), detect=args.lang is None)
    data = result.as_dict()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for lang, s in cast("dict[str, dict[str, float]]", data["languages"]).items():
        print(
            f"{lang}: top-1 accuracy {s['top1_accuracy']:.1%} of {s['in_scope']} in scope; decline rate {s['decline_rate']:.1%} of {s['off_topic']} off topic"
        )
    print(f"language detection: {data['language_detection']:.1%}")
    misses = result.misses
    print(f"\n{len(misses)} misses:")
    for m in misses:
        print(
            f"  [{m['lang']}] {m['question']}\n       expected {m['expected']}, got {m['got']} ({m['confidence']:.3f})"
        )
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    from bot.evaluation import calibrate, read_rows

    bot = _bot(args)
    rows = read_rows(args.file)
    for lang in bot.corpus.languages:
        table = calibrate(bot, rows, lang)
        print(f"{lang}: threshold  accuracy  decline")
        for th, acc, dec in table:
            if 0.1 <= th <= 0.5:
                print(f"      {th:.3f}     {acc:6.1%}   {dec:6.1%}")
        best = max(table, key=lambda r: (r[2] >= args.min_decline, r[1] + r[2]))
        print(
            f"  suggested: {best[0]:.3f} (accuracy {best[1]:.1%}, decline {best[2]:.1%}); set thresholds.{lang} in corpus.yaml\n"
        )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from bot.server import serve

    return serve(args)


def cmd_export(args: argparse.Namespace) -> int:
    import gzip

    from bot.config import Settings
    from bot.export import embed_note, export_site

    files = export_site(_bot(args), args.dir, base_url=args.base_url, templates=Settings.from_env().templates)
    pages = sum(1 for p in files if p.endswith(".html"))
    model = files["static/model.json"]
    print(f"wrote {len(files)} files ({pages} pages) to {args.dir}")
    print(f"model file: {len(model) / 1024:.0f} KB, {len(gzip.compress(model, 9)) / 1024:.0f} KB gzipped")
    print(embed_note(args.base_url))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="A know-your-rights chatbot about tax-filing privacy."
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--corpus", type=Path, default=None, help=f"corpus folder (default: {DEFAULT_CORPUS})")
    common.add_argument(
        "--legal-aid",
        type=Path,
        action="append",
        help="an extra help-resources file (repeatable); its entries come first",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ask", parents=[common], help="answer a question")
    p.add_argument("question", nargs="*", help="the question (quote it)")
    p.add_argument("--lang", choices=LANGUAGES, default=None, help="answer in this language (default: detect)")
    p.add_argument("--json", action="store_true", help="print the reply object as JSON")
    p.add_argument(
        "--jsonl", action="store_true", help="read one question per line from stdin, print one JSON reply per line"
    )
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser(
        "check", parents=[common], help="validate the corpus, the synonyms, the urgent rules and the help directory"
    )
    p.add_argument("--max-age-days", type=int, default=180, help="warn when a review is older than this (default: 180)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("corpus", parents=[common], help="list the served explainers")
    p.add_argument("--json", action="store_true", help="print them as a JSON list")
    p.set_defaults(func=cmd_corpus)

    p = sub.add_parser("eval", parents=[common], help="score the bot on a TSV of questions (lang, expect, question)")
    p.add_argument("file", type=Path)
    p.add_argument("--lang", choices=LANGUAGES, default=None, help="pass each row's language instead of detecting it")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("calibrate", parents=[common], help="sweep decline thresholds on a TSV of questions")
    p.add_argument("file", type=Path)
    p.add_argument(
        "--min-decline", type=float, default=0.9, help="decline rate the suggestion must reach (default: 0.9)"
    )
    p.set_defaults(func=cmd_calibrate)

    p = sub.add_parser("serve", parents=[common], help="run the web server (API, pages, widget)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument("--workers", type=int, default=1, help="worker processes (default: 1)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser(
        "export", parents=[common], help="write a static site (topic pages, private-mode chat) for any static host"
    )
    p.add_argument("dir", type=Path, help="destination folder (new, empty, or a previous export)")
    p.add_argument(
        "--base-url",
        default=None,
        help=(
            "the site's public address (https://..., or http:// for a local test), for sitemap.xml and the"
            " embed tag (default: none; the printed tag is then relative to DIR)"
        ),
    )
    p.set_defaults(func=cmd_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except CorpusError as exc:
        print("The corpus has errors; run 'python -m bot check' for details:", file=sys.stderr)
        for p in exc.problems[:20]:
            print(f"  {p}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
