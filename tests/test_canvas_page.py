"""AppTest of the "Ziffern zeichnen" page: drawings fed through the canvas's session state.

The canvas (streamlit-drawable-canvas 0.13, a components-v2 ``bidi_component``) stores its value
under its key as ``{"drawing": {"raw": {...}, "data": "data:image/png;base64,…"}, "backgroundFit": None}``;
the page's key is ``zeichnen_canvas_<n>``, with ``n`` in ``session_state["zeichnen_canvas_nr"]``.
"""
from __future__ import annotations

import base64
import io
import time

import numpy as np
import pytest
from PIL import Image, ImageDraw
from streamlit.testing.v1 import AppTest

from tutorial import pretrained
from tutorial.app import loader, state
from tutorial.preprocess import canvas_to_mnist
from tutorial.presets import PRESET_TITLES

pytestmark = pytest.mark.app

PAGE = "../kapitel/werkzeuge/ziffern_zeichnen.py"
TIMEOUT = 90
DEFAULT = PRESET_TITLES["keras_05_mnist_batch_norm"]
CHAPTERS = ["keras_01_mnist", "keras_02_mnist_dense", "keras_03_mnist_dense_lrdecay_dropout",
            "keras_04_mnist_convolutional", "keras_05_mnist_batch_norm"]


def drawing(kind: str = "seven") -> np.ndarray:
    img = Image.new("RGBA", (280, 280), (0, 0, 0, 255))
    pen = ImageDraw.Draw(img)
    white = (255, 255, 255, 255)
    if kind == "seven":          # small and off-centre, as learners draw
        pen.line([(150, 150), (240, 150), (185, 265)], fill=white, width=14, joint="curve")
    elif kind == "zero":
        pen.ellipse((70, 40, 200, 240), outline=white, width=22)
    elif kind == "dot":
        pen.ellipse((60, 60, 72, 72), fill=white)
    return np.asarray(img)


def canvas_value(image: np.ndarray) -> dict:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    url = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    return {"drawing": {"raw": {"version": "5.3.0", "objects": [{"type": "path"}]}, "data": url},
            "backgroundFit": None}


def canvas_key(at: AppTest) -> str:
    return f"zeichnen_canvas_{at.session_state['zeichnen_canvas_nr']}"


def draw(at: AppTest, image: np.ndarray) -> AppTest:
    at.session_state[canvas_key(at)] = canvas_value(image)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def headings(at: AppTest) -> list[str]:
    return [h.value for h in at.subheader]


def predictions(at: AppTest) -> list[str]:
    return [h for h in headings(at) if h.startswith("Vorhersage")]


@pytest.fixture
def at():
    missing = [name for name in CHAPTERS if name not in pretrained.available()]
    if missing:
        pytest.fail(f"pretrained models missing: {missing} (python -m tutorial pretrain)")
    app = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def test_empty_canvas_shows_a_hint_and_no_chart(at):
    assert at.get("bidi_component"), "the canvas component is on the page"
    assert any("Malen Sie eine Ziffer" in i.value for i in at.info)
    assert predictions(at) == []
    assert not at.get("vega_lite_chart") and not at.table
    assert "drawn_digit" not in at.session_state
    box = at.selectbox(key="zeichnen_model")
    assert box.options == [PRESET_TITLES[n] for n in CHAPTERS] and box.value == DEFAULT
    assert at.slider(key="zeichnen_stroke").value == 20


def test_drawing_gives_prediction_chart_comparison_and_drawn_digit(at):
    image = drawing("seven")
    draw(at, image)
    assert predictions(at) == ["Vorhersage: 7"]
    assert len(at.get("vega_lite_chart")) == 1                     # the ten probabilities
    assert any(c.value.startswith("Sicherheit:") for c in at.caption)
    # the 28×28 input, enlarged with hard pixel edges
    assert any("28 × 28" in img.proto.imgs[0].caption for img in at.get("image"))
    # the comparison: every chapter model, its digit and confidence
    table = at.table[0].value
    assert list(table["Modell"]) == [PRESET_TITLES[n] for n in CHAPTERS]
    assert (table["Ziffer"].astype(int) == 7).sum() >= 4
    # German percent ("98,3 %", "über 99,9 %"), never "98.25%"
    assert table["Sicherheit"].str.fullmatch(r"(über )?\d{1,2},\d\s%").all(), list(table["Sicherheit"])
    shares = table["Sicherheit"].str.extract(r"(\d+,\d)")[0].str.replace(",", ".").astype(float)
    assert ((shares > 10) & (shares <= 100)).all()
    # the preprocessed drawing for "Modelle von innen"
    stored = at.session_state["drawn_digit"]
    assert stored.dtype == np.float32 and stored.shape == (784,)
    np.testing.assert_array_equal(stored, canvas_to_mnist(image))


