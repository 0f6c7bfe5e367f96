"""Server-side render time of the landing page, and that it does not import TensorFlow.

Each measurement runs in a fresh Python process (as a new server would): the first AppTest run of
``streamlit_app.py`` (router + chapter 1), then a second run in the same process (a rerun).
Target: ≤ 0.5 s, TensorFlow not imported.
"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys

from common import ROOT, machine, write_section

CHILD = r"""
import json, sys, time
sys.path.insert(0, {root!r})
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({app!r}, default_timeout=30)
t0 = time.perf_counter(); at.run(); first = time.perf_counter() - t0
t0 = time.perf_counter(); at.run(); second = time.perf_counter() - t0
print(json.dumps({{"first": first, "second": second, "tf": "tensorflow" in sys.modules,
                  "exceptions": len(at.exception)}}))
"""


def main() -> None:
    runs = []
    for _ in range(5):
        out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), app=str(ROOT / "streamlit_app.py"))],
                             capture_output=True, text=True, check=True, cwd=ROOT)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    first = [r["first"] for r in runs]
    second = [r["second"] for r in runs]
    body = (f"Machine: {machine()}\n\nAppTest of `streamlit_app.py` (router + chapter 1), 5 fresh processes.\n\n"
            f"| run | median s | max s |\n|---|---|---|\n"
            f"| first run in a new process | {statistics.median(first):.3f} | {max(first):.3f} |\n"
            f"| rerun | {statistics.median(second):.3f} | {max(second):.3f} |\n\n"
            f"TensorFlow imported: {any(r['tf'] for r in runs)}; exceptions: {sum(r['exceptions'] for r in runs)}. "
            "Target: ≤ 0.5 s.")
    write_section("Landing page render", body)


if __name__ == "__main__":
    main()
