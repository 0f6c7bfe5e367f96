"""The charts of tutorial.charts: German without a wrapper, training curves that never vanish, the
thin training line recovered exactly from Keras' running means, and the browser-side charts
carrying their bound parameters and Vega calculations."""
import inspect
import json

import numpy as np
import pytest

from tutorial import pretrained
from tutorial import layers as L
from tutorial import spec as S
from tutorial.charts import browser, internals, theory, training

pytestmark = pytest.mark.engine

# what chapter 6's quick mode really showed (issue 12 §1): one short epoch, loss ≈ 2,3, accuracy 13 %
QUICK = {"steps_per_epoch": 4, "epochs_total": 1,
         "batches": [{"step": 2, "epoch": 0.5, "loss": 2.31, "accuracy": 0.11},
                     {"step": 4, "epoch": 1.0, "loss": 2.30, "accuracy": 0.12}],
         "epochs": [{"epoch": 1, "loss": 2.30, "accuracy": 0.12, "val_loss": 2.296, "val_accuracy": 0.1374}]}


def layers_of(chart) -> list[dict]:
    spec = chart.to_dict()
    return spec.get("layer", [spec])


def datasets(chart) -> dict:
    return chart.to_dict()["datasets"]


def rows_of(chart, layer: dict) -> list[dict]:
    """The rows a layer draws (Altair moves data shared by all layers to the top level)."""
    spec = chart.to_dict()
    data = layer.get("data") or spec.get("data") or spec["layer"][0]["data"]
    return datasets(chart)[data["name"]]


@pytest.mark.parametrize("zoom", training.ZOOMS)
def test_a_quick_run_is_visible_at_every_zoom(zoom):
    loss, acc, notes = training.training_view(QUICK, zoom)
    for chart, metric in ((loss, "loss"), (acc, "accuracy")):
        spec = chart.to_dict()
        lo, hi = spec["layer"][0]["encoding"]["y"]["scale"]["domain"]
        rows = rows_of(chart, spec)
        val = [r for r in rows if r["series"] == "Validierung"]
        assert len(val) == 1 and len([r for r in rows if r["series"] == "Training"]) == 2
        for r in rows:                                   # every point is drawn inside the plot …
            assert lo <= r["shown"] <= hi
            assert (r["edge"] == "") == (lo <= r["value"] <= hi)
        cut = [r for r in rows if r["edge"]]
        marks = [l for l in spec["layer"] if l["mark"].get("shape", "").startswith("triangle")]
        if zoom == 1:
            assert not cut and not marks                  # … 1× grows to fit the run
        else:
            assert cut and marks                          # … a zoomed view marks what it cut
    if zoom == 1:
        assert notes == []
        (l0, l1), (a0, a1) = training.zoom_limits(1, {"loss": [2.31], "accuracy": [0.11]})
        assert l1 >= 2.31 and a0 <= 0.11
    else:
        assert any("Werte oberhalb von" in n and "Zoom 1× zeigt mehr" in n for n in notes)
        assert any("Genauigkeit: Werte unterhalb von" in n for n in notes)


def test_default_zoom_fits_the_run():
    assert training.fitting_zoom(QUICK, 10) == 1
    good = {"epochs": [{"epoch": 1, "val_loss": 0.05, "val_accuracy": 0.985}]}
    assert training.fitting_zoom(good, 10) == 10
    assert training.fitting_zoom({"epochs": [{"epoch": 1, "val_loss": 0.2, "val_accuracy": 0.93}]}, 16) == 5


def test_overlay_marks_cut_values_too():
    runs = [("schnell", QUICK), ("gut", {"epochs": [{"epoch": 1, "val_loss": 0.05, "val_accuracy": 0.985}]})]
    loss, acc, notes = training.overlay_view(runs, 10)
    rows = rows_of(loss, layers_of(loss)[0])
    assert {r["Lauf"] for r in rows} == {"schnell", "gut"}
    assert any(r["edge"] == "oben" for r in rows) and notes
    loss, acc, notes = training.overlay_view(runs, 1)
    assert notes == [] and all(r["edge"] == "" for r in rows_of(acc, layers_of(acc)[0]))


