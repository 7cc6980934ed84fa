"""Where the shipped corpus, templates and static files are, in a checkout or an installed wheel.

The design keeps `corpus/` and `web/` at the top of the repository, where a lawyer or a web
person finds them. A wheel cannot put folders beside the package, so the build maps them into
`bot/shipped/` (see `[tool.setuptools.package-dir]` in pyproject.toml); this module is the one
place that knows both homes.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped(name: str) -> Path:
    """The shipped folder `name` ("corpus" or "web"): inside the installed package, else the checkout's."""
    installed = _PACKAGE / "shipped" / name
    return installed if installed.is_dir() else _PACKAGE.parent / name