def test_other_model_and_other_digit(at):
    at.selectbox(key="zeichnen_model").set_value(PRESET_TITLES["keras_04_mnist_convolutional"]).run()
    draw(at, drawing("zero"))
    assert predictions(at) == ["Vorhersage: 0"]
    assert at.selectbox(key="zeichnen_model").value == PRESET_TITLES["keras_04_mnist_convolutional"]


def test_a_dot_still_gets_an_honest_prediction(at):
    draw(at, drawing("dot"))
    assert len(predictions(at)) == 1
    confidence_shown = (any(c.value.startswith("Sicherheit:") for c in at.caption)
                        or any("unsicher" in w.value for w in at.warning))
    assert confidence_shown


def test_clear_button_empties_the_canvas(at):
    draw(at, drawing("seven"))
    old_key = canvas_key(at)
    at.button(key="zeichnen_clear").click().run()
    assert not at.exception
    assert canvas_key(at) != old_key and old_key not in at.session_state
    assert predictions(at) == [] and "drawn_digit" not in at.session_state
    assert any("Malen Sie eine Ziffer" in i.value for i in at.info)


def png_url(image: Image.Image, mime: str = "image/png", fmt: str = "PNG") -> str:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return f"data:{mime};base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def forge(at: AppTest, data) -> AppTest:
    """The canvas's value as a script would send it: any ``data`` in place of the drawing's data URL."""
    at.session_state[canvas_key(at)] = {"drawing": {"raw": {"objects": [{"type": "path"}]}, "data": data},
                                        "backgroundFit": None}
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_a_forged_6000_pixel_png_is_refused_from_its_header_without_decoding(at, monkeypatch):
    from PIL import Image as PILImage
    huge = png_url(Image.new("RGBA", (6000, 6000), (0, 0, 0, 255)))     # ~140 KB: compresses well
    assert len(huge) < 300_000
    opened = []
    real_open = PILImage.open
    monkeypatch.setattr(PILImage, "open", lambda *a, **k: opened.append(a) or real_open(*a, **k))
    forge(at, huge)
    assert opened == []                                    # Pillow never saw it
    assert any("ließ sich nicht lesen" in w.value for w in at.warning)
    assert predictions(at) == [] and "drawn_digit" not in at.session_state


@pytest.mark.parametrize("data", [
    png_url(Image.new("RGB", (280, 280)), "image/jpeg", "JPEG"),      # another format
    "data:image/png;base64,%%%kaputt",                                 # not base64
    "http://evil.example/x.png",                                       # no data URL
    12345,                                                             # no string at all
], ids=["jpeg", "bad-base64", "url", "number"])
def test_other_forged_canvas_values_are_ignored_with_a_german_note(at, data):
    forge(at, data)
    assert any("ließ sich nicht lesen" in w.value for w in at.warning)
    assert predictions(at) == []


def test_a_drawing_and_an_upload_are_decoded_once_per_content(at, monkeypatch):
    from tutorial.app import drawing as page_drawing
    page_drawing._decoded.clear()
    calls = {"canvas": 0, "upload": 0}
    canvas_real, upload_real = page_drawing._canvas_vector, page_drawing.image_to_mnist
    monkeypatch.setattr(page_drawing, "_canvas_vector",
                        lambda blob: calls.__setitem__("canvas", calls["canvas"] + 1) or canvas_real(blob))
    monkeypatch.setattr(page_drawing, "image_to_mnist",
                        lambda blob: calls.__setitem__("upload", calls["upload"] + 1) or upload_real(blob))
    draw(at, drawing("seven"))
    buffer = io.BytesIO()
    Image.fromarray(drawing("zero")).save(buffer, format="PNG")
    upload(at, "ziffer.png", buffer.getvalue(), "image/png")
    at.selectbox(key="zeichnen_model").set_value(PRESET_TITLES["keras_04_mnist_convolutional"]).run()
    at.run()
    assert not at.exception
    assert predictions(at) == ["Vorhersage: 7", "Vorhersage für Ihr Bild: 0"]
    assert calls == {"canvas": 1, "upload": 1}


