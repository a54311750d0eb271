"""The UI framework: translations, URL state, safe rendering, downloads, and app.py's shared sidebar/state."""

from __future__ import annotations

import io

import numpy as np
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from apptest_support import registered_pages
from conftest import HOSTILE_TEXTS, ROOT, assert_clean_run, page_texts
from lstm_viz.data import pretrained, weight_files
from lstm_viz.ui import context, downloads, i18n, render, urlstate

# ---- pure helpers ----------------------------------------------------------------------------------------------


def test_every_string_has_both_languages():
    assert i18n.missing_translations() == []


def test_translation_lookup_formats_and_falls_back():
    assert i18n.t("common.step", "zh") == "时间步 t"
    assert "3000" in i18n.t("text.truncated", "en", total=5000, kept=2000, dropped=3000)
    assert i18n.t("no.such.key", "zh") == "no.such.key"
    assert i18n.t("text.truncated", "en") != ""  # missing fields: template, no exception


def test_url_params_are_validated():
    values, bad = urlstate.parse(
        {"lang": "fr", "hidden": "999", "seed": "-1", "fbias": "nan", "tok": "words", "step": "x",
         "unit": "3", "src": "random", "page": "nope", "junk": "1"},
        page_ids=("step_by_step", "theory"),
    )
    assert values == {"tok": "words", "unit": 3, "src": "random"}
    assert sorted(bad) == sorted(["lang", "hidden", "seed", "fbias", "step", "page"])


def test_url_params_accept_good_values():
    values, bad = urlstate.parse({"lang": "zh", "hidden": "64", "fbias": "1.26", "page": "theory", "text": "abc"},
                                 page_ids=("theory",))
    assert bad == []
    assert values == {"lang": "zh", "hidden": 64, "fbias": 1.5, "page": "theory", "text": "abc"}


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", "$x$ **b**", "`code` _i_ [a](b) {c} #h |t|"])
def test_tokens_html_escapes_everything(text):
    markup = render.tokens_html(list(text), np.linspace(-1, 1, len(text)))
    for dangerous in ("<script", "$", "**", "`", "_i_", "[a]", "{c}", "|t|"):
        assert dangerous not in markup
    assert markup.count("<span") == len(text)


@pytest.mark.parametrize("text", ["it's \"quoted\" & #1", "&#x27; &amp;", "def f(a='x'):  # comment"])
def test_escape_round_trips_exactly_once(text):
    import html

    assert html.unescape(render.escape_html(text)) == text


def test_visible_shows_control_characters():
    assert render.visible("a\x00\x07b") == "aU+0000U+0007b"
    assert render.has_controls("\x07") and not render.has_controls("a\nb\tc")


def test_csv_for_tables_npz_otherwise():
    table = {"step": np.arange(3), "h": np.arange(6.0).reshape(3, 2)}
    content, name, mime = downloads.data_file(table, "gates/unit 7")
    assert name == "gates_unit_7.csv" and mime == "text/csv"
    lines = content.strip().splitlines()
    assert lines[0] == "step,h[0],h[1]" and lines[-1] == "2,4.0,5.0"
    ragged = {"x": np.zeros(16), "h": np.ones(32), "tokens": np.array(["a", "<b>"], dtype=object)}
    content, name, _ = downloads.data_file(ragged, "step")
    assert name == "step.npz"
    loaded = np.load(io.BytesIO(content), allow_pickle=False)
    assert loaded["h"].shape == (32,) and list(loaded["tokens"]) == ["a", "<b>"]


def test_figure_html_is_standalone():
    html = downloads.figure_html(go.Figure(go.Scatter(y=np.arange(3, dtype=np.float32))))
    assert "<html>" in html and html.rstrip().endswith("</html>")
    inline_plotly_js = len(html) > 1_000_000 and '<script src="https://cdn' not in html
    assert inline_plotly_js  # works offline


# ---- the app: sidebar, shared state, URL --------------------------------------------------------------------------


