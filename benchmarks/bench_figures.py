"""How heavy are the Gate heatmaps and Vanishing gradients pages? Prints build times and payload sizes.

    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_figures.py

Heatmaps: the worst case the page draws (6 panels x 64 units x 400 steps): time to build the figure
and size of its JSON (what the browser receives). Gradients: one cached study (Jacobian norms with
SVDs, per-step contributions, forget-gate product) per model kind and hidden size, at the page's
step caps. Wall-clock numbers depend on the machine's load; run it on a quiet machine.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lstm_viz import GRU, LSTM, RNN  # noqa: E402
from lstm_viz.analysis.gradient_study import compute_study  # noqa: E402
from lstm_viz.ui import budget  # noqa: E402
from lstm_viz.figures import gate_heatmaps as figures  # noqa: E402

HIDDEN_SIZES = (32, 64, 128, 192, 256)


def bench_heatmaps(n_steps: int = 400, n_units: int = 64) -> None:
    rng = np.random.default_rng(0)
    labels = [chr(97 + i % 26) for i in range(n_steps)]
    panels = [figures.HeatmapPanel(name, name, rng.random((n_steps, n_units)).astype(np.float32),
                                   "gate" if name in "fio" else "signed", None if name == "c" else 1.0)
              for name in "fiogch"]
    start = time.perf_counter()
    fig = figures.state_heatmaps(panels, labels, np.arange(n_units))
    built = time.perf_counter() - start
    start = time.perf_counter()
    payload = fig.to_json()
    serialised = time.perf_counter() - start
    print(f"heatmaps 6 x {n_units} units x {n_steps} steps: build {built * 1e3:.0f} ms, "
          f"to_json {serialised * 1e3:.0f} ms, {len(payload) / 1e6:.2f} MB")


def bench_gradients(input_size: int = 16, n_steps: int = 400) -> None:
    x = np.random.default_rng(0).normal(size=(n_steps, input_size)) * 0.5  # (T, I)
    for hidden in HIDDEN_SIZES:
        cap = budget.chain_window_cap(budget.cells_of(LSTM(input_size, hidden))[0])  # as the page
        times = []
        for cls in (RNN, LSTM, GRU):
            model = cls(input_size, hidden, seed=0)
            start = time.perf_counter()
            compute_study(model, x, 1.0, cap)
            times.append(time.perf_counter() - start)
        print(f"gradient studies H={hidden:3d}, last {cap:3d} steps: RNN {times[0]:.2f} s, "
              f"LSTM {times[1]:.2f} s, GRU {times[2]:.2f} s")


if __name__ == "__main__":
    threads = os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS") or "default"
    print(f"bench_figures: numpy {np.__version__}, {os.cpu_count()} CPUs, BLAS threads {threads}")
    bench_heatmaps()
    bench_gradients()
