"""Training through the Ray backend vs. the local training child, and Ray's start-up cost.

Both paths as the app uses them, click → result (``submit`` until the job is done and its model
bytes are on the server): the local :class:`tutorial.jobs.LocalTrainer` (one training child, warm) and
:class:`tutorial.cluster.client.RayTrainer` against a Ray head on this machine (``LocalHead``, all cores,
one training at a time using all of them, warm worker). A poller reads the job snapshot twice a
second like the page's fragment. Runs alternate, each with a new seed (no cached job); the ratio
of medians is reported. Also: seconds to start the head, to connect the first app server (bridge
process + ``ray.init``), and the first (cold) training through each path. Target: ratio ≤ 1.15.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time

from common import machine, write_section


def click_to_result(trainer, spec) -> float:
    t0 = time.perf_counter()
    job = trainer.submit(spec, owner="bench")
    while not job.wait(0.5):
        job.snapshot()
    assert job.state == "done", job.message
    assert job.result.weights or job.result.model is not None
    return time.perf_counter() - t0


def main() -> None:
    from tutorial import settings
    from tutorial.cluster.client import RayTrainer
    from tutorial.cluster.head import LocalHead
    from tutorial.jobs import LocalTrainer
    from tutorial.presets import PRESETS
    parser = argparse.ArgumentParser()
    parser.add_argument("--preset", default="keras_02_mnist_dense")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    spec = PRESETS[args.preset].with_(epochs=args.epochs)
    cores = settings.cores()

    head = LocalHead(num_cpus=cores, object_store_mb=300)
    os.environ.update(head.env)
    local = LocalTrainer(parallel=1)
    ray_trainer = RayTrainer(head.address, namespace=f"bench-{os.getpid()}", parallel=1, cpus=cores)
    try:
        t0 = time.perf_counter()
        assert ray_trainer.connect(), "no connection to the local Ray head"
        connect = time.perf_counter() - t0
        cold_local = click_to_result(local, spec.with_(seed=100))
        cold_ray = click_to_result(ray_trainer, spec.with_(seed=101))
        local_runs, ray_runs = [], []
        for i in range(args.repeats):
            local_runs.append(click_to_result(local, spec.with_(seed=200 + i)))
            ray_runs.append(click_to_result(ray_trainer, spec.with_(seed=300 + i)))
    finally:
        ray_trainer.close()
        local.close()
        head.stop()
    ratio = statistics.median(ray_runs) / statistics.median(local_runs)
    load = os.getloadavg()[0]
    body = (f"Machine: {machine()}; load average at the end {load:.1f} (other jobs on the box).\n\n"
            f"Preset `{args.preset}`, {args.epochs} epoch(s), click → result (model bytes on the server), "
            f"{args.repeats} alternating warm runs each; one training at a time with all {cores} cores.\n\n"
            f"| path | cold first run (s) | warm runs (s) | median |\n|---|---|---|---|\n"
            f"| local training child (`jobs.LocalTrainer`) | {cold_local:.1f} | {', '.join(f'{x:.1f}' for x in local_runs)} | "
            f"{statistics.median(local_runs):.1f} |\n"
            f"| Ray backend (`cluster.client.RayTrainer`, local head) | {cold_ray:.1f} | "
            f"{', '.join(f'{x:.1f}' for x in ray_runs)} | {statistics.median(ray_runs):.1f} |\n\n"
            f"**Ratio Ray / local: {ratio:.3f}** (medians of the warm runs; target ≤ 1.15). "
            f"Ratio of the fastest runs: {min(ray_runs) / min(local_runs):.3f}.\n\n"
            f"Ray start-up: head {head.start_seconds:.1f} s (`ray.init` of a {cores}-CPU head), first app server "
            f"connected {connect:.1f} s later (bridge process, `ray.init(address=…)`, job table actor).")
    write_section(f"Ray backend overhead: {args.preset}", body)


if __name__ == "__main__":
    main()
