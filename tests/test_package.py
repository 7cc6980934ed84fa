"""The package others install: a built wheel carries the corpus and web files and answers on its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # No build isolation: the test venv already has setuptools, and CI may have no index.
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("taxprivacy_bot-*.whl")
    return built


def test_wheel_holds_the_corpus_templates_and_static_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (
        "bot/shipped/corpus/corpus.yaml",
        "bot/shipped/corpus/legal-aid.yaml",
        "bot/shipped/corpus/en/ice-at-the-door.md",
        "bot/shipped/corpus/es/ice-at-the-door.md",
        "bot/shipped/web/templates/base.html",
        "bot/shipped/web/static/engine.js",
        "bot/shipped/web/static/widget.js",
    ):
        assert path in names, path
    explainers = {n for n in names if n.startswith("bot/shipped/corpus/") and n.endswith(".md")}
    assert explainers == {
        f"bot/shipped/corpus/{p.relative_to(ROOT / 'corpus')}" for p in (ROOT / "corpus").glob("*/*.md")
    }


def test_wheel_version_is_the_package_version(wheel: Path) -> None:
    import bot

    assert wheel.name.startswith(f"taxprivacy_bot-{bot.__version__}-")


def test_installed_wheel_answers_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)  # what installing a pure-Python wheel amounts to
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("BOT_CORPUS", None)
    where = subprocess.run(
        [sys.executable, "-c", "import bot.resources as r; print(r.shipped('corpus'))"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()) == site / "bot" / "shipped" / "corpus"
    asked = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "how do I get an ITIN", "--json"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert asked.returncode == 0, asked.stderr
    reply = json.loads(asked.stdout)
    assert reply["answered"] and reply["answer"]["id"] == "itin-basics"
