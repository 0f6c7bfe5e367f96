"""The glossary (tutorial/glossary.py): every bold term of every chapter page has an entry."""
import ast
from pathlib import Path

import pytest

from tutorial import glossary as G
from tutorial.chapters import CHAPTERS

ROOT = Path(__file__).resolve().parent.parent
CHAPTER_FILES = [c.file for c in CHAPTERS if c.number is not None and c.exists]
PROSE_CALLS = {"markdown", "info", "warning", "success", "error", "caption", "header", "subheader", "write"}


def prose(path: str) -> list[str]:
    """The texts a page passes to st.markdown, st.info, st.caption … (not st.code), f-string parts
    included, and the text of module-level string tables such as chapter 15's sections."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    parts = []

    def strings(node):
        for sub in ast.walk(node):
            if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                parts.append(sub.value)

    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in PROSE_CALLS:
            for arg in node.args:
                strings(arg)
        elif isinstance(node, ast.Assign) and isinstance(node.value, (ast.List, ast.Tuple)):
            strings(node.value)
    return parts


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
    assert G.lookup("Kernel").name == "Kern"
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


def test_search_orders_name_hits_first_and_returns_all_for_empty_query():
    assert len(G.search("")) == len(G.TERMS)
    hits = G.search("softmax")
    assert hits[0].name == "softmax"
    assert any(t.name == "Logits" for t in hits)       # its explanation mentions softmax
    assert G.search("quantencomputer") == []
