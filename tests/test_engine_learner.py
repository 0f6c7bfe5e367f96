"""The one serialisation of a run spec (RunSpec.to_data / RunSpec.from_data), as progress files and
Ray jobs use it: every preset round-trips through JSON, a progress file written by the first version
of the app is still read, and anything but known layer types with plain values is refused."""
from __future__ import annotations

import json

import pytest

from tutorial import learner, presets
from tutorial.spec import RunSpec

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


def test_a_progress_file_of_the_first_version_is_still_read(monkeypatch, tmp_path):
    monkeypatch.setenv("TUTORIAL_PROGRESS_DIR", str(tmp_path))
    token = learner.new_token()
    learner.path(token).parent.mkdir(parents=True, exist_ok=True)
    learner.path(token).write_text(OLD_FILE, encoding="utf-8")
    data = learner.load(token)
    assert data["visited"] == ["ch03", "ch11"]
    live = learner.selection_from_dict(data["selections"]["ch11"])
    quick = presets.PRESETS["keras_04_mnist_convolutional"].quick()
    assert live["spec"] == quick and live["spec"].key == quick.key and live["quick"] is True
    assert learner.selection_from_dict(data["selections"]["ch03"]) == {"kind": "pretrained", "name": "keras_01_mnist"}
    # written again, the file holds the same spec data as before (one format, old and new)
    learner.save(token, dict(data, selections={"ch11": learner.selection_to_dict(live)}))
    again = json.loads(learner.path(token).read_text(encoding="utf-8"))
    assert again["selections"]["ch11"]["spec"] == json.loads(OLD_FILE)["selections"]["ch11"]["spec"]


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
        dict(good, layers="Dense"), {k: v for k, v in good.items() if k != "layers"},
        dict(good, extra="x"), dict(good, batch_size=12.5), dict(good, seed=None),
        dict(good, optimizer="__import__('os')"),                             # RunSpec's own check
        [good], None, "spec",
    ]
    for data in bad:
        with pytest.raises(ValueError):
            RunSpec.from_data(data)
    stored = {"kind": "live", "spec": dict(good, layers=[{"type": "os"}])}
    assert learner.selection_from_dict(stored) is None                     # a bad file: no run, no traceback
    with pytest.raises(TypeError):
        presets.PRESETS["keras_01_mnist"].with_(learning_rate=object()).to_data()
