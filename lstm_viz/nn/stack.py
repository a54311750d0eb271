"""Stacked and bidirectional networks, with ``torch.nn.LSTM`` / ``GRU`` / ``RNN``'s exact semantics.

A network of L layers and D directions (D = 2 when bidirectional) is a grid of one-layer cells
``cells[l][d]``, each an ordinary :class:`~lstm_viz.nn.LSTM` / ``GRU`` / ``RNN`` running its own fused
forward and backward::

    layer 0 reads x_t (I,);  layer l > 0 reads the previous layer's output (D·H,)
    direction 0 reads the sequence from t = 0, direction 1 (``_reverse``) from t = T−1
    output_t = [h^{fwd}_t | h^{rev}_t]   (T, [B], D·H), the top layer's
    h_n, c_n = every cell's final state, row l·D + d   (L·D, [B], H)

Parameter names are PyTorch's: ``weight_ih_l1``, ``weight_hh_l0_reverse``, ``bias_ih_l2_reverse`` (and the
peepholes ``weight_ci_l{k}``, ``weight_cf_l{k}``, ``weight_co_l{k}``). The backward runs the cells' own BPTT
top layer first: the gradient a layer sends to its input is the output gradient of the layer below
(the reverse direction's, flipped back to sentence order, added to the forward one's).

``tr.layers[l][d]`` is cell (l, d)'s :class:`~lstm_viz.nn.Trace` in the order that cell read the sequence:
for a reverse cell, its step k read position T−1−k (:meth:`StackTrace.positions` gives the mapping).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from .arrays import to_numpy
from .trace import Deltas, Trace

_KEY = re.compile(r"^(?P<stem>[a-z_]+?)_l(?P<layer>\d+)(?P<reverse>_reverse)?$")
MAX_LAYERS = 8


def parameter_suffix(layer: int, direction: int) -> str:
    """PyTorch's suffix of cell (layer, direction): ``_l1``, ``_l0_reverse``."""
    return f"_l{layer}" + ("_reverse" if direction else "")


def stack_shape(keys) -> tuple[int, bool]:
    """(num_layers, bidirectional) that a state dict's keys describe; ValueError for gaps or odd names."""
    layers, reverse = set(), False
    for key in keys:
        match = _KEY.match(str(key))
        if match is None:
            raise ValueError(f"unexpected key {key!r} (expected names like weight_ih_l0, bias_hh_l1_reverse)")
        layers.add(int(match["layer"]))
        reverse = reverse or bool(match["reverse"])
    if not layers:
        raise ValueError("the state dict is empty")
    count = max(layers) + 1
    if layers != set(range(count)):
        raise ValueError(f"layers {sorted(layers)} are not numbered 0..{count - 1} without gaps")
    if count > MAX_LAYERS:
        raise ValueError(f"{count} layers: at most {MAX_LAYERS} are supported")
    return count, reverse


@dataclass(eq=False)
class StackTrace:
    """Everything a stacked or bidirectional forward computed.

    output: (T, [B], D·H) the top layer's hidden states, directions concatenated [forward, reverse].
    h_n, c_n: (L·D, [B], H) final states of every cell (c_n: LSTM only; None otherwise).
    layers: ``layers[l][d]`` the :class:`Trace` of cell (l, d), in that cell's reading order.
    """

    kind: str
    batched: bool
    x: np.ndarray
    layers: list[list[Trace]]
    output: np.ndarray
    h_n: np.ndarray
    c_n: np.ndarray | None = None
    nonlinearity: str = "tanh"

    @property
    def num_layers(self) -> int:
        return len(self.layers)

    @property
    def num_directions(self) -> int:
        return len(self.layers[0])

    @property
    def num_steps(self) -> int:
        return self.output.shape[0]

    @property
    def hidden_size(self) -> int:
        return self.layers[0][0].hidden_size

    @property
    def dtype(self) -> np.dtype:
        return self.output.dtype

    def positions(self, direction: int) -> np.ndarray:
        """(T,) the sentence position each step of a ``direction`` cell read: 0..T-1, or T-1..0 for reverse."""
        steps = np.arange(self.num_steps)
        return steps[::-1].copy() if direction else steps

    def in_sentence_order(self, layer: int, direction: int, name: str) -> np.ndarray:
        """Cell (layer, direction)'s per-step array ``name`` (e.g. "h", "f") indexed by sentence position."""
        values = getattr(self.layers[layer][direction], name)
        return values[::-1] if direction else values


