"""What LSTM, GRU and RNN share: parameters in PyTorch's layout, state dicts, input checks.

Parameters are stored transposed and fused, W_ih^T (I, G·H) and W_hh^T (H, G·H), gate blocks in PyTorch's
order (G = 4 for the LSTM, 3 for the GRU, 1 for the RNN), so each time step is one GEMM
``h_{t-1} @ W_hh^T``; the public ``weight_ih`` (G·H, I) and ``weight_hh`` (G·H, H) are views of that storage.
Each cell module (``lstm.py``, ``gru.py``, ``rnn.py``) adds its readable ``step_forward`` / ``step_backward``
and the fused sequence ``forward`` / ``backward`` built from the same equations.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import numpy as np

from .arrays import as_dtype, finite_array, to_numpy
from .trace import GATE_NAMES, Deltas, StepNumbers, Trace

#: PyTorch's names of one layer's parameters (layer 0, forward direction).
PARAM_NAMES = ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")
#: The per-step vectors a StepNumbers holds, in display order.
VECTOR_NAMES = {
    "lstm": ("x", "h_prev", "c_prev", "i", "f", "g", "o", "c", "h"),
    "gru": ("x", "h_prev", "r", "z", "n", "hn", "h"),
    "rnn": ("x", "h_prev", "h"),
}


def split_gates(a: np.ndarray, count: int) -> list[np.ndarray]:
    """The G gate blocks of a fused (..., G·H) array, as views (..., H)."""
    hidden = a.shape[-1] // count
    return [a[..., k * hidden:(k + 1) * hidden] for k in range(count)]


def _describes_a_stack(state_dict) -> bool:
    """True when a state dict's keys name a layer above 0 or a reverse direction (``weight_ih_l1``, ``..._reverse``)."""
    if not hasattr(state_dict, "keys"):
        return False
    return any(str(key).endswith("_reverse") or re.search(r"_l[1-9]\d*$", str(key)) for key in state_dict.keys())


