"""What a forward or backward pass leaves behind: ``Trace`` (every step's gates and states),
``StepNumbers`` (one step laid out for the Step page's equations) and ``Deltas`` (every step's error terms).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

GATE_NAMES = {"lstm": ("i", "f", "g", "o"), "gru": ("r", "z", "n"), "rnn": ("h",)}


@dataclass(eq=False)
class Trace:
    """Everything one :meth:`forward` call computed, step by step.

    Shapes use T steps, B sequences (only when ``batched``), I inputs, H hidden units.
    All arrays are read-only views into the buffers used by :meth:`backward`.

    Attributes:
        kind: "lstm" | "gru" | "rnn".
        batched: True if x was (T, B, I); then every per-step array is (T, B, ·),
            otherwise (T, ·).
        x: (T, [B], I) the input, in the model's dtype.
        h0: ([B], H) initial hidden state h_{-1}.   c0: ([B], H) LSTM initial cell c_{-1}.
        h: (T, [B], H) hidden states h_t.
        LSTM: i, f, g, o (T, [B], H) input/forget gates, candidate, output gate;
            c (T, [B], H) cell states; tanh_c (T, [B], H) = tanh(c_t).
        GRU: r, z (T, [B], H) reset/update gates; n (T, [B], H) candidate;
            hn (T, [B], H) = W_hn h_{t-1} + b_hn (before the reset gate is applied).
    """

    kind: str
    batched: bool
    x: np.ndarray
    h0: np.ndarray
    h: np.ndarray
    c0: np.ndarray | None = None
    c: np.ndarray | None = None
    tanh_c: np.ndarray | None = None
    i: np.ndarray | None = None
    f: np.ndarray | None = None
    g: np.ndarray | None = None
    o: np.ndarray | None = None
    r: np.ndarray | None = None
    z: np.ndarray | None = None
    n: np.ndarray | None = None
    hn: np.ndarray | None = None
    nonlinearity: str = "tanh"
    # Internal batched buffers (always with a batch axis) that backward() reads.
    _x: np.ndarray = field(default=None, repr=False)  # (T, B, I)
    _gates: np.ndarray = field(default=None, repr=False)  # (T, B, G*H) activated gates, torch order
    _h_all: np.ndarray = field(default=None, repr=False)  # (T+1, B, H): h_{-1}, h_0 .. h_{T-1}
    _c_all: np.ndarray | None = field(default=None, repr=False)  # (T+1, B, H): c_{-1} .. c_{T-1}
    _tanh_c: np.ndarray | None = field(default=None, repr=False)  # (T, B, H)
    _hn: np.ndarray | None = field(default=None, repr=False)  # (T, B, H)

    @classmethod
    def from_buffers(cls, kind: str, batched: bool, x: np.ndarray, h_all: np.ndarray, *,
                     gates: np.ndarray | None = None, c_all: np.ndarray | None = None,
                     tanh_c: np.ndarray | None = None, hn: np.ndarray | None = None,
                     nonlinearity: str = "tanh") -> "Trace":
        """Wrap forward()'s batched buffers (made read-only) and expose the public views."""
        trace = cls(kind=kind, batched=batched, x=None, h0=None, h=None, nonlinearity=nonlinearity,
                    _x=x, _gates=gates, _h_all=h_all, _c_all=c_all, _tanh_c=tanh_c, _hn=hn)
        trace._make_views()
        return trace

    def _make_views(self) -> None:
        for array in (self._x, self._gates, self._h_all, self._c_all, self._tanh_c, self._hn):
            if array is not None:
                array.flags.writeable = False

        def per_step(a):
            return a if self.batched else a[:, 0]  # (T, B, ·) -> (T, ·)

        def state(a):
            return a if self.batched else a[0]  # (B, H) -> (H,)

        hidden = self._h_all.shape[2]
        self.x = per_step(self._x)
        self.h0, self.h = state(self._h_all[0]), per_step(self._h_all[1:])
        if self.kind == "lstm":
            self.c0, self.c = state(self._c_all[0]), per_step(self._c_all[1:])
            self.tanh_c = per_step(self._tanh_c)
        if self._gates is not None:
            for k, name in enumerate({"lstm": "ifgo", "gru": "rzn"}[self.kind]):
                setattr(self, name, per_step(self._gates[..., k * hidden:(k + 1) * hidden]))  # (T, [B], H)
        if self.kind == "gru":
            self.hn = per_step(self._hn)

    _VIEW_FIELDS: ClassVar[tuple[str, ...]] = (
        "x", "h0", "h", "c0", "c", "tanh_c", "i", "f", "g", "o", "r", "z", "n", "hn")

    def __getstate__(self) -> dict[str, Any]:
        # Pickle (st.cache_data, multiprocessing) only the buffers; views are rebuilt on load.
        return {k: v for k, v in self.__dict__.items() if k not in self._VIEW_FIELDS}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        for name in self._VIEW_FIELDS:
            self.__dict__.setdefault(name, None)
        self._make_views()

    # A one-layer, one-direction network's trace answers the stacked networks' questions too.
    num_layers: ClassVar[int] = 1
    num_directions: ClassVar[int] = 1

    @property
    def output(self) -> np.ndarray:
        """(T, [B], H) what the layer outputs: its hidden states (torch's ``output``)."""
        return self.h

    @property
    def h_n(self) -> np.ndarray:
        """(1, [B], H) the final hidden state, as torch returns it."""
        return self.h[-1][None]

    @property
    def c_n(self) -> np.ndarray | None:
        """(1, [B], H) the final cell state (LSTM), as torch returns it."""
        return None if self.c is None else self.c[-1][None]

    @property
    def layers(self) -> list[list["Trace"]]:
        """[[self]]: the per-layer, per-direction traces of a one-layer network."""
        return [[self]]

    def positions(self, direction: int = 0) -> np.ndarray:
        """(T,) the sentence position each step read (one direction: 0..T-1)."""
        return np.arange(self.num_steps)

    def in_sentence_order(self, layer: int, direction: int, name: str) -> np.ndarray:
        return getattr(self, name)

    @property
    def num_steps(self) -> int:
        """T, the sequence length."""
        return self._h_all.shape[0] - 1

    @property
    def batch_size(self) -> int | None:
        """B for a batched trace, None otherwise."""
        return self._h_all.shape[1] if self.batched else None

    @property
    def hidden_size(self) -> int:
        return self._h_all.shape[2]

    @property
    def dtype(self) -> np.dtype:
        return self._h_all.dtype

    def _step_index(self, t: int) -> int:
        steps = self.num_steps
        if not -steps <= t < steps:
            raise IndexError(f"step {t} out of range for a sequence of {steps} steps")
        return t % steps

    def _unbatch(self, state: np.ndarray) -> np.ndarray:
        return state if self.batched else state[0]

    def h_prev(self, t: int) -> np.ndarray:
        """h_{t-1} ([B], H), with h_{-1} = h0."""
        return self._unbatch(self._h_all[self._step_index(t)])

    def c_prev(self, t: int) -> np.ndarray:
        """c_{t-1} ([B], H), with c_{-1} = c0 (LSTM only)."""
        if self._c_all is None:
            raise AttributeError(f"a {self.kind} trace has no cell state")
        return self._unbatch(self._c_all[self._step_index(t)])

    def arrays(self) -> dict[str, np.ndarray]:
        """Ordered name -> array of every per-step quantity (T, [B], ·), for downloads."""
        names = {
            "lstm": ("x", "i", "f", "g", "o", "c", "tanh_c", "h"),
            "gru": ("x", "r", "z", "hn", "n", "h"),
            "rnn": ("x", "h"),
        }[self.kind]
        return {name: getattr(self, name) for name in names}


