"""Long-lag tasks that separate RNNs from LSTMs (Hochreiter & Schmidhuber 1997; Gers et al. 2000).

Every task is a small dataclass with a seeded batch generator and a text form, so a network
trained on it can be shown on the other pages (the ``TrainedNetwork`` protocol):

* ``AddingProblem(length=T)``: two input channels per step, a value u_t ~ U[0, 1] and a marker
  m_t ∈ {0, 1}. Exactly two steps are marked, one in each half of the sequence; the target is
  the sum of the two marked values, read at the last step. Predicting the mean 1.0 always gives
  MSE = Var(u_a + u_b) = 2/12 ≈ 0.167, the baseline to beat. Text form: ``"0.42 0.17* 0.80"``
  (marked values carry a ``*``).
* ``FirstSymbolTask(length=T)``: a character string whose first character is one of ``ABCD``,
  followed by T-1 distractor characters from ``abcdefgh``; the class to output at the last step
  is the first character, so it has to be remembered over a lag of T-1 steps. Chance is 25 %.
  The lag is fixed, so there is no short-lag case to learn first: at T=50 (H=32, 1500 steps) the
  GRU solves it, the RNN gets about 2/3, and an LSTM with forget bias 1 stays at chance
  (σ(1)^49 ≈ 2e-7 of the signal crosses the lag); see benchmarks/bench_training.py.
* ``BracketsTask(length=T)``: a string of ``(`` and ``)``; the class is 1 when the brackets are
  balanced (every prefix has at least as many ``(`` as ``)`` and the totals match), else 0.
  Half of each batch is balanced; the unbalanced half are near misses of balanced strings.

``Batch.x`` is (T, B, I) float features (adding problem) or (T, B) int64 token ids (symbolic
tasks, embedded by the model); ``Batch.y`` is (B, 1) float targets or (B,) int64 class ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "Batch",
    "AddingProblem",
    "FirstSymbolTask",
    "BracketsTask",
    "TASKS",
    "make_task",
    "TaskNetwork",
]

MAX_TEXT_STEPS = 20_000  # the pages cap what they show; this only guards against absurd inputs


@dataclass(frozen=True)
class Batch:
    x: np.ndarray  # (T, B, I) float or (T, B) int64 token ids
    y: np.ndarray  # (B, 1) float or (B,) int64


# ----------------------------------------------------------------------------- adding problem


@dataclass(frozen=True)
class AddingProblem:
    """The adding problem with sequence length ``length`` (the lag between marker and answer)."""

    length: int = 50
    tolerance: float = 0.04  # a sequence counts as solved when |prediction - target| < 0.04 (Hochreiter 1997)

    name = "adding"
    kind = "regression"
    input_size = 2
    output_size = 1
    vocab = None
    baseline_mse = 1.0 / 6.0

    def __post_init__(self):
        if int(self.length) < 2:
            raise ValueError("the adding problem needs a sequence length of at least 2")

    def batch(self, batch_size: int, rng: np.random.Generator, dtype=np.float64) -> Batch:
        """x (T, B, 2): [:, :, 0] values U[0,1], [:, :, 1] markers (one in each half); y (B, 1)."""
        T, B = int(self.length), int(batch_size)
        values = rng.random((T, B))  # (T, B)
        half = T // 2
        first = rng.integers(0, half, size=B)  # (B,) marked step in the first half
        second = rng.integers(half, T, size=B)  # (B,) marked step in the second half
        markers = np.zeros((T, B))
        cols = np.arange(B)
        markers[first, cols] = 1.0
        markers[second, cols] = 1.0
        x = np.stack([values, markers], axis=-1).astype(dtype)  # (T, B, 2)
        y = (values[first, cols] + values[second, cols])[:, None].astype(dtype)  # (B, 1)
        return Batch(x, y)

    def metric(self, prediction: np.ndarray, y: np.ndarray) -> float:
        """Fraction of sequences with |prediction - target| < tolerance."""
        return float(np.mean(np.abs(np.asarray(prediction) - y) < self.tolerance))

    # text form ----------------------------------------------------------------
    def to_text(self, x: np.ndarray) -> str:
        """x (T, 2) -> "0.42 0.17* 0.80 ..." (two decimals; marked values carry '*')."""
        return " ".join(f"{v:.2f}" + ("*" if m > 0.5 else "") for v, m in np.asarray(x))

    def parse_text(self, text: str) -> tuple[np.ndarray, list[str]]:
        """ "0.42 0.17* 0.80" -> (x (T, 2), tokens). ValueError with a clear message when unusable."""
        tokens = [tok for tok in re.split(r"[\s,;]+", text.strip()) if tok]
        if not tokens:
            raise ValueError('Type numbers between 0 and 1 separated by spaces; mark two of them with *, e.g. "0.42 0.17* 0.80 0.05*".')
        if len(tokens) > MAX_TEXT_STEPS:
            raise ValueError(f"At most {MAX_TEXT_STEPS} numbers, got {len(tokens)}.")
        x = np.zeros((len(tokens), 2))
        for t, tok in enumerate(tokens):
            marked = tok.endswith("*")
            number = tok[:-1] if marked else tok
            try:
                value = float(number)
            except ValueError:
                raise ValueError(f'"{tok}" is not a number (step {t}); use numbers like 0.42, and 0.42* for a marked one.') from None
            if not (0.0 <= value <= 1.0):
                raise ValueError(f'"{tok}" is not between 0 and 1 (step {t}); the adding problem uses values in [0, 1].')
            x[t] = value, 1.0 if marked else 0.0
        return x, tokens

    def target_of(self, x: np.ndarray) -> float:
        """Sum of the marked values of x (T, 2)."""
        return float(np.sum(x[:, 0] * (x[:, 1] > 0.5)))


# ----------------------------------------------------------------------------- symbolic tasks


@dataclass(frozen=True)
class _SymbolicTask:
    """Shared text handling for tasks whose inputs are characters of a small alphabet."""

    length: int = 50

    kind = "classification"
    alphabet = ""
    classes = ()

    @property
    def vocab(self) -> str:
        return self.alphabet

    @property
    def vocab_size(self) -> int:
        return len(self.alphabet)

    @property
    def output_size(self) -> int:
        return len(self.classes)

    def encode(self, text: str) -> np.ndarray:
        """Characters -> int64 ids (T,). ValueError naming the first unknown character."""
        if not text:
            raise ValueError(f"Type a string made of the characters {self.alphabet!r}.")
        if len(text) > MAX_TEXT_STEPS:
            raise ValueError(f"At most {MAX_TEXT_STEPS} characters, got {len(text)}.")
        lookup = {ch: i for i, ch in enumerate(self.alphabet)}
        ids = np.empty(len(text), dtype=np.int64)
        for t, ch in enumerate(text):
            if ch not in lookup:
                raise ValueError(f"Character {ch!r} at position {t} is not in this task's alphabet {self.alphabet!r}.")
            ids[t] = lookup[ch]
        return ids

    def decode(self, ids: np.ndarray) -> str:
        return "".join(self.alphabet[int(i)] for i in np.asarray(ids).ravel())

    def parse_text(self, text: str) -> tuple[np.ndarray, list[str]]:
        """text -> (ids (T,), tokens: one per character)."""
        text = text.strip()
        ids = self.encode(text)
        return ids, list(text)

    def to_text(self, ids: np.ndarray) -> str:
        return self.decode(ids)

    def metric(self, logits: np.ndarray, y: np.ndarray) -> float:
        """Accuracy of argmax(logits (B, C)) against class ids y (B,)."""
        return float(np.mean(np.argmax(logits, axis=-1) == y))


@dataclass(frozen=True)
class FirstSymbolTask(_SymbolicTask):
    """Remember the first character (one of ABCD) across ``length - 1`` distractors from abcdefgh."""

    name = "first_symbol"
    symbols = "ABCD"
    distractors = "abcdefgh"
    alphabet = "ABCDabcdefgh"
    classes = ("A", "B", "C", "D")

    def __post_init__(self):
        if int(self.length) < 2:
            raise ValueError("the first-symbol task needs a sequence length of at least 2")

    def batch(self, batch_size: int, rng: np.random.Generator) -> Batch:
        """x (T, B) ids: row 0 a symbol id in [0, 4), rows 1.. distractor ids in [4, 12); y (B,)."""
        T, B = int(self.length), int(batch_size)
        n_sym = len(self.symbols)
        y = rng.integers(0, n_sym, size=B)  # (B,)
        x = rng.integers(n_sym, n_sym + len(self.distractors), size=(T, B))  # (T, B)
        x[0] = y
        return Batch(x.astype(np.int64), y.astype(np.int64))

    def target_of(self, ids: np.ndarray) -> int | None:
        first = int(np.asarray(ids)[0])
        return first if first < len(self.symbols) else None


@dataclass(frozen=True)
class BracketsTask(_SymbolicTask):
    """Balanced brackets: class 1 when the string of ( and ) is balanced, class 0 otherwise."""

    name = "brackets"
    alphabet = "()"
    classes = ("unbalanced", "balanced")

    def __post_init__(self):
        if int(self.length) < 2 or int(self.length) % 2:
            raise ValueError("the brackets task needs an even sequence length of at least 2")

    @staticmethod
    def is_balanced(ids: np.ndarray) -> bool:
        """ids: 0 = '(' and 1 = ')'. Balanced iff the depth never goes below 0 and ends at 0."""
        depth = np.cumsum(np.where(np.asarray(ids) == 0, 1, -1))
        return bool(depth.size and depth.min() >= 0 and depth[-1] == 0)

    def _balanced(self, rng: np.random.Generator) -> np.ndarray:
        """A random balanced string: open with probability 1/2 unless the depth forces the choice."""
        T = int(self.length)
        ids = np.empty(T, dtype=np.int64)
        depth = 0
        coins = rng.random(T)
        for t in range(T):
            remaining = T - t
            if depth == 0:
                open_bracket = True
            elif depth == remaining:
                open_bracket = False
            else:
                open_bracket = coins[t] < 0.5
            ids[t] = 0 if open_bracket else 1
            depth += 1 if open_bracket else -1
        return ids

    def _near_miss(self, rng: np.random.Generator) -> np.ndarray:
        """A balanced string made unbalanced: flip one bracket, or swap an adjacent '()' into ')('."""
        ids = self._balanced(rng)
        if rng.random() < 0.5:
            t = rng.integers(0, ids.size)
            ids[t] = 1 - ids[t]
        else:
            # swap a top-level matched pair "(...)" into ")...(": same counts, but the depth dips to -1
            depth = np.cumsum(np.where(ids == 0, 1, -1))  # depth after each step
            before = np.concatenate([[0], depth[:-1]])  # depth before each step
            opens = np.flatnonzero((ids == 0) & (before == 0))
            t = int(opens[rng.integers(0, opens.size)])
            u = t + int(np.flatnonzero(depth[t:] == 0)[0])  # its matching ')'
            ids[t], ids[u] = 1, 0
        return ids

    def batch(self, batch_size: int, rng: np.random.Generator) -> Batch:
        """x (T, B) ids (0 '(' , 1 ')'); y (B,) 1 balanced / 0 not; half of the batch balanced."""
        B = int(batch_size)
        y = (rng.random(B) < 0.5).astype(np.int64)  # (B,)
        columns = [self._balanced(rng) if label else self._near_miss(rng) for label in y]
        return Batch(np.stack(columns, axis=1), y)  # (T, B)

    def target_of(self, ids: np.ndarray) -> int:
        return int(self.is_balanced(ids))


TASKS = {"adding": AddingProblem, "brackets": BracketsTask, "first_symbol": FirstSymbolTask}


def make_task(name: str, length: int):
    """Task by name ("adding", "first_symbol", "brackets") with sequence length ``length``."""
    if name not in TASKS:
        raise ValueError(f"unknown task {name!r}; choose one of {sorted(TASKS)}")
    return TASKS[name](length=int(length))


# ----------------------------------------------------------------------------- trained network wrapper


@dataclass
class TaskNetwork:
    """A SequenceModel trained on a task, in the ``TrainedNetwork`` form the pages consume.

    ``rnn`` is the recurrent layer; ``encode_text`` turns the task's text form into that layer's
    input sequence x (T, I): the two channels for the adding problem, the embedding rows for
    symbolic tasks.
    """

    name: str
    model: object  # lstm_viz.nn.training.SequenceModel
    task: object
    example_text: str
    history: dict = field(default_factory=dict)  # "loss", "metric" curves from training

    @property
    def rnn(self):
        return self.model.rnn

    def encode_text(self, text: str) -> tuple[np.ndarray, list[str]]:
        """(x (T, I) for self.rnn, tokens (T,)). ValueError with a clear message if unusable."""
        inputs, tokens = self.task.parse_text(text)
        return self.model.rnn_inputs(inputs), tokens

    def answer(self, text: str) -> np.ndarray:
        """The model's output at the last step: (1,) sum for the adding problem, (C,) class probabilities otherwise."""
        inputs, _ = self.task.parse_text(text)
        batched = inputs[:, None]  # (T, 1, I) floats or (T, 1) ids
        out = self.model.predict(batched)  # (1, O)
        return out[0]
