"""Training benchmarks: long lags (RNN vs LSTM vs GRU) and the cost of one training step vs PyTorch.

    python benchmarks/bench_training.py                 # everything (a few minutes)
    python benchmarks/bench_training.py --quick         # fewer steps, for a smoke run
    python benchmarks/bench_training.py --only step     # just the step-time comparison

Prints
1. the wall time for an LSTM (H=32, Adam lr 1e-2, batches of 32, clipping at 1.0) to reach a test
   MSE below 0.01 on the adding problem with T=50 (the predict-1.0 baseline is 0.167);
2. the final test numbers of RNN, LSTM and GRU after the same number of steps on the adding
   problem (MSE, share within ±0.04), the first-symbol task (accuracy; chance 25 %) and the balanced
   brackets task (accuracy; chance 50 %), T=50;
3. the LSTM with forget-gate bias 0.0 vs 1.0 on the adding problem (the Train page's toggle);
4. one training step (embedding + LSTM + softmax head at every step, forward + backward + Adam)
   at B=32, T=64, H=256, vocabulary 100, against the same model in PyTorch on the CPU (if installed).

BLAS threads default to 1 (``--threads``) for both NumPy and PyTorch: on a shared machine,
multi-threaded BLAS on these small matrices mostly waits for busy cores.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=["reach", "compare", "fbias", "step"], help="run one part only")
    parser.add_argument("--quick", action="store_true", help="fewer steps (smoke run)")
    parser.add_argument("--length", type=int, default=50, help="sequence length T (lag) for parts 1-2")
    parser.add_argument("--steps", type=int, default=1500, help="training steps per model in part 2")
    parser.add_argument("--threads", type=int, default=1, help="BLAS / torch threads")
    return parser.parse_args()


ARGS = _parse_args() if __name__ == "__main__" else None
if ARGS is not None:
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, str(ARGS.threads))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from lstm_viz.data.tasks import AddingProblem, BracketsTask, FirstSymbolTask  # noqa: E402
from lstm_viz.nn.optim import Adam  # noqa: E402
from lstm_viz.nn.sequence import SequenceModel  # noqa: E402
from lstm_viz.nn.training import TrainConfig, evaluate, model_for_task, train  # noqa: E402


def time_to_reach(length: int, target_mse: float = 0.01, max_steps: int = 5000, check_every: int = 50, seed: int = 0):
    """Train an LSTM on the adding problem until the test MSE is below target_mse; (seconds, steps, mse)."""
    task = AddingProblem(length=length)
    model = model_for_task(task, "lstm", 32, seed=seed)
    state = {"mse": float("nan"), "step": 0, "eval_seconds": 0.0}

    def check(step, loss, metric):
        t0 = time.perf_counter()
        state["mse"], _ = evaluate(model, task, batch_size=256)
        state["step"] = step
        state["eval_seconds"] += time.perf_counter() - t0
        return state["mse"] >= target_mse

    start = time.perf_counter()
    train(model, task, TrainConfig(steps=max_steps, batch_size=32, lr=1e-2, clip_norm=1.0, seed=seed,
                                   log_every=check_every), callback=check)
    seconds = time.perf_counter() - start
    return seconds, state["step"], state["mse"], state["eval_seconds"]


def compare_models(length: int, steps: int, seed: int = 0) -> list[tuple]:
    rows = []
    for task in (AddingProblem(length=length), FirstSymbolTask(length=length), BracketsTask(length=length + length % 2)):
        for kind in ("rnn", "lstm", "gru"):
            model = model_for_task(task, kind, 32, seed=seed)
            result = train(model, task, TrainConfig(steps=steps, batch_size=32, lr=1e-2, clip_norm=1.0, seed=seed))
            loss, metric = evaluate(model, task, batch_size=1024)
            rows.append((task.name, kind, result.steps, result.seconds, loss, metric, result.stopped))
            print(f"  {task.name:<13} {kind.upper():<5} steps {result.steps:>5}  {result.seconds:6.1f} s  "
                  f"test loss {loss:.4f}  {'within ±0.04' if task.kind == 'regression' else 'accuracy'} {metric:.3f}"
                  + (f"  ({result.stopped})" if result.stopped else ""), flush=True)
    return rows


def forget_bias_effect(length: int, steps: int, seed: int = 0) -> None:
    """LSTM on the adding problem with forget-gate bias 0.0 vs 1.0 (the Train page's toggle)."""
    task = AddingProblem(length=length)
    for forget_bias in (0.0, 1.0):
        model = model_for_task(task, "lstm", 32, seed=seed, forget_bias=forget_bias)
        losses = train(model, task, TrainConfig(steps=steps, batch_size=32, lr=1e-2, clip_norm=1.0, seed=seed)).losses
        below = np.flatnonzero(losses < 0.01)
        loss, _ = evaluate(model, task, batch_size=1024)
        first = f"first training batch below 0.01 at step {below[0] + 1}" if below.size else "never below 0.01"
        print(f"  forget bias {forget_bias:.1f}: test MSE {loss:.4f} after {steps} steps; {first}", flush=True)


def numpy_step(B=32, T=64, H=256, V=100, E=64, dtype=np.float32):
    """A closure running one training step of embedding + LSTM + softmax head (+ Adam) in numpy."""
    model = SequenceModel("lstm", H, V, vocab_size=V, embed_size=E, head="every", seed=0, dtype=dtype)
    optimizer = Adam(model.params, lr=1e-3)
    rng = np.random.default_rng(0)
    ids = rng.integers(0, V, size=(T, B))  # (T, B)
    targets = rng.integers(0, V, size=(T, B))  # (T, B)

    def step():
        _, _, grads = model.loss_and_grads(ids, targets)
        optimizer.step(grads)

    return step


def torch_step(B=32, T=64, H=256, V=100, E=64, dtype="float32", threads=1):
    """The same step in PyTorch on the CPU, or None when torch is not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    tdtype = getattr(torch, dtype)
    embedding = torch.nn.Embedding(V, E).to(tdtype)
    lstm = torch.nn.LSTM(E, H).to(tdtype)
    head = torch.nn.Linear(H, V).to(tdtype)
    params = list(embedding.parameters()) + list(lstm.parameters()) + list(head.parameters())
    optimizer = torch.optim.Adam(params, lr=1e-3)
    ids = torch.randint(0, V, (T, B))
    targets = torch.randint(0, V, (T, B))

    def step():
        optimizer.zero_grad(set_to_none=True)
        h, _ = lstm(embedding(ids))  # (T, B, H)
        loss = torch.nn.functional.cross_entropy(head(h).reshape(T * B, V), targets.reshape(-1))
        loss.backward()
        optimizer.step()

    return step


def interleaved_medians(steps: dict, repeats: int = 12) -> dict[str, float]:
    """Median seconds per step, alternating the contenders so load changes hit all of them alike."""
    for step in steps.values():
        step()  # warm-up
    times = {name: [] for name in steps}
    for _ in range(repeats):
        for name, step in steps.items():
            t0 = time.perf_counter()
            step()
            times[name].append(time.perf_counter() - t0)
    return {name: float(np.median(values)) for name, values in times.items()}


def main(args: argparse.Namespace) -> None:
    print(f"bench_training: numpy {np.__version__}, {os.cpu_count()} CPUs, BLAS threads {os.environ.get('OPENBLAS_NUM_THREADS')}"
          f", load average {os.getloadavg()[0]:.1f} (shared machine: times vary)")
    steps = 300 if args.quick else args.steps
    if args.only in (None, "reach"):
        print(f"\n1. LSTM (H=32) on the adding problem, T={args.length}: time to test MSE < 0.01 (baseline 0.167)")
        seconds, step, mse, eval_seconds = time_to_reach(args.length, max_steps=600 if args.quick else 5000)
        reached = mse < 0.01
        print(f"  {'reached' if reached else 'NOT reached'}: {seconds:.1f} s wall ({seconds - eval_seconds:.1f} s training), "
              f"{step} steps, test MSE {mse:.4f}")
    if args.only in (None, "compare"):
        print(f"\n2. RNN vs LSTM vs GRU (H=32, {steps} steps, Adam lr 1e-2, clip 1.0), T={args.length}")
        compare_models(args.length, steps)
    if args.only in (None, "fbias"):
        print(f"\n3. LSTM forget-gate bias 0.0 vs 1.0 on the adding problem, T={args.length}, {steps} steps")
        forget_bias_effect(args.length, steps)
    if args.only in (None, "step"):
        print("\n4. One training step: embedding + LSTM + softmax head, forward + backward + Adam (B=32, T=64, H=256, V=100, E=64)")
        for np_dtype, name in ((np.float32, "float32"), (np.float64, "float64")):
            contenders = {"numpy": numpy_step(dtype=np_dtype)}
            theirs = torch_step(dtype=name, threads=args.threads)
            if theirs is not None:
                contenders["torch"] = theirs
            medians = interleaved_medians(contenders, repeats=4 if args.quick else 12)
            line = f"  {name}: numpy {medians['numpy'] * 1e3:.1f} ms"
            if "torch" in medians:
                line += f"   torch {medians['torch'] * 1e3:.1f} ms   ratio numpy/torch {medians['numpy'] / medians['torch']:.2f}x"
            else:
                line += "  (torch not installed: no comparison)"
            print(line, flush=True)

if __name__ == "__main__":
    main(ARGS)
