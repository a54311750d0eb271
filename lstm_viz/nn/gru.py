"""The GRU: one readable step forward / backward pair, and the fused sequence pass built on the same equations.

PyTorch's conventions (gate blocks r, z, n; the reset gate applied after the recurrent product), one step::

    r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)            reset gate
    z_t = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)            update gate
    n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t-1} + b_hn))  candidate
    h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}

Backward through the step (δh_t the whole gradient on h_t; hn_t = W_hn h_{t-1} + b_hn)::

    δz_t = δh_t ⊙ (h_{t-1} − n_t),   δn_t = δh_t ⊙ (1 − z_t),   δa_n = δn_t ⊙ (1 − n_t²)
    δhn_t = δa_n ⊙ r_t,   δr_t = δa_n ⊙ hn_t,   δa_r = δr_t ⊙ r(1−r),   δa_z = δz_t ⊙ z(1−z)
    input side  δa^x = [δa_r | δa_z | δa_n],   recurrent side  δa^h = [δa_r | δa_z | δhn_t]
    δx_t = W_ihᵀ δa^x,   δh_{t-1} = δh_t ⊙ z_t + W_hhᵀ δa^h,   ∇W_ih += δa^x x_tᵀ,   ∇W_hh += δa^h h_{t-1}ᵀ

:func:`gru_step_forward` / :func:`gru_step_backward` are these lines; :class:`GRU` fuses them over the sequence
(input GEMM before the loop, one recurrent GEMM per step), proven equal to stepping by the tests.
"""

from __future__ import annotations

import numpy as np

from .arrays import sigmoid
from .layer import RecurrentLayer, outer_sum, split_gates
from .trace import Trace


def gru_step_forward(x_t: np.ndarray, h_prev: np.ndarray, weight_ih: np.ndarray, weight_hh: np.ndarray,
                     bias_ih: np.ndarray, bias_hh: np.ndarray):
    """One GRU step. x_t ([B], I), h_prev ([B], H); weight_ih (3H, I), weight_hh (3H, H), biases (3H,).

    Returns h_t ([B], H) and the cache :func:`gru_step_backward` reads.
    """
    a_x = x_t @ weight_ih.T + bias_ih  # ([B], 3H) input part
    a_h = h_prev @ weight_hh.T + bias_hh  # ([B], 3H) recurrent part
    ax_r, ax_z, ax_n = split_gates(a_x, 3)
    ah_r, ah_z, hn = split_gates(a_h, 3)  # hn = W_hn h_{t-1} + b_hn
    r = sigmoid(ax_r + ah_r)  # reset gate
    z = sigmoid(ax_z + ah_z)  # update gate
    a_n = ax_n + r * hn
    n = np.tanh(a_n)  # candidate
    h = (1.0 - z) * n + z * h_prev  # hidden state
    cache = {"x": x_t, "h_prev": h_prev, "r": r, "z": z, "n": n, "hn": hn, "h": h, "a_x": a_x, "a_h": a_h,
             "preactivations": {"r": ax_r + ah_r, "z": ax_z + ah_z, "n": a_n},
             "weight_ih": weight_ih, "weight_hh": weight_hh}
    return h, cache


def gru_step_backward(dh: np.ndarray, cache: dict) -> dict[str, np.ndarray]:
    """Backward through one GRU step; dh ([B], H) is δh_t (loss at t + what step t+1 sent back).

    Returns "x" ([B], I), "h_prev" ([B], H), this step's share of the four parameter gradients, and
    "gates_x", "gates_h" ([B], 3H) the input-side and recurrent-side pre-activation δ's.
    """
    r, z, n, hn, h_prev = cache["r"], cache["z"], cache["n"], cache["hn"], cache["h_prev"]
    dz = dh * (h_prev - n)  # δz_t
    dn = dh * (1.0 - z)  # δn_t
    da_n = dn * (1.0 - n * n)  # δ of the candidate's pre-activation
    dhn = da_n * r  # δ(W_hn h_{t-1} + b_hn)
    dr = da_n * hn  # δr_t
    da_r = dr * r * (1.0 - r)
    da_z = dz * z * (1.0 - z)
    dgates_x = np.concatenate([da_r, da_z, da_n], axis=-1)  # ([B], 3H)
    dgates_h = np.concatenate([da_r, da_z, dhn], axis=-1)  # ([B], 3H)
    rows = dgates_x.shape[-1]
    return {
        "x": dgates_x @ cache["weight_ih"],  # ([B], I)
        "h_prev": dh * z + dgates_h @ cache["weight_hh"],  # ([B], H): the leaky path plus the gates
        "weight_ih": outer_sum(dgates_x, cache["x"]),  # (3H, I)
        "weight_hh": outer_sum(dgates_h, h_prev),  # (3H, H)
        "bias_ih": dgates_x.reshape(-1, rows).sum(axis=0),  # (3H,)
        "bias_hh": dgates_h.reshape(-1, rows).sum(axis=0),  # (3H,)
        "gates_x": dgates_x,
        "gates_h": dgates_h,
        "dr": dr, "dz": dz, "dn": dn, "dhn": dhn,  # δ of the gate values and of W_hn h_{t-1} + b_hn
    }


class GRU(RecurrentLayer):
    """Gated recurrent unit, PyTorch conventions (gate blocks r, z, n; reset after the product); equations in
    the module doc. weight_ih = [W_ir; W_iz; W_in] (3H, I), weight_hh = [W_hr; W_hz; W_hn] (3H, H).
    Args: input_size I, hidden_size H, seed, dtype (float64 | float32).
    """

    kind = "gru"
    gate_names = ("r", "z", "n")
    num_gates = 3

    def _step_cache(self, x_t, h_prev, c_prev, params):
        _, cache = gru_step_forward(x_t, h_prev, *(params[name] for name in self.param_names))
        return cache

    def forward(self, x, h0=None, c0=None) -> Trace:
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

    def backward(self, trace: Trace, dh, dc_last=None, *, return_deltas: bool = False):
        """Backpropagation through time, :func:`gru_step_backward`'s equations fused over the sequence.

        dh (T, [B], H) ∂L/∂h_t from outside the layer. Returns the four torch-named parameter gradients,
        "x" (T, [B], I) and "h0" ([B], H); with ``return_deltas`` the pair (gradients, :class:`Deltas`).
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
        dh_steps = np.empty((steps, batch, hidden), dtype=dtype) if return_deltas else None  # (T, B, H)
        for t in range(steps - 1, -1, -1):
            gate_row, dgate_row = gates[t], dgates_h[t]  # (B, 3H)
            da_n = dcandidate_x[t]  # (B, H)
            np.add(dh3[t], dh_recurrent, out=dh_total)
            if return_deltas:
                dh_steps[t] = dh_total
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
        return self._backward_result(grads, trace, return_deltas, dh_steps, dgates_x, dgates_h)