def test_app_default_run_writes_the_url(app_at):
    at = app_at()
    assert_clean_run(at)
    assert at.session_state["lstmx.page"] == "step_by_step" and "page" not in at.query_params  # the path says it
    assert at.query_params["lang"] == "en" and at.query_params["hidden"] == "32"
    assert "text" not in at.query_params  # the example text stays out of the link


def test_url_opens_exactly_that_view(app_at):
    at = app_at("theory", lang="zh", text="hello world", tok="words", seed=3, hidden=20, fbias=2.5, step=1, unit=5)
    assert_clean_run(at)
    assert at.title[0].value == "理论"
    state = at.session_state
    assert (state["lstmx.text"], state["lstmx.tok"], state["lstmx.seed"], state["lstmx.hidden"]) == (
        "hello world", "words", 3, 20)
    assert state["lstmx.fbias"] == 2.5 and state["lstmx.step"] == 1 and state["lstmx.unit"] == 5
    assert at.session_state["lstmx.page"] == "theory" and at.query_params["text"] == "hello world"


def test_bad_url_params_fall_back_with_a_message(app_at):
    at = app_at(hidden="9999", lang="xx", step="-4", unit="abc", fbias="1e308", page="nowhere", src="evil")
    assert_clean_run(at)
    assert at.session_state["lstmx.hidden"] == 32 and at.session_state["lstmx.lang"] == "en"
    warnings = " ".join(w.value for w in at.warning)
    assert "hidden" in warnings and "page" in warnings


def test_step_and_unit_clamped_to_the_text_and_model(app_at):
    at = app_at(text="abc", step="50", unit="500", hidden=8)
    assert_clean_run(at)
    assert at.session_state["lstmx.step"] == 2 and at.session_state["lstmx.unit"] == 7
    assert at.query_params["step"] == "2" and at.query_params["unit"] == "7"


def test_state_survives_page_switches(app_at):
    at = app_at(text="switch pages", hidden=12)
    at.slider(key="w.step").set_value(4).run()
    at.switch_page("pages/theory.py").run()
    assert_clean_run(at)
    assert at.session_state["lstmx.page"] == "theory" and at.query_params["step"] == "4"
    assert at.query_params["text"] == "switch pages" and at.query_params["hidden"] == "12"
    at.switch_page("pages/step_by_step.py").run()
    assert at.slider(key="w.step").value == 4
    assert at.session_state["lstmx.hidden"] == 12


def test_language_switch_translates_and_swaps_the_example(app_at):
    at = app_at()
    at.radio(key="lstmx.lang").set_value("zh").run()
    assert_clean_run(at)
    assert at.session_state["lstmx.text"] == urlstate.example_text("zh")
    assert at.title[0].value == "逐步运行"
    assert at.query_params["lang"] == "zh"


def test_own_text_kept_on_language_switch(app_at):
    at = app_at(text="my own words")
    at.radio(key="lstmx.lang").set_value("zh").run()
    assert at.session_state["lstmx.text"] == "my own words"


def test_long_text_capped_with_a_message(app_at):
    at = app_at(text=HOSTILE_TEXTS["long"])
    assert_clean_run(at)
    message = " ".join(w.value for w in at.warning)
    assert "5000" in message and "2000" in message and "3000" in message
    assert at.slider(key="w.step").max == 1999


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_text_explained(app_at, text):
    at = app_at(text=text)
    assert_clean_run(at)
    assert at.error and "empty" in at.error[0].value


def test_pretrained_model_source(app_at):
    names = pretrained.list_pretrained()
    assert names, "no trained models shipped"
    at = app_at(src="pretrained", model=names[0], text="def f(x):\n    return x")
    assert_clean_run(at)
    assert at.session_state["lstmx.src"] == "pretrained"
    assert at.query_params["model"] == names[0]
    assert at.radio(key="lstmx.tok").disabled  # its own vocabulary