def outer_sum(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Σ_b left_b right_bᵀ over any leading batch axes: left ([B], G·H), right ([B], I) -> (G·H, I)."""
    return left.reshape(-1, left.shape[-1]).T @ right.reshape(-1, right.shape[-1])


class RecurrentLayer:
    """Shared parameter handling for LSTM, GRU and RNN (one layer, one direction).

    Parameters are stored transposed and fused, W_ih^T (I, G·H) and W_hh^T (H, G·H), with
    the gate blocks in PyTorch order; ``weight_ih`` / ``weight_hh`` are (G·H, I) / (G·H, H)
    views of that storage, so in-place updates through them (``m.weight_hh *= 0.5``)
    change the model.
    """

    kind: ClassVar[str] = ""
    param_names: ClassVar[tuple[str, ...]] = PARAM_NAMES
    gate_names: ClassVar[tuple[str, ...]] = ()
    num_gates: ClassVar[int] = 1

    # A one-layer, one-direction network; ``LSTM(..., num_layers=2, bidirectional=True)`` builds a
    # :class:`~lstm_viz.nn.stack.StackedRecurrent` of such cells instead (see ``__new__``).
    num_layers: ClassVar[int] = 1
    bidirectional: ClassVar[bool] = False
    num_directions: ClassVar[int] = 1

    def __new__(cls, *args: Any, num_layers: int = 1, bidirectional: bool = False, **kwargs: Any):
        if num_layers == 1 and not bidirectional:
            return super().__new__(cls)
        from .stack import StackedRecurrent  # the stack is built from cells of this class

        if len(args) > 2:
            raise TypeError("pass seed, dtype and the cell's options by keyword for a stacked network")
        return StackedRecurrent(cls, *args, num_layers=num_layers, bidirectional=bidirectional, **kwargs)

    def __init__(self, input_size: int, hidden_size: int, seed: int | None = 0, dtype: Any = np.float64,
                 num_layers: int = 1, bidirectional: bool = False):
        for name, value in (("input_size", input_size), ("hidden_size", hidden_size)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        self.input_size = int(input_size)
        self.hidden_size = int(hidden_size)
        self.dtype = as_dtype(dtype)
        self.seed = seed
        rows = self.num_gates * self.hidden_size
        # Same init as torch: every parameter ~ U(-1/√H, 1/√H), drawn in float64 then cast.
        rng = np.random.default_rng(seed)
        bound = 1.0 / np.sqrt(self.hidden_size)
        weight_ih = rng.uniform(-bound, bound, size=(rows, self.input_size))  # (G*H, I)
        weight_hh = rng.uniform(-bound, bound, size=(rows, self.hidden_size))  # (G*H, H)
        bias_ih = rng.uniform(-bound, bound, size=rows)  # (G*H,)
        bias_hh = rng.uniform(-bound, bound, size=rows)  # (G*H,)
        self._w_ih_t = np.ascontiguousarray(weight_ih.T, dtype=self.dtype)  # (I, G*H)
        self._w_hh_t = np.ascontiguousarray(weight_hh.T, dtype=self.dtype)  # (H, G*H)
        self._b_ih = bias_ih.astype(self.dtype)
        self._b_hh = bias_hh.astype(self.dtype)

    @property
    def output_size(self) -> int:
        """H, the width of ``trace.output``."""
        return self.hidden_size

    @property
    def cells(self) -> list[list["RecurrentLayer"]]:
        return [[self]]

    def cell(self, layer: int = 0, direction: int = 0) -> "RecurrentLayer":
        """This network itself: the only cell of a one-layer, one-direction network."""
        if (layer, direction) != (0, 0):
            raise IndexError(f"a one-layer, one-direction {type(self).__name__} has only cell (0, 0)")
        return self

    # ---- torch-layout views -------------------------------------------------------------

    @property
    def weight_ih(self) -> np.ndarray:
        """(G·H, I) input weights, gate blocks in torch order (a view: writes change the model)."""
        return self._w_ih_t.T

    @weight_ih.setter
    def weight_ih(self, value: Any) -> None:
        np.copyto(self._w_ih_t, self._checked(value, "weight_ih", self.weight_ih.shape).T)

    @property
    def weight_hh(self) -> np.ndarray:
        """(G·H, H) recurrent weights, gate blocks in torch order (a view)."""
        return self._w_hh_t.T

    @weight_hh.setter
    def weight_hh(self, value: Any) -> None:
        np.copyto(self._w_hh_t, self._checked(value, "weight_hh", self.weight_hh.shape).T)

    @property
    def bias_ih(self) -> np.ndarray:
        """(G·H,) input bias (a view)."""
        return self._b_ih

    @bias_ih.setter
    def bias_ih(self, value: Any) -> None:
        np.copyto(self._b_ih, self._checked(value, "bias_ih", self._b_ih.shape))

    @property
    def bias_hh(self) -> np.ndarray:
        """(G·H,) recurrent bias (a view)."""
        return self._b_hh

    @bias_hh.setter
    def bias_hh(self, value: Any) -> None:
        np.copyto(self._b_hh, self._checked(value, "bias_hh", self._b_hh.shape))

    def _checked(self, value: Any, name: str, shape: tuple[int, ...]) -> np.ndarray:
        array = to_numpy(value)
        if array.shape != shape:
            raise ValueError(f"{name} must have shape {shape}, got {array.shape}")
        return finite_array(array, name, self.dtype)

    def parameters(self) -> dict[str, np.ndarray]:
        """Torch name -> live (writable) view of each parameter, e.g. for an optimizer."""
        return {
            "weight_ih_l0": self.weight_ih,
            "weight_hh_l0": self.weight_hh,
            "bias_ih_l0": self.bias_ih,
            "bias_hh_l0": self.bias_hh,
        }

    def state_dict(self) -> dict[str, np.ndarray]:
        """Torch name -> C-contiguous numpy copy of each parameter."""
        return {name: np.array(value, order="C") for name, value in self.parameters().items()}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Copy parameters (numpy arrays or tensors, torch names) into this model in place."""
        arrays = self._parse_state_dict(state_dict, self.input_size, self.hidden_size)
        self.weight_ih, self.weight_hh = arrays["weight_ih_l0"], arrays["weight_hh_l0"]
        self.bias_ih, self.bias_hh = arrays["bias_ih_l0"], arrays["bias_hh_l0"]

    @classmethod
    def _parse_state_dict(cls, state_dict: dict[str, Any], input_size: int | None = None,
                          hidden_size: int | None = None) -> dict[str, np.ndarray]:
        if not hasattr(state_dict, "keys"):
            raise ValueError("state dict must be a mapping of parameter names to arrays")
        arrays: dict[str, np.ndarray] = {}
        for key in state_dict.keys():
            name = key if key.endswith("_l0") else key + "_l0"  # accept LSTMCell names too
            if name not in PARAM_NAMES:
                raise ValueError(
                    f"unexpected key {key!r}: only a single-layer, one-direction {cls.__name__} "
                    f"({', '.join(PARAM_NAMES)}) is supported"
                )
            if name in arrays:
                raise ValueError(f"parameter {name} given twice")
            arrays[name] = to_numpy(state_dict[key])
        for name in ("weight_ih_l0", "weight_hh_l0"):
            if name not in arrays:
                raise ValueError(f"state dict is missing {name}")
        weight_ih, weight_hh = arrays["weight_ih_l0"], arrays["weight_hh_l0"]
        if weight_hh.ndim != 2 or weight_hh.shape[0] != cls.num_gates * weight_hh.shape[1]:
            raise ValueError(
                f"weight_hh_l0 of a {cls.__name__} must have shape ({cls.num_gates}*H, H), got {weight_hh.shape}"
            )
        hidden = weight_hh.shape[1]
        if hidden_size is not None and hidden != hidden_size:
            raise ValueError(f"hidden size {hidden} does not match the model's {hidden_size}")
        if weight_ih.ndim != 2 or weight_ih.shape[0] != cls.num_gates * hidden or weight_ih.shape[1] < 1:
            raise ValueError(
                f"weight_ih_l0 of a {cls.__name__} with H={hidden} must have shape "
                f"({cls.num_gates * hidden}, I), got {weight_ih.shape}"
            )
        if input_size is not None and weight_ih.shape[1] != input_size:
            raise ValueError(f"input size {weight_ih.shape[1]} does not match the model's {input_size}")
        for name in ("bias_ih_l0", "bias_hh_l0"):  # torch's bias=False: no bias keys, i.e. zeros
            arrays.setdefault(name, np.zeros(cls.num_gates * hidden))
            if arrays[name].shape != (cls.num_gates * hidden,):
                raise ValueError(f"{name} must have shape ({cls.num_gates * hidden},), got {arrays[name].shape}")
        for name, array in arrays.items():
            if array.dtype.kind not in "biuf":
                raise ValueError(f"{name} must be a real numeric array, got dtype {array.dtype}")
            if not np.isfinite(array).all():
                raise ValueError(f"{name} contains NaN or infinite values")
        return arrays

    def _constructor_kwargs(self) -> dict[str, Any]:
        return {}

    @classmethod
    def from_torch(cls, state_dict: dict[str, Any], dtype: Any = np.float64, **kwargs: Any):
        """A model from a torch ``nn.LSTM/GRU/RNN`` (or ``...Cell``) state dict.

        Values may be numpy arrays or torch tensors; input and hidden sizes come from the
        shapes, which are validated (ValueError). RNN accepts ``nonlinearity="relu"``.
        """
        if _describes_a_stack(state_dict):
            from .stack import StackedRecurrent

            return StackedRecurrent.from_torch(cls, state_dict, dtype=dtype, **kwargs)
        arrays = cls._parse_state_dict(state_dict)
        hidden = arrays["weight_hh_l0"].shape[1]
        inputs = arrays["weight_ih_l0"].shape[1]
        model = cls(inputs, hidden, seed=None, dtype=dtype, **kwargs)
        model.load_state_dict(arrays)
        return model

    def to_torch_state_dict(self) -> dict[str, Any]:
        """Torch name -> torch tensor (same dtype), for ``torch.nn.LSTM(...).load_state_dict``."""
        import torch  # lazy: torch is optional

        return {name: torch.from_numpy(value) for name, value in self.state_dict().items()}

    @classmethod
    def parameter_breakdown(cls, input_size: int, hidden_size: int) -> dict[str, int]:
        """Parameter count of this cell type: G gate blocks (RNN 1, GRU 3, LSTM 4),
        weights G·H·(I + H), biases 2·G·H (PyTorch keeps b_ih and b_hh), total their sum."""
        blocks = cls.num_gates
        weights = blocks * int(hidden_size) * (int(input_size) + int(hidden_size))
        biases = 2 * blocks * int(hidden_size)
        return {"blocks": blocks, "weights": weights, "biases": biases, "total": weights + biases}

    def num_parameters(self) -> int:
        """G·H·(I + H + 2): both weight matrices and both biases (LSTM peepholes add 3H)."""
        return int(sum(value.size for value in self.parameters().values()))

    # ---- one step, readable -------------------------------------------------------------

    def _step_cache(self, x_t: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray | None,
                    params: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Run this cell's ``step_forward`` once and return its cache (implemented per cell)."""
        raise NotImplementedError

    def step_numbers(self, trace: Trace, t: int) -> StepNumbers:
        """Step t of an unbatched trace, recomputed in float64 by the cell's readable ``step_forward``.

        The Step page shows these numbers; a test checks that they equal the fused forward's trace.
        """
        if not isinstance(trace, Trace) or trace.kind != self.kind:
            raise ValueError(f"step_numbers needs a {self.kind} Trace from this model's forward()")
        if trace.batched:
            raise ValueError("step_numbers needs an unbatched trace (x of shape (T, I))")
        t = trace._step_index(t)
        params = {name: np.asarray(value, dtype=np.float64) for name, value in self.parameters().items()}
        x_t = np.asarray(trace.x[t], dtype=np.float64)  # (I,)
        h_prev = np.asarray(trace.h_prev(t), dtype=np.float64)  # (H,)
        c_prev = np.asarray(trace.c_prev(t), dtype=np.float64) if self.kind == "lstm" else None  # (H,)
        cache = self._step_cache(x_t, h_prev, c_prev, params)
        hidden = self.hidden_size
        gates = GATE_NAMES[self.kind]
        return StepNumbers(
            kind=self.kind, t=t,
            vectors={name: cache[name] for name in VECTOR_NAMES[self.kind]},
            input_parts={g: cache["a_x"][k * hidden:(k + 1) * hidden] for k, g in enumerate(gates)},
            recurrent_parts={g: cache["a_h"][k * hidden:(k + 1) * hidden] for k, g in enumerate(gates)},
            preactivations={g: cache["preactivations"][g] for g in gates},
        )

    def copy(self):
        """An independent copy (same parameters, same dtype)."""
        new = type(self)(self.input_size, self.hidden_size, seed=None, dtype=self.dtype, **self._constructor_kwargs())
        new.load_state_dict(self.state_dict())
        new.seed = self.seed
        return new

    def scaled_recurrent(self, scale: float):
        """A NEW model whose recurrent weights are ``weight_hh * scale`` (this one is unchanged)."""
        scale = float(scale)
        if not np.isfinite(scale):
            raise ValueError(f"scale must be finite, got {scale}")
        new = self.copy()
        with np.errstate(over="ignore"):
            new._w_hh_t *= scale
        if not np.isfinite(new._w_hh_t).all():
            raise ValueError(f"weight_hh * {scale} overflows {self.dtype}")
        return new

    def __repr__(self) -> str:
        extra = "".join(f", {k}={v!r}" for k, v in self._constructor_kwargs().items())
        sizes = f"input_size={self.input_size}, hidden_size={self.hidden_size}"
        return f"{type(self).__name__}({sizes}, dtype={self.dtype.name}{extra})"

    # ---- input validation ---------------------------------------------------------------

    def _prepare_inputs(self, x: Any, h0: Any, c0: Any, uses_cell: bool):
        """Validate, cast and give everything a batch axis: x (T, B, I), h0/c0 (B, H)."""
        x = to_numpy(x)
        if x.ndim not in (2, 3):
            raise ValueError(f"x must be (T, I) or (T, B, I), got an array with {x.ndim} dimension(s) {x.shape}")
        if x.shape[0] == 0:
            raise ValueError("x is empty: a sequence needs at least one step (T >= 1)")
        if x.shape[-1] != self.input_size:
            raise ValueError(f"x has {x.shape[-1]} features per step, but the model's input_size is {self.input_size}")
        batched = x.ndim == 3
        if batched and x.shape[1] == 0:
            raise ValueError("x has batch size 0: need at least one sequence")
        x3 = finite_array(x if batched else x[:, None, :], "x", self.dtype).copy()  # (T, B, I), own copy
        batch = x3.shape[1]
        state_shape = (batch, self.hidden_size) if batched else (self.hidden_size,)

        def state(value: Any, name: str) -> np.ndarray:
            if value is None:
                return np.zeros((batch, self.hidden_size), dtype=self.dtype)  # (B, H)
            array = to_numpy(value)
            if array.shape == (1,) + state_shape:  # torch's (num_layers·D = 1, [B], H)
                array = array[0]
            if array.shape != state_shape:
                raise ValueError(f"{name} must have shape {state_shape} for x of shape {x.shape}, got {array.shape}")
            array = finite_array(array, name, self.dtype)
            return array.reshape(batch, self.hidden_size)  # (B, H)

        if c0 is not None and not uses_cell:
            raise ValueError(f"c0 is only for an LSTM; a {self.kind.upper()} has no cell state")
        return x3, batched, state(h0, "h0"), (state(c0, "c0") if uses_cell else None)

    def _check_backward_inputs(self, trace: Trace, dh: Any) -> np.ndarray:
        if not isinstance(trace, Trace) or trace.kind != self.kind:
            raise ValueError(f"backward needs a {self.kind} Trace from this model's forward()")
        if trace._x.shape[2] != self.input_size or trace.hidden_size != self.hidden_size:
            raise ValueError("the trace was made by a model with different sizes")
        dh = to_numpy(dh)
        if dh.shape != trace.h.shape:
            raise ValueError(f"dh must have the shape of trace.h {trace.h.shape}, got {dh.shape}")
        dh = finite_array(dh, "dh", self.dtype)
        return dh if trace.batched else dh[:, None, :]  # (T, B, H)

    @staticmethod
    def _param_grads(dgates_x: np.ndarray, dgates_h: np.ndarray, x3: np.ndarray, h_prev: np.ndarray,
                     weight_ih: np.ndarray) -> dict[str, np.ndarray]:
        """dW and db as one GEMM / one sum over all T·B rows, and dx = dA_x W_ih.

        dgates_x (T, B, G·H): gradient w.r.t. the input-side pre-activations W_ih x_t + b_ih;
        dgates_h (T, B, G·H): gradient w.r.t. the recurrent-side ones W_hh h_{t-1} + b_hh.
        """
        steps, batch, _ = x3.shape
        rows = steps * batch
        dax = dgates_x.reshape(rows, -1)  # (T*B, G*H)
        dah = dgates_h.reshape(rows, -1)  # (T*B, G*H)
        return {
            "weight_ih_l0": dax.T @ x3.reshape(rows, -1),  # (G*H, T*B) @ (T*B, I) -> (G*H, I)
            "weight_hh_l0": dah.T @ h_prev.reshape(rows, -1),  # (G*H, T*B) @ (T*B, H) -> (G*H, H)
            "bias_ih_l0": dax.sum(axis=0),  # (G*H,)
            "bias_hh_l0": dah.sum(axis=0),  # (G*H,)
            "x": (dax @ np.ascontiguousarray(weight_ih)).reshape(x3.shape),  # (T*B, G*H) @ (G*H, I) -> (T, B, I)
        }

    def _backward_result(self, grads: dict[str, np.ndarray], trace: Trace, return_deltas: bool,
                         dh_steps: np.ndarray | None, dgates_x: np.ndarray, dgates_h: np.ndarray,
                         dc_steps: np.ndarray | None = None):
        """The gradients in the trace's shapes, and with ``return_deltas`` the :class:`Deltas` of every step."""
        grads = self._finish_grads(grads, trace.batched)
        if not return_deltas:
            return grads
        unbatch = (lambda a: a) if trace.batched else (lambda a: None if a is None else a[:, 0])  # (T, [B], ·)
        return grads, Deltas(self.kind, h=unbatch(dh_steps), c=unbatch(dc_steps), gates_x=unbatch(dgates_x),
                             gates_h=unbatch(dgates_h))

    @staticmethod
    def _finish_grads(grads: dict[str, np.ndarray], batched: bool) -> dict[str, np.ndarray]:
        if not batched:
            grads["x"] = grads["x"][:, 0]  # (T, I)
            for name in ("h0", "c0"):
                if name in grads:
                    grads[name] = grads[name][0]  # (H,)
        return grads
