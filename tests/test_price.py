"""The price of a training (tutorial/price.py): parameters, memory and idle seconds from the spec alone,
and the caps that refuse a run with a German message. Fast: nothing trains; one test builds Keras models
to compare the parameter counts."""
import pytest

from tutorial import chapters, price as P, pretrained, settings
from tutorial.deutsch import de
from tutorial import spec as S
from tutorial.layers import Conv2D, Dense, Flatten, Reshape
from tutorial.presets import PRESETS

pytestmark = pytest.mark.engine

DEFAULTS = P.Caps(*(settings.SETTINGS[name].default for name in
                    (settings.MAX_PARAMETERS, settings.MAX_TRAINING_MB, settings.MAX_TRAINING_MINUTES)))
# predicted idle seconds (start + epochs) within these factors of the pretrained runs' stored seconds:
# convolutional nets (minutes) closely, dense nets (seconds, stored 8.5-12.4 s for one architecture) loosely
TIME_FACTOR = {"conv": 1.25, "dense": 1.75}


def conv_net(filters: int, kernel: int, convs: int, dense: int, stride: int = 1, padding: str = "same"):
    """Chapter 11's model as its widgets build it."""
    layers = (Reshape(), *[Conv2D(filters, kernel, stride, padding, "relu") for _ in range(convs)], Flatten(),
              Dense(dense, "relu"), Dense(10, "softmax"))
    return S.RunSpec(layers=layers, optimizer="adam", learning_rate=0.01, lr_decay=0.6)


MONSTER = conv_net(128, 9, 4, 1000)     # chapter 11's widgets at their largest: 104 M parameters


@pytest.fixture
def no_cap_settings(monkeypatch):
    for name in (settings.MAX_PARAMETERS, settings.MAX_TRAINING_MB, settings.MAX_TRAINING_MINUTES):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(settings, "_secrets", None)


def test_default_caps_come_from_settings(no_cap_settings, monkeypatch):
    assert P.caps() == DEFAULTS
    assert DEFAULTS.max_minutes == 15
    monkeypatch.setenv("TUTORIAL_MAX_TRAINING_MINUTES", "5")
    monkeypatch.setenv("TUTORIAL_MAX_PARAMETERS", "nonsense")           # ignored: the default stays
    assert P.caps() == P.Caps(DEFAULTS.max_params, DEFAULTS.max_memory_mb, 5)
    assert P.caps(max_minutes=7).max_minutes == 7                       # an explicit value (st.secrets) wins


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_passes_the_default_caps_with_room_to_spare(name):
    spec = PRESETS[name]
    assert P.check(spec, DEFAULTS) is None
    p = P.price(spec)
    assert p.params <= DEFAULTS.max_params / 10
    assert p.memory_mb <= 0.85 * DEFAULTS.max_memory_mb
    assert p.minutes <= DEFAULTS.max_minutes / 2
    assert P.check(spec.quick(), DEFAULTS) is None


@pytest.mark.parametrize("chapter", chapters.exercises(), ids=lambda c: c.key)
def test_every_solution_passes_at_its_default_epochs(chapter):
    solution = PRESETS[chapter.solution]
    assert solution.epochs == 10
    assert P.check(solution, DEFAULTS) is None


def test_the_chapter_11_monster_is_refused_naming_its_parameters():
    refusal = P.check(MONSTER, DEFAULTS)
    assert refusal is not None and refusal.reason == "params"
    assert "104.355.202 Parameter" in refusal.message
    assert "10.000.000" in refusal.message
    assert "Neuronen der dichten Schicht" in refusal.message and "Filter" in refusal.message
    p = P.price(MONSTER)
    assert p.memory_mb > 3 * DEFAULTS.max_memory_mb          # measured: 2.8 GB after two steps, 4.7 GB saving
    assert p.minutes > 60


def test_a_big_convolution_is_refused_for_its_memory():
    spec = conv_net(128, 3, 2, 10, stride=1)    # two stride-1 convolutions of 128 filters, few parameters
    p = P.price(spec)
    assert p.params < DEFAULTS.max_params
    refusal = P.check(spec, DEFAULTS)
    assert refusal.reason == "memory"
    assert f"{de(p.memory_mb)} MB" in refusal.message and "2.000 MB" in refusal.message
    assert "Filter" in refusal.message and "Schrittweite" in refusal.message


