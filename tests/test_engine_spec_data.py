"""The one serialisation of a run spec (RunSpec.to_data / RunSpec.from_data), as the progress store and
Ray jobs use it: every preset round-trips through JSON, a progress file written by the first version
of the app (the JSON store before the database) is imported with its runs intact, and anything but
known layer types with plain values is refused."""
from __future__ import annotations

import json

import pytest

from tutorial import presets
from tutorial.spec import RunSpec
from tutorial.store import legacy
from tutorial.store.limits import token_hash
from tutorial.store.store import Store

pytestmark = pytest.mark.engine

# A progress file as the app wrote it before RunSpec.to_data existed (tutorial/learner.py,
# spec_to_dict: each layer {"type": name, **dataclasses.asdict(layer)}), with a quick run of keras_04.
OLD_FILE = """{"version": 1, "visited": ["ch03", "ch11"], "ran": [], "answers": {}, "guesses": {}, "widgets": {},
 "selections": {"ch11": {"kind": "live", "quick": true, "spec": {"optimizer": "adam", "learning_rate": 0.01,
   "lr_decay": 0.6, "batch_size": 128, "epochs": 3, "limit": 6000, "val_limit": null, "seed": 0, "layers": [
   {"type": "Reshape", "target_shape": [28, 28, 1]},
   {"type": "Conv2D", "filters": 12, "kernel_size": 3, "strides": 1, "padding": "same", "activation": "relu", "use_bias": true},
   {"type": "Conv2D", "filters": 24, "kernel_size": 6, "strides": 2, "padding": "same", "activation": "relu", "use_bias": true},
   {"type": "Conv2D", "filters": 32, "kernel_size": 6, "strides": 2, "padding": "same", "activation": "relu", "use_bias": true},
   {"type": "Flatten"}, {"type": "Dense", "units": 200, "activation": "relu", "use_bias": true},
   {"type": "Dropout", "rate": 0.4}, {"type": "Dense", "units": 10, "activation": "softmax", "use_bias": true}]}},
   "ch03": {"kind": "pretrained", "name": "keras_01_mnist"}},
 "log": [], "session_id": null}"""


def test_every_preset_round_trips_through_json_with_its_key():
    for name, spec in presets.PRESETS.items():
        for variant in (spec, spec.quick(), spec.with_(val_limit=500, seed=3)):
            data = variant.to_data()
            back = RunSpec.from_data(json.loads(json.dumps(data)))
            assert back == variant and back.key == variant.key and back.train_seed == variant.train_seed, name


def test_a_progress_file_of_the_first_version_is_imported_with_its_runs(tmp_path):
    token = "oldlink-abcdefghijklmn"                                   # an old ?lernende= token (22 chars)
    folder = tmp_path / "progress"
    folder.mkdir()
    (folder / f"{token_hash(token)}.json").write_text(OLD_FILE, encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path / 'progress.sqlite3'}")
    assert legacy.import_directory(store, folder)["imported"] == 1
    state = store.load(token)
    assert state.visited == ["ch03", "ch11"]
    live = RunSpec.from_data(state.selections["ch11"]["spec"])
    quick = presets.PRESETS["keras_04_mnist_convolutional"].quick()
    assert live == quick and live.key == quick.key and state.selections["ch11"]["quick"] is True
    assert state.selections["ch03"] == {"kind": "pretrained", "name": "keras_01_mnist"}
    # stored again, the spec is the same data as before (one format, old and new)
    assert live.to_data() == json.loads(OLD_FILE)["selections"]["ch11"]["spec"]
    store.close()


def test_only_known_layers_and_plain_values_of_their_types_are_accepted():
    good = presets.PRESETS["keras_01_mnist"].to_data()
    bad = [
        dict(good, layers=[{"type": "os.system", "command": "rm -rf /"}]),    # not a layer type
        dict(good, layers=[{"type": "Layer"}]),                               # the base class is none
        dict(good, layers=[{"type": "Dense", "units": 10, "code": "print(1)"}]),  # unknown field
        dict(good, layers=[{"type": "Dense", "units": {"__reduce__": 1}}]),   # not a plain value
        dict(good, layers=[{"type": "Dense", "units": "10"}]),                # not the declared type
        dict(good, layers=[{"type": "Dense", "units": True}]),                # a bool is no count
        dict(good, layers=[{"type": "Reshape", "target_shape": [28, "x"]}]),  # a shape of whole numbers
        dict(good, layers=[{"type": "Dense"}]),                               # a required field missing
        dict(good, layers=[["Dense", {"units": 10}]]),                        # not a layer's data
        dict(good, layers=[{"type": ["Dense"], "units": 10}]),                # a type that is no name
        dict(good, layers=[{"type": {"Dense": 1}, "units": 10}]),
        dict(good, layers="Dense"), {k: v for k, v in good.items() if k != "layers"},
        dict(good, extra="x"), dict(good, batch_size=12.5), dict(good, seed=None),
        dict(good, optimizer="__import__('os')"),                             # RunSpec's own check
        [good], None, "spec",
    ]
    for data in bad:
        with pytest.raises(ValueError):
            RunSpec.from_data(data)
    with pytest.raises(TypeError):
        presets.PRESETS["keras_01_mnist"].with_(learning_rate=object()).to_data()
