"""The Backpropagation page's BPTT equations (LaTeX) and plain sentences for one unit at one step.

``d`` holds the unit's δ's from :func:`lstm_viz.analysis.backprop.backward_step` (``vectors[name][unit]``),
``u`` the unit's forward terms from :func:`lstm_viz.analysis.step_terms.unit_terms`; ``t`` is the translator.
Every number is the engine's, only formatted here; nothing from the user's text reaches ``st.latex``.
"""

from __future__ import annotations

from collections.abc import Callable

from lstm_viz.analysis.step_terms import percent

from .render import number
from .step_text import num, par


def _num(value: float) -> str:
    """Like num but readable for tiny and huge δ's (scientific notation as LaTeX)."""
    value = float(value)
    if value != 0.0 and (abs(value) < 1e-3 or abs(value) >= 1e4):
        mantissa, exponent = f"{value:.3e}".split("e")
        return rf"{mantissa}\times10^{{{int(exponent)}}}"
    return num(value)


def _par(value: float) -> str:
    return f"({_num(value)})" if _num(value).startswith("-") or "times" in _num(value) else _num(value)


def _aligned(rows: list[str]) -> str:
    return r"\begin{aligned}" + r"\\ ".join(rows) + r"\end{aligned}"


def lstm_latex(d: dict, u: dict) -> str:
    return _aligned([
        rf"\delta h_t &= \tfrac{{\partial L}}{{\partial h_t}} + (W_{{hh}}^\top \delta a_{{t+1}})"
        rf" = {_num(d['dh_loss'])} + {_par(d['dh_next'])} = {_num(d['dh'])}",
        rf"\delta o_t &= \delta h_t \tanh c_t = {_par(d['dh'])}\cdot{par(u['tanh_c'])} = {_num(d['do'])}",
        rf"\delta c_t &= f_{{t+1}}\delta c_{{t+1}} + \delta h_t\, o_t (1-\tanh^2 c_t)",   # two rows: one is too wide
        rf"&= {_num(d['dc_next'])} + {_par(d['dh'])}\cdot{num(u['o'])}\cdot(1-{par(u['tanh_c'])}^2) = {_num(d['dc'])}",
        rf"\delta f_t &= \delta c_t\, c_{{t-1}} = {_par(d['dc'])}\cdot{par(u['c_prev'])} = {_num(d['df'])}",
        rf"\delta i_t &= \delta c_t\, g_t = {_par(d['dc'])}\cdot{par(u['g'])} = {_num(d['di'])}",
        rf"\delta g_t &= \delta c_t\, i_t = {_par(d['dc'])}\cdot{num(u['i'])} = {_num(d['dg'])}",
        rf"\delta a_{{f}} &= \delta f_t\, f_t(1-f_t) = {_par(d['df'])}\cdot{num(u['f'])}(1-{num(u['f'])}) = {_num(d['da_f'])}",
        rf"\delta c_{{t-1}} &= \delta c_t\, f_t = {_par(d['dc'])}\cdot{num(u['f'])} = {_num(d['dc_prev'])}",
        rf"\delta h_{{t-1}} &= \textstyle\sum_k (W_{{hh}})_{{k,j}}\,\delta a_{{t,k}} = {_num(d['dh_prev'])}",
    ])


def gru_latex(d: dict, u: dict) -> str:
    return _aligned([
        rf"\delta h_t &= \tfrac{{\partial L}}{{\partial h_t}} + (\text{{from }} t+1)"
        rf" = {_num(d['dh_loss'])} + {_par(d['dh_next'])} = {_num(d['dh'])}",
        rf"\delta z_t &= \delta h_t\,(h_{{t-1}} - n_t) = {_par(d['dh'])}\cdot({num(u['h_prev'])} - {par(u['n'])})"
        rf" = {_num(d['dz'])}",
        rf"\delta n_t &= \delta h_t\,(1 - z_t) = {_par(d['dh'])}\cdot{num(u['one_minus_z'])} = {_num(d['dn'])}",
        rf"\delta a_n &= \delta n_t\,(1 - n_t^2) = {_par(d['dn'])}\cdot(1-{par(u['n'])}^2) = {_num(d['da_n'])}",
        rf"\delta r_t &= \delta a_n\,(W_{{hn}}h_{{t-1}} + b_{{hn}}) = {_par(d['da_n'])}\cdot{par(u['hn'])} = {_num(d['dr'])}",
        rf"\delta h_{{t-1}} &= \delta h_t\, z_t + \textstyle\sum_k (W_{{hh}})_{{k,j}}\,\delta a_{{t,k}}"
        rf" = {_par(d['dh'])}\cdot{num(u['z'])} + \ldots = {_num(d['dh_prev'])}",
    ])


def rnn_latex(d: dict, u: dict) -> str:
    return _aligned([
        rf"\delta h_t &= \tfrac{{\partial L}}{{\partial h_t}} + W_{{hh}}^\top \delta a_{{t+1}}"
        rf" = {_num(d['dh_loss'])} + {_par(d['dh_next'])} = {_num(d['dh'])}",
        rf"\delta a_t &= \delta h_t\,(1 - h_t^2) = {_par(d['dh'])}\cdot(1-{par(u['h'])}^2) = {_num(d['da'])}",
        rf"\delta h_{{t-1}} &= \textstyle\sum_k (W_{{hh}})_{{k,j}}\,\delta a_{{t,k}} = {_num(d['dh_prev'])}",
    ])


def equations(kind: str, d: dict, u: dict) -> str:
    """The LaTeX block of ``kind`` ("lstm", "gru", "rnn")."""
    return {"lstm": lstm_latex, "gru": gru_latex}.get(kind, rnn_latex)(d, u)


def _g(value: float) -> str:
    return number(value, ".3g")


def sentences(kind: str, t: Callable[..., str], d: dict, u: dict, unit: int, step: int) -> list[str]:
    """One plain sentence per path through step ``step`` for unit ``unit`` (markdown: numbers and our words)."""
    out = [t("bp.say_arrive", unit=unit, loss=_g(d["dh_loss"]), next=_g(d["dh_next"]), dh=_g(d["dh"]))]
    if kind == "lstm":
        out += [
            t("bp.say_output", do=_g(d["do"]), o=number(u["o"], ".2f")),
            t("bp.say_cell", dc=_g(d["dc"]), carried=_g(d["dc_next"])),
            t("bp.say_gates", di=_g(d["di"]), dg=_g(d["dg"]), df=_g(d["df"])),
            t("bp.say_forget", pct=percent(u["f"]), f=number(u["f"], ".2f"), dc_prev=_g(d["dc_prev"])),
        ]
    elif kind == "gru":
        out += [
            t("bp.say_update", pct=percent(u["z"]), z=number(u["z"], ".2f"), dz=_g(d["dz"]), dn=_g(d["dn"])),
            t("bp.say_reset", dr=_g(d["dr"]), r=number(u["r"], ".2f")),
        ]
    else:
        out.append(t("bp.say_squash", da=_g(d["da"]), h=number(u["h"], ".2f")))
    leave = "bp.say_leave_first" if step == 0 else "bp.say_leave"
    out.append(t(leave, dh_prev=_g(d["dh_prev"])))
    return out
