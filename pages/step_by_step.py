"""Step by step: one time step of the LSTM cell, with live values (full page lands next)."""

import streamlit as st

from lstm_viz.ui import context

ctx = context.require()
st.title(ctx.t("nav.step_by_step"))
context.step_slider(ctx)
st.write(ctx.T, ctx.step)
