"""Layer 1, the networks (numpy only): recurrent cells, the sequence model, losses, optimiser, training loop.

    from lstm_viz.nn import LSTM, GRU, RNN, make_layer
    layer = make_layer("gru", input_size=8, hidden_size=16, seed=0)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .gru import GRU
from .layer import PARAM_NAMES, RecurrentLayer
from .lstm import LSTM
from .rnn import RNN
from .stack import StackedRecurrent, StackTrace
from .trace import GATE_NAMES, Deltas, StepNumbers, Trace

__all__ = ["LSTM", "GRU", "RNN", "Trace", "StepNumbers", "Deltas", "RecurrentLayer", "StackedRecurrent",
           "StackTrace", "make_layer", "LAYER_TYPES", "KINDS", "PARAM_NAMES", "GATE_NAMES"]

#: kind -> class, the one place a kind name becomes a layer.
LAYER_TYPES: dict[str, type[RecurrentLayer]] = {"rnn": RNN, "lstm": LSTM, "gru": GRU}
#: The three kinds in the order the app compares them.
KINDS = tuple(LAYER_TYPES)


def make_layer(kind: str, input_size: int, hidden_size: int, *, num_layers: int = 1, bidirectional: bool = False,
               seed: int | None = 0, dtype: Any = np.float64, forget_bias: float | None = 1.0,
               peephole: bool = False, nonlinearity: str = "tanh") -> RecurrentLayer | StackedRecurrent:
    """A fresh network of ``kind`` ("lstm", "gru" or "rnn"), one layer and direction unless asked;
    ``forget_bias`` and ``peephole`` are the LSTM's, ``nonlinearity`` the RNN's (the other kinds ignore them)."""
    shape = {"num_layers": num_layers, "bidirectional": bidirectional, "seed": seed, "dtype": dtype}
    if kind == "lstm":
        return LSTM(input_size, hidden_size, forget_bias=forget_bias, peephole=peephole, **shape)
    if peephole:
        raise ValueError("peephole connections are an LSTM's (a GRU or RNN has no cell state to look at)")
    if kind == "gru":
        return GRU(input_size, hidden_size, **shape)
    if kind == "rnn":
        return RNN(input_size, hidden_size, nonlinearity=nonlinearity, **shape)
    raise ValueError(f"kind must be 'lstm', 'gru' or 'rnn', got {kind!r}")
