"""The LSTM: one readable step forward / backward pair, and the fused sequence pass built on the same equations.

One time step (x_t (I,), h_{t-1}, c_{t-1} (H,); σ the logistic sigmoid; ⊙ the element-wise product;
W_* the gate blocks of weight_ih (4H, I) and weight_hh (4H, H) in PyTorch's order i, f, g, o)::

    i_t = σ(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)        input gate
    f_t = σ(W_if x_t + b_if + W_hf h_{t-1} + b_hf)        forget gate
    g_t = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)     candidate
    o_t = σ(W_io x_t + b_io + W_ho h_{t-1} + b_ho)        output gate
    c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t                        cell state
    h_t = o_t ⊙ tanh(c_t)                                  hidden state

Backward through the same step (δ = ∂L/∂·; δh_t, δc_t arrive from the loss at t and from step t+1)::

    δo_t = δh_t ⊙ tanh(c_t)
    δc_t ← δc_t + δh_t ⊙ o_t ⊙ (1 − tanh²(c_t))
    δi_t = δc_t ⊙ g_t,   δg_t = δc_t ⊙ i_t,   δf_t = δc_t ⊙ c_{t-1},   δc_{t-1} = δc_t ⊙ f_t
    δa_t = [δi ⊙ i(1−i) | δf ⊙ f(1−f) | δg ⊙ (1−g²) | δo ⊙ o(1−o)]          (4H,) pre-activations
    δx_t = W_ihᵀ δa_t,   δh_{t-1} = W_hhᵀ δa_t,   ∇W_ih += δa_t x_tᵀ,   ∇W_hh += δa_t h_{t-1}ᵀ,   ∇b += δa_t

:func:`lstm_step_forward` / :func:`lstm_step_backward` are these lines, one to one. :class:`LSTM` runs the
whole sequence with the same equations, fused for speed (tests prove it equal to stepping): the input
projections of all T steps are one GEMM before the loop, each step is one GEMM ``h_{t-1} @ W_hh^T`` into a
preallocated buffer, and the backward does only the recurrent GEMM in its loop, ∇W_ih, ∇W_hh, ∇b and δx
being one GEMM (or sum) each over all steps afterwards.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .arrays import finite_array, sigmoid, to_numpy
from .layer import PARAM_NAMES, RecurrentLayer, _describes_a_stack, outer_sum, split_gates
from .trace import Trace

#: names of the peephole weights of layer 0 (each (H,)): w_ci, w_cf, w_co
PEEPHOLE_NAMES = ("weight_ci_l0", "weight_cf_l0", "weight_co_l0")


def _split_peepholes(state_dict) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the torch keys, the peephole keys) of a state dict."""
    if not hasattr(state_dict, "keys"):
        raise ValueError("state dict must be a mapping of parameter names to arrays")
    peepholes = {key: state_dict[key] for key in state_dict.keys() if key in PEEPHOLE_NAMES}
    if peepholes and set(peepholes) != set(PEEPHOLE_NAMES):
        raise ValueError(f"peephole weights need all of {', '.join(PEEPHOLE_NAMES)}")
    return {key: state_dict[key] for key in state_dict.keys() if key not in PEEPHOLE_NAMES}, peepholes


def lstm_step_forward(x_t: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray, weight_ih: np.ndarray,
                      weight_hh: np.ndarray, bias_ih: np.ndarray, bias_hh: np.ndarray,
                      weight_ci: np.ndarray | None = None, weight_cf: np.ndarray | None = None,
                      weight_co: np.ndarray | None = None):
    """One LSTM step, the equations line by line.

    Args:
        x_t: ([B], I) input.   h_prev, c_prev: ([B], H) h_{t-1}, c_{t-1}.
        weight_ih: (4H, I), weight_hh: (4H, H), bias_ih, bias_hh: (4H,), torch layout (i, f, g, o).
        weight_ci, weight_cf, weight_co: (H,) peephole weights (Gers & Schmidhuber 2000), or None:
            i_t = σ(… + w_ci ⊙ c_{t-1}),  f_t = σ(… + w_cf ⊙ c_{t-1}),  o_t = σ(… + w_co ⊙ c_t).
    Returns:
        h_t, c_t ([B], H) and the cache :func:`lstm_step_backward` reads.
    """
    peephole = weight_ci is not None
    a_x = x_t @ weight_ih.T + bias_ih  # ([B], 4H) input part
    a_h = h_prev @ weight_hh.T + bias_hh  # ([B], 4H) recurrent part
    a_i, a_f, a_g, a_o = split_gates(a_x + a_h, 4)  # ([B], H) each
    if peephole:
        a_i = a_i + weight_ci * c_prev  # the input gate looks at c_{t-1}
        a_f = a_f + weight_cf * c_prev  # the forget gate looks at c_{t-1}
    i = sigmoid(a_i)  # input gate
    f = sigmoid(a_f)  # forget gate
    g = np.tanh(a_g)  # candidate
    c = f * c_prev + i * g  # cell state
    if peephole:
        a_o = a_o + weight_co * c  # the output gate looks at the new c_t
    o = sigmoid(a_o)  # output gate
    tanh_c = np.tanh(c)
    h = o * tanh_c  # hidden state
    cache = {"x": x_t, "h_prev": h_prev, "c_prev": c_prev, "i": i, "f": f, "g": g, "o": o, "c": c,
             "tanh_c": tanh_c, "h": h, "a_x": a_x, "a_h": a_h,
             "preactivations": {"i": a_i, "f": a_f, "g": a_g, "o": a_o},
             "weight_ih": weight_ih, "weight_hh": weight_hh,
             "peephole": (weight_ci, weight_cf, weight_co) if peephole else None}
    return h, c, cache


