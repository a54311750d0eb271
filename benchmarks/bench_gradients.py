"""Timings of lstm_viz.gradients on a long sequence (prints figures; no asserts).

    python benchmarks/bench_gradients.py [--steps 1000] [--hidden 128] [--repeat 3]

Target: jacobian_norms(ord="fro") for an LSTM with T=1000, H=128 under 0.5 s.
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
    jacobian_norms,
)


def best_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--inputs", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    T, H, I = args.steps, args.hidden, args.inputs
    x = np.random.default_rng(0).standard_normal((T, I))
    print(f"T={T} H={H} I={I}, float64, best of {args.repeat}")
    for model in (LSTM(I, H, seed=0), GRU(I, H, seed=0), RNN(I, H, seed=0)):
        trace = model.forward(x)
        name = model.kind.upper()
        t_fro = best_time(lambda: jacobian_norms(model, x, trace=trace), args.repeat)
        t_two = best_time(lambda: jacobian_norms(model, x, ord=2, trace=trace), args.repeat)
        t_contrib = best_time(lambda: gradient_contributions(model, x, trace=trace), args.repeat)
        t_total = best_time(lambda: jacobian_norms(model, x), args.repeat)
        flag = "  (target < 0.5 s: " + ("met" if t_fro < 0.5 else "MISSED") + ")" if name == "LSTM" else ""
        print(f"{name:4s} jacobian_norms fro {t_fro:6.3f} s{flag}")
        print(f"{name:4s} jacobian_norms 2   {t_two:6.3f} s")
        print(f"{name:4s} jacobian_norms fro incl. forward {t_total:6.3f} s")
        print(f"{name:4s} gradient_contributions {t_contrib:6.3f} s")
        if name == "LSTM":
            t_cell = best_time(lambda: cell_jacobian_norms(model, x, trace=trace), args.repeat)
            print(f"{name:4s} cell_jacobian_norms fro {t_cell:6.3f} s")


if __name__ == "__main__":
    main()