class _TinyNetwork:
    """A TrainedNetwork: hidden size 5 LSTM over one-hot letters a..e."""

    name = "tiny"
    example_text = "abcde"

    def __init__(self):
        from lstm_viz import LSTM

        self.rnn = LSTM(5, 5, seed=7)

    def encode_text(self, text):
        tokens = [ch for ch in text if ch in "abcde"]
        if not tokens:
            raise ValueError("only the letters a-e are known to this network")
        x = np.zeros((len(tokens), 5))
        x[np.arange(len(tokens)), ["abcde".index(ch) for ch in tokens]] = 1.0
        return x, tokens


def test_trained_network_source(app_at):
    at = app_at(run=False, text="abcabc")
    at.session_state["trained_network"] = _TinyNetwork()
    at.run()
    at.radio(key="lstmx.src").set_value("trained").run()
    assert_clean_run(at)
    assert at.slider(key="w.step").max == 5
    at.text_area(key="lstmx.text").set_value("xyz").run()
    assert_clean_run(at)
    assert "a-e" in at.error[0].value


def test_trained_source_in_url_without_network_falls_back(app_at):
    at = app_at(src="trained")
    assert_clean_run(at)
    assert at.session_state["lstmx.src"] == "random"
    assert any("Train" in info.value for info in at.sidebar.info)


def test_uploaded_weights(app_at):
    from lstm_viz import GRU

    at = app_at(src="upload", text="upload me")
    assert_clean_run(at)
    at.file_uploader(key="lstmx.upload").upload("gru.npz", weight_files.weights_to_bytes(GRU(16, 6, seed=1))).run()
    assert_clean_run(at)
    assert "GRU" in page_texts(at)
    at.file_uploader(key="lstmx.upload").upload("bad.npz", b"not a zip file").run()
    assert_clean_run(at)
    assert any("weights" in info.value.lower() for info in at.sidebar.info)


def test_upload_of_a_stacked_torch_state_dict_loads_the_whole_network(app_at):
    """A 2-layer PyTorch LSTM saved with np.savez: every layer is loaded and explorable, the sidebar says so."""
    from lstm_viz import LSTM

    layer0 = LSTM(16, 6, seed=2).state_dict()
    layer1 = {name.replace("_l0", "_l1"): value for name, value in LSTM(6, 6, seed=3).state_dict().items()}
    buffer = io.BytesIO()
    np.savez(buffer, **{f"lstm.{name}": value for name, value in {**layer0, **layer1}.items()})
    at = app_at(src="upload", text="two layers")
    at.file_uploader(key="lstmx.upload").upload("stacked.npz", buffer.getvalue()).run()
    assert_clean_run(at)
    ctx = at.session_state["lstmx.ctx"]
    assert ctx.model_settings["source"] == "upload" and ctx.H == 6
    assert ctx.num_layers == 2 and ctx.num_directions == 1
    np.testing.assert_array_equal(ctx.network_model.cell(0, 0).weight_hh, layer0["weight_hh_l0"])
    np.testing.assert_array_equal(ctx.network_model.cell(1, 0).weight_hh, layer1["weight_hh_l1"])
    assert any("all of it is loaded" in info.value for info in at.sidebar.info)
    assert not any("only layer 0" in info.value for info in at.sidebar.info)
    assert any("2 layers" in caption.value for caption in at.sidebar.caption)
    # layer 1 is explorable: pick it, and the pages get that cell and its trace
    at.session_state["lstmx.layer"] = 1
    at.run()
    assert_clean_run(at)
    ctx = at.session_state["lstmx.ctx"]
    assert ctx.layer == 1 and ctx.model.input_size == 6
    np.testing.assert_array_equal(ctx.model.weight_hh, layer1["weight_hh_l1"])
    np.testing.assert_array_equal(ctx.trace.h, ctx.network_trace.output)


def test_moving_the_step_does_not_rerun_the_network(app_at, monkeypatch):
    from lstm_viz import nn as models

    calls = []
    original = models.LSTM.forward

    def counting_forward(self, *args, **kwargs):
        calls.append(self.hidden_size)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(models.LSTM, "forward", counting_forward)
    at = app_at(text="cache me if you can", hidden=11, seed=99)
    first = len(calls)
    for step in (3, 7, 12):
        at.slider(key="w.step").set_value(step).run()
    at.switch_page("pages/theory.py").run()
    assert_clean_run(at)
    assert first >= 1 and len(calls) == first


