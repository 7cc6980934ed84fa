#!/bin/sh
# Install everything the tests need on a fresh machine, then run the whole suite.
# Usage: sh tests/run.sh [pytest arguments]
set -eu
cd "$(dirname "$0")/.."

# Headless Chromium for the widget tests, from Debian's packages (Playwright cannot download its
# own browser here). Needs root or sudo; skipped when already installed.
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
exec .venv/bin/python -m pytest "$@"
