"""Command line: ``python -m tutorial pretrain | train PRESET | evaluate | export PRESET | notebooks``."""
from __future__ import annotations

import argparse
import json
import sys
import time


def cmd_train(args) -> None:
    from tutorial.presets import PRESETS
    from tutorial.training import train
    spec = PRESETS[args.preset]
    changes = {k: v for k, v in {"epochs": args.epochs, "limit": args.limit}.items() if v}
    spec = spec.with_(**changes)
    t0 = time.perf_counter()
    result = train(spec)
    print(json.dumps({"preset": args.preset, "epochs": spec.epochs, "status": result.status,
                      "val_accuracy": [round(e["val_accuracy"], 4) for e in result.history["epochs"]],
                      "seconds": round(time.perf_counter() - t0, 1)}))


def test_accuracy(model) -> float:
    import numpy as np
    from tutorial import data
    from tutorial.models import predict_proba
    images, labels = data.load_arrays("test")
    return float(np.mean(predict_proba(model, data.to_model_input(images)).argmax(1) == labels))


def cmd_pretrain(args) -> None:
    from tutorial import pretrained
    from tutorial.presets import PRESETS
    from tutorial.spec import param_count
    from tutorial.training import train
    names = args.names or list(PRESETS)
    unknown = sorted(set(names) - set(PRESETS))
    if unknown:
        raise SystemExit(f"unknown preset(s): {', '.join(unknown)}; choose from {', '.join(PRESETS)}")
    for name in names:
        t0 = time.perf_counter()
        result = train(PRESETS[name])
        history = dict(result.history, preset=name, params=param_count(PRESETS[name]),
                       test_accuracy=test_accuracy(result.model), machine=_machine())
        pretrained.save(name, result.model, history)
        print(json.dumps({"preset": name, "status": result.status, "test_accuracy": round(history["test_accuracy"], 4),
                          "seconds": round(time.perf_counter() - t0, 1)}), flush=True)


def cmd_evaluate(args) -> None:
    from tutorial import pretrained
    from tutorial.presets import TARGET_ACCURACY
    for name in pretrained.available():
        acc = test_accuracy(pretrained.load_model(name))
        target = TARGET_ACCURACY.get(name)
        print(f"{name:40s} {acc:.4f}" + (f"  (Ziel ≥ {target:.3f})" if target else ""), flush=True)


def cmd_export(args) -> None:
    from pathlib import Path
    from tutorial import export, notebook
    from tutorial.presets import PRESETS
    spec = PRESETS[args.preset]
    if args.output and Path(args.output).suffix == ".ipynb":
        node = notebook.notebook(spec, epochs=args.epochs, limit=args.limit)
        Path(args.output).write_text(notebook.text(node), encoding="utf-8")
        print(f"{args.output} geschrieben – öffnen in Jupyter oder Colab (Datei → Notebook hochladen)")
    elif args.output:
        Path(args.output).write_text(export.script(spec, Path(args.output).name, args.epochs, args.limit),
                                     encoding="utf-8")
        print(f"{args.output} geschrieben – starten mit: python {args.output} --epochs 1 --limit 3000")
    else:
        sys.stdout.write(export.script(spec, epochs=args.epochs, limit=args.limit))


def cmd_notebooks(args) -> None:
    from tutorial import notebook
    for path in notebook.write_stored(args.names or None, run=not args.no_run, epochs=args.epochs,
                                      limit=args.limit):
        print(f"{path} geschrieben", flush=True)


def _machine() -> str:
    import os
    import platform
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def _positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def main(argv=None) -> int:
    from tutorial.presets import PRESETS
    parser = argparse.ArgumentParser(prog="python -m tutorial")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("train", help="train one preset headless, print one JSON line")
    p.add_argument("preset", choices=sorted(PRESETS))
    p.add_argument("--epochs", type=int)
    p.add_argument("--limit", type=int, help="use only the first N training digits")
    p.set_defaults(func=cmd_train)
    p = sub.add_parser("pretrain", help="train the presets fully and store them in assets/models")
    p.add_argument("names", nargs="*", metavar="PRESET", help="default: all presets")
    p.set_defaults(func=cmd_pretrain)
    p = sub.add_parser("evaluate", help="test accuracy of every pretrained model")
    p.set_defaults(func=cmd_evaluate)
    p = sub.add_parser("export", help="write one preset as a complete Python script or a notebook")
    p.add_argument("preset", choices=sorted(PRESETS))
    p.add_argument("-o", "--output", help="file to write, .py or .ipynb (default: print the script)")
    p.add_argument("--epochs", type=_positive, help="epochs in the settings (default: the preset's)")
    p.add_argument("--limit", type=_positive, help="training digits in the settings (default: all)")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("notebooks", help="write the five codelab stages to notebooks/, run in full")
    p.add_argument("names", nargs="*", metavar="PRESET", help="default: all five")
    p.add_argument("--no-run", action="store_true", help="write them without outputs")
    p.add_argument("--epochs", type=_positive, help="a shorter run for the outputs (the notebook says so)")
    p.add_argument("--limit", type=_positive, help="a shorter run for the outputs (the notebook says so)")
    p.set_defaults(func=cmd_notebooks)
    args = parser.parse_args(argv)
    args.func(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
