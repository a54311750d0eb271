"""The training loop: seeded, stoppable Adam steps on a task from :mod:`lstm_viz.data.tasks`.

Same model seed + config -> bit-identical losses. Every step: forward, loss, backward, global-norm
clipping, Adam; a non-finite loss or gradient stops before the parameters are touched.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .optim import Adam, clip_grad_norm, global_norm
from .sequence import SequenceModel

__all__ = ["TrainConfig", "TrainResult", "model_for_task", "train", "evaluate"]


@dataclass
class TrainConfig:
    steps: int = 1000
    batch_size: int = 32
    lr: float = 1e-2
    clip_norm: float | None = 1.0  # None: no clipping
    seed: int = 0  # seeds the data stream (the model carries its own seed)
    log_every: int = 10  # call the callback every log_every steps (and at the last step)
    max_seconds: float | None = None  # stop early after this much wall time


@dataclass
class TrainResult:
    losses: np.ndarray  # (steps_done,) training loss per step
    metrics: np.ndarray  # (steps_done,) task metric on the training batch per step
    grad_norms: np.ndarray  # (steps_done,) global gradient norm before clipping
    seconds: float
    stopped: str | None = None  # None, "callback", "time" or "diverged"

    @property
    def steps(self) -> int:
        return int(self.losses.size)


def model_for_task(task, kind: str, hidden_size: int, *, seed: int = 0, forget_bias: float = 1.0, dtype=np.float64, embed_size: int | None = None) -> SequenceModel:
    """A SequenceModel shaped for ``task`` (float inputs + regression head, or embedding + classifier)."""
    if task.kind == "regression":
        return SequenceModel(kind, hidden_size, task.output_size, input_size=task.input_size, objective="regression",
                             seed=seed, dtype=dtype, forget_bias=forget_bias)
    return SequenceModel(kind, hidden_size, task.output_size, vocab_size=task.vocab_size, embed_size=embed_size,
                         objective="classification", seed=seed, dtype=dtype, forget_bias=forget_bias)


def train(
    model: SequenceModel,
    task,
    config: TrainConfig,
    callback: Callable[[int, float, float], bool | None] | None = None,
    history: dict[str, list] | None = None,
) -> TrainResult:
    """Adam on fresh seeded batches of ``task``; same model seed + config -> bit-identical losses.

    ``callback(step, loss, metric)`` runs every ``log_every`` steps (step counts from 1); returning
    False stops training. A non-finite loss or gradient stops with ``stopped="diverged"`` before
    the parameters are touched. ``history``, if given, gets lists "loss", "metric", "grad_norm"
    that grow step by step (so a caller interrupted mid-run still has the curves so far).
    """
    if config.steps < 0 or config.batch_size < 1:
        raise ValueError("steps must be >= 0 and batch_size >= 1")
    rng = np.random.default_rng(config.seed)
    optimizer = Adam(model.params, lr=config.lr)
    history = {} if history is None else history
    losses = history.setdefault("loss", [])
    metrics = history.setdefault("metric", [])
    norms = history.setdefault("grad_norm", [])
    stopped = None
    start = time.perf_counter()
    for step in range(1, config.steps + 1):
        batch = task.batch(config.batch_size, rng)
        with np.errstate(over="ignore", invalid="ignore"):
            outputs, cache = model.forward(batch.x)
            loss, doutputs = model.loss(outputs, batch.y)
            finite = math.isfinite(loss) and bool(np.isfinite(doutputs).all())
            if finite:
                grads = model.backward(cache, doutputs)
                norm = global_norm(grads)
                finite = math.isfinite(norm)
        if not finite:
            stopped = "diverged"
            break
        if config.clip_norm is not None:
            clip_grad_norm(grads, config.clip_norm)
        optimizer.step(grads)
        metric = task.metric(outputs, batch.y)
        losses.append(loss)
        metrics.append(metric)
        norms.append(norm)
        if callback is not None and (step % max(1, config.log_every) == 0 or step == config.steps):
            if callback(step, loss, metric) is False:
                stopped = "callback"
                break
        if config.max_seconds is not None and time.perf_counter() - start > config.max_seconds:
            stopped = "time"
            break
    return TrainResult(np.array(losses), np.array(metrics), np.array(norms), time.perf_counter() - start, stopped)


def evaluate(model: SequenceModel, task, batch_size: int = 512, seed: int = 12345) -> tuple[float, float]:
    """(loss, metric) on one fresh batch drawn with ``seed`` (separate from the training stream)."""
    batch = task.batch(batch_size, np.random.default_rng(seed))
    with np.errstate(over="ignore", invalid="ignore"):
        outputs, _ = model.forward(batch.x)
        loss, _ = model.loss(outputs, batch.y)
    return loss, task.metric(outputs, batch.y)
