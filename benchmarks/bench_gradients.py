"""Timings of lstm_viz.analysis.jacobians on a long sequence (prints figures; no asserts).

    python benchmarks/bench_gradients.py [--steps 1000] [--hidden 128] [--repeat 3]

Target: jacobian_norms(ord="fro") for an LSTM with T=1000, H=128 under 0.5 s.

Prints wall-clock and process CPU time (best of --repeat). On a shared machine the wall
time depends on the load; with one BLAS thread (OPENBLAS_NUM_THREADS=1) the CPU time is a
fair estimate of the time on an idle core. Multi-threaded BLAS on an overloaded machine can
be many times slower than one thread: the script prints the load average as a warning.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from lstm_viz import GRU, LSTM, RNN  # noqa: E402
from lstm_viz.gradients import (  # noqa: E402
    cell_jacobian_norms,
    gradient_contributions,
    input_connectivity,
    jacobian_norms,
    stack_jacobian_norms,
)


def best_time(fn, repeat: int) -> tuple[float, float]:
    """(best wall-clock seconds, best CPU seconds) over ``repeat`` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - start_wall)
        cpus.append(time.process_time() - start_cpu)
    return min(walls), min(cpus)


def show(label: str, times: tuple[float, float], note: str = "") -> None:
    print(f"{label:44s} wall {times[0]:6.3f} s   cpu {times[1]:6.3f} s{note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--inputs", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    T, H, I = args.steps, args.hidden, args.inputs
    x = np.random.default_rng(0).standard_normal((T, I))
    threads = os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS") or "default"
    print(f"T={T} H={H} I={I}, best of {args.repeat}, BLAS threads: {threads}")
    if hasattr(os, "getloadavg"):
        load = os.getloadavg()[0]
        cores = os.cpu_count() or 1
        if load > cores:
            print(f"warning: load average {load:.1f} on {cores} cores: wall times are inflated")
    for model in (LSTM(I, H, seed=0), GRU(I, H, seed=0), RNN(I, H, seed=0)):
        trace = model.forward(x)
        name = model.kind.upper()
        fro = best_time(lambda: jacobian_norms(model, x, trace=trace), args.repeat)
        note = ""
        if name == "LSTM":
            note = "   target < 0.5 s: " + ("met" if min(fro) < 0.5 else "missed") + " (best of wall/cpu)"
        show(f"{name} jacobian_norms fro", fro, note)
        show(f"{name} jacobian_norms fro, float32 chain",
             best_time(lambda: jacobian_norms(model, x, trace=trace, dtype=np.float32), args.repeat))
        show(f"{name} jacobian_norms 2", best_time(lambda: jacobian_norms(model, x, ord=2, trace=trace), args.repeat))
        show(f"{name} forward + jacobian_norms fro", best_time(lambda: jacobian_norms(model, x), args.repeat))
        show(f"{name} gradient_contributions", best_time(lambda: gradient_contributions(model, x, trace=trace),
                                                         args.repeat))
        if name == "LSTM":
            show(f"{name} cell_jacobian_norms fro",
                 best_time(lambda: cell_jacobian_norms(model, x, trace=trace), args.repeat))
    # Connectivity (the learning issue's target: T=500, H=128 under 2 s) on the app's 16-wide inputs.
    steps, inputs = min(T, 500), 16
    x_conn = np.random.default_rng(1).standard_normal((steps, inputs))
    for model in (LSTM(inputs, H, seed=0), GRU(inputs, H, seed=0), RNN(inputs, H, seed=0)):
        trace = model.forward(x_conn)
        name = f"{model.kind.upper()} input_connectivity T={steps} I={inputs}"
        show(name, best_time(lambda: input_connectivity(model, x_conn, trace=trace), 1), "   target < 2 s")
        show(name + " float32", best_time(lambda: input_connectivity(model, x_conn, trace=trace, dtype=np.float32), 1))
    # Jacobian norms through a stack (2 layers, bidirectional) by the seeded backward.
    stack = LSTM(inputs, H, num_layers=2, bidirectional=True, seed=0)
    x_stack = x_conn[:200]
    show(f"LSTM L=2 bi stack_jacobian_norms T={len(x_stack)}", best_time(lambda: stack_jacobian_norms(stack, x_stack), 1))


if __name__ == "__main__":
    main()
