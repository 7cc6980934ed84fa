"""Building the Bot in a short-lived child process, so that a serving process never imports scikit-learn.

Loading, validating and fitting a corpus needs scikit-learn and SciPy (bot/fitting.py); answering
needs only the fitted arrays (bot/retrieval.py). The server runs `python -m bot.isolation` to
build the Bot and its private-mode model file, reads both from the child's standard output, and
the child exits, taking the libraries' memory with it. The child reads only the corpus files the
server names; it never sees a question.

A plain subprocess, not multiprocessing: a spawned multiprocessing child re-imports the parent's
main script, so an app started from a script without a `__main__` guard would fail to start.

The Bot crosses the pipe pickled with its NumPy arrays sent apart (pickle protocol 5, out-of-band
buffers): each array's bytes arrive once, into the buffer that becomes the array (read-only),
instead of arriving inside one large pickle and being copied out of it. The buffers come first,
so the rest of the pickle can be unpickled straight from the pipe.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, NamedTuple

from bot.browser_model import model_bytes
from bot.engine import Bot

_SIZE = 8  # bytes of each length prefix


class Built(NamedTuple):
    bot: Bot
    model: bytes  # private mode's model file of this very bot (browser_model.model_bytes)


def build(corpus: Path | None, legal_aid: Sequence[Path] = ()) -> Built:
    """The Bot of `corpus` (None: the shipped one), built in a child process; its errors are raised here."""
    package_home = str(Path(__file__).resolve().parent.parent)  # the child imports this very `bot`
    path = os.pathsep.join(p for p in (package_home, os.environ.get("PYTHONPATH")) if p)
    request = json.dumps({"corpus": str(corpus) if corpus else None, "legal_aid": [str(p) for p in legal_aid]})
    child = subprocess.Popen(
        [sys.executable, "-m", "bot.isolation", request],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": path},
    )
    assert child.stdout is not None
    try:
        status = _read(child.stdout)
        if status == b"error":
            raise pickle.loads(_read(child.stdout))
        count = int.from_bytes(_read(child.stdout), "little")
        buffers = [memoryview(_read(child.stdout)).toreadonly() for _ in range(count)]
        # The pickle last, unpickled as it streams in: the whole of it is never held at once
        # (about 200 MB at 10,000 explainers), only the objects it becomes.
        built: Built = pickle.load(child.stdout, buffers=buffers)
        return built
    except EOFError:
        raise RuntimeError(f"the process building the bot died (exit code {child.wait()})") from None
    finally:
        child.stdout.close()
        child.wait()


def _read(stream: IO[bytes]) -> bytearray:
    """One length-prefixed message, read straight into its own buffer."""
    size = int.from_bytes(_exactly(stream, bytearray(_SIZE)), "little")
    return _exactly(stream, bytearray(size))


def _exactly(stream: IO[bytes], buffer: bytearray) -> bytearray:
    view, done = memoryview(buffer), 0
    while done < len(buffer):
        n = stream.readinto(view[done:])  # type: ignore[attr-defined]
        if not n:
            raise EOFError
        done += n
    return buffer


def _write(stream: IO[bytes], data: bytes | memoryview) -> None:
    size = data.nbytes if isinstance(data, memoryview) else len(data)
    stream.write(size.to_bytes(_SIZE, "little"))
    stream.write(data)


def main(argv: Sequence[str]) -> None:
    """In the child: build, then send ok, the buffer count, the buffers and the pickle (or error, the exception)."""
    request = json.loads(argv[0])
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # anything printed while building goes to the server's log, not down the pipe
    try:
        corpus = Path(request["corpus"]) if request["corpus"] else None
        bot = Bot.from_path(corpus, extra_directories=[Path(p) for p in request["legal_aid"]])
        buffers: list[pickle.PickleBuffer] = []
        data = pickle.dumps(Built(bot, model_bytes(bot)), protocol=5, buffer_callback=buffers.append)
    except Exception as exc:  # noqa: BLE001 - every failure is the server's to report
        _write(out, b"error")
        _write(out, pickle.dumps(exc))
        out.flush()
        return
    _write(out, b"ok")
    _write(out, len(buffers).to_bytes(_SIZE, "little"))
    for buffer in buffers:
        _write(out, buffer.raw())
    out.write(data)  # unframed: the unpickler reads up to its end
    out.flush()


if __name__ == "__main__":
    # Run as bot.isolation, not __main__, so what is pickled names classes the server can import.
    from bot.isolation import main as module_main

    module_main(sys.argv[1:])
