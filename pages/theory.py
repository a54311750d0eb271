"""Theory: σ and tanh with their derivatives (the γ of the gradient bound), RNN / LSTM / GRU equations,
parameter counts for the current sizes.

Thin view: the curves come from lstm_viz.analysis.activations, the counts from the layers'
``parameter_breakdown``, the figures from lstm_viz.figures.theory.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from lstm_viz.analysis.activations import activation_curves
from lstm_viz.analysis.stack_views import parameter_counts
from lstm_viz.figures import family as family_figures
from lstm_viz.figures import theory as figures
from lstm_viz.nn import GRU, LSTM, RNN
from lstm_viz.ui import context, downloads, render

CELL_TYPES = (RNN, GRU, LSTM)   # the order of the table and the bars

RNN_TEX = r"h_t = \tanh(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh})"
LSTM_TEX = r"""\begin{aligned}
i_t &= \sigma(W_{ii} x_t + b_{ii} + W_{hi} h_{t-1} + b_{hi}) \\
f_t &= \sigma(W_{if} x_t + b_{if} + W_{hf} h_{t-1} + b_{hf}) \\
g_t &= \tanh(W_{ig} x_t + b_{ig} + W_{hg} h_{t-1} + b_{hg}) \\
o_t &= \sigma(W_{io} x_t + b_{io} + W_{ho} h_{t-1} + b_{ho}) \\
c_t &= f_t \odot c_{t-1} + i_t \odot g_t \\
h_t &= o_t \odot \tanh(c_t)
\end{aligned}"""
GRU_TEX = r"""\begin{aligned}
r_t &= \sigma(W_{ir} x_t + b_{ir} + W_{hr} h_{t-1} + b_{hr}) \\
z_t &= \sigma(W_{iz} x_t + b_{iz} + W_{hz} h_{t-1} + b_{hz}) \\
n_t &= \tanh(W_{in} x_t + b_{in} + r_t \odot (W_{hn} h_{t-1} + b_{hn})) \\
h_t &= (1 - z_t) \odot n_t + z_t \odot h_{t-1}
\end{aligned}"""
BOUND_TEX = (r"\left\lVert \frac{\partial h_t}{\partial h_k} \right\rVert \le \prod_{j=k+1}^{t}"
             r" \lVert \operatorname{diag}(\varphi'(a_j)) \rVert\,\lVert W_{hh} \rVert"
             r" \le \left(\gamma\, \sigma_{\max}(W_{hh})\right)^{t-k}")


def activations_section(ctx) -> None:
    st.subheader(ctx.t("theory.activations"))
    curves = activation_curves()
    names = {key: ctx.t(f"theory.{key}") for key in ("sigmoid", "sigmoid_prime", "tanh", "tanh_prime")}
    fig = figures.activation_figure(curves, names, max_labels=(ctx.t("theory.max_sigmoid"), ctx.t("theory.max_tanh")))
    st.plotly_chart(fig, key="theory.activations", config={"displayModeBar": False})
    downloads.figure_downloads(fig, curves, "activations", lang=ctx.lang)
    st.markdown(ctx.t("theory.gamma"))
    st.latex(BOUND_TEX)
    st.markdown(ctx.t("theory.gamma_after"))


def equations_section(ctx) -> None:
    st.subheader(ctx.t("theory.equations"))
    st.markdown(f"**{ctx.t('theory.rnn')}**")
    st.latex(RNN_TEX)
    lstm_col, gru_col = st.columns(2)
    with lstm_col:
        st.markdown(f"**{ctx.t('theory.lstm')}**")
        st.latex(LSTM_TEX)
    with gru_col:
        st.markdown(f"**{ctx.t('theory.gru')}**")
        st.latex(GRU_TEX)
    st.caption(ctx.t("theory.conventions"))


def parameters_section(ctx) -> None:
    st.subheader(ctx.t("theory.params"))
    I, H = int(ctx.network_model.input_size), int(ctx.network_model.hidden_size)   # the network's input, not a cell's
    counts = {cell.kind: cell.parameter_breakdown(I, H) for cell in CELL_TYPES}
    st.markdown(ctx.t("theory.params_text", I=I, H=H, block=counts["rnn"]["weights"]))
    table_col, chart_col = st.columns([1, 1])
    with table_col:
        st.table({
            ctx.t("theory.col_cell"): [kind.upper() for kind in counts],
            ctx.t("theory.col_blocks"): [c["blocks"] for c in counts.values()],
            ctx.t("theory.col_weights"): [f"{c['weights']:,}" for c in counts.values()],
            ctx.t("theory.col_biases"): [f"{c['biases']:,}" for c in counts.values()],
            ctx.t("theory.col_total"): [f"{c['total']:,}" for c in counts.values()],
        })
        st.caption(ctx.t("theory.current_model", kind=ctx.kind.upper(),
                         params=int(ctx.network_model.num_parameters())))
    with chart_col:
        fig = figures.parameter_count_figure(
            counts, {kind: kind.upper() for kind in counts}, title=ctx.t("theory.params_title", I=I, H=H),
            weights_label=ctx.t("theory.col_weights"), biases_label=ctx.t("theory.col_biases"), current=ctx.kind,
        )
        st.plotly_chart(fig, key="theory.params", config={"displayModeBar": False})
        data = {
            "cell": np.array([kind for kind in counts]),
            "blocks": np.array([c["blocks"] for c in counts.values()]),
            "weights": np.array([c["weights"] for c in counts.values()]),
            "biases": np.array([c["biases"] for c in counts.values()]),
            "total": np.array([c["total"] for c in counts.values()]),
        }
        downloads.figure_downloads(fig, data, "parameter_counts", lang=ctx.lang)


# the four input/output forms: (form, the page that shows it live, its icon)
FORM_PAGES = (("one_to_one", "step_by_step", ":material/linear_scale:"),
              ("many_to_one", "sentiment", ":material/sentiment_satisfied:"),
              ("one_to_many", "generate", ":material/edit_note:"),
              ("many_to_many", "cells", ":material/memory:"))


def forms_section(ctx) -> None:
    st.subheader(ctx.t("forms.header"))
    st.caption(ctx.t("forms.explain"))
    words = (ctx.t("forms.input"), ctx.t("forms.state"), ctx.t("forms.output"))
    for column, (form, page, icon) in zip(st.columns(4), FORM_PAGES):
        with column:
            fig = figures.io_form_figure(form, ctx.t(f"forms.{form}"), ctx.t(f"forms.{form}.note"), words)
            st.plotly_chart(fig, key=f"theory.form.{form}", config={"displayModeBar": False, "staticPlot": True})
            st.page_link(f"pages/{page}.py", label=ctx.t(f"forms.link.{form}"), icon=icon)


PEEPHOLE_TEX = r"""\begin{aligned}
i_t &= \sigma(W_{ii} x_t + b_{ii} + W_{hi} h_{t-1} + b_{hi} + w_{ci} \odot c_{t-1}) \\
f_t &= \sigma(W_{if} x_t + b_{if} + W_{hf} h_{t-1} + b_{hf} + w_{cf} \odot c_{t-1}) \\
o_t &= \sigma(W_{io} x_t + b_{io} + W_{ho} h_{t-1} + b_{ho} + w_{co} \odot c_t)
\end{aligned}"""
COUNT_TEX = (r"N = D \sum_{l=0}^{L-1} \Big( G H (I_l + H) + 2 G H \;[+\, 3H \text{ peephole}] \Big),"
             r"\qquad I_0 = I,\; I_{l>0} = D H")


def family_section(ctx) -> None:
    """Stacked and bidirectional networks unrolled; their parameter counts with the current numbers."""
    st.subheader(ctx.t("theory.family_header"))
    stack_col, bidir_col = st.columns(2)
    with stack_col:
        st.plotly_chart(family_figures.unrolled_stack_figure(3, 4, title=ctx.t("theory.stacked_title")),
                        key="theory.stacked", config={"displayModeBar": False, "staticPlot": True})
        st.caption(ctx.t("theory.stacked_caption"))
    with bidir_col:
        st.plotly_chart(family_figures.unrolled_bidirectional_figure(4, title=ctx.t("theory.bidir_title")),
                        key="theory.bidir", config={"displayModeBar": False, "staticPlot": True})
        st.caption(ctx.t("theory.bidir_caption"))
    st.markdown(render.backslash_markdown(ctx.t("step.peep_equations_note")))
    st.latex(PEEPHOLE_TEX)
    st.markdown(f"**{ctx.t('theory.family_counts')}**")
    st.latex(COUNT_TEX)
    st.caption(ctx.t("theory.family_counts_body"))
    net = ctx.network_model
    counts = parameter_counts(ctx.kind, net.input_size, net.hidden_size, ctx.num_layers, ctx.num_directions,
                              ctx.peephole)
    st.markdown(ctx.t("theory.family_current", kind=ctx.kind.upper(), I=counts.input_size, H=counts.hidden_size,
                      L=counts.num_layers, D=counts.num_directions,
                      peep=ctx.t("theory.family_peep_word") if counts.peephole else "",
                      formula=counts.formula(), total=counts.total, engine=int(net.num_parameters())))
    examples = [("L=1, D=1", 1, 1, False), ("L=2, D=1", 2, 1, False), ("L=2, D=2", 2, 2, False),
                ("L=2, D=2, peephole", 2, 2, True)]
    rows = [(name, parameter_counts("lstm", net.input_size, net.hidden_size, L, D, peep))
            for name, L, D, peep in examples]
    st.table({
        "LSTM": [name for name, _ in rows],
        ctx.t("theory.col_total"): [f"{c.total:,}" for _, c in rows],
        "N": [c.formula() for _, c in rows],
    })


def main() -> None:
    ctx = context.get()            # the theory does not need the text: show a problem with it, then go on
    st.title(ctx.t("theory.title"))
    st.caption(ctx.t("theory.intro"))
    if ctx.error:
        st.info(ctx.error + " " + ctx.t("theory.text_problem"), icon=":material/info:")
    activations_section(ctx)
    equations_section(ctx)
    forms_section(ctx)
    parameters_section(ctx)
    family_section(ctx)


main()
