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


# --- the price where it is used: refusal, chapter maxima, one time source, guards ------------------------
def test_require_raises_the_refusal_as_a_typed_exception():
    with pytest.raises(P.TrainingRefused) as caught:
        P.require(MONSTER, DEFAULTS)
    assert caught.value.refusal.reason == "params" and str(caught.value) == caught.value.refusal.message
    P.require(PRESETS["keras_05_mnist_batch_norm"], DEFAULTS)     # within the caps: nothing happens


@pytest.mark.parametrize("chapter", chapters.exercises() + (chapters.by_number(3),), ids=lambda c: c.key)
def test_every_exercise_has_an_epoch_maximum_its_solution_trains_within(chapter):
    solution = PRESETS[chapter.solution or chapter.presets[0]]
    assert chapter.max_epochs is not None and 1 <= chapter.max_epochs <= 30
    longest = solution.with_(epochs=chapter.max_epochs)
    assert P.check(longest, DEFAULTS) is None
    assert P.price(longest).minutes <= 0.6 * DEFAULTS.max_minutes      # room for the learner's variants


def test_the_epoch_maxima_of_the_convolutional_chapters():
    assert [chapters.by_number(n).max_epochs for n in (3, 6, 7, 8, 9, 11, 12, 13)] == [30] * 5 + [20, 20, 15]


def test_estimate_takes_its_idle_seconds_from_the_price():
    from tutorial import estimate
    for name in ("keras_02_mnist_dense", "keras_04_mnist_convolutional", "keras_05_mnist_batch_norm"):
        assert estimate.epoch_seconds(name) == P.price(PRESETS[name]).epoch_seconds
    assert estimate.epoch_seconds("no_such_preset") == 0.0
    p = P.price(PRESETS["keras_04_mnist_convolutional"])
    assert estimate.prior(p.spec, 1.5) == pytest.approx(
        {"step": 1.5 * p.step_seconds, "val": 1.5 * p.val_seconds, "finish": 1.5 * p.finish_seconds})


def test_time_limit_is_twice_the_price_at_least_a_minute_and_longer_with_fewer_threads():
    from tutorial.result import time_limit
    assert time_limit(300) == 600 and time_limit(300, threads=1) == 1200 and time_limit(300, threads=8) == 600
    assert time_limit(5) == 60 and time_limit(0) is None
    for name in PRESETS:                   # every preset: a limit well above its measured (stored) seconds
        stored = pretrained.load_history(name)["seconds"]
        assert time_limit(P.price(PRESETS[name]).seconds, threads=1) > 3 * stored


def test_memory_cap_and_child_limit_on_a_small_box(no_cap_settings, monkeypatch):
    monkeypatch.delenv(settings.CHILD_MEMORY_MB, raising=False)
    monkeypatch.setenv(settings.MEMORY_LIMIT_MB, "2700")                 # Community Cloud
    assert settings.max_training_mb() == 2700 - settings.SERVER_MB == 1700
    assert settings.child_memory_mb() == 1700                           # never more than the box leaves
    monkeypatch.setenv(settings.MEMORY_LIMIT_MB, "16000")
    assert settings.max_training_mb() == 2000 and settings.child_memory_mb() == 2500    # cap + 25 %
    monkeypatch.setenv(settings.MAX_TRAINING_MB, "1200")
    assert settings.max_training_mb() == 1200 and settings.child_memory_mb() == 1500
    monkeypatch.setenv(settings.CHILD_MEMORY_MB, "3000")
    assert settings.child_memory_mb() == 3000
    for name in PRESETS:                    # the largest preset run on all digits fits with room
        assert P.price(PRESETS[name]).memory_mb < 0.7 * settings.max_training_mb(2000)