@dataclass
class StepNumbers:
    """The numbers of one step t of one sequence, computed by the cell's readable ``step_forward``.

    vectors: name -> (n,) float64: "x" (I,), "h_prev", "c_prev" (LSTM), the gates ("i", "f", "g", "o" |
        "r", "z", "n"), "c" (LSTM), "hn" (GRU: W_hn h_{t-1} + b_hn), "h" — each (H,).
    input_parts: gate -> (H,) W_ih[k] x_t + b_ih[k] (block k of the torch gate order; RNN: key "h").
    recurrent_parts: gate -> (H,) W_hh[k] h_{t-1} + b_hh[k].
    preactivations: gate -> (H,) what the gate's σ / tanh reads: input + recurrent part
        (GRU candidate: input part + r_t ⊙ recurrent part).
    """

    kind: str
    t: int
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    input_parts: dict[str, np.ndarray] = field(default_factory=dict)
    recurrent_parts: dict[str, np.ndarray] = field(default_factory=dict)
    preactivations: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass(eq=False)
class Deltas:
    """The error terms δ = ∂L/∂(·) of one backward pass, for every step (torch gate order).

    h: (T, [B], H) δh_t, the whole gradient on h_t (from the loss at step t and from step t+1).
    c: (T, [B], H) LSTM only: δc_t, the whole gradient on c_t (through h_t and from c_{t+1}).
    gates_x: (T, [B], G·H) gradient on the input-side pre-activations W_ih x_t + b_ih.
    gates_h: (T, [B], G·H) gradient on the recurrent-side pre-activations W_hh h_{t-1} + b_hh; equal to
        gates_x except in the GRU's candidate block, where r_t multiplies the recurrent part.
    h_prev / c_prev of step 0 are the gradients on h0 / c0 (in the backward's result).
    """

    kind: str
    h: np.ndarray
    gates_x: np.ndarray
    gates_h: np.ndarray
    c: np.ndarray | None = None

    def gate(self, name: str, side: str = "x") -> np.ndarray:
        """(T, [B], H) δ of one gate's pre-activation, e.g. ``deltas.gate("f")`` (side "x" or "h")."""
        names = GATE_NAMES[self.kind]
        if name not in names:
            raise KeyError(f"a {self.kind} has no gate {name!r} (gates: {', '.join(names)})")
        k = names.index(name)
        hidden = self.h.shape[-1]
        source = self.gates_x if side == "x" else self.gates_h
        return source[..., k * hidden:(k + 1) * hidden]