# ---- Streamlit's legacy pages/ mode (see lstm_viz/ui/context.py) --------------------------------------------------
# AppTest puts Streamlit back into its legacy pages/ mode before every run, just as a fresh server is until its
# first st.navigation call; from the second run on a non-default page, Streamlit hands that page's file to the
# script runner alone. The browser tests check the server's side (a fresh server's first request a deep link).

OTHER_PAGES = registered_pages()[1:]


def _shared_sidebar_shown(at) -> bool:
    return [radio.key for radio in at.sidebar.radio][:1] == ["lstmx.lang"] and len(at.sidebar.text_area) == 1


@pytest.mark.parametrize("page", OTHER_PAGES[:2])
def test_reruns_on_a_non_default_page_keep_the_shared_sidebar(app_at, page):
    at = app_at(page, text="reruns keep the sidebar", hidden=8)
    assert_clean_run(at)
    title = at.title[0].value
    at.run()  # a plain rerun (what a widget change or a browser refresh sends)
    at.radio(key="lstmx.lang").set_value("zh").run()  # a sidebar widget on that page
    assert_clean_run(at)
    assert _shared_sidebar_shown(at)
    assert at.session_state["lstmx.ctx"].page == page and at.session_state["lstmx.ctx"].lang == "zh"
    at.radio(key="lstmx.lang").set_value("en").run()
    assert at.title[0].value == title and at.session_state["lstmx.page"] == page


def test_one_place_in_the_project_works_around_the_legacy_mode():
    mechanism = ("Pages" + "Manager", "uses_pages" + "_directory")  # split so this file does not match itself
    files = [ROOT / "app.py", *[path for folder in ("lstm_viz", "pages", "tests", "benchmarks", "scripts")
                                for path in (ROOT / folder).rglob("*.py")]]
    knowing = sorted(str(path.relative_to(ROOT)) for path in files
                     if any(name in path.read_text(encoding="utf-8") for name in mechanism))
    assert knowing == ["lstm_viz/ui/context.py"]


def test_streamlit_still_runs_a_page_alone_in_its_legacy_mode(app_at, monkeypatch):
    """The premise of context.py's workaround. When this fails, Streamlit no longer runs page files alone: delete
    the workaround (context._legacy_pages_mode and _run_entry_script_instead) and this test."""
    at = app_at(OTHER_PAGES[0])
    assert _shared_sidebar_shown(at)
    monkeypatch.setattr(context, "_legacy_pages_mode", lambda: False)
    at.run()
    assert not _shared_sidebar_shown(at), "Streamlit ran app.py on a rerun of a page: the workaround can go"


def test_a_new_visitor_sees_the_shipped_model_of_the_language():
    """No link parameters at all: the trained network of the interface language, on the example text."""
    names = pretrained.list_pretrained()
    for lang, expected in (("en", "python-code"), ("zh", "tang-poetry")):
        assert expected in names, f"shipped model {expected} missing"
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        if lang != "en":
            at.query_params["lang"] = lang
        at.run()
        assert_clean_run(at)
        ctx = at.session_state["lstmx.ctx"]
        assert ctx.model_settings["source"] == "pretrained"
        assert ctx.model_settings["pretrained"] == expected
        assert ctx.text == urlstate.example_text(lang)
        assert ctx.H == ctx.network.rnn.hidden_size and ctx.trace.h.shape[0] == ctx.T


def test_switching_language_follows_with_example_text_and_shipped_model(app_at):
    assert {"python-code", "tang-poetry"} <= set(pretrained.list_pretrained())
    at = app_at(src="pretrained")
    assert at.session_state["lstmx.pretrained"] == "python-code"
    at.radio(key="lstmx.lang").set_value("zh").run()
    assert_clean_run(at)
    assert at.session_state["lstmx.pretrained"] == "tang-poetry"
    assert at.session_state["lstmx.text"] == urlstate.example_text("zh")
