"""Layer 2 of the design: plotly figures, one module per page, arrays in, ``go.Figure`` out.

    from lstm_viz.figures import gate_heatmaps
    fig = gate_heatmaps.state_heatmaps(panels, labels, unit_ids)

No streamlit and no numerics beyond layout (the numbers come from the core, :mod:`lstm_viz.nn` and
:mod:`lstm_viz.analysis`): the same figures work in Jupyter. Every visible string is an argument, so
pages pass them already translated. Shared conventions live in :mod:`lstm_viz.figures._style`.

* :mod:`~lstm_viz.figures.step_by_step`         the LSTM cell drawing and the state strips of one step
* :mod:`~lstm_viz.figures.gate_heatmaps`        gate / state heatmap stacks, gate saturation scatter
* :mod:`~lstm_viz.figures.vanishing_gradients`  Jacobian norms, per-step contributions, forget-gate products, σ_max
* :mod:`~lstm_viz.figures.theory`               σ / tanh and their derivatives, parameter counts
* :mod:`~lstm_viz.figures.train`                learning curves of several models side by side
* :mod:`~lstm_viz.figures.cells`                next-character predictions and the units that follow a label
"""
