"""AppTest of the THEORY pages (01, 02, 04, 10, 14, 15, 16, modelle_von_innen) and of the explain
functions other chapters call. Charts are Altair → AppTest element type "vega_lite_chart"."""
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tutorial import presets, pretrained

pytestmark = pytest.mark.app

ROOT = Path(__file__).resolve().parent.parent


def charts(at):
    return at.get("vega_lite_chart")


def fingerprint(at) -> list:
    """Spec and data of every chart: changes when a chart shows different numbers."""
    return [(c.proto.spec, c.proto.data.data, [d.data.data for d in c.proto.datasets]) for c in charts(at)]


def pictures(at) -> list[list[str]]:
    """The addresses of every picture, per ``st.image`` (a list of pictures is one element)."""
    return [[img.url for img in el.proto.imgs] for el in at.get("image")]


def texts(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def run(path: str, timeout: float = 60) -> AppTest:
    at = AppTest.from_file(str(ROOT / path), default_timeout=timeout).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# --- pages without TensorFlow (that they never import it: tests/test_pages_router.py) ----------------

def test_page_01_covers_mnist_and_goal():
    at = run("kapitel/einstieg/01_uebersicht.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Trainingsziffern"] == "60.000" and metrics["Testziffern"] == "10.000"
    assert metrics["Ziel"] == "99 %"


def test_page_02_explains_controls_and_training_times():
    at = run("kapitel/einstieg/02_app_benutzen.py")
    body = texts(at)
    for phrase in ("Code anzeigen", "Fertiges Ergebnis ansehen", "Schnellmodus", "Warteschlange",
                   "nur einmal trainiert", "Community Cloud"):
        assert phrase in body, phrase
    table = at.dataframe[0].value
    assert list(table["Schritte pro Epoche"]) == [468, 468, 937]
    # the idle-box time of the training price (one source: estimate.epoch_seconds), German format
    from tutorial import estimate
    from tutorial.deutsch import de
    names = ["keras_02_mnist_dense", "keras_04_mnist_convolutional", "keras_05_mnist_batch_norm"]
    assert list(table["≈ Sekunden pro Epoche"]) == [de(estimate.epoch_seconds(n), 1) for n in names]
    seconds = [estimate.epoch_seconds(n) for n in names]
    assert seconds[0] < seconds[1] < seconds[2]          # dense < conv < batch norm


def _params(chart) -> dict:
    """Names and start values of the Vega parameters of a chart element."""
    spec = json.loads(chart.proto.spec)
    return {p["name"]: p.get("value") for p in spec.get("params", [])}


def _table(chart) -> list[dict]:
    """The rows of a chart's top-level data (Streamlit sends them as Arrow bytes)."""
    import pyarrow as pa
    return pa.ipc.open_stream(chart.proto.data.data).read_all().to_pylist()


def deeper(at, key: str) -> AppTest:
    """Switch on chapter 4's optional part ``key`` ("Vertiefung: …") and rerun."""
    at.toggle(key=f"deeper_ch04_{key}").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_page_04_short_main_path_and_optional_parts():
    """Issue 22 §4: the main path shows neuron, layer, softmax, loss, gradient descent, batch and the
    outlook; the depth is in switches that are off at first and build their part only when switched on."""
    at = run("kapitel/einstieg/04_neuronale_netze.py")
    labels = [t.label for t in at.toggle]
    assert len(labels) == 5 and all(label.startswith("Vertiefung: ") for label in labels)
    assert not any(t.value for t in at.toggle)
    headers = [h.value for h in at.header]
    for heading in ("Ein Neuron", "Die Schicht aus Kapitel 3", "Die Antwort ablesen: softmax",
                    "Besser werden: Gradientenabstieg", "Ein Schritt pro Batch", "Glossar"):
        assert heading in headers, heading
    body = texts(at)
    assert "7.850 Parameter" in body and "468 Schritte pro **Epoche**" in body
    optional = ("Steigung 2", "`X @ W + b`", "−log(10⁻⁷) ≈ 16,1", "(Steigung ⅓)", "`keras.optimizers.RMSprop`")
    assert not any(part in body for part in optional)
    assert not any(s.key == "dense_layer_demo_batch" for s in at.slider)
    for key in ("mathe", "matrix", "null", "backprop", "optimierer"):
        deeper(at, key)
    body = texts(at)
    assert all(part in body for part in optional)
    assert "Schrittlänge" not in body


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_dense_layer_demo_draws_the_numbers_it_computes():
    at = deeper(run("kapitel/einstieg/04_neuronale_netze.py"), "matrix")
    at.slider(key="dense_layer_demo_batch").set_value(5).run()
    at.slider(key="dense_layer_demo_units").set_value(4).run()
    at.slider(key="dense_layer_demo_row").set_value(3).run()
    assert not at.exception
    specs = [(json.loads(c.proto.spec), c) for c in charts(at)]
    panels = {spec["title"]: c for spec, c in specs if isinstance(spec.get("title"), str)}
    assert set(panels) >= {"X (Eingaben)  5×4", "W (Gewichte)  4×4", "X·W  5×4", "b (wie gespeichert)  1×4",
                           "b nach Broadcasting  5×4", "softmax(X·W + b)  5×4"}
    x = {(d["r"], d["c"]): d["v"] for d in _table(panels["X (Eingaben)  5×4"])}
    w = {(d["r"], d["c"]): d["v"] for d in _table(panels["W (Gewichte)  4×4"])}
    xw = {(d["r"], d["c"]): d for d in _table(panels["X·W  5×4"])}
    for (i, j), cell in xw.items():          # the chart's X·W is the product of the charts' X and W
        assert abs(cell["v"] - sum(x[i, k] * w[k, j] for k in range(4))) < 1e-9
        assert cell["txt"] == f"{cell['v']:.2f}".replace(".", ",").replace("-", "−")     # German: a real minus
    y = _table(panels["softmax(X·W + b)  5×4"])
    for i in range(5):                       # softmax: every row sums to one
        assert abs(sum(d["v"] for d in y if d["r"] == i) - 1) < 1e-9
    highlighted = json.loads(panels["X·W  5×4"].proto.spec)["layer"][-1]["data"]["values"]
    assert highlighted == [{"r": 3}]


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_page_04_widgets_change_the_numbers():
    at = run("kapitel/einstieg/04_neuronale_netze.py")
    assert len(charts(at)) >= 6                          # main path: neuron, softmax, loss, valley (2), activations
    # the neuron, the activations, softmax and cross-entropy compute in the browser: their sliders are
    # parameters of the chart itself (no script run when they move)
    params = [_params(c) for c in charts(at)]
    neuron = next(p for p in params if "w1" in p)
    assert neuron == {"x1": 0.8, "x2": 0.3, "x3": 0.5, "w1": 1.2, "w2": -0.7, "w3": 0.4, "b": -0.2, "act": "relu"}
    assert any("ableitungen" in p for p in params) and any("T" in p for p in params)

    before = fingerprint(at)
    at.text_input(key="softmax_demo_logits").set_value("0; 0; 5").run()
    assert fingerprint(at) != before
    softmax = next(c for c in charts(at) if "T" in _params(c))
    assert "5" in json.dumps([d.data.data for d in softmax.proto.datasets], default=str) or "5.0" in softmax.proto.spec
    at.text_input(key="softmax_demo_logits").set_value("eins zwei").run()
    assert any("Bitte geben Sie Zahlen ein" in w.value for w in at.warning)
    at.text_input(key="softmax_demo_logits").set_value("1,5 -0,3 2").run()     # German decimals
    assert not at.warning

    at.select_slider(key="gradient_descent_demo_tal_lr_tal").set_value(1.2).run()
    assert any("divergiert" in e.value for e in at.error)
    assert not at.exception


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_page_04_saddle_loss_is_never_negative_and_the_learning_rate_is_explained():
    at = deeper(run("kapitel/einstieg/04_neuronale_netze.py"), "optimierer")
    lines = [m.value for m in at.markdown if "Verlust" in m.value and "Schritten bei" in m.value]
    assert len(lines) >= 4                              # valley: GD; saddle: GD, momentum, Adam
    for line in lines:
        value = line.split("Verlust ")[1].rstrip(".")
        assert not value.startswith(("-", "−")), line
    saddle_gd = lines[1]                                 # plain GD stalls near the saddle point, loss ≈ 0,25
    assert saddle_gd.startswith("Gradientenabstieg") and saddle_gd.endswith(("0,2494.", "0,2495.", "0,2500."))
    assert "0,001 wie im Text" in texts(at)


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_page_04_changing_the_right_digit_keeps_the_typed_probabilities():
    """Issue 12 §6: the prediction table must be the same widget (same id, same data) for every right
    digit – Streamlit drops a data editor's edits when its id or data change."""
    at = run("kapitel/einstieg/04_neuronale_netze.py")
    editor = [e for e in at.dataframe if e.key == "one_hot_cross_entropy_demo_prediction"]
    assert len(editor) == 1 and editor[0].proto.editing_mode
    before = (editor[0].proto.id, editor[0].proto.arrow_data.data)
    ce = next(c for c in charts(at) if "richtig" in _params(c))
    assert _params(ce)["richtig"] == 3
    at.selectbox(key="one_hot_cross_entropy_demo_label").set_value(7).run()
    editor = [e for e in at.dataframe if e.key == "one_hot_cross_entropy_demo_prediction"]
    assert (editor[0].proto.id, editor[0].proto.arrow_data.data) == before
    ce = next(c for c in charts(at) if "richtig" in _params(c))
    assert _params(ce)["richtig"] == 7
    assert "−log(p der 7)" in texts(at)
    # one selector only (the selectbox): a second one inside the chart would let chart and caption disagree
    assert all("bind" not in p for p in json.loads(ce.proto.spec)["params"] if p["name"] == "richtig")


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_page_04_glossary_is_searchable():
    at = run("kapitel/einstieg/04_neuronale_netze.py")
    terms = ["Batch", "Kreuzentropie", "Dichte Schicht", "Features", "Label", "Lernrate", "Logits", "Verlust",
             "Neuron", "One-hot", "relu", "sigmoid", "softmax", "Tensor", "Epoche", "Dropout", "Gradient", "Bias"]
    glossary = [m.value for m in at.markdown if m.value.startswith("- **")][-1]
    assert all(f"**{t}" in glossary for t in terms)
    at.text_input(key="glossary_query").set_value("SOFTMAX").run()
    glossary = [m.value for m in at.markdown if m.value.startswith("- **")][-1]
    assert "**softmax**" in glossary and "**Tensor**" not in glossary
    assert "**Logits**" in glossary           # its explanation mentions softmax
    at.text_input(key="glossary_query").set_value("quantencomputer").run()
    assert any("Kein Begriff" in w.value for w in at.warning)
    at = AppTest.from_file(str(ROOT / "kapitel/einstieg/04_neuronale_netze.py"), default_timeout=60)
    at.query_params["begriff"] = "Epoche"
    at.run()
    glossary = [m.value for m in at.markdown if m.value.startswith("- **")][-1]
    assert glossary.startswith("- **Epoche**") and "**Tensor**" not in glossary


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_page_10_stride_padding_and_calculator():
    at = run("kapitel/faltungsnetze/10_faltung.py")
    assert "Ausgabe **28×28**" in texts(at)
    before = fingerprint(at)
    at.radio(key="convolution_demo_stride").set_value(2).run()
    assert "Ausgabe **14×14**" in texts(at) and "Max-Pooling halbiert auf **7×7**" in texts(at)
    assert fingerprint(at) != before
    at.radio(key="convolution_demo_stride").set_value(1).run()
    at.radio(key="convolution_demo_padding").set_value("valid").run()
    assert "Ausgabe **26×26**" in texts(at)
    at.selectbox(key="convolution_demo_filter").set_value("Weichzeichner (Mittelwert)").run()
    assert not at.exception

    total = {m.label: m.value for m in at.metric}["Parameter insgesamt"]
    assert total == "354.002"                            # Keras: the ex_11 model
    at.radio(key="conv_calculator_padding").set_value("valid").run()
    at.number_input(key="conv_calculator_k2").set_value(11).run()
    at.number_input(key="conv_calculator_s1").set_value(4).run()   # 26 → 6, then an 11×11 kernel does not fit
    assert any("zu klein" in e.value for e in at.error)

    at.select_slider(key="gap_vs_flatten_demo_channels").set_value(32).run()
    assert "15.690 Gewichte" in texts(at)                 # 7·7·32·10 + 10
    assert not at.exception


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_pages_14_15_16_content():
    at = run("kapitel/abschluss/14_hardware.py")
    code = at.code[0].value
    assert "MirroredStrategy" in code and "strategy.scope()" in code
    at.radio(key="ch14_strategy").set_value(at.radio(key="ch14_strategy").options[1]).run()
    assert "TPUStrategy" in at.code[0].value
    compile(at.code[0].value, "<strategy>", "exec")
    assert "CPU" in texts(at)
    assert "4 min 01 s für 10 Epochen mit je 937 Schritten" in " ".join(texts(at).split())   # keras_05.json
    at.select_slider(key="ch14_devices").set_value(8).run()          # the calculator: 8 × 128 = 1.024 images
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Globaler Batch"] == "1.024" and metrics["Schritte pro Epoche"] == "58"

    at = run("kapitel/abschluss/15_zusammenfassung.py")
    assert at.get("download_button")
    table = at.dataframe[0].value
    assert len(table) == 5
    for name, row in zip(["keras_01_mnist", "keras_02_mnist_dense", "keras_03_mnist_dense_lrdecay_dropout",
                          "keras_04_mnist_convolutional", "keras_05_mnist_batch_norm"], table["Testgenauigkeit"]):
        if name in pretrained.available():
            assert row == f"{100 * pretrained.load_history(name)['test_accuracy']:.2f} %".replace(".", ",")
        else:
            assert row == "noch nicht trainiert"
    if set(presets.NOTEBOOK_PRESETS) <= set(pretrained.available()):   # the two biggest steps, from the errors
        assert "mit den Zwischenschichten, relu und Adam (999 → 240 Fehler)" in " ".join(texts(at).split())
        assert "mit den Faltungsschichten (226 → 75)" in " ".join(texts(at).split())

    at = run("kapitel/abschluss/16_naechste_schritte.py")
    links = [b.proto.url for b in at.get("link_button")]
    assert any("keras.io" in u for u in links) and any("colab.research.google.com" in u for u in links)
    assert "cloud.google.com/vertex-ai" in texts(at) and "keras.datasets.fashion_mnist" in texts(at)


# --- explain functions used by other chapters -----------------------------------------------------

def _sigmoid_app():
    from tutorial.app.explain import deep
    deep.sigmoid_vs_relu_gradients()


def _nan_app():
    from tutorial.app.explain import deep
    deep.nan_demo()


def _dropout_app():
    from tutorial.app.explain import deep
    deep.dropout_demo()


def _overfit_app(history):
    from tutorial.app.explain import deep
    deep.overfitting_gap(history)


def _bn_app():
    from tutorial.app.explain import deep
    deep.batchnorm_normalize()


def _bn_alpha_beta_app():
    from tutorial.app.explain import deep
    deep.batchnorm_alpha_beta()


def test_sigmoid_vs_relu_gradients():
    at = AppTest.from_function(_sigmoid_app, default_timeout=30).run()
    assert not at.exception and len(charts(at)) == 2
    before = fingerprint(at)
    ratio = {m.label: m.value for m in at.metric}["sigmoid: Gradient erste ÷ letzte Schicht"]
    at.slider(key="sigmoid_vs_relu_gradients_layers").set_value(16).run()
    assert fingerprint(at) != before
    after = {m.label: m.value for m in at.metric}["sigmoid: Gradient erste ÷ letzte Schicht"]
    assert german_power(after) < german_power(ratio)


def german_power(text: str) -> float:
    """ "5,4 · 10⁻¹⁰" (deutsch.scientific) as a number."""
    mantissa, power = text.split(" · 10")
    return float(mantissa.replace(",", ".")) * 10 ** int(power.translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")))


def test_nan_demo_shows_the_breakdown():
    at = AppTest.from_function(_nan_app, default_timeout=30).run()
    assert not at.exception and at.success and not at.error
    at.slider(key="nan_demo_scale").set_value(100).run()
    assert at.error
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Kreuzentropie naiv"] in ("NaN", "+∞")
    assert metrics["Kreuzentropie stabil"] == "160,0000"        # 100 − (−60)


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_dropout_demo_new_sample_each_click():
    at = AppTest.from_function(_dropout_app, default_timeout=30).run()
    assert not at.exception
    seen = {json.dumps(fingerprint(at), default=str)}
    for _ in range(3):
        at.button(key="dropout_demo_next").click().run()
        seen.add(json.dumps(fingerprint(at), default=str))
    assert len(seen) > 1
    at.slider(key="dropout_demo_rate").set_value(0.0).run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Summe in diesem Schritt"] == metrics["Summe ohne Dropout"]


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_overfitting_gap_with_given_and_pretrained_history():
    epochs = [{"epoch": i + 1, "loss": 0.5 / (i + 1), "val_loss": v} for i, v in
              enumerate([0.30, 0.20, 0.15, 0.16, 0.19, 0.24])]
    at = AppTest.from_function(_overfit_app, args=({"epochs": epochs},), default_timeout=30).run()
    assert not at.exception and len(charts(at)) == 1
    assert any("Überanpassung" in w.value for w in at.warning)
    assert {m.label: m.value for m in at.metric}["Bester Validierungsverlust"] == "0,1500"

    at = AppTest.from_function(_overfit_app, args=({"epochs": epochs[:1]},), default_timeout=30).run()
    assert not at.exception and at.info and not charts(at)

    at = AppTest.from_function(_overfit_app, args=(None,), default_timeout=30).run()
    assert not at.exception
    if "ex_09_four_dense" in pretrained.available():
        assert len(charts(at)) == 1
    else:
        assert at.info and "noch nicht" in at.info[0].value


def test_batchnorm_normalize_spreads_the_answers():
    at = AppTest.from_function(_bn_app, default_timeout=30).run()
    assert not at.exception and len(charts(at)) == 2
    metrics = {m.label: m.value for m in at.metric}     # "zu weit links": answers all near 0, most on the flat end
    assert metrics["Antworten vorher"] == "0,00 bis 0,01" and metrics["Auf dem flachen Ende vorher"] == "94 %"
    assert metrics["Antworten nachher"] == "0,17 bis 0,84" and metrics["Auf dem flachen Ende nachher"] == "0 %"
    at.radio(key="batchnorm_normalize_case").set_value("zu schmal").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Antworten vorher"] == "0,44 bis 0,55" and metrics["Antworten nachher"] == "0,17 bis 0,83"


def test_batchnorm_alpha_beta():
    at = AppTest.from_function(_bn_alpha_beta_app, default_timeout=30).run()
    assert not at.exception and len(charts(at)) == 2
    at.slider(key="batchnorm_alpha_beta_alpha").set_value(2.0).run()
    at.slider(key="batchnorm_alpha_beta_beta").set_value(-1.5).run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Standardabweichung nachher"] == "2,00" and metrics["Mittelwert nachher"] == "−1,50"


# --- inside the models (TensorFlow) ---------------------------------------------------------------

@pytest.mark.slow   # seconds of work: not in the fast loop
def test_modelle_von_innen_with_drawing_and_confusion_matrix():
    at = AppTest.from_file(str(ROOT / "kapitel/werkzeuge/modelle_von_innen.py"), default_timeout=180)
    from tutorial.data import load_arrays
    images, _ = load_arrays("test")
    at.session_state["drawn_digit"] = (images[3].astype(np.float32) / 256.0).reshape(784)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    ready = pretrained.available()
    if not ready:
        assert at.info
        return
    assert len(charts(at)) == 1          # the confusion matrix; weights, maps and bars are pictures
    if any(n in ready for n in ("keras_04_mnist_convolutional", "keras_05_mnist_batch_norm")):
        assert "Ihre Zeichnung" in at.radio(key="inside_source").options
        before = pictures(at)
        # templates (5 strips of 2), filters, the digit, its bars, then the feature maps in strips of 4
        assert len(before[0]) == 5 and len(before[2]) == len(before[3]) == 1 and len(before) >= 6
        at.radio(key="inside_source").set_value("Ihre Zeichnung").run()
        assert not at.exception and pictures(at)[:2] == before[:2] and pictures(at)[2:] != before[2:]
    name = at.selectbox(key="inside_cm_model").value
    metrics = {m.label: m.value for m in at.metric}
    expected = pretrained.load_history(name)["test_accuracy"]
    assert metrics["Genauigkeit"] == f"{100 * expected:.2f} %".replace(".", ",")
    errors = int(metrics["Fehler"].split()[0])
    assert errors == round((1 - expected) * 10_000)
    pair_box = at.selectbox(key=f"inside_pair_{name}")
    label = pair_box.options[1]                       # "t → p  (n×)", the second most frequent mix-up
    t, p = (int(v) for v in label.split("(")[0].split("→"))
    count = int(label.split("(")[1].rstrip("×)"))
    pair_box.set_value((t, p)).run()
    assert not at.exception
    assert f"**{count}-mal** hat das Modell eine **{t}** für eine **{p}**" in texts(at)
    assert len(pictures(at)[-1]) == min(count, 12)                # the mixed-up digits, one picture each
