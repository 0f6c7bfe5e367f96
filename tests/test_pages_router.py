"""The router: every page file is registered once, and the router and the pages without a model stay
free of TensorFlow. (Every page opened under the router, with its title and "Weiter" link: the one
sweep in tests/test_browser_smoke.py.)"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutorial.chapters import CHAPTERS, SECTIONS, by_number, chapter, following

pytestmark = pytest.mark.app

ROOT = Path(__file__).resolve().parent.parent

# pages that show no model: neither they nor the router may import TensorFlow (the landing page
# loads in a fraction of a second; its render time is measured by benchmarks/landing.py)
TF_FREE_PAGES = [entry.file for entry in CHAPTERS if entry.number in (1, 2, 4, 10, 14, 15, 16)]

FRESH_PYTHON = """
import json, sys
from streamlit.testing.v1 import AppTest
router = AppTest.from_file("streamlit_app.py", default_timeout=30).run()
out = {"router": {"exceptions": [e.message for e in router.exception], "title": [t.value for t in router.title],
                  "tensorflow": "tensorflow" in sys.modules or "keras" in sys.modules}}
for path in json.loads(sys.argv[1]):
    at = AppTest.from_file(path, default_timeout=60).run()
    out[path] = {"exceptions": [e.value for e in at.exception], "charts": len(at.get("vega_lite_chart")),
                 "weiter": any("Weiter:" in m.value for m in at.markdown)}
out["tensorflow"] = "tensorflow" in sys.modules or "keras" in sys.modules
print("RESULT" + json.dumps(out))
"""


@pytest.mark.slow   # a fresh Python
def test_router_and_pages_without_a_model_never_import_tensorflow():
    """In a fresh interpreter, so that other tests' imports cannot hide a TensorFlow import: the
    router with the landing page, then every page without a model; each ends with "Weiter"."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), TUTORIAL_WARM_START="0")   # the warm start loads TensorFlow on purpose
    out = subprocess.run([sys.executable, "-c", FRESH_PYTHON, json.dumps(TF_FREE_PAGES)], cwd=ROOT,
                         capture_output=True, text=True, timeout=240, env=env)
    line = [ln for ln in out.stdout.splitlines() if ln.startswith("RESULT")]
    assert line, out.stderr[-3000:]
    result = json.loads(line[0][len("RESULT"):])
    router = result.pop("router")
    assert router["exceptions"] == [] and router["title"] == [by_number(1).page_title]
    assert router["tensorflow"] is False and result.pop("tensorflow") is False
    for path, page in result.items():
        assert page["exceptions"] == [], (path, page["exceptions"])
        assert page["weiter"], f"{path} does not end with 'Weiter: …'"
    assert result[by_number(4).file]["charts"] >= 6     # the main path; the optional parts draw more when on
    assert result[by_number(10).file]["charts"] >= 6


def test_every_page_file_is_registered_once():
    files = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "kapitel").glob("*/*.py"))
    registered = [entry.file for entry in CHAPTERS]
    assert len(set(registered)) == len(registered)
    assert set(files) == set(registered)
    assert len({entry.url_path for entry in CHAPTERS}) == len(CHAPTERS)
    assert len({entry.key for entry in CHAPTERS}) == len(CHAPTERS)
    sections = list(SECTIONS)
    assert [e.section for e in CHAPTERS] == sorted((e.section for e in CHAPTERS), key=sections.index)
    assert all(entry.icon.startswith(":material/") for entry in CHAPTERS)
    numbers = [entry.number for entry in CHAPTERS if entry.number is not None]
    assert numbers == list(range(1, len(numbers) + 1))          # chapters 1, 2, … without a gap


def test_no_pages_folder_and_one_folder_per_section():
    """A ``pages/`` folder next to the main script would put Streamlit into its old multipage mode
    (an English "Page not found" for a fresh server's first deep link); chapters live in
    ``kapitel/``, one sub-folder per menu section."""
    assert not (ROOT / "pages").exists()
    assert (ROOT / "kapitel").is_dir()
    assert sorted(p.name for p in (ROOT / "kapitel").glob("*.py")) == []
    assert {p.name for p in (ROOT / "kapitel").iterdir() if p.is_dir()} <= set(SECTIONS.values())


def test_chapter_lookup_and_next_page_skip_missing_files():
    entry = chapter("kapitel/einstieg/03_erstes_netz.py")
    assert entry.number == 3 and entry.label == "Kapitel 3" and entry.key == "ch03"
    assert chapter(str(ROOT / entry.file)) is entry
    nxt = following(entry)
    assert nxt is not None and nxt.exists and nxt.number == 4
    assert following(CHAPTERS[-1]) is None
