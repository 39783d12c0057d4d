#!/usr/bin/env bash
# The whole test suite from a fresh machine: install what is missing, then run every test.
#   bash scripts/test.sh            everything (unit, app, browser, load, benchmark smoke run)
#   bash scripts/test.sh -m browser only the browser tests (any pytest arguments pass through)
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet --disable-pip-version-check -e ".[test]"
if [ ! -x /usr/bin/chromium ] || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "installing Chromium and fonts from Debian (browser tests and PNG text need them)" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
python -m ruff check .
python -m figures check --strict data/figures.yaml  # every quote, number and qualifier against the archived story
python -m pytest "$@"