def test_block_means_recover_the_per_batch_values_from_keras_running_means():
    """Keras 3 logs the mean since the epoch's start; records every 3 batches (and at the epoch's
    end) must give back the exact mean of each block of real batch values."""
    rng = np.random.default_rng(0)
    steps, every, epochs = 10, 3, 2
    real = rng.uniform(0.1, 2.5, (epochs, steps))
    acc = rng.uniform(0, 1, (epochs, steps))
    batches = []
    for e in range(epochs):
        for b in range(steps):
            step = e * steps + b + 1
            if step % every == 0 or b == steps - 1:
                batches.append({"step": step, "epoch": e + (b + 1) / steps,
                                "loss": real[e, :b + 1].mean(), "accuracy": acc[e, :b + 1].mean()})
    blocks = training.block_means({"steps_per_epoch": steps, "batches": batches})
    assert len(blocks) == len(batches)
    start = {0: 0, 1: 0}
    for rec, blk in zip(batches, blocks):
        e, k = divmod(rec["step"] - 1, steps)
        j = start[e]
        assert blk["batches"] == k + 1 - j
        assert blk["loss"] == pytest.approx(real[e, j:k + 1].mean())
        assert blk["accuracy"] == pytest.approx(acc[e, j:k + 1].mean())
        start[e] = k + 1
    # the chart draws these block values, not the running means
    frame = training.curve_frame({"steps_per_epoch": steps, "batches": batches, "epochs": []})
    drawn = frame[(frame.metric == "loss") & (frame.series == "Training")]["value"].to_numpy()
    assert np.allclose(drawn, [b["loss"] for b in blocks])
    assert not np.allclose(drawn, [b["loss"] for b in batches])


def test_pretrained_runs_are_fully_visible_at_the_default_zoom():
    names = [n for n in ("ex_06_sigmoid", "keras_01_mnist", "keras_02_mnist_dense") if n in pretrained.available()]
    assert names, "pretrained histories missing"
    for name in names:
        history = pretrained.load_history(name)
        loss, acc, notes = training.training_view(history, 1)
        assert notes == [], (name, notes)
        rows = rows_of(loss, layers_of(loss)[0])
        assert len([r for r in rows if r["series"] == "Validierung"]) == len(history["epochs"])


def _public_chart_functions():
    mods = (training, theory, browser, internals)
    return {f"{m.__name__}.{n}": f for m in mods for n, f in vars(m).items()
            if inspect.isfunction(f) and not n.startswith("_") and f.__module__ == m.__name__
            and ("chart" in n or n in ("probability_bars",))}


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_every_chart_carries_the_german_locale_without_a_wrapper():
    run = {"epochs": [{"epoch": 1, "loss": 0.3, "accuracy": 0.9, "val_loss": 0.2, "val_accuracy": 0.95}],
           "batches": [], "steps_per_epoch": 10}
    samples = {
        "tutorial.charts.training.training_charts": lambda f: f(run, 1),
        "tutorial.charts.training.overlay_charts": lambda f: f([("a", run)], 5),
        "tutorial.charts.training.lr_chart": lambda f: f(S.RunSpec(layers=(L.Dense(10, "softmax"),), epochs=3)),
        "tutorial.charts.theory.activation_functions_chart": lambda f: f(True),
        "tutorial.charts.theory.matrix_chart": lambda f: f(np.eye(2), "M"),
        "tutorial.charts.theory.descent_chart": lambda f: f("tal", [__import__("tutorial.theory").theory.descend("tal")]),
        "tutorial.charts.theory.descent_loss_chart": lambda f: f([__import__("tutorial.theory").theory.descend("tal")]),
        "tutorial.charts.theory.gradient_depth_chart": lambda f: f({"sigmoid": np.ones(3), "relu": np.ones(3)}),
        "tutorial.charts.theory.log_softmax_chart": lambda f: f([1.0, 2.0], [np.nan, -1.0], [-1.3, -0.3]),
        "tutorial.charts.theory.dropout_chart": lambda f: f(np.ones(4), np.array([1, 0, 1, 1], bool), 0.25),
        "tutorial.charts.theory.overfitting_chart": lambda f: f([{"epoch": 1, "loss": 0.5, "val_loss": 0.4},
                                                                 {"epoch": 2, "loss": 0.3, "val_loss": 0.45}], "t"),
        "tutorial.charts.theory.conv_shape_chart": lambda f: f([{"label": "Conv", "params": 120,
                                                                "output_shape": (28, 28, 12)}]),
        "tutorial.charts.theory.gap_vs_flatten_chart": lambda f: f({"flatten_dense": 4910, "gap_total": 0}),
        "tutorial.charts.theory.batchnorm_chart": lambda f: f(np.linspace(-2, 2, 50), "t"),
        "tutorial.charts.browser.neuron_chart": lambda f: f(),
        "tutorial.charts.browser.activation_chart": lambda f: f(),
        "tutorial.charts.browser.softmax_chart": lambda f: f([1.0, 2.0, 0.5]),
        "tutorial.charts.browser.cross_entropy_chart": lambda f: f(np.ones(10), 4),
        "tutorial.charts.internals.image_chart": lambda f: f(np.eye(4), "t"),
        "tutorial.charts.internals.confusion_chart": lambda f: f(np.eye(10, dtype=int) * 5, "t"),
        "tutorial.charts.internals.probability_bars": lambda f: f(np.full(10, 0.1), 3),
    }
    functions = _public_chart_functions()
    assert set(functions) <= set(samples), set(functions) - set(samples)     # a new chart needs a sample here
    assert len(functions) >= 20
    for name, fn in functions.items():
        made = samples[name](fn)
        for chart in made if isinstance(made, tuple) else (made,):
            spec = chart if isinstance(chart, dict) else chart.to_dict()     # matrix and pixel charts are plain specs
            config = spec["config"]
            assert config["locale"]["number"]["decimal"] == ",", name
            assert config["locale"]["number"]["thousands"] == ".", name