def test_a_long_run_is_refused_with_the_epochs_that_fit():
    spec = PRESETS["keras_05_mnist_batch_norm"].with_(epochs=200)
    p = P.price(spec)
    refusal = P.check(spec, DEFAULTS)
    assert refusal.reason == "time"
    most = P.max_epochs(p, DEFAULTS.max_minutes)
    assert 10 < most < 200
    assert f"höchstens {most}" in refusal.message and "Epochen" in refusal.message
    assert "Schnellmodus" in refusal.message
    assert P.check(spec.with_(epochs=most), DEFAULTS) is None
    assert P.check(spec.with_(epochs=most + 1), DEFAULTS).reason == "time"


def test_a_run_whose_first_epoch_is_too_long_says_so():
    spec = conv_net(64, 9, 2, 10, stride=1).with_(epochs=1)
    limits = P.Caps(10 ** 9, 10 ** 6, 1)
    refusal = P.check(spec, limits)
    assert refusal.reason == "time" and "Schon eine Epoche" in refusal.message


def test_caps_from_the_environment_apply(no_cap_settings, monkeypatch):
    monkeypatch.setenv("TUTORIAL_MAX_PARAMETERS", "100000")
    refusal = P.check(PRESETS["keras_02_mnist_dense"])
    assert refusal.reason == "params" and "169.670 Parameter" in refusal.message
    assert "Neuronen" in refusal.message
    assert P.check(PRESETS["keras_01_mnist"]) is None


def test_an_impossible_model_is_refused_not_raised():
    spec = conv_net(8, 9, 4, 10, stride=3, padding="valid")
    refusal = P.check(spec, DEFAULTS)
    assert refusal.reason == "invalid" and "nicht bauen" in refusal.message


def test_memory_grows_with_the_digits_and_the_batch_only_a_little():
    spec = PRESETS["keras_05_mnist_batch_norm"]
    full, small = P.price(spec).memory_mb, P.price(spec.with_(limit=640)).memory_mb
    assert 150 < full - small < 250          # measured: +213 MB for the cached 60,000 digits
    assert 0 < P.price(spec.with_(batch_size=256)).memory_mb - P.price(spec).memory_mb < 100


@pytest.mark.parametrize("name", [n for n in PRESETS if pretrained.history_path(n).is_file()])
def test_idle_seconds_are_within_a_factor_of_the_stored_runs(name):
    stored = pretrained.load_history(name)["seconds"]        # model.fit of 10 epochs on a 2-core box
    spec = PRESETS[name]
    p = P.price(spec)
    factor = TIME_FACTOR["conv" if spec.is_conv else "dense"]
    assert 1 / factor <= (p.seconds - p.finish_seconds) / stored <= factor


def test_summary_names_parameters_and_idle_time():
    assert P.summary(P.price(PRESETS["keras_04_mnist_convolutional"])) == (
        "354.002 Parameter · etwa 2 min 30 s auf einem freien Server")


def test_time_grows_with_the_work():
    base = P.price(PRESETS["keras_04_mnist_convolutional"])
    wider = P.price(conv_net(24, 3, 3, 200))
    assert wider.step_seconds > base.step_seconds
    assert P.price(PRESETS["keras_04_mnist_convolutional"].with_(epochs=20)).seconds > base.seconds
    assert P.price(PRESETS["keras_02_mnist_dense"]).seconds < base.seconds / 5


SPECS_FOR_KERAS = [
    PRESETS["keras_05_mnist_batch_norm"],
    conv_net(7, 5, 2, 30, stride=2, padding="valid"),
    conv_net(3, 9, 1, 20, stride=3),
    S.RunSpec(layers=(Dense(33, "sigmoid"), Dense(10, "softmax", use_bias=False))),
]


@pytest.mark.slow       # nothing trains, but the first TensorFlow import starts a process (uname)
@pytest.mark.parametrize("spec", SPECS_FOR_KERAS, ids=range(len(SPECS_FOR_KERAS)))
def test_parameter_counts_equal_keras(spec):
    from tutorial.models import build_model
    assert P.price(spec).params == build_model(spec).count_params()
