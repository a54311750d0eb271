"""The Step page's equations (LaTeX) and plain sentences for one unit, filled in with the engine's numbers.

Every function takes ``u``, the unit's terms from :func:`lstm_viz.analysis.step_terms.unit_terms`, and
formats them; ``t`` is the translator (``ctx.t``). Only numbers formatted here ever reach ``st.latex``:
nothing from the user's text.
"""

from __future__ import annotations

from collections.abc import Callable

from lstm_viz.analysis.step_terms import percent

from .render import number

#: |c_t − c_{t−1}| below this reads as "unchanged" (it would print as 0.00x).
UNCHANGED_BELOW = 5e-3


def num(value: float) -> str:
    """A number for LaTeX (only digits, sign, point), 3 decimals; what rounds to zero is 0.000, never -0.000."""
    return number(value, ".3f")


def par(value: float) -> str:
    """num() in parentheses when it prints negative, for products and sums."""
    text = num(value)
    return f"({text})" if text.startswith("-") else text


def _aligned(rows: list[str]) -> str:
    return r"\begin{aligned}" + r"\\ ".join(rows) + r"\end{aligned}"


_PEEPHOLE_TERMS = {"i": r"w_{ci} c_{t-1}", "f": r"w_{cf} c_{t-1}", "o": r"w_{co} c_t"}


def lstm_latex(u: dict, peephole: bool = False) -> str:
    rows = []
    for name, fn in (("i", r"\sigma"), ("f", r"\sigma"), ("g", r"\tanh"), ("o", r"\sigma")):
        peep = peephole and name in _PEEPHOLE_TERMS
        symbol = rf" + {_PEEPHOLE_TERMS[name]}" if peep else ""
        value = rf" + {par(u['pp_' + name])}" if peep else ""
        rows.append(
            rf"{name}_t &= {fn}(W_{{i{name}}} x_t + b_{{i{name}}} + W_{{h{name}}} h_{{t-1}} + b_{{h{name}}}{symbol})"
            rf" = {fn}({num(u['ax_' + name])} + {par(u['ah_' + name])}{value}) = {fn}({num(u['a_' + name])})"
            rf" = {num(u[name])}"
        )
    rows.append(
        rf"c_t &= f_t\,c_{{t-1}} + i_t\,g_t = {num(u['f'])}\cdot{par(u['c_prev'])} + {num(u['i'])}\cdot{par(u['g'])}"
        rf" = {num(u['c'])}"
    )
    rows.append(rf"h_t &= o_t \tanh(c_t) = {num(u['o'])}\cdot\tanh({num(u['c'])}) = {num(u['h'])}")
    return _aligned(rows)


def gru_latex(u: dict) -> str:
    return _aligned([
        rf"r_t &= \sigma(W_{{ir}} x_t + b_{{ir}} + W_{{hr}} h_{{t-1}} + b_{{hr}}) = \sigma({num(u['a_r'])}) = {num(u['r'])}",
        rf"z_t &= \sigma(W_{{iz}} x_t + b_{{iz}} + W_{{hz}} h_{{t-1}} + b_{{hz}}) = \sigma({num(u['a_z'])}) = {num(u['z'])}",
        rf"n_t &= \tanh(W_{{in}} x_t + b_{{in}} + r_t\,(W_{{hn}} h_{{t-1}} + b_{{hn}}))"
        rf" = \tanh({num(u['ax_n'])} + {num(u['r'])}\cdot{par(u['hn'])}) = {num(u['n'])}",
        rf"h_t &= (1 - z_t)\,n_t + z_t\,h_{{t-1}} = {num(u['one_minus_z'])}\cdot{par(u['n'])} + {num(u['z'])}\cdot{par(u['h_prev'])}"
        rf" = {num(u['h'])}",
    ])


def rnn_latex(u: dict, nonlinearity: str) -> str:
    fn = r"\tanh" if nonlinearity == "tanh" else r"\mathrm{ReLU}"
    return _aligned([rf"h_t &= {fn}(W_{{ih}} x_t + b_{{ih}} + W_{{hh}} h_{{t-1}} + b_{{hh}})"
                     rf" = {fn}({num(u['ax_h'])} + {par(u['ah_h'])}) = {fn}({num(u['a_h'])}) = {num(u['h'])}"])


def memory_change(t: Callable[..., str], c_prev: float, c: float) -> str:
    """How the cell state moved, in words that stay true for signs: "almost unchanged" (|c − c_prev| tiny),
    "became positive / negative" (from about 0), "changed sign", else whether the size |c| grew or shrank and by
    how much (c from −0.1 to −0.3 grew: |c| went up, although c went down)."""
    c_prev, c = float(c_prev), float(c)
    if abs(c - c_prev) < UNCHANGED_BELOW:
        return t("step.unchanged")
    if abs(c_prev) < UNCHANGED_BELOW:
        return t("step.became_positive" if c > 0 else "step.became_negative")
    if abs(c) >= UNCHANGED_BELOW and (c > 0) != (c_prev > 0):
        return t("step.changed_sign")
    size_change = abs(c) - abs(c_prev)
    return t("step.grew" if size_change > 0 else "step.shrank", d=f"{abs(size_change):.3f}")


def lstm_sentences(t: Callable[..., str], u: dict, unit: int) -> list[str]:
    change = memory_change(t, u["c_prev"], u["c"])
    return [
        t("step.say_forget", unit=unit, keep=percent(u["f"]), forgot=100 - percent(u["f"]), f=f"{u['f']:.2f}"),
        t("step.say_candidate", g=f"{u['g']:.2f}", direction=t("step.positive" if u["g"] >= 0 else "step.negative")),
        t("step.say_input", pct=percent(u["i"]), g=f"{u['g']:.2f}", ig=f"{u['ig']:.3f}"),
        t("step.say_memory", c_prev=f"{u['c_prev']:.3f}", c=f"{u['c']:.3f}", change=change),
        t("step.say_output", pct=percent(u["o"]), tanh_c=f"{u['tanh_c']:.3f}", h=f"{u['h']:.3f}"),
    ]


def gru_sentences(t: Callable[..., str], u: dict, unit: int) -> list[str]:
    return [
        t("step.say_reset", unit=unit, pct=percent(u["r"]), hn=f"{u['hn']:.3f}", r=f"{u['r']:.2f}"),
        t("step.say_update", keep=percent(u["z"]), take=100 - percent(u["z"]), h_prev=f"{u['h_prev']:.3f}",
          n=f"{u['n']:.3f}", z=f"{u['z']:.2f}", h=f"{u['h']:.3f}"),
    ]


def rnn_sentences(t: Callable[..., str], u: dict, unit: int) -> list[str]:
    return [t("step.say_rnn", unit=unit, a=f"{u['a_h']:.3f}", h=f"{u['h']:.3f}")]


def equations(kind: str, u: dict, nonlinearity: str = "tanh", peephole: bool = False) -> str:
    """The LaTeX block of ``kind`` ("lstm", "gru", "rnn"); ``peephole``: the LSTM's gates read the cell state."""
    if kind == "lstm":
        return lstm_latex(u, peephole)
    if kind == "gru":
        return gru_latex(u)
    return rnn_latex(u, nonlinearity)


def sentences(kind: str, t: Callable[..., str], u: dict, unit: int) -> list[str]:
    """The plain sentences of ``kind`` (markdown: numbers and our own translated words only)."""
    return {"lstm": lstm_sentences, "gru": gru_sentences}.get(kind, rnn_sentences)(t, u, unit)
