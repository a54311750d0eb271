"""Layer 1, the networks: recurrent cells, the sequence model, losses, optimiser, training loop."""

from .layers import GRU, LSTM, RNN, Trace  # noqa: F401

__all__ = ["LSTM", "GRU", "RNN", "Trace"]
