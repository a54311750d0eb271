"""Public face of the gradient analyses (the API contract's ``lstm_viz.gradients``).

The code lives in :mod:`lstm_viz.analysis` (``jacobians``, ``contributions``, ``gradcheck``); this module
re-exports it so notebooks can write ``from lstm_viz.gradients import jacobian_norms``.
"""

from .analysis.connectivity import input_connectivity
from .analysis.contributions import gradient_contributions, gradient_shares, step_deltas
from .analysis.gradcheck import GradientCheckResult, central_difference, gradient_check, numerical_jacobian
from .analysis.jacobians import (
    cell_jacobian_norms, forget_gate_product, jacobian_norms, rnn_jacobian_bound, stack_jacobian_norms,
)
from .nn import PARAM_NAMES

__all__ = [
    "jacobian_norms", "cell_jacobian_norms", "forget_gate_product", "rnn_jacobian_bound", "stack_jacobian_norms",
    "gradient_contributions", "gradient_shares", "step_deltas", "input_connectivity",
    "gradient_check", "GradientCheckResult", "numerical_jacobian", "central_difference", "PARAM_NAMES",
]
