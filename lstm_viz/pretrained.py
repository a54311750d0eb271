"""Public face of the shipped models (the API contract's ``lstm_viz.pretrained``).

The loader lives in :mod:`lstm_viz.data.pretrained` and the weight files in ``lstm_viz/data/weights/``.
"""

from .data.pretrained import list_pretrained, load_pretrained, model_card  # noqa: F401

__all__ = ["list_pretrained", "load_pretrained", "model_card"]
