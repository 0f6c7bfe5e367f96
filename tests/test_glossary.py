"""The glossary (tutorial/glossary.py): every bold term of every chapter page has an entry, and the
static table of each page's terms (glossary.PAGE_TERMS, the box "Begriffe dieser Seite") matches the
page. The pages' prose is read here, in the tests; the app itself never parses a page file."""
import ast
from pathlib import Path

import pytest

from tutorial import glossary as G
from tutorial.chapters import CHAPTERS

pytestmark = pytest.mark.engine

ROOT = Path(__file__).resolve().parent.parent
CHAPTER_FILES = [c.file for c in CHAPTERS if c.number is not None and c.exists]


PROSE_CALLS = {"markdown", "info", "warning", "success", "error", "caption", "header", "subheader", "write"}


def page_prose(source: str) -> list[str]:
    """The texts a page's source passes to st.markdown, st.info, st.caption … (not st.code),
    f-string parts included, and the strings of module-level lists/tuples (chapter 15's sections)."""
    parts: list[tuple[int, int, str]] = []

    def strings(node):
        for sub in ast.walk(node):
            if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                parts.append((sub.lineno, sub.col_offset, sub.value))

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in PROSE_CALLS:
            for arg in node.args:
                strings(arg)
        elif isinstance(node, ast.Assign) and isinstance(node.value, (ast.List, ast.Tuple)):
            strings(node.value)
    return [text for _, _, text in sorted(parts)]        # in source order


def prose(path: str) -> list[str]:
    return page_prose((ROOT / path).read_text(encoding="utf-8"))


def bold_entries(path: str) -> list[str]:
    """The names of the glossary entries a page prints in bold, in order of first appearance."""
    names: list[str] = []
    for text in prose(path):
        for span in G.bold_terms(text):
            term = G.lookup(span)
            if term is not None and term.name not in names:
                names.append(term.name)
    return names


def test_there_are_chapter_pages():
    assert len(CHAPTER_FILES) >= 16


@pytest.mark.parametrize("path", CHAPTER_FILES)
def test_every_bold_term_has_an_entry(path):
    texts = prose(path)
    assert texts
    missing = sorted({t for text in texts for t in G.bold_terms(text) if G.lookup(t) is None})
    assert not missing, f"{path}: bold terms without a glossary entry: {missing}"


def test_bold_terms_exempts_numbers_labels_code_and_run_in_headings():
    text = ("Ein **Batch** hat **128 Ziffern**; klicken Sie **»Trainieren«**, setzen Sie **`scale`**. "
            "**Warum hilft das?** Die **−log(p)** und **dichten Schichten**.")
    assert G.bold_terms(text) == ["Batch", "dichten Schichten"]


def test_lookup_knows_inflections_and_english_words():
    assert G.lookup("Epochen").name == "Epoche"
    assert G.lookup("dichten Schichten").name == "Dichte Schicht"
    assert G.lookup("overfitting").name == "Überanpassung"
    assert G.lookup("Kernel").name == "Kerngröße"
    assert G.lookup("Quantencomputer") is None


def test_core_words_have_their_own_entry():
    """The words a learner searched for in vain (issue 10) are entries of their own."""
    names = {t.name for t in G.TERMS}
    for word in ("Epoche", "Dropout", "Gradient", "Bias", "Batch", "Regularisierung", "Validierungsdaten",
                 "Testdaten", "Kettenregel", "Backpropagation", "Momentum"):
        assert word in names, word
    assert G.search("Epoche")[0].name == "Epoche"
    assert G.search("dropout")[0].name == "Dropout"


def test_entries_are_unique_and_german():
    names = [t.name.lower() for t in G.TERMS]
    assert len(names) == len(set(names))
    owner = {}
    for t in G.TERMS:
        for spelling in {G._norm(n) for n in (t.name, *t.also)}:
            assert owner.setdefault(spelling, t.name) == t.name, f"{spelling!r}: {owner[spelling]} and {t.name}"
    for t in G.TERMS:
        assert t.text and not t.text[0].islower(), t.name
        assert "  " not in t.text


def test_page_prose_reads_markdown_but_not_code():
    source = ('import streamlit as st\nst.markdown("Ein **Batch**")\nst.code("x = 2**3 ** 4")\n'
              'SECTIONS = [("T", "- **Epoche:** ein Durchgang")]\nst.caption(f"{n} **Bias**")\n')
    texts = page_prose(source)
    assert "Ein **Batch**" in texts and not any("2**3" in t for t in texts)
    assert [t for text in texts for t in G.bold_terms(text)] == ["Batch", "Epoche:", "Bias"]


CHAPTER_PAGES = [c for c in CHAPTERS if c.number is not None and c.exists]


@pytest.mark.parametrize("entry", CHAPTER_PAGES, ids=lambda c: c.key)
def test_each_pages_row_in_the_table_is_what_the_page_prints_in_bold(entry):
    found = bold_entries(entry.file)
    row = list(G.PAGE_TERMS.get(entry.key, ()))
    assert row == found, (f"{entry.file}: glossary.PAGE_TERMS[{entry.key!r}] should be "
                          + "(" + ", ".join(f'"{name}"' for name in found) + ("," if len(found) == 1 else "") + ")")


def test_the_table_names_chapters_and_entries_only():
    assert set(G.PAGE_TERMS) <= {c.key for c in CHAPTER_PAGES}
    names = {t.name for t in G.TERMS}
    for key, row in G.PAGE_TERMS.items():
        assert set(row) <= names, (key, set(row) - names)
        assert len(row) == len(set(row)), key


def test_page_terms_lists_a_chapters_entries_in_order():
    terms = [t.name for t in G.page_terms("ch09")]
    assert terms[0] == "Dropout" and "Überanpassung" in terms and "Regularisierung" in terms
    assert G.page_terms("zeichnen") == []            # tool pages have no row


def test_search_orders_name_hits_first_and_returns_all_for_empty_query():
    everything = [t.name for t in G.search("")]
    assert len(everything) == len(G.TERMS)
    assert everything.index("Überanpassung") < everything.index("Validierungsdaten")   # Ü sorts as U
    assert everything.index("Ableitung") == 0
    hits = G.search("softmax")
    assert hits[0].name == "softmax"
    assert any(t.name == "Logits" for t in hits)       # its explanation mentions softmax
    assert G.search("quantencomputer") == []


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_chapter_pages_end_with_their_terms_and_chapter_4_with_the_glossary():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "kapitel/faltungsnetze/10_faltung.py"), default_timeout=60).run()
    assert not at.exception
    boxes = [e for e in at.expander if e.label.startswith("Begriffe dieser Seite")]
    assert len(boxes) == 1
    text = "\n".join(m.value for m in boxes[0].markdown)
    for name in ("Faltung", "Filter", "Kerngröße", "Schrittweite", "Max-Pooling"):
        assert f"- **{name}** –" in text, name
    at = AppTest.from_file(str(ROOT / "kapitel/einstieg/04_neuronale_netze.py"), default_timeout=60).run()
    assert not [e for e in at.expander if e.label.startswith("Begriffe dieser Seite")]
