"""Values from the browser stay outside: query values and search words are shown as plain text, never
as Markdown (issue 20, item 2)."""
from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from tutorial.app.terms import QUERY_MAX, plain

pytestmark = pytest.mark.app

GLOSSARY_PAGE = "../kapitel/einstieg/04_neuronale_netze.py"
CRAFTED = ["[Klick](https://evil.example) Ihr Konto ist gesperrt",
           "![x](http://evil.example/bild.png)",
           "<img src=x onerror=alert(1)> **fett** :red[rot] :material/warning: $x^2$ `code`",
           "Zeile\n\n# Überschrift"]


def rendered(markdown: str) -> str:
    """HTML of a Markdown string as CommonMark renders it (links, images, emphasis, raw HTML)."""
    return MarkdownIt("commonmark").render(markdown)


def streamlit_syntax(markdown: str) -> list[str]:
    """Streamlit's own Markdown extensions still active in ``markdown`` (unescaped)."""
    return re.findall(r"(?<!\\):(?:red|blue|green|orange|violet|gray|grey|rainbow|primary)\[|(?<!\\):material/"
                      r"|(?<!\\)\$", markdown)


def shown(markdown: str) -> str:
    """The text a reader sees of an inline Markdown string."""
    return "".join(token.content for token in MarkdownIt("commonmark").parseInline(markdown)[0].children)


@pytest.mark.parametrize("text", CRAFTED)
def test_plain_text_renders_as_the_text_itself(text):
    html = rendered(plain(text))
    for tag in ("<a", "<img", "<strong", "<em", "<code", "<h1"):
        assert tag not in html, html
    assert not streamlit_syntax(plain(text))
    assert shown(plain(text)) == " ".join(text.split())      # exactly what was typed, line breaks as spaces


@pytest.mark.parametrize("text", CRAFTED[:2])
def test_a_crafted_begriff_link_is_shown_as_text(text):
    at = AppTest.from_file(GLOSSARY_PAGE, default_timeout=60)
    at.query_params["begriff"] = text
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    notes = [w.value for w in at.warning if "Kein Begriff passt" in w.value]
    assert len(notes) == 1
    html = rendered(notes[0])
    assert "<a" not in html and "<img" not in html
    assert f"»{text}«" in shown(notes[0])
    assert at.text_input(key="glossary_query").value == text


def test_a_long_begriff_is_shortened_not_refused():
    at = AppTest.from_file(GLOSSARY_PAGE, default_timeout=60)
    at.query_params["begriff"] = "Epoche" + "x" * 10_000
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert len(at.text_input(key="glossary_query").value) == QUERY_MAX