def upload(at: AppTest, name: str, data: bytes, mime: str) -> AppTest:
    at.get("file_uploader")[0].set_value((name, data, mime))
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_photo_upload_is_recognised(at):
    ink = np.asarray(Image.fromarray(drawing("seven")[..., 0]).resize((900, 900)))
    paper = np.clip(225 - 0.7 * ink, 0, 255).astype(np.uint8)   # dark ink on light paper
    buffer = io.BytesIO()
    Image.fromarray(paper).convert("RGB").save(buffer, format="JPEG", quality=85)
    upload(at, "ziffer.jpg", buffer.getvalue(), "image/jpeg")
    assert "Vorhersage für Ihr Bild: 7" in headings(at)
    assert predictions(at) == ["Vorhersage für Ihr Bild: 7"]   # the canvas itself stays empty
    assert "drawn_digit" in at.session_state                    # an upload counts when nothing is drawn


@pytest.mark.parametrize("data, message", [
    (b"kein Bild", "kein lesbares Bild"),
    (b"", "leer"),
], ids=["text", "empty"])
def test_bad_upload_gives_a_german_error(at, data, message):
    upload(at, "ziffer.png", data, "image/png")
    assert any(message in e.value for e in at.error)
    assert not [h for h in headings(at) if h.startswith("Vorhersage für")]


def test_missing_pretrained_models_give_a_hint(monkeypatch):
    monkeypatch.setattr(pretrained, "available", lambda: [])
    app = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    assert any("kein Modell zum Ausprobieren" in w.value for w in app.warning)
    draw(app, drawing("seven"))
    assert predictions(app) == []
    assert any("Ohne Modell" in w.value for w in app.warning)
    assert app.session_state["drawn_digit"].shape == (784,)


@pytest.mark.slow     # a training child
def test_models_trained_live_in_this_session_are_offered():
    """Train a tiny model on chapter 3's page, then find it on the canvas page (through the router)."""
    app = AppTest.from_file("../streamlit_app.py", default_timeout=TIMEOUT)
    app.session_state[state.TEST_MODE_KEY] = True
    app.run()
    app.switch_page("kapitel/einstieg/03_erstes_netz.py").run()
    if any(b.key == "ch03_guess_skip" for b in app.button):   # the result area opens after "Ihre Vermutung"
        app.button(key="ch03_guess_skip").click().run()
    app.button(key="ch03_train").click()
    deadline = time.time() + 120
    while True:
        app.run()
        assert not app.exception, [e.message for e in app.exception]
        if app.session_state[state.LOG_KEY] if state.LOG_KEY in app.session_state else []:
            break
        assert time.time() < deadline, "the tiny training did not finish"
        time.sleep(0.5)

    app.switch_page("kapitel/werkzeuge/ziffern_zeichnen.py").run()
    assert not app.exception, [e.message for e in app.exception]
    options = app.selectbox(key="zeichnen_model").options
    # named by chapter, settings and test accuracy (not "Ihr Lauf Nr. 1, 3, 4" with gaps)
    run = app.session_state[state.LOG_KEY][0]
    live = [o for o in options if o.startswith("Ihr Lauf: Kapitel 3 · ")]
    assert live == [run.title] and run.title.endswith(" Testgenauigkeit"), options
    draw(app, drawing("zero"))
    table = app.table[0].value
    assert live[0] in list(table["Modell"])
    app.selectbox(key="zeichnen_model").set_value(live[0]).run()
    assert not app.exception
    assert len(predictions(app)) == 1                # the live model predicts (whatever it learnt)


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_damaged_model_file_gives_a_german_error_and_the_other_models_still_answer(monkeypatch):
    if "keras_05_mnist_batch_norm" not in pretrained.available():
        pytest.fail("the pretrained models are missing (python -m tutorial pretrain)")
    real = pretrained.load_model

    def damaged(name):
        if name == "keras_05_mnist_batch_norm":
            raise ValueError("file is damaged")
        return real(name)

    monkeypatch.setattr(pretrained, "load_model", damaged)
    loader.cached_model.clear()
    try:
        app = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
        app.run()
        draw(app, drawing("seven"))
        assert not app.exception, [e.message for e in app.exception]
        assert any("fehlt oder ist beschädigt" in e.value for e in app.error)
        assert predictions(app) == []                       # the chosen (damaged) model predicts nothing
        table = app.table[0].value
        assert len(table) == 4 and "Batch-Normalisierung" not in " ".join(table["Modell"])
    finally:
        loader.cached_model.clear()
