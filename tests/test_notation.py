"""Math notation reaches every sink in a form that sink renders: no raw ``h_{T−1}`` on screen.

Three sinks, three forms (see lstm_viz.ui.strings):

* markdown (captions, prose, headers, widget labels and options): ``$h_{T-1}$``, rendered by KaTeX;
* plotly text (titles, axis titles, legend names): ``h<sub>T−1</sub>``, let through by
  ``lstm_viz.figures.vanishing_gradients.math_label``; plotly shows ``_{…}`` and ``$…$`` literally;
* text shown as is (escaped markdown, st.html, selectbox options): Unicode (``hₜ``, ``cₜ₋₁``) or words.

The first tests walk every string template; the last ones render the Backpropagation and Vanishing gradients
pages in both languages and read what each sink actually received.
"""

from __future__ import annotations

import json
import re
import string

import pytest

from lstm_viz.ui import i18n

from conftest import open_page_via_app

_FORMATTER = string.Formatter()
#: ``$$…$$`` and ``$…$`` (a backslashed ``\$`` is a literal dollar, not a delimiter)
_MATH = re.compile(r"(?<!\\)\$\$.*?(?<!\\)\$\$|(?<!\\)\$[^$]*?(?<!\\)\$", re.S)
#: a sub/superscript group in LaTeX source form, also as backslash-escaped markdown or HTML entities shows it
_RAW_SCRIPT = re.compile(r"[_^]\{|\\[_^]\\\{|&#95;&#123;|&#94;&#123;")
#: LaTeX commands that mean a formula was meant (a regex's \d or \s is not one of them)
_TEX_COMMAND = re.compile(r"\\(?:partial|frac|sigma|sum|prod|nabla|delta|tanh|operatorname|odot|text|max|le|ge|to|"
                          r"approx|top|times|cdot|mathrm|mathbf|Big|left|right)(?![A-Za-z])")
_SCRIPT_TAG = re.compile(r"</?su[bp]>")


def literal_text(template: str) -> str:
    """What a template shows around its fields (``{{`` -> ``{``), each field replaced by a neutral ``0``. A field
    that is not a name (``h_{T−1}`` written with single braces) makes i18n.t show the template unformatted."""
    parts = []
    for text, field, _spec, _conversion in _FORMATTER.parse(template):
        parts.append(text)
        if field is not None:
            if not field.isidentifier():
                return template
            parts.append("0")
    return "".join(parts)


def raw_notation(text: str) -> list[str]:
    """The pieces of ``text`` outside ``$…$`` math that a reader would see as LaTeX source."""
    outside = _MATH.sub(" ", text)
    return [outside[max(0, m.start() - 12):m.end() + 12] for pattern in (_RAW_SCRIPT, _TEX_COMMAND)
            for m in pattern.finditer(outside)]


def problems_of(template: str) -> list[str]:
    """What is wrong with one string template (empty: fine)."""
    try:
        fields = [field for _, field, _, _ in _FORMATTER.parse(template) if field is not None]
    except ValueError as exc:                      # a lone { or }: i18n.t would show the template unformatted
        return [f"braces: {exc}"]
    problems = [f"field {{{field}}} is not a name: write {{{{ }}}} for a literal brace"
                for field in fields if not field.isidentifier()]
    text = literal_text(template)
    problems += [f"raw notation …{piece}…" for piece in raw_notation(text)]
    if len(re.findall(r"(?<!\\)\$", text)) % 2:
        problems.append("an unclosed $")
    if _SCRIPT_TAG.search(text):                   # a plotly string: plotly renders no $…$ and no markdown
        if "$" in text or "**" in text:
            problems.append("<sub>/<sup> (plotly) mixed with $…$ or ** (markdown)")
        for tag in ("sub", "sup"):
            if text.count(f"<{tag}>") != text.count(f"</{tag}>"):
                problems.append(f"unbalanced <{tag}>")
    return problems


# ---- every string ---------------------------------------------------------------------------------------------

def test_the_check_catches_raw_notation_and_passes_the_rendered_forms():
    assert problems_of("Σ h_{T−1}")                           # was shown as is in a radio option
    assert problems_of("L = h_{{T−1}}[{unit}] = {value}")    # {{ }}: formats to the raw h_{T−1}
    assert problems_of("‖∇_{W,k} L‖")                         # {W,k} is no field name either
    assert problems_of(r"the bound \sigma_{\max}")            # LaTeX outside $…$
    assert problems_of("$h_{T-1}") and problems_of("σ<sub>max</sub> and $x$") and problems_of("a<sub>b")
    for fine in (r"$h_{{T-1}}[{unit}] = {value}$", r"$$\frac{{a}}{{b}}$$", "‖∂h<sub>T−1</sub>/∂h<sub>k</sub>‖",
                 "δcₜ₋₁ = {dc_prev}", "step_{t}", "bracket depth ( ) [ ] {{ }}", r"Example: \d+ (numbers)",
                 "{count:,} characters", "W_hh", "<unk>"):
        assert not problems_of(fine), (fine, problems_of(fine))