class StackedRecurrent:
    """L layers × D directions of one cell type (built by ``LSTM(..., num_layers=2, bidirectional=True)``).

    Args:
        cell_type: LSTM, GRU or RNN.   input_size: I.   hidden_size: H.
        num_layers: L ≥ 1.   bidirectional: D = 2 if True.
        seed: each cell gets its own seed derived from (seed, layer, direction); None = unseeded.
        dtype, and the cell's own options (``forget_bias``, ``peephole`` for the LSTM, ``nonlinearity`` for
        the RNN).
    """

    def __init__(self, cell_type, input_size: int, hidden_size: int, num_layers: int = 1,
                 bidirectional: bool = False, seed: int | None = 0, dtype: Any = np.float64, **cell_options: Any):
        if isinstance(num_layers, bool) or not isinstance(num_layers, (int, np.integer)) or not 1 <= num_layers <= MAX_LAYERS:
            raise ValueError(f"num_layers must be an integer in 1..{MAX_LAYERS}, got {num_layers!r}")
        self.cell_type = cell_type
        self.kind = cell_type.kind
        self.num_layers = int(num_layers)
        self.bidirectional = bool(bidirectional)
        self.num_directions = 2 if self.bidirectional else 1
        self.seed = seed
        self.cell_options = dict(cell_options)
        self.cells: list[list[Any]] = []
        for layer in range(self.num_layers):
            width = input_size if layer == 0 else self.num_directions * hidden_size
            row = []
            for direction in range(self.num_directions):
                cell_seed = None if seed is None else int(
                    np.random.SeedSequence([int(seed), layer, direction]).generate_state(1)[0])
                row.append(cell_type(width, hidden_size, seed=cell_seed, dtype=dtype, **cell_options))
            self.cells.append(row)
        first = self.cells[0][0]
        self.input_size, self.hidden_size, self.dtype = first.input_size, first.hidden_size, first.dtype

    # ---- shape and options ----------------------------------------------------------------

    @property
    def output_size(self) -> int:
        """D·H, the width of ``trace.output``."""
        return self.num_directions * self.hidden_size

    @property
    def peephole(self) -> bool:
        return bool(getattr(self.cells[0][0], "peephole", False))

    @property
    def nonlinearity(self) -> str:
        return getattr(self.cells[0][0], "nonlinearity", "tanh")

    @property
    def forget_bias(self):
        return getattr(self.cells[0][0], "forget_bias", None)

    def cell(self, layer: int = 0, direction: int = 0):
        """The one-layer network at (layer, direction) (its weights are this network's: a live object)."""
        if not (0 <= layer < self.num_layers and 0 <= direction < self.num_directions):
            raise IndexError(f"no cell ({layer}, {direction}) in {self.num_layers} layer(s) × "
                             f"{self.num_directions} direction(s)")
        return self.cells[layer][direction]

    def _cells(self):
        for layer, row in enumerate(self.cells):
            for direction, cell in enumerate(row):
                yield layer, direction, cell

    # ---- parameters -----------------------------------------------------------------------

    def parameters(self) -> dict[str, np.ndarray]:
        """PyTorch name -> live view of every cell's parameters (``weight_ih_l1``, ``bias_hh_l0_reverse``...)."""
        params = {}
        for layer, direction, cell in self._cells():
            suffix = parameter_suffix(layer, direction)
            for name, value in cell.parameters().items():
                params[name.removesuffix("_l0") + suffix] = value
        return params

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(self.parameters())

    def state_dict(self) -> dict[str, np.ndarray]:
        return {name: np.array(value, order="C") for name, value in self.parameters().items()}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Copy a PyTorch-named state dict into every cell (ValueError if a key or shape does not fit)."""
        if not hasattr(state_dict, "keys"):
            raise ValueError("state dict must be a mapping of parameter names to arrays")
        layers, reverse = stack_shape(state_dict.keys())
        if layers != self.num_layers or reverse != self.bidirectional:
            raise ValueError(f"the state dict has {layers} layer(s){' bidirectional' if reverse else ''}; "
                             f"this network has {self.num_layers}{' bidirectional' if self.bidirectional else ''}")
        per_cell: dict[tuple[int, int], dict[str, Any]] = {}
        for key in state_dict.keys():
            match = _KEY.match(key)
            cell_key = (int(match["layer"]), 1 if match["reverse"] else 0)
            per_cell.setdefault(cell_key, {})[match["stem"] + "_l0"] = state_dict[key]
        for layer, direction, cell in self._cells():
            try:
                cell.load_state_dict(per_cell.get((layer, direction), {}))
            except ValueError as error:
                raise ValueError(f"layer {layer}{' reverse' if direction else ''}: {error}") from error

    @classmethod
    def from_torch(cls, cell_type, state_dict: dict[str, Any], dtype: Any = np.float64, **cell_options: Any):
        """A network from a torch state dict; num_layers and bidirectional come from the key names."""
        if not hasattr(state_dict, "keys"):
            raise ValueError("state dict must be a mapping of parameter names to arrays")
        layers, reverse = stack_shape(state_dict.keys())
        for key in ("weight_ih_l0", "weight_hh_l0"):
            if key not in state_dict:
                raise ValueError(f"state dict is missing {key}")
        weight_hh = to_numpy(state_dict["weight_hh_l0"])
        weight_ih = to_numpy(state_dict["weight_ih_l0"])
        if weight_hh.ndim != 2 or weight_ih.ndim != 2:
            raise ValueError("weight_ih_l0 and weight_hh_l0 must be matrices")
        if cell_type.kind == "lstm":
            cell_options.setdefault("peephole", "weight_ci_l0" in state_dict)
        model = cls(cell_type, weight_ih.shape[1], weight_hh.shape[1], num_layers=layers, bidirectional=reverse,
                    seed=None, dtype=dtype, **cell_options)
        model.load_state_dict(state_dict)
        if cell_type.kind == "lstm":
            for _, _, cell in model._cells():
                cell.forget_bias = None  # the biases came from the state dict
        return model

    def to_torch_state_dict(self) -> dict[str, Any]:
        if self.peephole:  # refused before torch is needed: the answer does not depend on having it
            raise ValueError("a peephole LSTM has no torch.nn.LSTM twin (torch has no peephole connections)")
        import torch  # lazy: torch is optional

        return {name: torch.from_numpy(value) for name, value in self.state_dict().items()}

    def num_parameters(self) -> int:
        return int(sum(cell.num_parameters() for _, _, cell in self._cells()))

    def copy(self):
        new = StackedRecurrent(self.cell_type, self.input_size, self.hidden_size, self.num_layers,
                               self.bidirectional, seed=None, dtype=self.dtype, **self.cell_options)
        new.cells = [[cell.copy() for cell in row] for row in self.cells]
        new.seed = self.seed
        return new

    def scaled_recurrent(self, scale: float):
        """A NEW network whose every cell's recurrent weights are multiplied by ``scale``."""
        new = self.copy()
        new.cells = [[cell.scaled_recurrent(scale) for cell in row] for row in self.cells]
        return new

    def __repr__(self) -> str:
        options = "".join(f", {k}={v!r}" for k, v in self.cell_options.items())
        return (f"{self.cell_type.__name__}(input_size={self.input_size}, hidden_size={self.hidden_size}, "
                f"num_layers={self.num_layers}, bidirectional={self.bidirectional}, dtype={self.dtype.name}{options})")

    # ---- forward / backward -----------------------------------------------------------------

    def _initial_states(self, value: Any, name: str, batched: bool, batch: int):
        """(L·D, [B], H) or None -> list of per-cell ([B], H) states (None = zeros)."""
        count = self.num_layers * self.num_directions
        if value is None:
            return [None] * count
        array = to_numpy(value)
        expected = (count, batch, self.hidden_size) if batched else (count, self.hidden_size)
        if array.shape != expected:
            raise ValueError(f"{name} must have shape {expected} (num_layers·D, [B], H), got {array.shape}")
        return list(array)

    def forward(self, x: Any, h0: Any = None, c0: Any = None) -> StackTrace:
        """Run every layer and direction: x (T, [B], I); h0, c0 (L·D, [B], H) or None. Returns a StackTrace."""
        x = to_numpy(x)
        if x.ndim not in (2, 3):
            raise ValueError(f"x must be (T, I) or (T, B, I), got an array with {x.ndim} dimension(s) {x.shape}")
        batched = x.ndim == 3
        batch = x.shape[1] if batched else 1
        if c0 is not None and self.kind != "lstm":
            raise ValueError(f"c0 is only for an LSTM; a {self.kind.upper()} has no cell state")
        h_states = self._initial_states(h0, "h0", batched, batch)
        c_states = self._initial_states(c0, "c0", batched, batch)
        layers, layer_input = [], x
        for layer, row in enumerate(self.cells):
            traces = []
            for direction, cell in enumerate(row):
                index = layer * self.num_directions + direction
                sequence = layer_input[::-1] if direction else layer_input  # the reverse cell reads from the end
                state = {"h0": h_states[index]}
                if self.kind == "lstm":
                    state["c0"] = c_states[index]
                traces.append(cell.forward(sequence, **state))
            layers.append(traces)
            layer_input = np.concatenate(
                [trace.h[::-1] if direction else trace.h for direction, trace in enumerate(traces)], axis=-1)
        h_n = np.stack([trace.h[-1] for row in layers for trace in row])  # (L·D, [B], H)
        c_n = np.stack([trace.c[-1] for row in layers for trace in row]) if self.kind == "lstm" else None
        return StackTrace(self.kind, batched, layers[0][0].x, layers, layer_input,
                          h_n, c_n, nonlinearity=self.nonlinearity)

    def backward(self, trace: StackTrace, d_output: Any, dh_n: Any = None, dc_n: Any = None, *,
                 return_deltas: bool = False):
        """BPTT through every cell, top layer first.

        Args:
            trace: from :meth:`forward`.   d_output: (T, [B], D·H) ∂L/∂output.
            dh_n, dc_n: (L·D, [B], H) ∂L/∂h_n, ∂L/∂c_n (None = 0).
            return_deltas: also return ``deltas[l][d]``, each cell's :class:`Deltas` in its reading order.
        Returns:
            Gradients under every PyTorch parameter name, plus "x" (T, [B], I), "h0" (and "c0")
            (L·D, [B], H); with ``return_deltas`` the pair (gradients, deltas).
        """
        if not isinstance(trace, StackTrace) or trace.kind != self.kind or trace.num_layers != self.num_layers \
                or trace.num_directions != self.num_directions:
            raise ValueError("backward needs a trace from this network's forward()")
        d_output = to_numpy(d_output)
        if d_output.shape != trace.output.shape:
            raise ValueError(f"d_output must have the shape of trace.output {trace.output.shape}, got {d_output.shape}")
        batch_shape = trace.output.shape[1:-1]
        zeros = np.zeros((self.num_layers * self.num_directions,) + batch_shape + (self.hidden_size,))
        dh_n = zeros if dh_n is None else to_numpy(dh_n)
        dc_n = None if dc_n is None else to_numpy(dc_n)
        for name, value in (("dh_n", dh_n), ("dc_n", dc_n)):
            if value is not None and value.shape != zeros.shape:
                raise ValueError(f"{name} must have shape {zeros.shape}, got {value.shape}")
        if dc_n is not None and self.kind != "lstm":
            raise ValueError("dc_n is only for an LSTM")
        hidden = self.hidden_size
        grads: dict[str, np.ndarray] = {}
        h0_grads, c0_grads = [None] * len(zeros), [None] * len(zeros)
        deltas: list[list[Deltas]] = [[None] * self.num_directions for _ in range(self.num_layers)]
        d_layer_output = d_output
        for layer in range(self.num_layers - 1, -1, -1):
            d_layer_input = 0.0
            for direction, cell in enumerate(self.cells[layer]):
                index = layer * self.num_directions + direction
                dh = d_layer_output[..., direction * hidden:(direction + 1) * hidden]
                dh = np.array(dh[::-1] if direction else dh)  # in the cell's reading order
                dh[-1] += dh_n[index]
                extra = {"dc_last": dc_n[index]} if dc_n is not None else {}
                result = cell.backward(trace.layers[layer][direction], dh, return_deltas=return_deltas, **extra)
                if return_deltas:
                    result, deltas[layer][direction] = result
                suffix = parameter_suffix(layer, direction)
                for name in cell.param_names:
                    grads[name.removesuffix("_l0") + suffix] = result[name]
                dx = result["x"]
                d_layer_input = d_layer_input + (dx[::-1] if direction else dx)
                h0_grads[index] = result["h0"]
                c0_grads[index] = result.get("c0")
            d_layer_output = d_layer_input
        grads["x"] = d_layer_output
        grads["h0"] = np.stack(h0_grads)
        if self.kind == "lstm":
            grads["c0"] = np.stack(c0_grads)
        return (grads, deltas) if return_deltas else grads

    def step_numbers(self, trace: StackTrace, t: int, layer: int = 0, direction: int = 0):
        """Step t (in that cell's reading order) of cell (layer, direction): see ``RecurrentLayer.step_numbers``."""
        return self.cell(layer, direction).step_numbers(trace.layers[layer][direction], t)