def lstm_step_backward(dh: np.ndarray, dc: np.ndarray, cache: dict) -> dict[str, np.ndarray]:
    """Backward through one LSTM step.

    Args:
        dh: ([B], H) δh_t, the whole gradient on h_t (loss at t + what step t+1 sent back).
        dc: ([B], H) δc_t arriving from step t+1 (c_{t+1} = f_{t+1} ⊙ c_t + ...).
        cache: from :func:`lstm_step_forward`.
    Returns:
        "x" ([B], I), "h_prev", "c_prev" ([B], H) — what leaves the step; "weight_ih" (4H, I),
        "weight_hh" (4H, H), "bias_ih", "bias_hh" (4H,) — this step's share of ∇W; "gates" ([B], 4H) δa_t,
        "c" ([B], H) the whole δc_t, and "di", "df", "dg", "do" ([B], H) the δ's of the gate values.
    """
    i, f, g, o = cache["i"], cache["f"], cache["g"], cache["o"]
    tanh_c, c_prev = cache["tanh_c"], cache["c_prev"]
    do = dh * tanh_c  # δo_t
    da_o = do * o * (1.0 - o)
    dc = dc + dh * o * (1.0 - tanh_c * tanh_c)  # δc_t: through h_t and from c_{t+1}
    if cache["peephole"] is not None:
        weight_ci, weight_cf, weight_co = cache["peephole"]
        dc = dc + da_o * weight_co  # ... and through the output gate's peephole
    di = dc * g  # δi_t
    dg = dc * i  # δg_t
    df = dc * c_prev  # δf_t
    da_i, da_f = di * i * (1.0 - i), df * f * (1.0 - f)
    dc_prev = dc * f  # δc_{t-1}: the forget gate passes the cell's error back
    peephole_grads = {}
    if cache["peephole"] is not None:
        dc_prev = dc_prev + da_i * weight_ci + da_f * weight_cf  # ... and the i, f peepholes
        batch_sum = (lambda a: a.reshape(-1, a.shape[-1]).sum(axis=0))  # ([B], H) -> (H,)
        peephole_grads = {"weight_ci": batch_sum(da_i * c_prev), "weight_cf": batch_sum(da_f * c_prev),
                          "weight_co": batch_sum(da_o * cache["c"])}
    da = np.concatenate([da_i, da_f, dg * (1.0 - g * g), da_o], axis=-1)  # ([B], 4H) δ of the pre-activations
    return peephole_grads | {
        "x": da @ cache["weight_ih"],  # ([B], I)
        "h_prev": da @ cache["weight_hh"],  # ([B], H)
        "c_prev": dc_prev,
        "weight_ih": outer_sum(da, cache["x"]),  # (4H, I)
        "weight_hh": outer_sum(da, cache["h_prev"]),  # (4H, H)
        "bias_ih": da.reshape(-1, da.shape[-1]).sum(axis=0),  # (4H,)
        "bias_hh": da.reshape(-1, da.shape[-1]).sum(axis=0),  # (4H,)
        "gates": da,
        "c": dc,
        "di": di, "df": df, "dg": dg, "do": do,  # δ of the gate values (before their σ' / tanh')
    }


