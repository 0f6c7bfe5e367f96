"""What a learner's settings are (tutorial.choice): same run = same layers with all their Keras
arguments and the same training; the differences to the chapter's solution name every argument."""
import dataclasses
from dataclasses import replace

import pytest

from tutorial import choice as C
from tutorial import layers as L
from tutorial import presets
from tutorial.chapters import exercises
from tutorial.price import price
from tutorial.spec import RunSpec

pytestmark = pytest.mark.engine

CONV = "ex_11_conv_no_dropout"
BN = "keras_05_mnist_batch_norm"


def _with(spec: RunSpec, kind: type, **changes) -> RunSpec:
    """``spec`` with ``changes`` applied to every layer of type ``kind``."""
    return spec.with_(layers=tuple(replace(layer, **changes) if isinstance(layer, kind) else layer
                                   for layer in spec.layers))


def test_chapter_11_with_valid_padding_is_not_the_solution():
    valid = _with(presets.PRESETS[CONV], L.Conv2D, padding="valid")
    chosen = C.resolve(valid, CONV)
    assert chosen.params == 98_002 and C.resolve(presets.PRESETS[CONV], CONV).params == 354_002
    assert not chosen.is_solution and chosen.preset is None
    (diff,) = chosen.differences
    assert diff.topic == "padding" and (diff.chosen, diff.solution) == ("valid", "same")
    assert diff.layers == (1, 2, 3)
    assert diff.text == ('Schichten: `padding="valid"` statt `padding="same"` bei Conv(12, 3×3, /1), '
                         'Conv(24, 6×6, /2) und Conv(32, 6×6, /2).')


def test_chapter_13_with_scale_is_not_the_solution():
    chosen = C.resolve(_with(presets.PRESETS[BN], L.BatchNorm, scale=True), BN)
    assert not chosen.is_solution and chosen.preset is None
    assert [(d.topic, d.chosen, d.solution) for d in chosen.differences] == [("scale", True, False)]
    assert chosen.differences[0].text == "Schichten: `scale=True` statt `scale=False` bei 4 × BN."
    assert chosen.params == C.resolve(presets.PRESETS[BN], BN).params + 32 + 24 + 12 + 200   # one γ per channel


def test_chapter_13_without_center_is_not_the_solution():
    # the page's rule: without β the layer before BN keeps its bias
    spec = _with(_with(_with(presets.PRESETS[BN], L.BatchNorm, center=False), L.Conv2D, use_bias=True),
                 L.Dense, use_bias=True)
    chosen = C.resolve(spec, BN)
    assert not chosen.is_solution and chosen.preset is None
    topics = {d.topic: d for d in chosen.differences}
    assert set(topics) == {"center", "use_bias"}
    assert topics["center"].text == "Schichten: `center=False` statt `center=True` bei 4 × BN."
    assert topics["use_bias"].text.startswith("Schichten: `use_bias=True` statt `use_bias=False` bei Conv(12")
    assert "Dense(200)" in topics["use_bias"].text


@pytest.mark.parametrize("entry", exercises(), ids=lambda e: e.stem)
def test_the_solution_is_the_solution_in_any_length(entry):
    solution = presets.PRESETS[entry.solution]
    for spec in (solution, solution.quick(), solution.with_(epochs=3, seed=7, val_limit=500)):
        chosen = C.resolve(spec, entry.solution)
        assert chosen.is_solution and chosen.differences == () and chosen.preset == entry.solution
        assert chosen.buildable and chosen.params > 0


def test_every_preset_is_found_and_distinct():
    assert {name: C.preset_for(spec.quick()) for name, spec in presets.PRESETS.items()} == {
        name: name for name in presets.PRESETS}
    assert C.preset_for(presets.PRESETS[CONV].with_(batch_size=64)) is None


def test_training_settings_compare_by_their_effect():
    a = presets.PRESETS["keras_02_mnist_dense"]
    # Adam's default learning rate written out is the same training
    assert C.preset_for(a.with_(learning_rate=0.001)) == "keras_02_mnist_dense"
    assert C.differences(a.with_(learning_rate=0.001), a) == ()
    diff = C.differences(presets.PRESETS["ex_07_relu"], a)
    assert [d.text for d in diff] == ["Optimierer: SGD statt Adam.", "Lernrate: 0,01 statt 0,001."]
    assert [d.text for d in C.differences(presets.PRESETS["ex_08_lr001"], presets.PRESETS["ex_08_lr_decay"])] == [
        "Lernratenabfall: keiner statt Faktor 0,6 pro Epoche."]
    assert [d.text for d in C.differences(a.with_(batch_size=64), a)] == ["Batch-Größe: 64 statt 128."]


def test_another_stack_names_both_stacks():
    diff = C.differences(presets.PRESETS["ex_09_four_dense"], presets.PRESETS["keras_03_mnist_dense_lrdecay_dropout"])
    assert [d.topic for d in diff] == ["layers"]
    assert diff[0].text.startswith("Schichten: Sie haben Dense(200, relu) → Dense(100, relu) → ")
    assert "die Lösung hat Dense(200, relu) → Dropout(0,25) →" in diff[0].text


def test_same_labels_other_classes_name_the_code():
    chosen = RunSpec(layers=(L.Dense(10, "softmax"),))
    solution = RunSpec(layers=(L.Activation("Dense(10, softmax)"),))    # an (absurd) equal label
    (diff,) = C.differences(chosen, solution)
    assert 'keras.layers.Dense(10, activation="softmax")' in diff.text


ONE_OF_EACH = [L.Dense(32, "relu"), L.Dropout(0.25), L.Reshape(), L.Conv2D(4, 3, 2, "valid", None, False),
               L.BatchNorm(center=True, scale=True), L.Activation("sigmoid"), L.Flatten(), L.MaxPool(3, 2),
               L.GlobalAvgPool()]


@pytest.mark.parametrize("layer", ONE_OF_EACH, ids=lambda layer: type(layer).__name__)
def test_every_keras_argument_is_part_of_the_definition(layer):
    """The fields are the Keras arguments (by name), and a change of any one of them is another run."""
    names = {f.name for f in dataclasses.fields(layer)}
    assert set(layer.arguments()) <= names
    for f in dataclasses.fields(layer):
        value = getattr(layer, f.name)
        other = (not value if isinstance(value, bool) else
                 value + 1 if isinstance(value, (int, float)) else
                 "tanh" if f.name == "activation" else
                 "same" if value == "valid" else "valid" if isinstance(value, str) else (7, 7, 16))
        assert C.layer_definition(replace(layer, **{f.name: other})) != C.layer_definition(layer), f.name


def test_an_impossible_model_is_resolved_with_its_reason():
    spec = RunSpec(layers=(L.Conv2D(8, 3), L.Dense(10, "softmax")))
    chosen = C.resolve(spec, CONV)
    assert not chosen.buildable and chosen.params is None and "Reshape" in chosen.problem and chosen.price is None
    assert not chosen.is_solution and chosen.differences == () and chosen.preset is None


def test_for_run_keeps_what_the_choice_is():
    chosen = C.resolve(_with(presets.PRESETS[CONV], L.Conv2D, padding="valid"), CONV)
    run = chosen.for_run(chosen.spec.quick())
    assert run.spec.limit == 6000 and run.differences == chosen.differences and run.params == chosen.params
    assert run.price == price(run.spec) and run.price.seconds < chosen.price.seconds   # the run's own price
    with pytest.raises(ValueError):
        chosen.for_run(presets.PRESETS[CONV])
    assert C.resolve(presets.PRESETS[CONV]) is C.resolve(presets.PRESETS[CONV])   # resolved once per spec
