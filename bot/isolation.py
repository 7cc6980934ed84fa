"""Building the Bot in a short-lived child process, so that a serving process never imports scikit-learn.

Loading, validating and fitting a corpus needs scikit-learn and SciPy (bot/fitting.py); answering
needs only the fitted arrays (bot/retrieval.py). The server has a fresh child process (spawned,
not forked: it starts clean and shares nothing) build the Bot and its private-mode model file,
receives both, and the child exits, taking the libraries' memory with it. The child reads only
the corpus files the server names; it never sees a question.

The Bot crosses the pipe pickled with its NumPy arrays sent apart (pickle protocol 5, out-of-band
buffers): each array's bytes arrive once and become the array, read-only, instead of arriving
inside one large pickle and being copied out of it, which doubled the server's peak memory on a
large corpus.
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Sequence
from multiprocessing.connection import Connection
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


def _child(conn: Connection, corpus: Path | None, legal_aid: tuple[Path, ...]) -> None:
    """Runs in the child: build, then send (ok, pickle, buffers...) or (error, pickled exception)."""
    try:
        buffers: list[pickle.PickleBuffer] = []
        data = pickle.dumps(_build(corpus, legal_aid), protocol=5, buffer_callback=buffers.append)
    except BaseException as exc:  # noqa: BLE001 - every failure is the server's to report
        conn.send_bytes(b"error")
        conn.send_bytes(pickle.dumps(exc))
        return
    conn.send_bytes(b"ok")
    conn.send_bytes(len(buffers).to_bytes(8, "little"))
    conn.send_bytes(data)
    for buffer in buffers:
        conn.send_bytes(buffer.raw())
    conn.close()


def build(corpus: Path | None, legal_aid: Sequence[Path] = ()) -> Built:
    """The Bot of `corpus` (None: the shipped one), built in a child process; its errors are raised here."""
    spawn = multiprocessing.get_context("spawn")
    receive, send = spawn.Pipe(duplex=False)
    child = spawn.Process(target=_child, args=(send, corpus, tuple(legal_aid)), name="bot-build")
    child.start()
    send.close()  # the child holds the only writing end: if it dies, reading fails instead of waiting
    try:
        status = receive.recv_bytes()
        if status == b"error":
            raise pickle.loads(receive.recv_bytes())
        count = int.from_bytes(receive.recv_bytes(), "little")
        data = receive.recv_bytes()
        buffers = [receive.recv_bytes() for _ in range(count)]
        built: Built = pickle.loads(data, buffers=buffers)
        return built
    except EOFError:
        child.join()
        raise RuntimeError(f"the process building the bot died (exit code {child.exitcode})") from None
    finally:
        receive.close()
        child.join()


__all__ = ["Built", "build"]
