"""Single-layer recurrent networks in NumPy: ``LSTM``, ``GRU``, ``RNN`` and their ``Trace``.

Every model runs a whole sequence with :meth:`forward`, which records every gate, the
candidate, the cell and the hidden state of every step in a :class:`Trace`, and
:meth:`backward` runs full backpropagation through time (BPTT) on that trace.

Conventions follow PyTorch exactly (gate order, two summed biases, weight shapes), so the
parameters move between the two frameworks with :meth:`from_torch` /
:meth:`to_torch_state_dict` and the same input gives the same numbers.

Notation (one time step t; x_t (I,), h_{t-1} (H,); σ(a) = 1 / (1 + e^{-a}); ⊙ is the
element-wise product)::

    LSTM   i_t = σ(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)        input gate
           f_t = σ(W_if x_t + b_if + W_hf h_{t-1} + b_hf)        forget gate
           g_t = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)     candidate
           o_t = σ(W_io x_t + b_io + W_ho h_{t-1} + b_ho)        output gate
           c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t                        cell state
           h_t = o_t ⊙ tanh(c_t)                                  hidden state

    GRU    r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)        reset gate
           z_t = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)        update gate
           n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t-1} + b_hn))   candidate
           h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}

    RNN    h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)     (or relu)

Implementation notes (speed): the input projections of all T steps are one GEMM before
the time loop; the recurrent weights are stored transposed, (H, G·H), so that each step
is one GEMM ``np.dot(h_{t-1}, W_hh^T, out=buffer)``; gate buffers are preallocated for
the whole sequence and activations are applied in place. σ is evaluated as
σ(a) = 0.5·tanh(a/2) + 0.5, which never overflows. The backward pass does only the
recurrent GEMM inside the loop; dW_ih, dW_hh, the biases and dx are one GEMM (or sum)
each over all steps afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

__all__ = ["LSTM", "GRU", "RNN", "Trace"]

PARAM_NAMES = ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")
_SUPPORTED_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


# --------------------------------------------------------------------------- helpers


def _as_dtype(dtype: Any) -> np.dtype:
    try:
        resolved = np.dtype(dtype)
    except TypeError as error:
        raise ValueError(f"dtype must be float32 or float64, got {dtype!r}") from error
    if resolved not in _SUPPORTED_DTYPES:
        raise ValueError(f"dtype must be float32 or float64, got {resolved}")
    return resolved


def _sigmoid_(a: np.ndarray) -> np.ndarray:
    """In place σ(a) = 0.5·tanh(a/2) + 0.5: same as 1/(1+e^{-a}) but never overflows."""
    np.multiply(a, 0.5, out=a)
    np.tanh(a, out=a)
    np.multiply(a, 0.5, out=a)
    np.add(a, 0.5, out=a)
    return a


def _to_numpy(value: Any) -> np.ndarray:
    """A numpy array from a numpy array, a list or a torch tensor (without importing torch)."""
    if hasattr(value, "detach") and hasattr(value, "cpu"):
        value = value.detach().cpu()
        if hasattr(value, "double") and str(getattr(value, "dtype", "")) in ("torch.bfloat16", "torch.float16"):
            value = value.double()
        value = value.numpy()
    return np.asarray(value)


def _finite_array(value: Any, name: str, dtype: np.dtype) -> np.ndarray:
    array = _to_numpy(value)
    if array.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be a real numeric array, got dtype {array.dtype}")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    with np.errstate(over="ignore"):  # e.g. 1e300 into float32: reported below, not warned
        converted = np.asarray(array, dtype=dtype)
    if not np.isfinite(converted).all():
        raise ValueError(f"{name} has values too large for {dtype} (max {np.finfo(dtype).max:.3g})")
    return converted


# --------------------------------------------------------------------------- trace


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


# --------------------------------------------------------------------------- base model


class _RecurrentLayer:
    """Shared parameter handling for LSTM, GRU and RNN (one layer, one direction).

    Parameters are stored transposed and fused, W_ih^T (I, G·H) and W_hh^T (H, G·H), with
    the gate blocks in PyTorch order; ``weight_ih`` / ``weight_hh`` are (G·H, I) / (G·H, H)
    views of that storage, so in-place updates through them (``m.weight_hh *= 0.5``)
    change the model.
    """

    kind: ClassVar[str] = ""
    gate_names: ClassVar[tuple[str, ...]] = ()
    num_gates: ClassVar[int] = 1

    def __init__(self, input_size: int, hidden_size: int, seed: int | None = 0, dtype: Any = np.float64):
        for name, value in (("input_size", input_size), ("hidden_size", hidden_size)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        self.input_size = int(input_size)
        self.hidden_size = int(hidden_size)
        self.dtype = _as_dtype(dtype)
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
        array = _to_numpy(value)
        if array.shape != shape:
            raise ValueError(f"{name} must have shape {shape}, got {array.shape}")
        return _finite_array(array, name, self.dtype)

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
            arrays[name] = _to_numpy(state_dict[key])
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

    def num_parameters(self) -> int:
        """G·H·(I + H + 2): both weight matrices and both biases."""
        return self.num_gates * self.hidden_size * (self.input_size + self.hidden_size + 2)

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
        x = _to_numpy(x)
        if x.ndim not in (2, 3):
            raise ValueError(f"x must be (T, I) or (T, B, I), got an array with {x.ndim} dimension(s) {x.shape}")
        if x.shape[0] == 0:
            raise ValueError("x is empty: a sequence needs at least one step (T >= 1)")
        if x.shape[-1] != self.input_size:
            raise ValueError(f"x has {x.shape[-1]} features per step, but the model's input_size is {self.input_size}")
        batched = x.ndim == 3
        if batched and x.shape[1] == 0:
            raise ValueError("x has batch size 0: need at least one sequence")
        x3 = _finite_array(x if batched else x[:, None, :], "x", self.dtype).copy()  # (T, B, I), own copy
        batch = x3.shape[1]
        state_shape = (batch, self.hidden_size) if batched else (self.hidden_size,)

        def state(value: Any, name: str) -> np.ndarray:
            if value is None:
                return np.zeros((batch, self.hidden_size), dtype=self.dtype)  # (B, H)
            array = _to_numpy(value)
            if array.shape != state_shape:
                raise ValueError(f"{name} must have shape {state_shape} for x of shape {x.shape}, got {array.shape}")
            array = _finite_array(array, name, self.dtype)
            return array.reshape(batch, self.hidden_size)  # (B, H)

        if c0 is not None and not uses_cell:
            raise ValueError(f"c0 is only for an LSTM; a {self.kind.upper()} has no cell state")
        return x3, batched, state(h0, "h0"), (state(c0, "c0") if uses_cell else None)

    def _check_backward_inputs(self, trace: Trace, dh: Any) -> np.ndarray:
        if not isinstance(trace, Trace) or trace.kind != self.kind:
            raise ValueError(f"backward needs a {self.kind} Trace from this model's forward()")
        if trace._x.shape[2] != self.input_size or trace.hidden_size != self.hidden_size:
            raise ValueError("the trace was made by a model with different sizes")
        dh = _to_numpy(dh)
        if dh.shape != trace.h.shape:
            raise ValueError(f"dh must have the shape of trace.h {trace.h.shape}, got {dh.shape}")
        dh = _finite_array(dh, "dh", self.dtype)
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

    @staticmethod
    def _finish_grads(grads: dict[str, np.ndarray], batched: bool) -> dict[str, np.ndarray]:
        if not batched:
            grads["x"] = grads["x"][:, 0]  # (T, I)
            for name in ("h0", "c0"):
                if name in grads:
                    grads[name] = grads[name][0]  # (H,)
        return grads


# --------------------------------------------------------------------------- LSTM


class LSTM(_RecurrentLayer):
    """Long short-term memory layer, PyTorch conventions (gate blocks i, f, g, o).

    Equations, one step (x_t (I,), h_{t-1}, c_{t-1} (H,); σ the logistic sigmoid,
    ⊙ the element-wise product)::

        i_t = σ(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)
        f_t = σ(W_if x_t + b_if + W_hf h_{t-1} + b_hf)
        g_t = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)
        o_t = σ(W_io x_t + b_io + W_ho h_{t-1} + b_ho)
        c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
        h_t = o_t ⊙ tanh(c_t)

    weight_ih = [W_ii; W_if; W_ig; W_io] (4H, I), weight_hh = [W_hi; W_hf; W_hg; W_ho] (4H, H).

    Args:
        input_size: I.   hidden_size: H.
        seed: seed of ``np.random.default_rng``; parameters ~ U(−1/√H, 1/√H) as in torch.
        dtype: float64 (default) or float32; outputs have this dtype.
        forget_bias: total forget-gate bias b_if + b_hf at init (b_if = forget_bias,
            b_hf = 0). The default 1.0 is the value Jozefowicz, Zaremba & Sutskever (2015,
            "An Empirical Exploration of Recurrent Network Architectures") recommend, so the
            cell remembers by default early in training. None keeps torch's random init.
    """

    kind = "lstm"
    gate_names = ("i", "f", "g", "o")
    num_gates = 4

    def __init__(self, input_size: int, hidden_size: int, seed: int | None = 0, dtype: Any = np.float64,
                 forget_bias: float | None = 1.0):
        super().__init__(input_size, hidden_size, seed=seed, dtype=dtype)
        self.forget_bias = None if forget_bias is None else float(forget_bias)
        if self.forget_bias is not None:
            hidden = self.hidden_size
            self._b_ih[hidden:2 * hidden] = self.forget_bias
            self._b_hh[hidden:2 * hidden] = 0.0
        # σ(a) = 0.5·tanh(0.5·a) + 0.5 and tanh(a) = 1·tanh(1·a) + 0, so with one per-column
        # scale and offset every gate is "scale, tanh, scale, shift" over the fused 4H row.
        hidden = self.hidden_size
        self._gate_scale = np.full(4 * hidden, 0.5, dtype=self.dtype)  # (4H,)
        self._gate_scale[2 * hidden:3 * hidden] = 1.0
        self._gate_shift = np.full(4 * hidden, 0.5, dtype=self.dtype)  # (4H,)
        self._gate_shift[2 * hidden:3 * hidden] = 0.0

    def _constructor_kwargs(self) -> dict[str, Any]:
        return {"forget_bias": self.forget_bias}

    @classmethod
    def from_torch(cls, state_dict: dict[str, Any], dtype: Any = np.float64):
        model = super().from_torch(state_dict, dtype=dtype)
        model.forget_bias = None  # the biases came from the state dict
        return model

    def forward(self, x: Any, h0: Any = None, c0: Any = None) -> Trace:
        """Run the whole sequence.

        Args:
            x: (T, I) or (T, B, I), T >= 1, finite.
            h0, c0: (H,) or (B, H) initial states (zeros if None).
        Returns:
            A :class:`Trace` with i, f, g, o, c, tanh_c, h (T, [B], H).
        """
        x3, batched, h0b, c0b = self._prepare_inputs(x, h0, c0, uses_cell=True)
        steps, batch, _ = x3.shape
        hidden = self.hidden_size
        dtype = self.dtype
        scale, shift = self._gate_scale, self._gate_shift
        # All input projections at once, already scaled for the tanh-based sigmoid:
        gates = x3.reshape(steps * batch, -1) @ self._w_ih_t  # (T*B, I) @ (I, 4H) -> (T*B, 4H)
        gates += self._b_ih + self._b_hh
        gates *= scale  # exact: scale is 1 or 1/2
        gates = gates.reshape(steps, batch, 4 * hidden)  # (T, B, 4H)
        w_hh_scaled = self._w_hh_t * scale  # (H, 4H)
        h_all = np.empty((steps + 1, batch, hidden), dtype=dtype)  # (T+1, B, H)
        c_all = np.empty((steps + 1, batch, hidden), dtype=dtype)  # (T+1, B, H)
        tanh_c = np.empty((steps, batch, hidden), dtype=dtype)  # (T, B, H)
        h_all[0], c_all[0] = h0b, c0b
        recurrent = np.empty((batch, 4 * hidden), dtype=dtype)  # (B, 4H)
        input_times_candidate = np.empty((batch, hidden), dtype=dtype)  # (B, H)
        input_gate, forget_gate = gates[..., :hidden], gates[..., hidden:2 * hidden]  # (T, B, H) views
        candidate, output_gate = gates[..., 2 * hidden:3 * hidden], gates[..., 3 * hidden:]  # (T, B, H) views
        # Iterating the (T, ...) buffers together hands out the per-step (B, ·) views cheaply.
        for gate_row, i_t, f_t, g_t, o_t, c_prev, c_t, tanh_c_t, h_prev, h_t in zip(
            gates, input_gate, forget_gate, candidate, output_gate,
            c_all[:-1], c_all[1:], tanh_c, h_all[:-1], h_all[1:],
        ):
            np.dot(h_prev, w_hh_scaled, out=recurrent)  # (B, H) @ (H, 4H)
            np.add(gate_row, recurrent, out=gate_row)
            np.tanh(gate_row, out=gate_row)
            np.multiply(gate_row, scale, out=gate_row)
            np.add(gate_row, shift, out=gate_row)  # now [i | f | g | o]
            np.multiply(f_t, c_prev, out=c_t)  # f ⊙ c_{t-1}
            np.multiply(i_t, g_t, out=input_times_candidate)  # i ⊙ g
            np.add(c_t, input_times_candidate, out=c_t)  # c_t
            np.tanh(c_t, out=tanh_c_t)
            np.multiply(o_t, tanh_c_t, out=h_t)  # h_t = o ⊙ tanh(c_t)
        return Trace.from_buffers("lstm", batched, x3, h_all, gates=gates, c_all=c_all, tanh_c=tanh_c)

    def backward(self, trace: Trace, dh: Any, dc_last: Any = None) -> dict[str, np.ndarray]:
        """Backpropagation through time.

        Args:
            trace: from :meth:`forward`.
            dh: (T, [B], H) ∂L/∂h_t coming from outside the layer at every step.
            dc_last: ([B], H) ∂L/∂c_{T-1} from outside (None = 0).
        Returns:
            Gradients named like the torch parameters, plus "x" (T, [B], I), "h0", "c0" ([B], H).

        Per step, with dh_t the total gradient on h_t and dc_t the one on c_t::

            do_t = dh_t ⊙ tanh(c_t)
            dc_t += dh_t ⊙ o_t ⊙ (1 − tanh²(c_t))
            di_t = dc_t ⊙ g_t,  dg_t = dc_t ⊙ i_t,  df_t = dc_t ⊙ c_{t-1},  dc_{t-1} = dc_t ⊙ f_t
            da_t = [di ⊙ i(1−i) | df ⊙ f(1−f) | dg ⊙ (1−g²) | do ⊙ o(1−o)]    (4H,)
            dh_{t-1} += W_hh^T da_t
        and then dW_ih = Σ_t da_t x_t^T, dW_hh = Σ_t da_t h_{t-1}^T, db = Σ_t da_t, dx_t = W_ih^T da_t.
        """
        dh3 = self._check_backward_inputs(trace, dh)  # (T, B, H)
        steps, batch, _ = dh3.shape
        hidden = self.hidden_size
        dtype = self.dtype
        gates, c_all, tanh_c = trace._gates, trace._c_all, trace._tanh_c
        dc = np.zeros((batch, hidden), dtype=dtype)  # (B, H)
        if dc_last is not None:
            expected = trace.c.shape[1:]
            dc_last = _to_numpy(dc_last)
            if dc_last.shape != expected:
                raise ValueError(f"dc_last must have shape {expected}, got {dc_last.shape}")
            dc[...] = _finite_array(dc_last, "dc_last", dtype).reshape(batch, hidden)
        # Activation derivatives for all steps at once (vectorised, outside the loop):
        activation_slope = gates * (1.0 - gates)  # σ' = σ(1−σ) on i, f, o   (T, B, 4H)
        candidate = gates[..., 2 * hidden:3 * hidden]
        activation_slope[..., 2 * hidden:3 * hidden] = 1.0 - candidate * candidate  # tanh' = 1 − g²
        cell_slope = gates[..., 3 * hidden:] * (1.0 - tanh_c * tanh_c)  # o ⊙ (1 − tanh²c)  (T, B, H)
        dgates = np.empty((steps, batch, 4 * hidden), dtype=dtype)  # (T, B, 4H)
        dh_total = np.empty((batch, hidden), dtype=dtype)  # (B, H)
        dh_recurrent = np.zeros((batch, hidden), dtype=dtype)  # (B, H)
        scratch = np.empty((batch, hidden), dtype=dtype)  # (B, H)
        weight_hh = np.ascontiguousarray(self._w_hh_t.T)  # (4H, H); C order is the faster GEMM
        blocks = [slice(k * hidden, (k + 1) * hidden) for k in range(4)]
        gate_views = [gates[..., block] for block in blocks]  # i, f, g, o: (T, B, H) views
        dgate_views = [dgates[..., block] for block in blocks]  # di, df, dg, do: (T, B, H) views
        reverse = slice(None, None, -1)
        for (dgate_row, dh_t, tanh_c_t, cell_slope_t, slope_t, c_prev,
             i_t, f_t, g_t, di_t, df_t, dg_t, do_t) in zip(
            dgates[reverse], dh3[reverse], tanh_c[reverse], cell_slope[reverse], activation_slope[reverse],
            c_all[:-1][reverse], *(view[reverse] for view in gate_views[:3]),
            *(view[reverse] for view in dgate_views),
        ):
            np.add(dh_t, dh_recurrent, out=dh_total)  # dh_t (outside + from step t+1)
            np.multiply(dh_total, tanh_c_t, out=do_t)  # do = dh ⊙ tanh(c)
            np.multiply(dh_total, cell_slope_t, out=scratch)
            np.add(dc, scratch, out=dc)  # dc_t += dh ⊙ o ⊙ (1 − tanh²c)
            np.multiply(dc, g_t, out=di_t)  # di = dc ⊙ g
            np.multiply(dc, i_t, out=dg_t)  # dg = dc ⊙ i
            np.multiply(dc, c_prev, out=df_t)  # df = dc ⊙ c_{t-1}
            np.multiply(dc, f_t, out=dc)  # dc_{t-1} = dc ⊙ f
            np.multiply(dgate_row, slope_t, out=dgate_row)  # pre-activation grads
            np.dot(dgate_row, weight_hh, out=dh_recurrent)  # (B, 4H) @ (4H, H)
        grads = self._param_grads(dgates, dgates, trace._x, trace._h_all[:-1], self._w_ih_t.T)
        grads["h0"], grads["c0"] = dh_recurrent, dc
        return self._finish_grads(grads, trace.batched)


# --------------------------------------------------------------------------- GRU


class GRU(_RecurrentLayer):
    """Gated recurrent unit, PyTorch conventions (gate blocks r, z, n; reset after the product).

    Equations, one step (σ the logistic sigmoid, ⊙ the element-wise product)::

        r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)
        z_t = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)
        n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t-1} + b_hn))
        h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}

    weight_ih = [W_ir; W_iz; W_in] (3H, I), weight_hh = [W_hr; W_hz; W_hn] (3H, H).
    Args: input_size I, hidden_size H, seed, dtype (float64 | float32).
    """

    kind = "gru"
    gate_names = ("r", "z", "n")
    num_gates = 3

    def __init__(self, input_size: int, hidden_size: int, seed: int | None = 0, dtype: Any = np.float64):
        super().__init__(input_size, hidden_size, seed=seed, dtype=dtype)

    def forward(self, x: Any, h0: Any = None, c0: Any = None) -> Trace:
        """Run the whole sequence: x (T, I) or (T, B, I), h0 (H,) or (B, H). Returns a Trace
        with r, z, n, hn (= W_hn h_{t-1} + b_hn) and h, each (T, [B], H)."""
        x3, batched, h0b, _ = self._prepare_inputs(x, h0, c0, uses_cell=False)
        steps, batch, _ = x3.shape
        hidden = self.hidden_size
        dtype = self.dtype
        bias = self._b_ih.copy()
        bias[:2 * hidden] += self._b_hh[:2 * hidden]  # r, z use both biases; b_hn stays inside r ⊙ (·)
        bias_hn = self._b_hh[2 * hidden:]  # (H,)
        gates = x3.reshape(steps * batch, -1) @ self._w_ih_t  # (T*B, I) @ (I, 3H) -> (T*B, 3H)
        gates += bias
        gates[:, :2 * hidden] *= 0.5  # sigmoid as 0.5·tanh(a/2) + 0.5 (exact halving)
        gates = gates.reshape(steps, batch, 3 * hidden)  # (T, B, 3H)
        w_hh_scaled = self._w_hh_t.copy()  # (H, 3H)
        w_hh_scaled[:, :2 * hidden] *= 0.5
        h_all = np.empty((steps + 1, batch, hidden), dtype=dtype)  # (T+1, B, H)
        hn_all = np.empty((steps, batch, hidden), dtype=dtype)  # (T, B, H)
        h_all[0] = h0b
        recurrent = np.empty((batch, 3 * hidden), dtype=dtype)  # (B, 3H)
        scratch = np.empty((batch, hidden), dtype=dtype)  # (B, H)
        for t in range(steps):
            gate_row = gates[t]  # (B, 3H)
            np.dot(h_all[t], w_hh_scaled, out=recurrent)
            reset_update = gate_row[:, :2 * hidden]  # (B, 2H)
            np.add(reset_update, recurrent[:, :2 * hidden], out=reset_update)
            np.tanh(reset_update, out=reset_update)
            np.multiply(reset_update, 0.5, out=reset_update)
            np.add(reset_update, 0.5, out=reset_update)  # [r | z]
            reset_gate = gate_row[:, :hidden]
            update_gate = gate_row[:, hidden:2 * hidden]
            candidate = gate_row[:, 2 * hidden:]
            np.add(recurrent[:, 2 * hidden:], bias_hn, out=hn_all[t])  # W_hn h + b_hn
            np.multiply(reset_gate, hn_all[t], out=scratch)
            np.add(candidate, scratch, out=candidate)
            np.tanh(candidate, out=candidate)  # n
            h_next = h_all[t + 1]
            np.subtract(h_all[t], candidate, out=h_next)  # h = n + z ⊙ (h_{t-1} − n)
            np.multiply(h_next, update_gate, out=h_next)
            np.add(h_next, candidate, out=h_next)
        return Trace.from_buffers("gru", batched, x3, h_all, gates=gates, hn=hn_all)

    def backward(self, trace: Trace, dh: Any, dc_last: Any = None) -> dict[str, np.ndarray]:
        """Backpropagation through time; dh (T, [B], H). Returns the four torch-named
        parameter gradients, "x" (T, [B], I) and "h0" ([B], H).

        Per step, with dh_t the total gradient on h_t and a_· the pre-activations::

            dz_t = dh_t ⊙ (h_{t-1} − n_t),  dn_t = dh_t ⊙ (1 − z_t)
            da_n = dn_t ⊙ (1 − n_t²)                       (input side of n)
            d(hn_t) = da_n ⊙ r_t,   dr_t = da_n ⊙ hn_t       (recurrent side of n)
            da_r = dr_t ⊙ r(1−r),  da_z = dz_t ⊙ z(1−z)
            dh_{t-1} = dh_t ⊙ z_t + W_hh^T [da_r | da_z | d(hn_t)]
        """
        if dc_last is not None:
            raise ValueError("dc_last is only for an LSTM; a GRU has no cell state")
        dh3 = self._check_backward_inputs(trace, dh)  # (T, B, H)
        steps, batch, _ = dh3.shape
        hidden = self.hidden_size
        dtype = self.dtype
        gates, hn_all, h_all = trace._gates, trace._hn, trace._h_all
        reset_update = gates[..., :2 * hidden]  # (T, B, 2H)
        candidate = gates[..., 2 * hidden:]  # (T, B, H)
        sigmoid_slope = reset_update * (1.0 - reset_update)  # (T, B, 2H)
        candidate_slope = 1.0 - candidate * candidate  # (T, B, H)
        state_minus_candidate = h_all[:-1] - candidate  # h_{t-1} − n_t   (T, B, H)
        dgates_h = np.empty((steps, batch, 3 * hidden), dtype=dtype)  # recurrent side (T, B, 3H)
        dcandidate_x = np.empty((steps, batch, hidden), dtype=dtype)  # input side of n (T, B, H)
        dh_total = np.empty((batch, hidden), dtype=dtype)  # (B, H)
        dh_direct = np.empty((batch, hidden), dtype=dtype)  # (B, H)
        dh_recurrent = np.zeros((batch, hidden), dtype=dtype)  # (B, H)
        weight_hh = np.ascontiguousarray(self._w_hh_t.T)  # (3H, H)
        for t in range(steps - 1, -1, -1):
            gate_row, dgate_row = gates[t], dgates_h[t]  # (B, 3H)
            da_n = dcandidate_x[t]  # (B, H)
            np.add(dh3[t], dh_recurrent, out=dh_total)
            np.multiply(dh_total, state_minus_candidate[t], out=dgate_row[:, hidden:2 * hidden])  # dz
            np.multiply(dh_total, gate_row[:, hidden:2 * hidden], out=dh_direct)  # dh_t ⊙ z
            np.subtract(dh_total, dh_direct, out=da_n)  # dn = dh ⊙ (1 − z)
            np.multiply(da_n, candidate_slope[t], out=da_n)
            np.multiply(da_n, hn_all[t], out=dgate_row[:, :hidden])  # dr
            np.multiply(da_n, gate_row[:, :hidden], out=dgate_row[:, 2 * hidden:])  # d(hn)
            np.multiply(dgate_row[:, :2 * hidden], sigmoid_slope[t], out=dgate_row[:, :2 * hidden])
            np.dot(dgate_row, weight_hh, out=dh_recurrent)  # (B, 3H) @ (3H, H)
            np.add(dh_recurrent, dh_direct, out=dh_recurrent)
        dgates_x = dgates_h.copy()  # (T, B, 3H)
        dgates_x[..., 2 * hidden:] = dcandidate_x
        grads = self._param_grads(dgates_x, dgates_h, trace._x, h_all[:-1], self._w_ih_t.T)
        grads["h0"] = dh_recurrent
        return self._finish_grads(grads, trace.batched)


# --------------------------------------------------------------------------- RNN


class RNN(_RecurrentLayer):
    """Elman recurrent layer (torch ``nn.RNN``)::

        h_t = φ(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh),   φ = tanh (default) or relu

    weight_ih (H, I), weight_hh (H, H). With relu and exploding weights the states can
    overflow to inf or NaN, silently (check ``np.isfinite(trace.h)``); tanh stays bounded.
    """

    kind = "rnn"
    gate_names = ()
    num_gates = 1

    def __init__(self, input_size: int, hidden_size: int, seed: int | None = 0, dtype: Any = np.float64,
                 nonlinearity: str = "tanh"):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
        super().__init__(input_size, hidden_size, seed=seed, dtype=dtype)
        self.nonlinearity = nonlinearity

    def _constructor_kwargs(self) -> dict[str, Any]:
        return {"nonlinearity": self.nonlinearity}

    @classmethod
    def from_torch(cls, state_dict: dict[str, Any], dtype: Any = np.float64, nonlinearity: str = "tanh"):
        return super().from_torch(state_dict, dtype=dtype, nonlinearity=nonlinearity)

    def forward(self, x: Any, h0: Any = None, c0: Any = None) -> Trace:
        """Run the whole sequence: x (T, I) or (T, B, I), h0 (H,) or (B, H) -> Trace with h."""
        x3, batched, h0b, _ = self._prepare_inputs(x, h0, c0, uses_cell=False)
        steps, batch, _ = x3.shape
        hidden = self.hidden_size
        pre = x3.reshape(steps * batch, -1) @ self._w_ih_t  # (T*B, I) @ (I, H) -> (T*B, H)
        pre += self._b_ih + self._b_hh
        pre = pre.reshape(steps, batch, hidden)  # (T, B, H)
        h_all = np.empty((steps + 1, batch, hidden), dtype=self.dtype)  # (T+1, B, H)
        h_all[0] = h0b
        recurrent = np.empty((batch, hidden), dtype=self.dtype)  # (B, H)
        relu = self.nonlinearity == "relu"
        with np.errstate(over="ignore", invalid="ignore") if relu else _no_context():
            for t in range(steps):
                np.dot(h_all[t], self._w_hh_t, out=recurrent)
                np.add(pre[t], recurrent, out=h_all[t + 1])
                if relu:
                    np.maximum(h_all[t + 1], 0.0, out=h_all[t + 1])
                else:
                    np.tanh(h_all[t + 1], out=h_all[t + 1])
        return Trace.from_buffers("rnn", batched, x3, h_all, nonlinearity=self.nonlinearity)

    def backward(self, trace: Trace, dh: Any, dc_last: Any = None) -> dict[str, np.ndarray]:
        """BPTT: da_t = (dh_t + dh_t^{rec}) ⊙ φ'(a_t), dh_{t-1}^{rec} = W_hh^T da_t, with
        φ' = 1 − h_t² (tanh) or [h_t > 0] (relu). Returns the torch-named parameter
        gradients, "x" (T, [B], I) and "h0" ([B], H)."""
        if dc_last is not None:
            raise ValueError("dc_last is only for an LSTM; an RNN has no cell state")
        dh3 = self._check_backward_inputs(trace, dh)  # (T, B, H)
        if trace.nonlinearity != self.nonlinearity:
            raise ValueError(f"the trace used {trace.nonlinearity}, this model uses {self.nonlinearity}")
        steps, batch, hidden = dh3.shape
        h_next = trace._h_all[1:]  # (T, B, H)
        with np.errstate(over="ignore", invalid="ignore") if self.nonlinearity == "relu" else _no_context():
            if self.nonlinearity == "relu":
                slope = (h_next > 0).astype(self.dtype)  # (T, B, H)
            else:
                slope = 1.0 - h_next * h_next  # (T, B, H)
            dpre = np.empty((steps, batch, hidden), dtype=self.dtype)  # (T, B, H)
            dh_recurrent = np.zeros((batch, hidden), dtype=self.dtype)  # (B, H)
            weight_hh = np.ascontiguousarray(self._w_hh_t.T)  # (H, H)
            for t in range(steps - 1, -1, -1):
                np.add(dh3[t], dh_recurrent, out=dpre[t])
                np.multiply(dpre[t], slope[t], out=dpre[t])
                np.dot(dpre[t], weight_hh, out=dh_recurrent)
            grads = self._param_grads(dpre, dpre, trace._x, trace._h_all[:-1], self._w_ih_t.T)
        grads["h0"] = dh_recurrent
        return self._finish_grads(grads, trace.batched)


class _no_context:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
