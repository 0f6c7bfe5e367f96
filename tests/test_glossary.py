"""The glossary (tutorial/glossary.py): every bold term of every chapter page has an entry."""
from pathlib import Path

import pytest

from tutorial import glossary as G
from tutorial.chapters import CHAPTERS

ROOT = Path(__file__).resolve().parent.parent
CHAPTER_FILES = [c.file for c in CHAPTERS if c.number is not None and c.exists]


def prose(path: str) -> list[str]:
    return G.page_prose((ROOT / path).read_text(encoding="utf-8"))


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
    texts = G.page_prose(source)
    assert "Ein **Batch**" in texts and not any("2**3" in t for t in texts)
    assert [t for text in texts for t in G.bold_terms(text)] == ["Batch", "Epoche:", "Bias"]


def test_page_terms_lists_a_chapters_entries_in_order():
    terms = [t.name for t in G.page_terms(ROOT / "kapitel/dichte_netze/09_dropout.py")]
    assert terms[0] == "Dropout" and "Überanpassung" in terms and "Regularisierung" in terms
    assert len(terms) == len(set(terms))


def test_search_orders_name_hits_first_and_returns_all_for_empty_query():
    everything = [t.name for t in G.search("")]
    assert len(everything) == len(G.TERMS)
    assert everything.index("Überanpassung") < everything.index("Validierungsdaten")   # Ü sorts as U
    assert everything.index("Ableitung") == 0
    hits = G.search("softmax")
    assert hits[0].name == "softmax"
    assert any(t.name == "Logits" for t in hits)       # its explanation mentions softmax
    assert G.search("quantencomputer") == []


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
