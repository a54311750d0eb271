"""Engine speed: lstm_viz LSTM/GRU/RNN against torch.nn on CPU, float32, same process.

    python benchmarks/bench_engine.py [--repeats 7] [--no-extra] [--threads N]

For each case it prints the median wall time of several repeats for NumPy and torch (run
alternately, so both see the same load) and
the ratio numpy / torch (the target is <= 3 for the LSTM cases). torch runs with as many
threads as NumPy's BLAS uses (the script says how many). Timings on a shared machine are
noisy: compare ratios from the same run, not absolute times across runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path


def _threads_from_argv() -> None:
    """--threads N must reach OpenBLAS/OpenMP before numpy is imported."""
    if "--threads" in sys.argv[:-1]:
        count = sys.argv[sys.argv.index("--threads") + 1]
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[name] = count


_threads_from_argv()

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lstm_viz.nn import GRU, LSTM, RNN  # noqa: E402


@dataclass(frozen=True)
class Case:
    name: str
    steps: int  # T
    batch: int  # B
    inputs: int  # I
    hidden: int  # H
    with_backward: bool
    num_layers: int = 1
    bidirectional: bool = False
    target: float = 3.0  # the ratio to torch this case must stay within


LSTM_CASES = (
    Case("forward T=1000 B=1 I=64 H=128", 1000, 1, 64, 128, False),
    Case("forward T=200 B=32 I=64 H=256", 200, 32, 64, 256, False),
    Case("fwd+bwd T=64 B=32 I=64 H=256", 64, 32, 64, 256, True),
)
# The family: 2 layers, bidirectional (targets of the family issue: within 1.5x of torch).
STACK_CASES = (
    Case("L=2 bi forward T=200 B=32 H=256", 200, 32, 64, 256, False, 2, True, 1.5),
    Case("L=2 bi fwd+bwd T=200 B=32 H=256", 200, 32, 64, 256, True, 2, True, 1.5),
)


def numpy_threads() -> int:
    """Threads NumPy's BLAS will use (threadpoolctl if present, else the usual env vars)."""
    try:
        from threadpoolctl import threadpool_info

        counts = [info["num_threads"] for info in threadpool_info() if info.get("user_api") == "blas"]
        if counts:
            return max(counts)
    except ImportError:
        pass
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        if os.environ.get(name, "").isdigit():
            return int(os.environ[name])
    return os.cpu_count() or 1


def interleaved_medians(run_a, run_b, repeats: int) -> tuple[float, float]:
    """Median seconds of run_a and run_b, alternating them so both see the same machine load."""
    run_a(), run_b()  # warm-up
    times_a, times_b = [], []
    for _ in range(repeats):
        for run, times in ((run_a, times_a), (run_b, times_b)):
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
    return statistics.median(times_a), statistics.median(times_b)


def bench_case(numpy_cls, torch_cls, case: Case, repeats: int, torch) -> tuple[float, float]:
    shape = {"num_layers": case.num_layers, "bidirectional": case.bidirectional}
    model = numpy_cls(case.inputs, case.hidden, seed=0, dtype=np.float32, **shape)
    x = np.random.default_rng(0).standard_normal((case.steps, case.batch, case.inputs)).astype(np.float32)
    torch_model = torch_cls(case.inputs, case.hidden, **shape)
    torch_model.load_state_dict(model.to_torch_state_dict())
    x_torch = torch.from_numpy(x)
    dh = np.ones((case.steps, case.batch, model.output_size), dtype=np.float32)
    dh_torch = torch.from_numpy(dh)

    if case.with_backward:
        def run_numpy():
            model.backward(model.forward(x), dh)

        def run_torch():
            torch_model.zero_grad(set_to_none=True)
            x_grad = x_torch.clone().requires_grad_(True)  # the engine returns dx too
            output, _ = torch_model(x_grad)
            output.backward(dh_torch)
    else:
        def run_numpy():
            model.forward(x)

        def run_torch():
            with torch.no_grad():
                torch_model(x_torch)

    return interleaved_medians(run_numpy, run_torch, repeats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--no-extra", action="store_true", help="skip the GRU / RNN rows")
    parser.add_argument("--threads", type=int, help="BLAS threads for numpy and torch (default: numpy's)")
    args = parser.parse_args()
    try:
        import torch
    except ImportError:
        print("torch is not installed: nothing to compare against")
        return
    threads = numpy_threads()
    torch.set_num_threads(threads)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"numpy {np.__version__}, torch {torch.__version__}, float32, CPU ({os.cpu_count()} cores, load {load:.1f}); "
          f"threads: numpy BLAS {threads}, torch {torch.get_num_threads()}; "
          f"median of {args.repeats} repeats")
    if load > (os.cpu_count() or 1) and threads > 1:
        print("note: the machine is loaded; multi-threaded BLAS then mostly measures contention "
              "(try --threads 1)")
    rows = [("LSTM", LSTM, torch.nn.LSTM, case) for case in LSTM_CASES + STACK_CASES]
    if not args.no_extra:
        rows += [(name, cls, torch_cls, case)
                 for name, cls, torch_cls in (("GRU", GRU, torch.nn.GRU), ("RNN", RNN, torch.nn.RNN))
                 for case in LSTM_CASES]
    print(f"{'model':5} {'case':32} {'numpy ms':>10} {'torch ms':>10} {'ratio':>7}")  # same-run ratios
    for name, cls, torch_cls, case in rows:
        numpy_time, torch_time = bench_case(cls, torch_cls, case, args.repeats, torch)
        ratio = numpy_time / torch_time
        flag = "" if name != "LSTM" else (f"  ok (<= {case.target:g}x)" if ratio <= case.target
                                          else f"  SLOW (> {case.target:g}x)")
        print(f"{name:5} {case.name:32} {numpy_time * 1e3:10.2f} {torch_time * 1e3:10.2f} {ratio:7.2f}{flag}")


if __name__ == "__main__":
    main()
