#!/usr/bin/env bash
# One command for the whole test suite on a fresh machine: installs what is missing (Debian's chromium
# for the browser tests, the pinned Python packages incl. the optional Ray extra for the cluster tests),
# then runs pytest. Extra arguments go to pytest, e.g. `bash scripts/test.sh -k chapters`.
# While working, the fast loop is `python -m pytest -m "not slow"` (no server, browser or training child).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q chromium
fi

python -m pip install -q -r requirements-test.txt
python -m ruff check .            # the linter (configuration in pyproject.toml)
if [ -f requirements-cluster.txt ]; then
  python -m pip install -q -r requirements-cluster.txt
  export TUTORIAL_REQUIRE_RAY=1     # the cluster tests must run, not skip
fi
# the progress store's tests start a throwaway PostgreSQL 15 (tests/postgres.py): they must run, not skip
if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q postgresql-15
fi
export TUTORIAL_REQUIRE_POSTGRES=1

# Three workers (pytest-xdist) on the 2 cores: the suite waits too (servers, kernels, browsers start), so
# a third worker fills those gaps; with three, both cores are 95 % busy over the whole run (/proc/stat),
# four were slower (9 min 37 s in one run on the older suite). Clean clone, quiet box: 968 tests in 6 min 26 s – 7 min 10 s (README, "Was die Suite schnell hält").
# A test file stays on one worker (its module fixtures are set up once). TEST_WORKERS=0: one process.
python -m pytest -n "${TEST_WORKERS:-3}" --dist loadfile "$@"
