"""Public face of the gradient analyses (the API contract's ``lstm_viz.gradients``).

The code lives in :mod:`lstm_viz.analysis`; this module only re-exports it so notebooks can write
``from lstm_viz.gradients import jacobian_norms``.
"""

from .analysis.jacobians import *  # noqa: F401,F403
from .analysis.jacobians import __all__  # noqa: F401