def test_feature_maps_are_bright_where_high_digits_dark_ink():
    grid = internals.strips([np.eye(3)], ["1"], 4)[0]                          # feature maps: high = white
    cell = grid.height // 3                                                    # no labels: 3 × 3 squares
    assert grid.getpixel((0, 0))[:3] == (255, 255, 255) and grid.getpixel((cell + 1, 0))[:3] == (0, 0, 0)
    digit = internals.image_chart(np.eye(3), "Ziffer")
    assert digit["layer"][0]["encoding"]["color"]["scale"]["reverse"] is False              # ink stays dark on white


def _calculations(spec) -> str:
    return json.dumps(spec)


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_browser_charts_bind_their_parameters_and_calculate_with_them():
    neuron = browser.neuron_chart().to_dict()
    params = {p["name"]: p for p in neuron["params"]}
    assert set(params) == {"x1", "x2", "x3", "w1", "w2", "w3", "b", "act"}
    assert all(params[n]["bind"]["input"] == "range" for n in ("x1", "w1", "b"))
    assert params["act"]["bind"]["input"] == "radio"
    text = _calculations(neuron)
    assert "x1 * w1 + x2 * w2 + x3 * w3 + b" in text and '"calculate"' in text and "max(0," in text

    soft = browser.softmax_chart([1.5, -0.3, 4.0]).to_dict()
    assert [p["name"] for p in soft["params"]] == ["T"] and soft["params"][0]["bind"]["input"] == "range"
    assert "datum.Logit / T" in _calculations(soft) and "exp(datum.z - datum.zmax)" in _calculations(soft)

    ce = browser.cross_entropy_chart(np.r_[np.zeros(3), 1.0, np.zeros(6)], 3).to_dict()
    assert ce["params"][0]["name"] == "richtig" and ce["params"][0]["value"] == 3
    text = _calculations(ce)
    assert f"clamp(datum.p, {browser.EPS}, {1 - browser.EPS})" in text and "-log(datum.pc)" in text

    act = browser.activation_chart().to_dict()
    assert act["params"][0]["bind"]["input"] == "checkbox"


def test_browser_formulas_agree_with_the_python_ones():
    """The Vega expressions, evaluated with Python's maths, give the numbers of tutorial.theory."""
    from tutorial import theory as T
    expr = browser._act("z")
    for act in ("relu", "sigmoid"):
        for z in (-2.61, 0.0, 0.75, 3.0):
            py = expr.replace("act == 'relu' ? max(0, z) : 1 / (1 + exp(-(z)))",
                              "(max(0, z) if act == 'relu' else 1 / (1 + exp(-(z))))")
            value = eval(py, {"max": max, "exp": np.exp, "act": act, "z": z})
            assert value == pytest.approx(float(T.activate(np.array([z]), act)[0]))
    # Keras clips p = 0 to 1e-7: −log(1e-7) = 16,118 (the number chapter 4 shows and explains)
    p = np.r_[np.zeros(3), 0.0, np.ones(6)]
    assert float(T.cross_entropy(T.one_hot(3), p)) == pytest.approx(-np.log(browser.EPS))
    assert f"{-np.log(browser.EPS):.3f}" == "16.118"


def test_the_overfitting_gap_uses_the_training_curves_colours():
    """One colour per meaning (issue 22 §4): chapter 9's gap chart draws training orange and validation
    blue, exactly like the exercise's training curves on the same page."""
    chart = theory.overfitting_chart([{"epoch": 1, "loss": 0.5, "val_loss": 0.4},
                                      {"epoch": 2, "loss": 0.3, "val_loss": 0.35}], "t")
    scales = [layer["encoding"]["color"]["scale"] for layer in layers_of(chart)
              if "color" in layer.get("encoding", {})]
    assert scales == [{"domain": ["Training", "Validierung"], "range": [training.TRAIN_COLOR, training.VAL_COLOR]}]
    assert training.TRAIN_COLOR == "#E07B39" and training.VAL_COLOR == "#2E6F95"    # orange, blue
