"""The command line, run as a person would run it: in-process through `main`, and as a real process
where the process matters (a pipe that closes early)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import DATA, ROOT

from bot import cli as cli_module
from bot.cli import main
from bot.engine import Bot
from bot.messages import t


@pytest.fixture(autouse=True)
def shipped_bot(bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands on the shipped corpus answer from the session's Bot instead of building another one
    (seconds each); `--corpus` and `--legal-aid` still load their own."""
    load = cli_module._bot
    monkeypatch.setattr(
        cli_module,
        "_bot",
        lambda args: load(args) if getattr(args, "corpus", None) or getattr(args, "legal_aid", None) else bot,
    )


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out


def test_ask_prints_a_readable_answer_with_sources_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = cli(capsys, "ask", "what is an itin number")
    assert code == 0
    assert "Sources:" in out and "https://" in out
    assert "Reviewed on 20" in out
    assert "not legal advice" in out
    assert "Where to get free help:" in out


def test_ask_in_spanish_prints_spanish_labels(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = cli(capsys, "ask", "que es el numero itin y para que sirve")
    assert code == 0
    assert "Fuentes:" in out and "Revisado el" in out and "Dónde conseguir ayuda gratuita:" in out


def test_ask_json_is_the_reply_object(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = cli(capsys, "ask", "my itin expired how do i renew it", "--json")
    assert code == 0
    reply = json.loads(out)
    assert set(reply) >= {
        "lang",
        "answered",
        "confidence",
        "answer",
        "suggestions",
        "message",
        "notices",
        "referrals",
        "urgent",
    }
    assert reply["answered"] is True
    assert reply["answer"]["id"] == "itin-renewal"
    assert reply["answer"]["sources"][0]["url"].startswith("https://")
    assert 0 <= reply["confidence"] <= 1


def test_decline_lists_topics_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = cli(capsys, "ask", "how long do I bake a chocolate cake", "--json")
    reply = json.loads(out)
    assert reply["answered"] is False and reply["answer"] is None
    assert reply["message"]
    assert len(reply["topics"]) >= 17
    assert reply["referrals"]


def test_jsonl_reads_stdin_and_prints_one_reply_per_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    questions = "what is an itin\nla migra esta en mi puerta\n\nhow do i bake bread\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(questions))
    code, out = cli(capsys, "ask", "--jsonl")
    assert code == 0
    replies = [json.loads(line) for line in out.splitlines()]
    assert len(replies) == 3
    assert replies[0]["answer"]["id"] == "itin-basics"
    assert replies[1]["urgent"] is True and replies[1]["lang"] == "es"
    assert replies[2]["answered"] is False


def test_corpus_json_lists_every_served_explainer(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = cli(capsys, "corpus", "--json")
    items = json.loads(out)
    assert code == 0
    assert {(i["lang"]) for i in items} == {"en", "es"}
    for item in items:
        assert set(item) >= {"id", "lang", "title", "summary", "questions", "text", "sources", "reviewed"}
        assert "<" not in item["text"], "text must be plain, not HTML"


def test_eval_reports_accuracy_and_misses(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = cli(capsys, "eval", str(DATA / "questions.tsv"), "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data["languages"]) == {"en", "es"}
    for scores in data["languages"].values():
        assert 0 <= scores["top1_accuracy"] <= 1 and 0 <= scores["decline_rate"] <= 1
    for miss in data["misses"]:
        assert set(miss) == {"lang", "question", "expected", "got", "confidence"}


def test_eval_rejects_a_file_without_the_required_columns(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: ANN001
    bad = tmp_path / "bad.tsv"
    bad.write_text("language\tquestion\nen\thello\n")
    code = main(["eval", str(bad)])
    assert code == 2
    assert "expect" in capsys.readouterr().err


def test_a_broken_corpus_stops_ask_with_a_pointer_to_check(
    tiny_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tiny_corpus / "en" / "itin-basics.md").write_text("no header\n")
    code = main(["ask", "--corpus", str(tiny_corpus), "what is an itin"])
    assert code == 1
    assert "python -m bot check" in capsys.readouterr().err


def test_ask_into_a_pipe_that_closes_early_prints_no_error() -> None:
    # `python -m bot ask ... --json | head -3`: the reader stops after three lines.
    ask = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "ICE is at my door right now", "--json"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert ask.stdout is not None and ask.stderr is not None
    first = ask.stdout.readline()
    ask.stdout.close()  # what `head` does once it has its lines
    err = ask.stderr.read().decode()
    assert ask.wait(timeout=60) == 0, err
    assert first.strip() == b"{"
    assert "Broken pipe" not in err and "Traceback" not in err and err == ""


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("my dad was detained by immigration how do i find him", "someone-detained"),
        ("how do i find someone in ice detention", "someone-detained"),
        ("what should i do if ice comes to my house someday", "ice-at-the-door"),
        ("mi papá fue detenido por inmigración cómo lo encuentro", "someone-detained"),
    ],
)
def test_an_urgent_explainer_prints_the_banner_and_the_hotline_first(
    capsys: pytest.CaptureFixture[str], question: str, topic: str
) -> None:
    """The door and detention cards get the banner and its number above the title, even when the
    question was not flagged as an emergency (`urgent` stays false in the JSON)."""
    _, raw = cli(capsys, "ask", question, "--json")
    reply = json.loads(raw)
    assert reply["answer"]["id"] == topic and reply["answer"]["urgent"] is True
    assert reply["urgent"] is False
    code, out = cli(capsys, "ask", question)
    assert code == 0
    head = out[: out.index(reply["answer"]["title"])]
    assert t("urgent.banner", reply["lang"]) in head
    assert "1-844-363-1423" in head


def test_a_calm_answer_prints_no_banner(capsys: pytest.CaptureFixture[str]) -> None:
    _, out = cli(capsys, "ask", "what is an itin number")
    assert t("urgent.banner", "en") not in out and "!!" not in out
