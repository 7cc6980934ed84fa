"""Aggregate counters for the deploying nonprofit, in Prometheus text format.

Only counts, keyed by values the bot itself chose (topic id, language, answered or not): never
question text, never anything about who asked. Off unless the deployment turns it on.
"""

from __future__ import annotations

from collections import Counter
from threading import Lock

from bot.reply import Reply


class Metrics:
    def __init__(self) -> None:
        self._counts: Counter[tuple[str, tuple[tuple[str, str], ...]]] = Counter()
        self._lock = Lock()

    def _inc(self, name: str, **labels: str) -> None:
        with self._lock:
            self._counts[(name, tuple(sorted(labels.items())))] += 1

    def record_reply(self, reply: Reply) -> None:
        self._inc(
            "bot_replies_total",
            lang=reply.lang,
            topic=reply.answer.id if reply.answer else "none",
            answered=str(reply.answered).lower(),
            urgent=str(reply.urgent).lower(),
        )
        for notice in reply.notices:
            self._inc("bot_notices_total", notice=notice)

    def record_feedback(self, topic: str, helpful: bool) -> None:
        self._inc("bot_feedback_total", topic=topic, helpful=str(helpful).lower())

    def render(self) -> str:
        help_text = {
            "bot_replies_total": "Replies by language, topic, answered and urgent.",
            "bot_notices_total": "Notices shown (personal-data, language-fallback).",
            "bot_feedback_total": "Answers to 'Did this help?' by topic.",
        }
        lines: list[str] = []
        with self._lock:
            items = sorted(self._counts.items())
        for name, text in help_text.items():
            lines += [f"# HELP {name} {text}", f"# TYPE {name} counter"]
            for (metric, labels), value in items:
                if metric == name:
                    label_text = ",".join(f'{k}="{v}"' for k, v in labels)
                    lines.append(f"{name}{{{label_text}}} {value}")
        return "\n".join(lines) + "\n"
