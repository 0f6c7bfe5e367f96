"""The router: every page file is registered, the app runs, and the landing page stays free of TensorFlow."""
import json
import subprocess
import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tutorial.chapters import CHAPTERS, SECTIONS, chapter, following

ROOT = Path(__file__).resolve().parent.parent

LANDING_SCRIPT = """
import json, sys, time
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("streamlit_app.py", default_timeout=30)
start = time.perf_counter(); at.run(); first = time.perf_counter() - start
start = time.perf_counter(); at.run(); second = time.perf_counter() - start
print(json.dumps({"exceptions": [e.message for e in at.exception], "title": [t.value for t in at.title],
                  "tensorflow": "tensorflow" in sys.modules, "keras": "keras" in sys.modules,
                  "first": first, "second": second}))
"""


def test_landing_page_renders_fast_without_tensorflow():
    """In a fresh interpreter, so that other tests' imports cannot hide a TensorFlow import."""
    out = subprocess.run([sys.executable, "-c", LANDING_SCRIPT], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["exceptions"] == [] and result["title"]
    assert result["tensorflow"] is False and result["keras"] is False
    assert result["second"] < 0.5, result  # a rerun of the landing page (the server-side render)


def test_every_page_file_is_registered_once():
    files = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "kapitel").glob("*/*.py"))
    registered = [entry.file for entry in CHAPTERS]
    assert len(set(registered)) == len(registered) == 21
    assert set(files) == set(registered)
    assert len({entry.url_path for entry in CHAPTERS}) == len(CHAPTERS)
    assert len({entry.key for entry in CHAPTERS}) == len(CHAPTERS)
    sections = list(SECTIONS)
    assert [e.section for e in CHAPTERS] == sorted((e.section for e in CHAPTERS), key=sections.index)
    assert all(entry.icon.startswith(":material/") for entry in CHAPTERS)
    numbers = [entry.number for entry in CHAPTERS if entry.number is not None]
    assert numbers == list(range(1, 17))


def test_no_pages_folder_and_one_folder_per_section():
    """A ``pages/`` folder next to the main script would put Streamlit into its old multipage mode
    (an English "Page not found" for a fresh server's first deep link); chapters live in
    ``kapitel/``, one sub-folder per menu section."""
    assert not (ROOT / "pages").exists()
    assert (ROOT / "kapitel").is_dir()
    assert sorted(p.name for p in (ROOT / "kapitel").glob("*.py")) == []
    assert {p.name for p in (ROOT / "kapitel").iterdir() if p.is_dir()} <= set(SECTIONS.values())


def test_router_opens_every_page_with_title_and_next_link():
    at = AppTest.from_file("../streamlit_app.py", default_timeout=60)
    at.run()
    assert not at.exception
    for entry in CHAPTERS:
        if entry.number in (4, 10) or entry.stem in ("modelle_von_innen", "ziffern_zeichnen"):
            continue   # the theory and tool pages are run by their own tests (slow: charts, TensorFlow)
        at.switch_page(entry.file).run()
        assert not at.exception, (entry.file, [e.message for e in at.exception])
        assert at.title[0].value == entry.page_title
        nxt = following(entry)
        links = at.get("page_link")
        if nxt is None:
            assert not links
        else:
            assert links[-1].proto.label == f"Weiter: {nxt.menu_title}"
            assert links[-1].proto.page_script_hash  # resolved to a registered page


def test_chapter_lookup_and_next_page_skip_missing_files():
    entry = chapter("kapitel/einstieg/03_erstes_netz.py")
    assert entry.number == 3 and entry.label == "Kapitel 3" and entry.key == "ch03"
    assert chapter(str(ROOT / entry.file)) is entry
    nxt = following(entry)
    assert nxt is not None and nxt.exists and nxt.number == 4
    assert following(CHAPTERS[-1]) is None
