"""What the app shows of a stacked / bidirectional network, computed here (numpy only) so views only lay it out.

* :func:`mean_abs_states` — per (layer, direction), the mean |h| over the units at every sentence position;
* :func:`stack_jacobian_window` — how many of the last positions the per-layer Jacobian curves may use within a
  time budget, and the curves themselves (``stack_jacobian_norms`` on those positions) re-indexed by distance;
* :func:`parameter_counts` — the parameter-count formulas of stacked, bidirectional and peephole networks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .jacobians import stack_jacobian_norms

GATE_BLOCKS = {"lstm": 4, "gru": 3, "rnn": 1}


def mean_abs_states(stack_trace) -> list[tuple[int, int, np.ndarray]]:
    """[(layer, direction, (T,) mean over units of |h|, sentence order)], layer 0 first."""
    rows = []
    for layer, traces in enumerate(stack_trace.layers):
        for direction, trace in enumerate(traces):
            h = np.asarray(trace.h, dtype=np.float64)          # (T, H), reading order
            values = np.abs(h).mean(axis=-1)
            rows.append((layer, direction, values[::-1].copy() if direction else values))
    return rows


@dataclass
class LayerCurves:
    """Per-layer Jacobian curves on the last ``window`` positions (read as a text of their own).

    norms: (L, D, W) ‖∂y/∂h^{l,d}_t‖ by sentence position t of the window (0 where h^{l,d}_t cannot reach y);
    y is the top layer's last forward state (direction 0) or the top reverse state at the window's first
    position (direction 1). start: the window's first sentence position in the text.
    """

    norms: np.ndarray
    start: int
    window: int
    direction: int

    @property
    def distances(self) -> np.ndarray:
        """(W,) 0, 1, ..., W-1: steps between a state and y along y's direction."""
        return np.arange(self.window, dtype=np.int64)

    def curve(self, layer: int, direction: int) -> np.ndarray:
        """(W,) cell (layer, direction)'s norms by distance from y (distance 0 = y's own position)."""
        values = self.norms[layer, direction]
        return (values[::-1] if self.direction == 0 else values).copy()

    def reaches(self, layer: int, direction: int) -> bool:
        """Whether any state of the cell influences y (a top cell of the other direction does not)."""
        return bool(np.any(self.norms[layer, direction] > 0))


def layer_curves(model, x: np.ndarray, direction: int, max_steps: int) -> LayerCurves:
    """``stack_jacobian_norms`` of the last ``max_steps`` positions of x (T, I), y read from ``direction``."""
    x = np.asarray(x, dtype=np.float64)
    start = max(0, x.shape[0] - int(max_steps))
    window = x[start:]
    norms = stack_jacobian_norms(model, window, direction=int(direction))   # (L, D, W)
    return LayerCurves(norms, start, window.shape[0], int(direction))


@dataclass
class ParameterCounts:
    """Parameter counts of one network shape; ``per_layer[l]`` is one direction's cell of layer l."""

    kind: str
    input_size: int
    hidden_size: int
    num_layers: int
    num_directions: int
    peephole: bool
    gate_blocks: int
    per_layer: list[int]
    total: int

    def formula(self) -> str:
        """The sum written out with the sizes, e.g. "2·(4·6·(16+6) + 2·4·6) + 2·(4·6·(12+6) + 2·4·6)"."""
        G, H, D = self.gate_blocks, self.hidden_size, self.num_directions
        terms = []
        for layer in range(self.num_layers):
            width = self.input_size if layer == 0 else D * H
            cell = f"{G}·{H}·({width}+{H}) + 2·{G}·{H}" + (f" + 3·{H}" if self.peephole else "")
            terms.append(f"{D}·({cell})" if D > 1 else (f"({cell})" if self.num_layers > 1 else cell))
        return " + ".join(terms)


def parameter_counts(kind: str, input_size: int, hidden_size: int, num_layers: int = 1, num_directions: int = 1,
                     peephole: bool = False) -> ParameterCounts:
    """Per cell: G·H·(I_l + H) weights + 2·G·H biases (+ 3·H peepholes); I_0 = I, I_l = D·H; D cells per layer."""
    G = GATE_BLOCKS[kind]
    H, D = int(hidden_size), int(num_directions)
    per_layer = []
    for layer in range(int(num_layers)):
        width = int(input_size) if layer == 0 else D * H
        per_layer.append(G * H * (width + H) + 2 * G * H + (3 * H if peephole else 0))
    return ParameterCounts(kind, int(input_size), H, int(num_layers), D, bool(peephole), G, per_layer,
                           D * sum(per_layer))
