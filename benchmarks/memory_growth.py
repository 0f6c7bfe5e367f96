"""Memory of a server that trains many models: in-process training vs. the app's child process.

TensorFlow keeps memory of every model it has fitted. Part 1 trains 30 small ``keras_05`` runs
(640 digits, one epoch, new seed each) in one process, as a naive server would. Part 2 sends the
same 30 runs through the app's :class:`tutorial.jobs.LocalTrainer` (training in a reused child that is
replaced above ``tutorial.worker.RECYCLE_MB``). Part 3 trains the full ``keras_05`` preset for one
epoch through the local trainer and reports the peak RSS of the server process and of the child.
Each part runs in a fresh process.
"""
from __future__ import annotations

import json
import subprocess
import sys

from common import ROOT, machine, write_section

PRELUDE = r"""
import gc, json, os, resource, sys
sys.path.insert(0, {root!r})
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
from tutorial.presets import PRESETS
from tutorial.worker import rss_mb
SMALL = PRESETS["keras_05_mnist_batch_norm"].with_(epochs=1, limit=640, val_limit=1000)
"""

IN_PROCESS = PRELUDE + r"""
from tutorial.training import train
points = []
for i in range(30):
    result = train(SMALL.with_(seed=i)); del result; gc.collect()
    if i % 5 == 4:
        points.append([round(rss_mb(os.getpid()))])
print(json.dumps(points))
"""

THROUGH_TRAINER = PRELUDE + r"""
from tutorial.jobs import LocalTrainer
from tutorial.worker import ProcessTrainer
def main():
    child = ProcessTrainer()
    trainer = LocalTrainer(backend=lambda threads: child, max_jobs=8, parallel=1)
    points = []
    for i in range(30):
        job = trainer.submit(SMALL.with_(seed=i)); job.wait(); assert job.state == "done", job.message
        if i % 5 == 4:
            gc.collect()
            points.append([round(rss_mb(os.getpid())), round(rss_mb(child.child_pid or 0))])
    print(json.dumps({"points": points, "children": child.children_started}))
    trainer.close()
if __name__ == "__main__":
    main()
"""

FULL_PEAK = PRELUDE + r"""
from tutorial.jobs import LocalTrainer
def main():
    trainer = LocalTrainer()
    job = trainer.submit(PRESETS["keras_05_mnist_batch_norm"].with_(epochs=1)); job.wait()
    assert job.state == "done", job.message
    trainer.close()
    print(json.dumps({"server": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "child": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                      "val_accuracy": job.result.history["epochs"][-1]["val_accuracy"]}))
if __name__ == "__main__":
    main()
"""


def run(code: str):
    script = ROOT / "benchmarks" / "_memory_growth_child.py"
    script.write_text(code.replace("{root!r}", repr(str(ROOT))), encoding="utf-8")
    try:
        out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True)
    finally:
        script.unlink()
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    naive, app, peak = run(IN_PROCESS), run(THROUGH_TRAINER), run(FULL_PEAK)
    rows = "\n".join(f"| {5 * (i + 1)} | {n[0]} MB | {a[0]} MB | {a[1]} MB |"
                     for i, (n, a) in enumerate(zip(naive, app["points"])))
    body = (f"Machine: {machine()}\n\n"
            "30 small `keras_05` trainings (640 digits, 1 epoch, a new seed each), RSS after every fifth.\n\n"
            "| trainings | in-process server | app: server process | app: training child |\n|---|---|---|---|\n"
            f"{rows}\n\n"
            f"In-process the server grows by about {(naive[-1][0] - naive[0][0]) / 25:.0f} MB per training and "
            f"never gives it back. Through the Trainer the child was started {app['children']}× "
            "(replaced after a job whenever it had grown past 1,000 MB); the server process levels off "
            "(it keeps the finished models of the last 8 jobs here).\n\n"
            f"Full `keras_05` (60,000 digits, batch 64), one epoch through the Trainer: peak RSS of the server "
            f"process {peak['server']:.0f} MB, of the training child {peak['child']:.0f} MB "
            f"(val accuracy {peak['val_accuracy']:.4f}). Target: training ≤ 1,536 MB.")
    write_section("Memory over many trainings", body)


if __name__ == "__main__":
    main()
