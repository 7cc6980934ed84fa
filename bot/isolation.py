"""Building the Bot in a short-lived child process, so that a serving process never imports scikit-learn.

Loading, validating and fitting a corpus needs scikit-learn and SciPy (bot/fitting.py); answering
needs only the fitted arrays (bot/retrieval.py). The server has a fresh child process (spawned,
not forked: it starts clean and shares nothing) build the Bot and its private-mode model file,
receives both pickled, and the child exits, taking the libraries' memory with it. The child reads
only the corpus files the server names; it never sees a question.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import NamedTuple

from bot.browser_model import model_bytes
from bot.engine import Bot


class Built(NamedTuple):
    bot: Bot
    model: bytes  # private mode's model file of this very bot (browser_model.model_bytes)


def _build(corpus: Path | None, legal_aid: tuple[Path, ...]) -> Built:
    bot = Bot.from_path(corpus, extra_directories=legal_aid)
    return Built(bot, model_bytes(bot))


def build(corpus: Path | None, legal_aid: Sequence[Path] = ()) -> Built:
    """The Bot of `corpus` (None: the shipped one), built in a child process; its errors are raised here."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_build, corpus, tuple(legal_aid)).result()


__all__ = ["Built", "build"]
