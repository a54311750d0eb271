"""The Elman RNN (torch ``nn.RNN``): one readable step forward / backward pair and the fused sequence pass.

One step, φ = tanh (default) or relu::

    h_t = φ(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)

Backward (δh_t the whole gradient on h_t; φ' = 1 − h_t² for tanh, [h_t > 0] for relu)::

    δa_t = δh_t ⊙ φ'(a_t),   δx_t = W_ihᵀ δa_t,   δh_{t-1} = W_hhᵀ δa_t,
    ∇W_ih += δa_t x_tᵀ,   ∇W_hh += δa_t h_{t-1}ᵀ,   ∇b += δa_t

With relu and exploding weights the states can overflow to inf or NaN, silently (check
``np.isfinite(trace.h)``); tanh stays bounded.
"""

from __future__ import annotations

import contextlib
from typing import Any

import numpy as np

from .layer import RecurrentLayer, outer_sum
from .trace import Trace

NONLINEARITIES = ("tanh", "relu")


def rnn_step_forward(x_t: np.ndarray, h_prev: np.ndarray, weight_ih: np.ndarray, weight_hh: np.ndarray,
                     bias_ih: np.ndarray, bias_hh: np.ndarray, nonlinearity: str = "tanh"):
    """One RNN step. x_t ([B], I), h_prev ([B], H); weight_ih (H, I), weight_hh (H, H), biases (H,).

    Returns h_t ([B], H) and the cache :func:`rnn_step_backward` reads.
    """
    a_x = x_t @ weight_ih.T + bias_ih  # ([B], H) input part
    a_h = h_prev @ weight_hh.T + bias_hh  # ([B], H) recurrent part
    a = a_x + a_h
    h = np.maximum(a, 0.0) if nonlinearity == "relu" else np.tanh(a)
    cache = {"x": x_t, "h_prev": h_prev, "h": h, "a_x": a_x, "a_h": a_h, "preactivations": {"h": a},
             "nonlinearity": nonlinearity, "weight_ih": weight_ih, "weight_hh": weight_hh}
    return h, cache


def rnn_step_backward(dh: np.ndarray, cache: dict) -> dict[str, np.ndarray]:
    """Backward through one RNN step; dh ([B], H) is δh_t. Returns "x", "h_prev", this step's share of the
    parameter gradients and "gates" ([B], H) δa_t."""
    h = cache["h"]
    slope = (h > 0).astype(h.dtype) if cache["nonlinearity"] == "relu" else 1.0 - h * h  # φ'(a_t)
    da = dh * slope  # ([B], H)
    return {
        "x": da @ cache["weight_ih"],  # ([B], I)
        "h_prev": da @ cache["weight_hh"],  # ([B], H)
        "weight_ih": outer_sum(da, cache["x"]),  # (H, I)
        "weight_hh": outer_sum(da, cache["h_prev"]),  # (H, H)
        "bias_ih": da.reshape(-1, da.shape[-1]).sum(axis=0),
        "bias_hh": da.reshape(-1, da.shape[-1]).sum(axis=0),
        "gates": da,
    }


class RNN(RecurrentLayer):
    """Elman recurrent layer (torch ``nn.RNN``), equations in the module doc; weight_ih (H, I), weight_hh (H, H).
    Args: input_size I, hidden_size H, seed, dtype (float64 | float32), nonlinearity "tanh" | "relu".
    """

    kind = "rnn"
    gate_names = ()
    num_gates = 1

    def __init__(self, input_size: int, hidden_size: int, seed: int | None = 0, dtype: Any = np.float64,
                 nonlinearity: str = "tanh", num_layers: int = 1,
                 bidirectional: bool = False):
        if nonlinearity not in NONLINEARITIES:
            raise ValueError(f"nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
        super().__init__(input_size, hidden_size, seed=seed, dtype=dtype)
        self.nonlinearity = nonlinearity

    def _constructor_kwargs(self) -> dict[str, Any]:
        return {"nonlinearity": self.nonlinearity}

    def _step_cache(self, x_t, h_prev, c_prev, params):
        _, cache = rnn_step_forward(x_t, h_prev, *(params[name] for name in self.param_names),
                                    nonlinearity=self.nonlinearity)
        return cache

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
        with np.errstate(over="ignore", invalid="ignore") if relu else contextlib.nullcontext():
            for t in range(steps):
                np.dot(h_all[t], self._w_hh_t, out=recurrent)
                np.add(pre[t], recurrent, out=h_all[t + 1])
                if relu:
                    np.maximum(h_all[t + 1], 0.0, out=h_all[t + 1])
                else:
                    np.tanh(h_all[t + 1], out=h_all[t + 1])
        return Trace.from_buffers("rnn", batched, x3, h_all, nonlinearity=self.nonlinearity)

    def backward(self, trace: Trace, dh: Any, dc_last: Any = None, *, return_deltas: bool = False):
        """Backpropagation through time, :func:`rnn_step_backward` fused over the sequence: δa_t = (dh_t +
        W_hhᵀ δa_{t+1}) ⊙ φ'(a_t). Returns the torch-named parameter gradients, "x" (T, [B], I) and "h0"
        ([B], H); with ``return_deltas`` the pair (gradients, :class:`Deltas`)."""
        if dc_last is not None:
            raise ValueError("dc_last is only for an LSTM; an RNN has no cell state")
        dh3 = self._check_backward_inputs(trace, dh)  # (T, B, H)
        if trace.nonlinearity != self.nonlinearity:
            raise ValueError(f"the trace used {trace.nonlinearity}, this model uses {self.nonlinearity}")
        steps, batch, hidden = dh3.shape
        h_next = trace._h_all[1:]  # (T, B, H)
        with np.errstate(over="ignore", invalid="ignore") if self.nonlinearity == "relu" else contextlib.nullcontext():
            if self.nonlinearity == "relu":
                slope = (h_next > 0).astype(self.dtype)  # (T, B, H)
            else:
                slope = 1.0 - h_next * h_next  # (T, B, H)
            dpre = np.empty((steps, batch, hidden), dtype=self.dtype)  # (T, B, H)
            dh_recurrent = np.zeros((batch, hidden), dtype=self.dtype)  # (B, H)
            weight_hh = np.ascontiguousarray(self._w_hh_t.T)  # (H, H)
            dh_steps = np.empty((steps, batch, hidden), dtype=self.dtype) if return_deltas else None  # (T, B, H)
            for t in range(steps - 1, -1, -1):
                np.add(dh3[t], dh_recurrent, out=dpre[t])
                if return_deltas:
                    dh_steps[t] = dpre[t]
                np.multiply(dpre[t], slope[t], out=dpre[t])
                np.dot(dpre[t], weight_hh, out=dh_recurrent)
            grads = self._param_grads(dpre, dpre, trace._x, trace._h_all[:-1], self._w_ih_t.T)
        grads["h0"] = dh_recurrent
        return self._backward_result(grads, trace, return_deltas, dh_steps, dpre, dpre)
