"""LSTM Explorer core: NumPy recurrent networks with full traces, BPTT and Jacobians.

Layer 1 of the design: numpy only, no streamlit, no plotly.

    from lstm_viz import LSTM, GRU, RNN
    m = LSTM(input_size, hidden_size, seed=0)
    tr = m.forward(x)            # x: (T, I) or (T, B, I)
    grads = m.backward(tr, dh)   # dh: dL/dh_t, shape of tr.h
"""

__all__ = ["LSTM", "GRU", "RNN", "Trace"]


def __getattr__(name):
    # Lazy import keeps `import lstm_viz.data.text` cheap and independent of the models module.
    if name in __all__:
        from . import nn as models

        return getattr(models, name)
    raise AttributeError(f"module 'lstm_viz' has no attribute {name!r}")
