"""The Train page's runs: time estimates, the training loop with a live progress bar and live curves, the
stored networks, and whether a network learned its task.

Results live in ``st.session_state[RESULTS_KEY]``: ``{"settings", "runs": label -> curves, test numbers and
``learned``, "networks": label -> TaskNetwork, "seconds"}``; the network the other pages show is
``st.session_state["trained_network"]``. The maths is lstm_viz.nn.training and lstm_viz.data.tasks.
"""

from __future__ import annotations

import time

import numpy as np
import streamlit as st

from lstm_viz.data.tasks import TaskNetwork, make_task
from lstm_viz.nn.sequence import SequenceModel
from lstm_viz.nn.training import TrainConfig, evaluate, model_for_task, train

from .urlstate import KEY

MAX_SECONDS_PER_MODEL = 90.0
REDRAW_SECONDS = 0.5    # the live curves are redrawn at most this often
#: a network "learned" its task when it closed at least this share of the gap between the reference (the adding
#: problem's always-answer-1.0 MSE, or chance accuracy) and perfection on the fresh test batch
LEARNED_SHARE = 0.5
BATCH_SIZE = 32
TEST_BATCH = 512
KIND_LABELS = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}
RESULTS_KEY = "train.results"


def task_model(task, kind: str, hidden: int, *, seed: int = 0, forget_bias: float = 1.0, num_layers: int = 1,
               bidirectional: bool = False) -> SequenceModel:
    """model_for_task's network for ``task``, with ``num_layers`` stacked layers and optionally two directions."""
    if int(num_layers) == 1 and not bidirectional:
        return model_for_task(task, kind, hidden, seed=seed, forget_bias=forget_bias)
    shape = {"seed": seed, "forget_bias": forget_bias, "num_layers": int(num_layers),
             "bidirectional": bool(bidirectional)}
    if task.kind == "regression":
        return SequenceModel(kind, hidden, task.output_size, input_size=task.input_size, objective="regression",
                             **shape)
    return SequenceModel(kind, hidden, task.output_size, vocab_size=task.vocab_size, objective="classification",
                         **shape)


@st.cache_data(max_entries=64, show_spinner=False)
def step_seconds(task_name: str, length: int, kind: str, hidden: int, num_layers: int = 1,
                 bidirectional: bool = False) -> float:
    """Measured wall time of one training step (forward, backward, Adam) for this setting."""
    task = make_task(task_name, length)
    model = task_model(task, kind, hidden, num_layers=num_layers, bidirectional=bidirectional)
    config = TrainConfig(steps=3, batch_size=BATCH_SIZE, lr=1e-3, seed=0)
    train(model, task, TrainConfig(steps=1, batch_size=BATCH_SIZE, lr=1e-3, seed=0))  # warm-up
    return train(model, task, config).seconds / config.steps


def example_text(task, seed: int) -> str:
    batch = task.batch(1, np.random.default_rng(seed + 7))
    return task.to_text(batch.x[:, 0])


def learned_threshold(task) -> float:
    """What a test number must reach to count as learned: an MSE of at most (1 - LEARNED_SHARE) · baseline (the
    adding problem's always-answer-1.0 MSE, 0.167), or an accuracy of at least chance + LEARNED_SHARE · (1 - chance)."""
    if task.kind == "regression":
        return (1.0 - LEARNED_SHARE) * task.baseline_mse
    chance = 1.0 / task.output_size
    return chance + LEARNED_SHARE * (1.0 - chance)


def learned(task, test_loss: float, test_metric: float) -> bool:
    """Did the network learn the task (its fresh-test-batch numbers against :func:`learned_threshold`)? NaN: no."""
    if task.kind == "regression":
        return bool(test_loss <= learned_threshold(task))
    return bool(test_metric >= learned_threshold(task))


