"""Presets, their parameter counts, the generated Keras code and the hand-computed layer table."""
import keras
import pytest

from tutorial import presets
from tutorial import layers as L
from tutorial import spec as S
from tutorial.models import build_model

pytestmark = pytest.mark.engine

EXPECTED_PARAMS = {
    "keras_01_mnist": 7_850,
    "ex_06_sigmoid": 169_670,
    "ex_07_relu": 169_670,
    "keras_02_mnist_dense": 169_670,
    "ex_08_lr001": 169_670,
    "ex_08_lr_decay": 169_670,
    "ex_09_four_dense": 183_770,
    "keras_03_mnist_dense_lrdecay_dropout": 183_770,
    "ex_11_conv_no_dropout": 354_002,
    "keras_04_mnist_convolutional": 354_002,
    "keras_05_mnist_batch_norm": 354_538,
}


def _config_fingerprint(model):
    """Layer classes and the config entries that define the computation (names excluded)."""
    keys = ("units", "activation", "use_bias", "rate", "target_shape", "filters", "kernel_size", "strides",
            "padding", "center", "scale", "pool_size")
    return [(type(layer).__name__, {k: layer.get_config().get(k) for k in keys if k in layer.get_config()})
            for layer in model.layers]


@pytest.mark.parametrize("name", sorted(EXPECTED_PARAMS))
def test_preset_parameters_and_code_round_trip(name):
    spec = presets.PRESETS[name]
    model = build_model(spec)
    assert model.count_params() == EXPECTED_PARAMS[name] == S.param_count(spec)
    # the code a learner sees builds the same model
    namespace = {}
    exec(compile("import keras\n" + spec.model_code(), f"<{name}>", "exec"), namespace)
    generated = namespace["model"]
    assert _config_fingerprint(generated) == _config_fingerprint(model)
    assert generated.count_params() == model.count_params()
    assert type(generated.optimizer).__name__ == type(model.optimizer).__name__
    assert float(generated.optimizer.learning_rate) == pytest.approx(float(model.optimizer.learning_rate))
    compile(spec.to_code(), f"<{name} full>", "exec")  # the full listing is valid Python


def test_batch_norm_preset_details():
    model = build_model(presets.PRESETS["keras_05_mnist_batch_norm"])
    non_trainable = sum(int(w.numpy().size) for w in model.non_trainable_weights)
    assert non_trainable == 536
    bns = [layer for layer in model.layers if isinstance(layer, keras.layers.BatchNormalization)]
    assert len(bns) == 4 and all(b.center and not b.scale for b in bns)
    assert presets.PRESETS["keras_05_mnist_batch_norm"].steps_per_epoch == 937
    assert presets.PRESETS["keras_01_mnist"].steps_per_epoch == 468


def test_learning_rate_schedule():
    spec = presets.PRESETS["keras_05_mnist_batch_norm"]
    assert spec.lr_at(0) == pytest.approx(0.01)
    assert spec.lr_at(3) == pytest.approx(0.01 * 0.666 ** 3)
    assert presets.PRESETS["keras_02_mnist_dense"].lr_at(5) == pytest.approx(0.001)  # Adam default, no decay
    assert "LearningRateScheduler" in presets.PRESETS["ex_08_lr_decay"].to_code()
    assert "LearningRateScheduler" not in presets.PRESETS["ex_08_lr001"].to_code()
    assert "learning_rate=0.01" in presets.PRESETS["ex_08_lr001"].to_code()
    assert 'optimizer="sgd"' in presets.PRESETS["keras_01_mnist"].to_code()


@pytest.mark.parametrize("layers", [
    (L.Reshape(), L.Conv2D(6, 5, 1, "valid"), L.MaxPool(), L.Conv2D(16, 3, 2, "same"), L.GlobalAvgPool(),
     L.Dense(10, "softmax")),
    (L.Reshape(), L.Conv2D(8, 4, 3, "valid"), L.BatchNorm(center=True, scale=True), L.Flatten(),
     L.Dense(10, "softmax")),
])
def test_layer_table_matches_keras(layers):
    spec = S.RunSpec(layers=layers)
    model = build_model(spec)
    rows = S.layer_table(spec)
    assert [tuple(layer.output.shape)[1:] for layer in model.layers] == [r["output_shape"] for r in rows]
    assert [layer.count_params() for layer in model.layers] == [r["params"] for r in rows]


def test_impossible_stack_gives_german_message():
    with pytest.raises(ValueError, match="Reshape"):
        S.layer_table(S.RunSpec(layers=(L.Conv2D(8, 3), L.Dense(10, "softmax"))))
    with pytest.raises(ValueError, match="zu klein"):
        S.layer_table(S.RunSpec(layers=(L.Reshape(), L.Conv2D(8, 30, 1, "valid"), L.Flatten(),
                                        L.Dense(10, "softmax"))))


def test_specs_are_hashable_cache_keys():
    a = presets.PRESETS["keras_02_mnist_dense"]
    b = S.RunSpec(layers=[L.Dense(200, "relu"), L.Dense(60, "relu"), L.Dense(10, "softmax")], optimizer="adam")
    assert a == b and hash(a) == hash(b) and a.key == b.key
    assert a.with_(epochs=3) != a
    # which preset a spec is, and how it differs from another: tests/test_engine_choice.py


