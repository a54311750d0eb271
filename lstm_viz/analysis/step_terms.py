"""The scalar terms of one unit's equations at one step, read from the engine's step numbers (numpy only).

The Step page writes the equations of unit u at step t with the numbers filled in, e.g. for an LSTM
``f_t = σ(W_if x_t + b_if + W_hf h_{t-1} + b_hf) = σ(0.412 + (-0.105)) = σ(0.307) = 0.576``. Every number
comes from :meth:`step_numbers` of the layer (the cell's own ``step_forward``); this module only picks unit
u out of them and forms the products the equations show (i·g, tanh c, 1 − z).
"""

from __future__ import annotations

import numpy as np


def unit_terms(numbers, unit: int) -> dict[str, float]:
    """Unit ``unit``'s scalars from a :class:`lstm_viz.nn.StepNumbers`.

    Keys: every vector but x (``h_prev``, ``c_prev``, the gates, ``c``, ``hn``, ``h``); per gate block g
    ``ax_g`` (W_ih x_t + b_ih), ``ah_g`` (W_hh h_{t-1} + b_hh) and ``a_g`` (what σ / tanh reads); LSTM also
    ``ig`` = i·g, ``tanh_c`` = tanh(c_t), ``dc`` = c_t − c_{t-1} and ``pp_i``, ``pp_f``, ``pp_o``, the peephole
    terms w_ci·c_{t-1}, w_cf·c_{t-1}, w_co·c_t (0 for a plain LSTM); GRU also ``one_minus_z`` = 1 − z.
    """
    u = int(unit)
    terms = {name: float(vector[u]) for name, vector in numbers.vectors.items() if name != "x"}
    for gate, value in numbers.preactivations.items():
        terms[f"ax_{gate}"] = float(numbers.input_parts[gate][u])
        terms[f"ah_{gate}"] = float(numbers.recurrent_parts[gate][u])
        terms[f"a_{gate}"] = float(value[u])
    if numbers.kind == "lstm":
        # peephole terms (0 without peepholes): what the gate reads beyond its input and recurrent parts,
        # w_ci·c_{t-1}, w_cf·c_{t-1}, w_co·c_t
        for gate in ("i", "f", "o"):
            terms[f"pp_{gate}"] = terms[f"a_{gate}"] - terms[f"ax_{gate}"] - terms[f"ah_{gate}"]
        terms["ig"] = terms["i"] * terms["g"]
        terms["tanh_c"] = float(np.tanh(terms["c"]))
        terms["dc"] = terms["c"] - terms["c_prev"]
    elif numbers.kind == "gru":
        terms["one_minus_z"] = 1.0 - terms["z"]
    return terms


def percent(fraction: float) -> int:
    """A gate value in [0, 1] as a whole percentage (clipped)."""
    return int(round(100 * min(max(float(fraction), 0.0), 1.0)))