def run_training(settings: dict, t, redraw=None) -> dict:
    """Train every chosen model in turn with a live progress bar; returns the results dict.

    ``redraw(runs)``, if given, is called with the runs so far (their loss / metric lists growing step by step)
    at most every REDRAW_SECONDS while training, and once after each model: the page redraws its curves.
    """
    task = make_task(settings["task"], settings["length"])
    kinds = settings["kinds"]
    results = {"settings": settings, "runs": {}, "networks": {}, "seconds": 0.0}
    progress = st.progress(0.0, text=t("train.start"))
    start = time.perf_counter()
    last_draw = [-float("inf")]

    def draw(force: bool = False) -> None:
        if redraw is not None and (force or time.perf_counter() - last_draw[0] >= REDRAW_SECONDS):
            redraw(results["runs"])
            last_draw[0] = time.perf_counter()

    for k, kind in enumerate(kinds):
        label = KIND_LABELS[kind]
        model = task_model(task, kind, settings["hidden"], seed=settings["seed"],
                           forget_bias=settings["forget_bias"], num_layers=settings.get("num_layers", 1),
                           bidirectional=settings.get("bidirectional", False))
        config = TrainConfig(steps=settings["steps"], batch_size=BATCH_SIZE, lr=settings["lr"],
                             clip_norm=1.0 if settings["clip"] else None, seed=settings["seed"],
                             log_every=max(1, min(10, settings["steps"] // 100)), max_seconds=MAX_SECONDS_PER_MODEL)

        def report(step: int, loss: float, metric: float, k=k, label=label) -> None:
            fraction = (k + step / config.steps) / len(kinds)
            progress.progress(min(fraction, 1.0), text=t("train.progress", model=label, step=step,
                                                          steps=config.steps, loss=f"{loss:.4g}"))
            draw()

        history: dict[str, list] = {}
        task_label = t(f"train.task.{task.name}")
        shape = ("" if settings.get("num_layers", 1) == 1 else f" ×{settings['num_layers']}") + (
            " ↔" if settings.get("bidirectional") else "")
        network = TaskNetwork(
            name=f"{label}{shape} · {task_label} · T={task.length}", model=model, task=task,
            example_text=example_text(task, settings["seed"]), history=history,
        )
        # Registered before training: if a click interrupts the run, the curves so far survive.
        results["runs"][label] = {
            "losses": history.setdefault("loss", []), "metrics": history.setdefault("metric", []),
            "test_loss": float("nan"), "test_metric": float("nan"), "steps": 0, "seconds": 0.0,
            "stopped": "interrupted", "params": model.num_parameters(), "learned": False,
        }
        results["networks"][label] = network
        st.session_state[RESULTS_KEY] = results
        result = train(model, task, config, callback=report, history=history)
        test_loss, test_metric = evaluate(model, task, TEST_BATCH) if result.stopped != "diverged" else (float("nan"), float("nan"))
        results["runs"][label] = {
            "losses": result.losses, "metrics": result.metrics, "test_loss": test_loss, "test_metric": test_metric,
            "steps": result.steps, "seconds": result.seconds, "stopped": result.stopped,
            "params": model.num_parameters(), "learned": learned(task, test_loss, test_metric),
        }
        st.session_state[RESULTS_KEY] = results
        draw(force=True)
    progress.progress(1.0, text=t("train.finished", seconds=f"{time.perf_counter() - start:.1f}"))
    results["seconds"] = time.perf_counter() - start
    return results


def default_network_label(results: dict) -> str:
    """The network offered first: the LSTM if it learned, else the first one that learned, else the LSTM (or the
    first with a curve); the page says when the offered network did not learn."""
    runs = results["runs"]
    labels = [label for label, run in runs.items() if len(run["losses"])] or list(results["networks"])
    good = [label for label in labels if runs.get(label, {}).get("learned")]
    for pool in (good, labels):
        if pool:
            return "LSTM" if "LSTM" in pool else pool[0]
    return labels[0]


def store_network(label: str) -> None:
    results = st.session_state.get(RESULTS_KEY)
    if results and label in results["networks"]:
        st.session_state["trained_network"] = results["networks"][label]


def on_pick_network() -> None:
    store_network(st.session_state.get("train.use"))


def show_on_other_pages() -> None:
    """Point the shared sidebar at the stored network and its example input."""
    network = st.session_state.get("trained_network")
    if network is not None:
        st.session_state[KEY["src"]] = "trained"
        st.session_state[KEY["text"]] = network.example_text


def curve_table(runs: dict) -> dict[str, np.ndarray]:
    """Loss and metric of every run as columns of one table (shorter runs padded with NaN), for the download."""
    longest = max(len(run["losses"]) for run in runs.values())
    table = {"step": np.arange(1, longest + 1)}
    for label, run in runs.items():
        for name, column_name in (("losses", "loss"), ("metrics", "metric")):
            column = np.full(longest, np.nan)
            column[: len(run[name])] = run[name]
            table[f"{label}_{column_name}"] = column
    return table
