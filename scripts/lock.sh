#!/usr/bin/env bash
# Pin every dependency, transitively, for all supported platforms at once (Linux x86_64/aarch64, Windows x64,
# macOS on Apple Silicon; Python 3.11–3.13): the *.in files name the direct dependencies, uv's universal
# resolver writes the *.txt files with environment markers where packages differ. Needs uv
# (`python -m pip install uv`). After a change to a *.in file: run this, then the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
for name in requirements requirements-test requirements-cluster; do
  uv pip compile --quiet --universal --python-version 3.11 --no-header --annotation-style line \
    "$name.in" -o "$name.txt"
  { echo "# Generated from $name.in by scripts/lock.sh (uv pip compile --universal): do not edit by hand."
    cat "$name.txt"; } > "$name.txt.tmp" && mv "$name.txt.tmp" "$name.txt"
done
