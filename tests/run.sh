#!/bin/sh
# Install everything the tests need on a fresh machine, check format, lint and types, then run the whole suite.
# Usage: sh tests/run.sh [pytest arguments]
set -eu
cd "$(dirname "$0")/.."

# Debian packages: headless Chromium for the widget tests (Playwright cannot download its own
# browser here) and nginx for the reverse-proxy tests. Needs root or sudo; skipped when installed.
NEED=""
[ -x /usr/bin/chromium ] || NEED="$NEED chromium fonts-dejavu-core"
[ -x /usr/sbin/nginx ] || NEED="$NEED nginx-light"
if [ -n "$NEED" ] && command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
  echo "tests/run.sh: apt-get update" >&2
  $SUDO apt-get update -qq
  echo "tests/run.sh: installing$NEED" >&2
  # The tests start their own nginx on a free port; a system nginx the package may start is not used.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $NEED >/dev/null
  echo "tests/run.sh: installed$NEED" >&2
fi

echo "tests/run.sh: installing Python packages" >&2
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test,dev]'

# Format, lint, types and dead code first (versions pinned in the dev extra): a failure stops the run.
echo "tests/run.sh: ruff format --check, ruff check, mypy, vulture" >&2
.venv/bin/ruff format --check --quiet .
.venv/bin/ruff check --quiet .
.venv/bin/mypy bot
# Not tests/: pytest fixtures asked for their side effect look like unused arguments to vulture.
.venv/bin/vulture --min-confidence 80 bot bench
exec .venv/bin/python -m pytest "$@"