def test_no_string_shows_latex_source_outside_math():
    bad = {f"{key} [{lang}]": problems
           for key, entry in i18n.all_strings().items() for lang, template in entry.items()
           if (problems := problems_of(str(template)))}
    assert not bad, json.dumps(bad, ensure_ascii=False, indent=1)


def test_plotly_strings_render_their_subscripts():
    from lstm_viz.figures.vanishing_gradients import math_label

    assert math_label("‖∂h<sub>T−1</sub>/∂h<sub>k</sub>‖<sub>2</sub>") == "‖∂h<sub>T−1</sub>/∂h<sub>k</sub>‖<sub>2</sub>"
    assert math_label("σ<sub>max</sub><sup>T−1−k</sup>") == "σ<sub>max</sub><sup>T−1−k</sup>"
    # every other tag stays text: a title cannot carry a link or a script
    assert math_label('<a href="x">l</a> <b>b</b> <script>') == '&lt;a href="x"&gt;l&lt;/a&gt; &lt;b&gt;b&lt;/b&gt; &lt;script&gt;'
    assert math_label("a < b & c") == "a &lt; b &amp; c"


# ---- what the pages hand to each sink -------------------------------------------------------------------------

MARKDOWN_ELEMENTS = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success")
WIDGETS = ("radio", "selectbox", "slider", "number_input", "checkbox", "toggle", "button", "multiselect",
           "select_slider", "text_area", "text_input")


def markdown_texts(at) -> list[str]:
    """Everything the page sent to a markdown sink: prose, alerts, widget labels, options and tooltips, metric
    labels (Streamlit renders $…$ in all of them)."""
    texts = [str(element.value) for kind in MARKDOWN_ELEMENTS for element in getattr(at, kind)]
    for kind in WIDGETS:
        for widget in getattr(at, kind):
            texts += [str(getattr(widget, "label", "") or ""), str(getattr(widget.proto, "help", "") or "")]
            texts += [str(option) for option in (getattr(widget, "options", None) or [])]
    texts += [str(metric.proto.label) for metric in at.metric] + [str(metric.proto.help) for metric in at.metric]
    return [text for text in texts if text]


def plotly_texts(at) -> list[str]:
    """Titles, axis titles, annotations, colour-bar titles and trace names of every chart."""
    texts = []
    for chart in at.get("plotly_chart"):
        figure = json.loads(chart.proto.spec)
        layout = figure.get("layout", {})
        texts.append(str(layout.get("title", {}).get("text", "")))
        for name, axis in layout.items():
            if name.startswith(("xaxis", "yaxis")):
                texts.append(str(axis.get("title", {}).get("text", "")))
        texts += [str(note.get("text", "")) for note in layout.get("annotations", [])]
        for trace in figure.get("data", []):
            texts.append(str(trace.get("name", "")))
            texts.append(str(trace.get("colorbar", {}).get("title", {}).get("text", "")))
    return [text for text in texts if text]


def assert_rendered_notation(at) -> None:
    assert at.get("plotly_chart"), "the page drew no chart"
    for text in markdown_texts(at):
        assert not raw_notation(text), (raw_notation(text), text[:160])
        assert not _SCRIPT_TAG.search(text), ("plotly markup in a markdown sink", text[:160])
    for text in plotly_texts(at):
        assert not _RAW_SCRIPT.search(text) and "$" not in text and "\\" not in text, text
    for element in at.get("html"):
        assert not _RAW_SCRIPT.search(str(element.proto.body)), str(element.proto.body)[:160]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("section", ["steps", "connectivity", "surface"])
def test_backpropagation_page_shows_no_latex_source(lang, section):
    at = open_page_via_app("pages/backpropagation.py", {"lstmx.lang": lang, "lstmx.bp.section": section},
                           timeout=120)
    assert_rendered_notation(at)
    if section == "steps":
        loss = at.radio(key="lstmx.bp.loss")
        assert any("$" in option for option in loss.options)          # the options carry math, not escaped
        share = next(figure for figure in map(json.loads, (c.proto.spec for c in at.get("plotly_chart")))
                     if figure["layout"]["title"]["text"].startswith(("Share", "∇L")))
        assert share["layout"]["yaxis"]["title"]["text"] == "‖∇<sub>W,k</sub> L‖"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_vanishing_gradients_page_shows_no_latex_source(lang):
    at = open_page_via_app("pages/vanishing_gradients.py", {"lstmx.lang": lang}, timeout=120)
    assert_rendered_notation(at)
