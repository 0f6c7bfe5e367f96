"""The router: every page file is registered, the app runs, and the landing page stays free of TensorFlow."""
import json
import subprocess
import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tutorial.navigation import PAGES, SECTIONS, exists, following

ROOT = Path(__file__).resolve().parent.parent
MY_PAGES = ["03_erstes_netz", "05_der_code", "06_mehr_schichten", "07_tiefe_netze", "08_lernrate", "09_dropout",
            "11_faltungsnetz", "12_nochmal_dropout", "13_batch_norm", "versuchsprotokoll"]

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
    files = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "kapitel").glob("*.py"))
    registered = [info.file for info in PAGES]
    assert len(set(registered)) == len(registered) == 19
    assert set(files) == set(registered)
    assert len({info.url_path for info in PAGES}) == len(PAGES)
    assert [info.section for info in PAGES] == sorted((info.section for info in PAGES), key=SECTIONS.index)
    assert all(info.icon.startswith(":material/") for info in PAGES)
    # a pages/ folder beside the router would switch Streamlit into its old multipage mode for deep
    # links on a fresh server (see tutorial/navigation.py)
    assert not (ROOT / "pages").exists()


def test_router_opens_my_pages_with_next_links():
    at = AppTest.from_file("../streamlit_app.py", default_timeout=60)
    at.run()
    assert not at.exception
    for name in MY_PAGES:
        path = f"kapitel/{name}.py"
        at.switch_page(path).run()
        assert not at.exception, (name, [e.message for e in at.exception])
        nxt = following(path)
        links = at.get("page_link")
        if nxt is None:
            assert not links
        else:
            assert links[-1].proto.label == f"Weiter: {nxt.title}"
            assert links[-1].proto.page_script_hash  # resolved to a registered page


def test_next_page_skips_missing_files():
    nxt = following("kapitel/03_erstes_netz.py")
    assert nxt is not None and exists(nxt)
    assert PAGES.index(nxt) == next(i for i, p in enumerate(PAGES) if i > 2 and exists(p))