class LSTM(RecurrentLayer):
    """Long short-term memory layer, PyTorch conventions (gate blocks i, f, g, o); equations in the module doc.

    weight_ih = [W_ii; W_if; W_ig; W_io] (4H, I), weight_hh = [W_hi; W_hf; W_hg; W_ho] (4H, H).

    Args:
        input_size: I.   hidden_size: H.
        seed: seed of ``np.random.default_rng``; parameters ~ U(−1/√H, 1/√H) as in torch.
        dtype: float64 (default) or float32; outputs have this dtype.
        forget_bias: total forget-gate bias b_if + b_hf at init (b_if = forget_bias,
            b_hf = 0). The default 1.0 is the value Jozefowicz, Zaremba & Sutskever (2015,
            "An Empirical Exploration of Recurrent Network Architectures") recommend, so the
            cell remembers by default early in training. None keeps torch's random init.
        peephole: add the diagonal peephole weights w_ci, w_cf, w_co (H,) of Gers & Schmidhuber (2000),
            named ``weight_ci_l0``, ``weight_cf_l0``, ``weight_co_l0`` (not a torch layer: no torch twin).
    """

    kind = "lstm"
    gate_names = ("i", "f", "g", "o")
    num_gates = 4

    def __init__(self, input_size: int, hidden_size: int, seed: int | None = 0, dtype: Any = np.float64,
                 forget_bias: float | None = 1.0, peephole: bool = False, num_layers: int = 1,
                 bidirectional: bool = False):
        super().__init__(input_size, hidden_size, seed=seed, dtype=dtype)
        self.peephole = bool(peephole)
        # Peephole weights (3, H): rows w_ci, w_cf, w_co ~ U(−1/√H, 1/√H) from their own seeded stream.
        bound = 1.0 / np.sqrt(self.hidden_size)
        peep_rng = np.random.default_rng(None if seed is None else [int(seed), 2])
        self._peep = (peep_rng.uniform(-bound, bound, size=(3, self.hidden_size)).astype(self.dtype)
                      if self.peephole else None)
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
        return {"forget_bias": self.forget_bias, "peephole": self.peephole}

    # ---- peephole parameters ------------------------------------------------------------

    @property
    def param_names(self) -> tuple[str, ...]:
        return PARAM_NAMES + (PEEPHOLE_NAMES if self.peephole else ())

    def parameters(self) -> dict[str, np.ndarray]:
        """Torch name -> live (writable) view of each parameter (peepholes: weight_ci/cf/co_l0 (H,))."""
        params = super().parameters()
        if self.peephole:
            params.update(zip(PEEPHOLE_NAMES, self._peep))
        return params

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Copy parameters (numpy arrays or tensors, torch names, peephole names) into this model in place."""
        state_dict, peepholes = _split_peepholes(state_dict)
        if bool(peepholes) != self.peephole:
            raise ValueError("peephole weights given to an LSTM without peepholes" if peepholes
                             else "this LSTM has peepholes: the state dict needs weight_ci/cf/co_l0")
        super().load_state_dict(state_dict)
        for row, name in enumerate(PEEPHOLE_NAMES if self.peephole else ()):
            value = to_numpy(peepholes[name])
            if value.shape != (self.hidden_size,):
                raise ValueError(f"{name} must have shape ({self.hidden_size},), got {value.shape}")
            self._peep[row] = finite_array(value, name, self.dtype)

    @classmethod
    def from_torch(cls, state_dict: dict[str, Any], dtype: Any = np.float64):
        """From a torch ``nn.LSTM`` state dict; peephole keys (weight_ci_l0, ...) make a peephole LSTM, keys of
        more layers or a reverse direction a stacked / bidirectional one."""
        if _describes_a_stack(state_dict):
            from .stack import StackedRecurrent

            return StackedRecurrent.from_torch(cls, state_dict, dtype=dtype)
        plain, peepholes = _split_peepholes(state_dict)
        arrays = cls._parse_state_dict(plain)
        model = cls(arrays["weight_ih_l0"].shape[1], arrays["weight_hh_l0"].shape[1], seed=None, dtype=dtype,
                    peephole=bool(peepholes))
        model.load_state_dict(dict(arrays) | peepholes)
        model.forget_bias = None  # the biases came from the state dict
        return model

    def to_torch_state_dict(self) -> dict[str, Any]:
        if self.peephole:
            raise ValueError("a peephole LSTM has no torch.nn.LSTM twin (torch has no peephole connections)")
        return super().to_torch_state_dict()

    def _step_cache(self, x_t, h_prev, c_prev, params):
        _, _, cache = lstm_step_forward(x_t, h_prev, c_prev, *(params[name] for name in self.param_names))
        return cache

    def forward(self, x: Any, h0: Any = None, c0: Any = None) -> Trace:
        """Run the whole sequence.

        Args:
            x: (T, I) or (T, B, I), T >= 1, finite.
            h0, c0: (H,) or (B, H) initial states (zeros if None).
        Returns:
            A :class:`Trace` with i, f, g, o, c, tanh_c, h (T, [B], H).
        """
        x3, batched, h0b, c0b = self._prepare_inputs(x, h0, c0, uses_cell=True)
        if self.peephole:
            return self._forward_peephole(x3, batched, h0b, c0b)
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

    def backward(self, trace: Trace, dh: Any, dc_last: Any = None, *, return_deltas: bool = False):
        """Backpropagation through time: :func:`lstm_step_backward`'s equations over all steps, fused.

        Args:
            trace: from :meth:`forward`.
            dh: (T, [B], H) ∂L/∂h_t coming from outside the layer at every step.
            dc_last: ([B], H) ∂L/∂c_{T-1} from outside (None = 0).
            return_deltas: also return the :class:`Deltas` (δh_t, δc_t, δa_t of every step).
        Returns:
            Gradients named like the torch parameters, plus "x" (T, [B], I), "h0", "c0" ([B], H);
            with ``return_deltas`` the pair (gradients, deltas).
        """
        dh3 = self._check_backward_inputs(trace, dh)  # (T, B, H)
        steps, batch, _ = dh3.shape
        hidden = self.hidden_size
        dtype = self.dtype
        gates, c_all, tanh_c = trace._gates, trace._c_all, trace._tanh_c
        dc = np.zeros((batch, hidden), dtype=dtype)  # (B, H)
        if dc_last is not None:
            expected = trace.c.shape[1:]
            dc_last = to_numpy(dc_last)
            if dc_last.shape != expected:
                raise ValueError(f"dc_last must have shape {expected}, got {dc_last.shape}")
            dc[...] = finite_array(dc_last, "dc_last", dtype).reshape(batch, hidden)
        if self.peephole:
            return self._backward_peephole(trace, dh3, dc, return_deltas)
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
        # δh_t and δc_t of every step, kept only when asked for (else one (B, H) buffer each is reused)
        dh_steps = np.empty((steps, batch, hidden), dtype=dtype) if return_deltas else None  # (T, B, H)
        dc_steps = np.empty((steps, batch, hidden), dtype=dtype) if return_deltas else None  # (T, B, H)
        reverse = slice(None, None, -1)
        # Iterating the (T, ...) buffers backwards together hands out the per-step (B, ·) views cheaply.
        for (t, dgate_row, dh_t, tanh_c_t, cell_slope_t, slope_t, c_prev,
             i_t, f_t, g_t, di_t, df_t, dg_t, do_t) in zip(range(steps - 1, -1, -1), *(a[reverse] for a in (
                dgates, dh3, tanh_c, cell_slope, activation_slope, c_all[:-1], *gate_views[:3], *dgate_views))):
            np.add(dh_t, dh_recurrent, out=dh_total)  # dh_t (outside + from step t+1)
            np.multiply(dh_total, tanh_c_t, out=do_t)  # do = dh ⊙ tanh(c)
            np.multiply(dh_total, cell_slope_t, out=scratch)
            np.add(dc, scratch, out=dc)  # dc_t += dh ⊙ o ⊙ (1 − tanh²c)
            if return_deltas:
                dh_steps[t], dc_steps[t] = dh_total, dc
            np.multiply(dc, g_t, out=di_t)  # di = dc ⊙ g
            np.multiply(dc, i_t, out=dg_t)  # dg = dc ⊙ i
            np.multiply(dc, c_prev, out=df_t)  # df = dc ⊙ c_{t-1}
            np.multiply(dc, f_t, out=dc)  # dc_{t-1} = dc ⊙ f
            np.multiply(dgate_row, slope_t, out=dgate_row)  # pre-activation grads
            np.dot(dgate_row, weight_hh, out=dh_recurrent)  # (B, 4H) @ (4H, H)
        grads = self._param_grads(dgates, dgates, trace._x, trace._h_all[:-1], self._w_ih_t.T)
        grads["h0"], grads["c0"] = dh_recurrent, dc
        return self._backward_result(grads, trace, return_deltas, dh_steps, dgates, dgates, dc_steps)

    # ---- the peephole variant of the fused pass ----------------------------------------------

    def _forward_peephole(self, x3: np.ndarray, batched: bool, h0b: np.ndarray, c0b: np.ndarray) -> Trace:
        """The fused forward with peepholes: i, f read c_{t-1} before they open, o reads c_t after it."""
        steps, batch, _ = x3.shape
        hidden = self.hidden_size
        dtype = self.dtype
        w_ci, w_cf, w_co = self._peep  # (H,) each
        gates = x3.reshape(steps * batch, -1) @ self._w_ih_t + (self._b_ih + self._b_hh)  # (T*B, 4H)
        gates = gates.reshape(steps, batch, 4 * hidden)  # (T, B, 4H) pre-activations, then activations
        h_all = np.empty((steps + 1, batch, hidden), dtype=dtype)  # (T+1, B, H)
        c_all = np.empty((steps + 1, batch, hidden), dtype=dtype)  # (T+1, B, H)
        tanh_c = np.empty((steps, batch, hidden), dtype=dtype)  # (T, B, H)
        h_all[0], c_all[0] = h0b, c0b
        for t in range(steps):
            row = gates[t]  # (B, 4H)
            row += h_all[t] @ self._w_hh_t  # + W_hh h_{t-1}
            i_t, f_t, g_t, o_t = split_gates(row, 4)
            c_prev = c_all[t]
            i_t[...] = sigmoid(i_t + w_ci * c_prev)
            f_t[...] = sigmoid(f_t + w_cf * c_prev)
            g_t[...] = np.tanh(g_t)
            c_all[t + 1] = f_t * c_prev + i_t * g_t
            o_t[...] = sigmoid(o_t + w_co * c_all[t + 1])
            np.tanh(c_all[t + 1], out=tanh_c[t])
            np.multiply(o_t, tanh_c[t], out=h_all[t + 1])
        return Trace.from_buffers("lstm", batched, x3, h_all, gates=gates, c_all=c_all, tanh_c=tanh_c)

    def _backward_peephole(self, trace: Trace, dh3: np.ndarray, dc: np.ndarray, return_deltas: bool):
        """BPTT with peepholes (:func:`lstm_step_backward` with its peephole lines), fused over the steps."""
        steps, batch, hidden = dh3.shape
        dtype = self.dtype
        w_ci, w_cf, w_co = self._peep
        gates, c_all, tanh_c = trace._gates, trace._c_all, trace._tanh_c
        weight_hh = np.ascontiguousarray(self._w_hh_t.T)  # (4H, H)
        dgates = np.empty((steps, batch, 4 * hidden), dtype=dtype)  # (T, B, 4H)
        dh_steps = np.empty((steps, batch, hidden), dtype=dtype)  # (T, B, H)
        dc_steps = np.empty((steps, batch, hidden), dtype=dtype)  # (T, B, H)
        dh_recurrent = np.zeros((batch, hidden), dtype=dtype)
        for t in range(steps - 1, -1, -1):
            i_t, f_t, g_t, o_t = split_gates(gates[t], 4)
            da_i, da_f, da_g, da_o = split_gates(dgates[t], 4)
            dh_t = dh3[t] + dh_recurrent  # δh_t
            da_o[...] = dh_t * tanh_c[t] * o_t * (1.0 - o_t)
            dc = dc + dh_t * o_t * (1.0 - tanh_c[t] ** 2) + da_o * w_co  # δc_t
            da_i[...] = dc * g_t * i_t * (1.0 - i_t)
            da_f[...] = dc * c_all[t] * f_t * (1.0 - f_t)
            da_g[...] = dc * i_t * (1.0 - g_t * g_t)
            dh_steps[t], dc_steps[t] = dh_t, dc
            dc = dc * f_t + da_i * w_ci + da_f * w_cf  # δc_{t-1}
            dh_recurrent = dgates[t] @ weight_hh  # (B, 4H) @ (4H, H)
        grads = self._param_grads(dgates, dgates, trace._x, trace._h_all[:-1], self._w_ih_t.T)
        da_i, da_f, _, da_o = split_gates(dgates, 4)  # (T, B, H)
        grads["weight_ci_l0"] = np.einsum("tbh,tbh->h", da_i, c_all[:-1])
        grads["weight_cf_l0"] = np.einsum("tbh,tbh->h", da_f, c_all[:-1])
        grads["weight_co_l0"] = np.einsum("tbh,tbh->h", da_o, c_all[1:])
        grads["h0"], grads["c0"] = dh_recurrent, dc
        return self._backward_result(grads, trace, return_deltas, dh_steps, dgates, dgates, dc_steps)