def test_description_in_german_number_format():
    one = presets.PRESETS["keras_01_mnist"].with_(epochs=1, limit=300)
    assert one.describe().endswith("· Batch 128 · 1 Epoche, 300 Ziffern")
    many = presets.PRESETS["keras_05_mnist_batch_norm"].with_(limit=6000)
    assert many.describe().endswith("· Batch 64 · 10 Epochen, 6.000 Ziffern")
    assert "Ziffern" not in presets.PRESETS["keras_02_mnist_dense"].describe()   # all data: no count
    assert "· Adam(0,01·0,6^Epoche) ·" in presets.PRESETS["ex_08_lr_decay"].describe()
    assert "Dropout(0,25) →" in presets.PRESETS["keras_03_mnist_dense_lrdecay_dropout"].describe()


def test_german_number_helpers():
    from tutorial.deutsch import count, de, de_format, percent, short
    assert de_format(0.5, ".0%") == "50 %" and de_format(-1.2345, ".2f") == "−1,23" and de_format(3e-5, ".1e") == "3,0e-05"
    assert short(0.001) == "0,001" and short(0.666) == "0,666"
    assert de(60000) == "60.000" and de(0.25, 2) == "0,25" and de(1234.5, 1) == "1.234,5"
    assert percent(0.9876) == "98,76 %" and percent(None) == "–" and percent(float("nan")) == "–"
    assert count(1, "Epoche", "Epochen") == "1 Epoche" and count(2, "Epoche", "Epochen") == "2 Epochen"


ALL_LAYER_TYPES = [L.Dense(32, "relu"), L.Dense(10, None, use_bias=False), L.Dropout(0.25), L.Reshape(),
                   L.Conv2D(4, 3, 2, "valid", None, False), L.BatchNorm(center=True, scale=True),
                   L.Activation("sigmoid"), L.Flatten(), L.MaxPool(3, 2), L.GlobalAvgPool()]


@pytest.mark.parametrize("layer", ALL_LAYER_TYPES, ids=lambda layer: type(layer).__name__)
def test_each_layer_builds_what_its_code_says(layer):
    """A layer's Keras object and its printed call come from the same arguments."""
    built = layer.build()
    printed = eval(layer.code(), {"keras": keras})
    assert type(built) is type(printed) and type(built).__name__ == layer.keras_class
    ignore = {"name"}
    assert {k: v for k, v in built.get_config().items() if k not in ignore} == \
        {k: v for k, v in printed.get_config().items() if k not in ignore}
    args, kwargs = layer.call_parts()
    assert all(f"{k}=" in layer.code() for k in kwargs)


def test_layers_report_impossible_inputs_in_german():
    with pytest.raises(ValueError, match="MaxPooling2D braucht ein Bild"):
        S.layer_table([L.MaxPool()])
    with pytest.raises(ValueError, match="GlobalAveragePooling2D braucht ein Bild"):
        S.layer_table([L.GlobalAvgPool()])
    with pytest.raises(ValueError, match="Reshape kann 784 Werte nicht in die Form"):
        S.layer_table([L.Reshape((28, 27, 1))])


# RunSpec.key seeds training (RunSpec.train_seed) and names live runs: the stored
# pretrained runs were made with these keys, so a change of a layer's fields shows up here.
PRESET_KEYS = {
    "keras_01_mnist": "ebf1e4fcfe05", "ex_06_sigmoid": "03b0288c1820", "ex_07_relu": "3c7d71c606b8",
    "keras_02_mnist_dense": "75793b2bf54f", "ex_08_lr001": "2304a9a26ead", "ex_08_lr_decay": "77963d0379ae",
    "ex_09_four_dense": "e837b1ac1033", "keras_03_mnist_dense_lrdecay_dropout": "fc52254b621b",
    "ex_11_conv_no_dropout": "f2e2e1a1c340", "keras_04_mnist_convolutional": "6c2408881e39",
    "keras_05_mnist_batch_norm": "4919163f37d9",
}


def test_preset_keys_are_stable():
    assert {name: spec.key for name, spec in presets.PRESETS.items()} == PRESET_KEYS


def test_presets_module_and_titles():
    assert set(presets.PRESET_TITLES) == set(presets.PRESETS) == set(presets.TARGET_ACCURACY) | {
        "ex_06_sigmoid", "ex_07_relu", "ex_08_lr001", "ex_08_lr_decay", "ex_09_four_dense", "ex_11_conv_no_dropout"}
    assert not any("Kapitel" in title for title in presets.PRESET_TITLES.values())
    assert presets.PRESET_TITLES["ex_08_lr_decay"] == "Lernrate 0,01 mit Lernratenabfall 0,6"
    with pytest.raises(AttributeError):      # presets are not reachable through spec (no re-export)
        S.PRESETS  # noqa: B018 - the lookup itself is what must fail


def test_the_app_trains_with_the_seed_the_script_names(monkeypatch):
    """One owner of the seed (RunSpec.train_seed) and of the validation batch (spec.VAL_BATCH): the
    app's training seeds Keras with it, the script's --seed defaults to it."""
    from tutorial import export, training

    class Seeded(Exception):
        pass

    def record(seed):
        raise Seeded(seed)

    monkeypatch.setattr(keras.utils, "set_random_seed", record)
    spec = presets.PRESETS["keras_02_mnist_dense"].with_(epochs=1, limit=3000)
    with pytest.raises(Seeded) as seeded:
        training.train(spec)
    assert seeded.value.args == (spec.train_seed,)
    text = export.script(spec)
    assert f"default={spec.train_seed}," in text and f"VALIDATION_BATCH = {S.VAL_BATCH}" in text
    assert training.VAL_BATCH is S.VAL_BATCH and not hasattr(training, "seed_for")
