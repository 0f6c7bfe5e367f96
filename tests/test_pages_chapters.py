"""AppTest checks of chapter pages' own content that goes through the Streamlit layer: the start
page's chapter links, chapter 3's digits, chapter 5's argmax demo, the empty run log, and the
German message for missing data."""
import pytest
from streamlit.testing.v1 import AppTest

from tutorial import pretrained
from tutorial.chapters import CHAPTERS, by_number, chapter

pytestmark = pytest.mark.app

TIMEOUT = 60


def page(name: str) -> AppTest:
    at = AppTest.from_file("../" + chapter(name).file, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_start_page_lists_every_chapter_in_wide_enough_columns():
    at = AppTest.from_file("../streamlit_app.py", default_timeout=TIMEOUT).run()
    assert not at.exception
    labels = [link.proto.label for link in at.get("page_link")]
    expected = [e.menu_title for e in CHAPTERS[1:] if e.exists and e.menu]
    assert [label for label in labels if label in expected] == expected
    hosts = [e.menu_title for e in CHAPTERS if not e.menu]          # the host's pages: by address only
    assert hosts and not set(hosts) & set(labels)
    # no more than three columns side by side: five made the titles too narrow ("2 · So benutzen Sie dies…")
    rows = [block for block in at.main.children.values()
            if getattr(block, "type", "") == "flex_container" and contains_link(block)]
    assert len(rows) == 2 and all(len(row.children) == 3 for row in rows)


def contains_link(node) -> bool:
    if getattr(node, "type", "") == "page_link":
        return True
    return any(contains_link(child) for child in getattr(node, "children", {}).values())


def test_chapter_3_shows_labelled_digits():
    at = page("03_erstes_netz")
    captions = [img.proto.imgs[0].caption for img in at.get("image")]
    # each grid twice: 24 per row and 8 per row for phones (views.show_digits; CSS shows one)
    assert captions[::2] == captions[1::2] and len(captions) == 4
    assert captions[0].startswith("Trainingsziffern") and captions[2].startswith("Testziffern")
    assert at.get("image")[0].proto.imgs[0].url.endswith(".png")


def test_chapter_5_code_cells_compile_and_argmax_demo():
    entry = by_number(5)
    at = page(entry.stem)
    # the layer table, computed without TensorFlow (the code cells are tested with tutorial.export)
    assert list(at.dataframe[0].value["Parameter"]) == ["0", "7.850"]
    at.toggle(key=f"{entry.key}_demo").set_value(True).run()
    assert not at.exception
    if "keras_01_mnist" in pretrained.available():
        assert any("(128, 10)" in m.value for m in at.markdown)
        assert len(at.dataframe[1].value) == 5
        assert any(img.proto.imgs for img in at.get("image"))
        # the predicted grid shows test digits, and the code above it predicts test digits, not font digits
        assert not any("font_digits" in c.value for c in at.code)
    else:
        assert any("fehlt oder ist beschädigt" in e.value for e in at.error)


def test_run_log_page_without_runs():
    at = page("versuchsprotokoll")
    assert any("Noch keine Läufe" in i.value for i in at.info)


def test_chapter_3_missing_data_gives_a_german_message(monkeypatch):
    """A damaged or missing MNIST file stops the page with the loader's German message, no traceback."""
    from tutorial import data

    def missing(split="train", directory=None):
        raise data.DataError("Die MNIST-Datei »train-images-idx3-ubyte.gz« fehlt.")

    monkeypatch.setattr(data, "load_arrays", missing)
    at = AppTest.from_file("../" + by_number(3).file, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert any("fehlt" in e.value for e in at.error)
