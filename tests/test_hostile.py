"""Hostile inputs (issue 13): the compute budget of every page, bounded uploads, overflowing networks, and the
weight-format notes agreeing with the code.

The budget tests prove the bounds by counting work (lstm_viz.ui.budget's cost model, checked against the
studies' own loops on small real cases), never by running the slow case; the page tests drive the app with
AppTest and small networks, shrinking the budget where a large network would be needed to reach it.
"""

from __future__ import annotations

import io
import re
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import pytest

from conftest import assert_clean_run, error_texts
from lstm_viz import GRU, LSTM, RNN
from lstm_viz.analysis import gradient_study
from lstm_viz.data import weight_files
from lstm_viz.data.weight_files import WeightFileTooLarge, read_weights, weights_to_bytes
from lstm_viz.ui import budget, cache, i18n

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("step_by_step", "gate_heatmaps", "vanishing_gradients", "theory", "backpropagation")
LONG_TEXT = ("the quick brown fox jumps over the lazy dog. " * 50)[:2000]
TIMEOUT = 60


def npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def zeros_state(kind: str, hidden: int, inputs: int = 16, dtype=np.float16) -> dict[str, np.ndarray]:
    """A layer's arrays without building the layer (cheap even at H = 1024)."""
    rows = budget.GATES[kind] * hidden
    return {"weight_ih_l0": np.zeros((rows, inputs), dtype), "weight_hh_l0": np.zeros((rows, hidden), dtype),
            "kind": np.array(kind)}


# The largest networks a visitor can bring: an upload at every limit of the loader, and the sidebar's largest
# random network (4 layers, bidirectional, H = 256).
def stack_cells(kind: str, inputs: int, hidden: int, layers: int, directions: int) -> list[budget.Cell]:
    return [budget.Cell(kind, inputs if layer == 0 else directions * hidden, hidden)
            for layer in range(layers) for _ in range(directions)]


def worst_networks():
    H = budget.UPLOAD_MAX_HIDDEN
    yield "lstm upload", [budget.Cell("lstm", 16, H)]
    yield "gru upload", [budget.Cell("gru", 16, H)]
    yield "rnn upload", [budget.Cell("rnn", 16, H)]
    yield "wide input", [budget.Cell("lstm", 4096, 128)]
    yield "stacked upload", stack_cells("lstm", 16, 256, 4, 2)
    yield "8-layer upload", stack_cells("rnn", 16, 256, 8, 2)
    yield "random 256", [budget.Cell("lstm", 16, 256)]


def page_estimate(network, page: str) -> tuple[float, int]:
    """(seconds, bytes) of the largest run of ``page`` with ``network``, summed from the budget's own caps: the
    trace of the capped text, then every study the page can show in one run."""
    tokens = budget.token_cap(network, page)
    per_token_s, per_token_bytes = budget.token_work(network, page)
    seconds, nbytes = tokens * per_token_s, 3 * tokens * per_token_bytes      # trace + pickled copy + the page's
    cells = budget.cells_of(network)
    biggest = max(cells, key=lambda c: c.step_macs)
    if page == "vanishing_gradients":
        chain = budget.chain_window_cap(biggest)
        step_s, step_bytes = budget.chain_step_work(biggest)
        seconds += chain * step_s
        nbytes = max(nbytes, min(chain, 64) * step_bytes)
        if len(cells) > 1:
            window = budget.layer_curves_cap(network)
            seconds += window * sum(1e-3 + c.hidden_size * c.step_macs / budget.GEMM_MACS_PER_S for c in cells)
    if page == "backpropagation":   # one section per run: the steps (with the check), connectivity or the surface
        check = budget.gradcheck_window_cap(biggest, 3)
        steps_s = check * sum(9 * c.step_seconds for c in budget.compared(biggest))
        conn_s = budget.connectivity_seconds(biggest, budget.connectivity_cap(biggest))
        sweep = budget.scale_sweep_cap(biggest, 23, 60)
        sweep_s = sweep * 3 * 23 * budget.Cell("lstm", biggest.input_size, biggest.hidden_size).step_seconds
        seconds += max(steps_s, conn_s, sweep_s)
    return seconds, nbytes


# ---- the budget, by counting work ----------------------------------------------------------------------------

@pytest.mark.parametrize("page", PAGES)
def test_no_page_can_exceed_the_budget_with_the_largest_networks(page):
    for name, network in worst_networks():
        seconds, nbytes = page_estimate(network, page)
        assert seconds <= 0.8 * budget.PAGE_SECONDS, (name, page, seconds)   # room for Streamlit and plotly
        assert nbytes <= budget.PAGE_BYTES, (name, page, nbytes)


def test_the_budget_leaves_ordinary_networks_alone():
    """The sidebar's default and mid-size networks read the whole 2,000-token text on every page."""
    for network in (LSTM(16, 32, seed=0), LSTM(16, 128, seed=0), LSTM(16, 64, num_layers=2, seed=0)):
        assert all(budget.token_cap(network, page) == budget.MAX_TOKENS for page in PAGES)
    assert budget.token_cap([budget.Cell("lstm", 16, 256)], "step_by_step") == budget.MAX_TOKENS
    assert budget.chain_window_cap(budget.Cell("lstm", 16, 64)) == budget.MAX_CHAIN_STEPS


def test_token_cap_is_the_largest_text_within_time_and_memory():
    network = [budget.Cell("lstm", 16, 512)]
    for page in PAGES:
        cap = budget.token_cap(network, page)
        seconds, nbytes = budget.token_work(network, page)
        assert cap * seconds <= budget.FORWARD_S and cap * nbytes <= budget.TRACE_BYTES
        assert (cap + 1) * seconds > budget.FORWARD_S or (cap + 1) * nbytes > budget.TRACE_BYTES
    # the page's extra passes make it cheaper to show fewer tokens, never more
    assert budget.token_cap(network, "backpropagation") < budget.token_cap(network, "vanishing_gradients") \
        < budget.token_cap(network, "step_by_step") < budget.MAX_TOKENS


def test_token_work_counts_every_cell_of_a_stack():
    one = LSTM(16, 64, seed=0)
    stack = LSTM(16, 64, num_layers=2, bidirectional=True, seed=0)
    cells = budget.cells_of(stack)
    assert [(c.kind, c.input_size, c.hidden_size) for c in cells] == [("lstm", 16, 64)] * 2 + [("lstm", 128, 64)] * 2
    assert sum(c.step_macs for c in cells) == 2 * 4 * 64 * (16 + 64) + 2 * 4 * 64 * (128 + 64)
    assert budget.token_work(stack)[0] > 4 * budget.token_work(one)[0]


def test_step_macs_count_the_engines_multiply_adds():
    """G·H·(I + H) per step: the sizes of the two products each step of the engine does."""
    for model in (LSTM(5, 7, seed=0), GRU(5, 7, seed=0), RNN(5, 7, seed=0)):
        cell = budget.cells_of(model)[0]
        assert cell.step_macs == model.weight_ih.size + model.weight_hh.size


def test_chain_cap_bounds_time_and_memory_and_refuses_what_cannot_fit():
    for hidden in (32, 128, 256, 300):
        cell = budget.Cell("lstm", 16, hidden)
        cap = budget.chain_window_cap(cell)
        seconds, nbytes = budget.chain_step_work(cell)
        assert cap * seconds <= budget.CHAIN_S and min(cap, 64) * nbytes <= budget.CHAIN_BYTES
        assert cap >= budget.MIN_USEFUL_WINDOW
    assert budget.chain_window_cap(budget.Cell("lstm", 16, budget.UPLOAD_MAX_HIDDEN)) == 0
    fits = budget.largest_chain_hidden(16)
    assert budget.chain_window_cap(budget.Cell("lstm", 16, fits)) > 0
    assert budget.chain_window_cap(budget.Cell("lstm", 16, fits + 1)) == 0


def test_the_gradient_study_differentiates_exactly_the_capped_window():
    """A small real case: the study works on the last ``cap`` steps, so its cost is the cap's (one norm each)."""
    model = LSTM(16, 6, seed=1)
    x = np.random.default_rng(0).normal(size=(40, 16))
    study = gradient_study.compute_study(model, x, 1.0, 12)
    assert study.start == 40 - 12 and study.jacobian_norms.shape == (12,)
    assert study.forget_product.shape == (12, 6)


def test_connectivity_cap_bounds_the_quadratic_work():
    for hidden in (8, 64, 256, 512):
        cell = budget.Cell("lstm", 16, hidden)
        n = budget.connectivity_cap(cell)
        assert 1 <= n <= budget.MAX_CONNECTIVITY_TOKENS
        assert budget.connectivity_seconds(cell, n) <= budget.CONNECTIVITY_S or n == 1
    # quadratic in the tokens: twice the tokens, about four times the work
    cell = budget.Cell("gru", 16, 64)
    ratio = budget.connectivity_seconds(cell, 100) / budget.connectivity_seconds(cell, 50)
    assert 3.9 < ratio < 4.1


def test_gradcheck_and_scale_sweep_caps():
    small, large = budget.Cell("lstm", 16, 32), budget.Cell("lstm", 16, 512)
    assert budget.gradcheck_window_cap(small, 3) == budget.MAX_GRADCHECK_STEPS
    cap = budget.gradcheck_window_cap(large, 3)
    assert cap * sum(9 * c.step_seconds for c in budget.compared(large)) <= budget.GRADCHECK_S
    assert budget.scale_sweep_cap(small, 23, 60) == 60
    tokens = budget.scale_sweep_cap(large, 23, 60)
    assert 1 <= tokens < 60 and tokens * 3 * 23 * large.step_seconds <= budget.SCALE_SWEEP_S


# ---- the budget on the pages ---------------------------------------------------------------------------------

def test_a_page_over_budget_shows_the_first_tokens_and_says_why(app_at, monkeypatch):
    """With the forward budget shrunk, a small network plays the part of a huge one: the page reads the first N
    tokens and says, with the numbers, that the network is too large for this page on the demo server."""
    network = LSTM(16, 8, seed=0)
    per_token, _ = budget.token_work(network, "step_by_step")
    monkeypatch.setattr(budget, "FORWARD_S", 30.5 * per_token)        # room for 30 tokens
    at = app_at("step_by_step", hidden=8, text=LONG_TEXT)
    assert_clean_run(at)
    ctx = at.session_state["lstmx.ctx"]
    assert ctx.T == 30 and ctx.token_budget == 30
    expected = i18n.t("budget.tokens", "en", kept=30, total=2000, kind="LSTM", H=8, cells=1, seconds="10")
    assert expected in [w.value for w in at.warning]
    assert at.slider(key="w.step").max == 29
    at.session_state["lstmx.lang"] = "zh"
    at.run()
    assert any("前 30 个" in w.value and "演示服务器" in w.value for w in at.warning)


def test_backpropagation_page_reads_fewer_tokens_than_the_step_page(app_at, monkeypatch):
    network = LSTM(16, 8, seed=0)
    per_token, _ = budget.token_work(network, "step_by_step")
    monkeypatch.setattr(budget, "FORWARD_S", 100.5 * per_token)
    expected = budget.token_cap(network, "backpropagation")
    assert 1 < expected < 20
    at = app_at("backpropagation", hidden=8, text=LONG_TEXT)
    assert_clean_run(at)
    assert at.session_state["lstmx.ctx"].T == expected


def test_vanishing_gradients_says_when_the_chains_do_not_fit(app_at, monkeypatch):
    monkeypatch.setattr(budget, "CHAIN_S", 1e-9)
    at = app_at("vanishing_gradients", hidden=8, text="a short text")
    assert_clean_run(at)
    infos = " ".join(i.value for i in at.info)
    assert "left out" in infos and "H = 8" in infos
    assert not at.get("plotly_chart")          # nothing half-computed is drawn


def test_vanishing_gradients_window_follows_the_budget(app_at, monkeypatch):
    cell = budget.Cell("lstm", 16, 8)
    step_s, _ = budget.chain_step_work(cell, ("rnn", "lstm", "gru"))
    monkeypatch.setattr(budget, "CHAIN_S", 20.5 * step_s)        # 20 steps of chains
    at = app_at("vanishing_gradients", hidden=8, text=LONG_TEXT[:50])
    assert_clean_run(at)
    expected = i18n.t("grad.capped", "en", shown=20, total=50, hidden=8)
    assert any(expected.split(";")[0].replace("\\", "") in i.value.replace("\\", "") for i in at.info)


# ---- uploads: bounded memory, refused with the numbers -------------------------------------------------------

def test_an_upload_over_the_servers_hidden_size_is_refused_before_decompressing(monkeypatch):
    """H = 1024 (the library's maximum) is refused by the app from the .npy headers alone: nothing is read."""
    state = zeros_state("lstm", 1024)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **state)
    read = []
    monkeypatch.setattr(weight_files, "_read_float_array", lambda *args: read.append(args) or None)
    with pytest.raises(WeightFileTooLarge) as info:
        cache.load_uploaded(buffer.getvalue())
    assert (info.value.what, info.value.value, info.value.limit) == ("hidden", 1024, budget.UPLOAD_MAX_HIDDEN)
    assert read == []


def test_parameter_and_uncompressed_limits():
    state = zeros_state("gru", 40, dtype=np.float32)
    with pytest.raises(WeightFileTooLarge) as info:
        read_weights(npz(**state), max_parameters=1000)
    assert (info.value.what, info.value.value) == ("parameters", 3 * 40 * (16 + 40))
    with pytest.raises(WeightFileTooLarge) as info:
        read_weights(npz(**state), max_uncompressed_bytes=10_000)
    assert info.value.what == "uncompressed" and info.value.value > 10_000
    with pytest.raises(WeightFileTooLarge):   # never above the library's own limit
        read_weights(npz(**zeros_state("rnn", weight_files.MAX_HIDDEN_SIZE + 1, inputs=1)), max_hidden=10**6)
    assert read_weights(npz(**state), max_parameters=3 * 40 * 56).model.hidden_size == 40


def test_an_upload_costs_at_most_about_three_copies_of_its_weights():
    """Decompressed member + float64 conversion + the model: no further copies (measured with tracemalloc)."""
    model = LSTM(16, 128, seed=0)
    data = weights_to_bytes(model)                           # float64, ~0.6 MB
    weights = sum(np.asarray(v).nbytes for v in model.state_dict().values())
    tracemalloc.start()
    try:
        read_weights(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak <= 3.5 * weights, (peak, weights)


def test_the_upload_cache_is_keyed_by_content_and_bounded_in_bytes():
    data = weights_to_bytes(GRU(16, 6, seed=1))
    first, _ = cache.load_uploaded(data)
    again, _ = cache.load_uploaded(bytes(bytearray(data)))    # equal content, another object: a cache hit
    np.testing.assert_array_equal(first.weight_hh, again.weight_hh)
    info = cache._load_uploaded._info          # the st.cache_data settings of the upload cache
    assert (info.max_entries, info.max_size_bytes) == (budget.UPLOAD_CACHE_ENTRIES, budget.UPLOAD_CACHE_BYTES)
    assert budget.UPLOAD_CACHE_BYTES <= budget.PAGE_BYTES / 2


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_sidebar_refuses_a_too_large_upload_with_the_numbers(app_at, lang):
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **zeros_state("lstm", 1024))
    at = app_at("step_by_step", lang=lang, src="upload", text="hello")
    at.file_uploader(key="lstmx.upload").upload("huge.npz", buffer.getvalue()).run(timeout=TIMEOUT)
    assert_clean_run(at)
    expected = i18n.t("budget.upload_hidden", lang, value="1,024", limit=f"{budget.UPLOAD_MAX_HIDDEN:,}")
    assert expected in [i.value for i in at.sidebar.info]
    assert at.session_state["lstmx.ctx"].model_settings["source"] == "random"


# ---- overflowing networks ------------------------------------------------------------------------------------

def relu_rnn_1e300() -> RNN:
    state = {name: np.full_like(value, 1e300) for name, value in RNN(16, 4, seed=0).state_dict().items()}
    return RNN.from_torch(state, nonlinearity="relu")


def test_checked_forward_finds_the_first_overflowing_step_without_warnings():
    x = np.abs(np.random.default_rng(0).normal(size=(6, 16)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")               # a RuntimeWarning would fail here
        with pytest.raises(cache.NonFiniteTrace) as info:
            cache.checked_forward(relu_rnn_1e300(), x)
    assert info.value.step == 0 and "overflow" in str(info.value)   # 1e300·16 inputs·1e300 overflows at once
    big = RNN.from_torch({k: v * 1e-270 for k, v in relu_rnn_1e300().state_dict().items()}, nonlinearity="relu")
    with np.errstate(over="ignore", invalid="ignore"):           # finite, but growing ~1e31 per step
        largest = np.abs(np.asarray(big.forward(x).h)).max(axis=1)
    first = int(np.argmax(largest > cache.MAX_ABS_STATE))
    assert 0 < first < len(x) and np.all(np.isfinite(largest[:first]))
    with pytest.raises(cache.NonFiniteTrace) as info:            # over MAX_ABS_STATE: refused, still finite
        cache.checked_forward(big, x)
    assert info.value.step == first and info.value.largest == largest[first - 1]
    trace = cache.checked_forward(LSTM(16, 4, seed=0), x)         # an ordinary network passes untouched
    np.testing.assert_array_equal(trace.h, LSTM(16, 4, seed=0).forward(x).h)


def test_an_overflowing_stack_is_caught_in_any_cell():
    """Layer 0 is ordinary, layer 1 (a ReLU RNN with 1e300 weights) overflows: the stack's trace is refused."""
    state = RNN(16, 4, num_layers=2, seed=0, nonlinearity="relu").state_dict()
    state = {k: (np.full_like(v, 1e300) if k.endswith("_l1") else v) for k, v in state.items()}
    model = RNN.from_torch(state, nonlinearity="relu")
    x = np.abs(np.random.default_rng(1).normal(size=(5, 16)))
    assert np.all(np.isfinite(np.asarray(model.cell(0, 0).forward(x).h)))
    with pytest.raises(cache.NonFiniteTrace):
        cache.checked_forward(model, x)


@pytest.mark.parametrize("page, factor", [("step_by_step", 1.0), ("backpropagation", 1e-270)])
def test_pages_say_the_network_overflows_instead_of_drawing_nan(app_at, page, factor):
    """1e300 weights overflow at the first step; 1e30 weights grow past MAX_ABS_STATE a few steps in."""
    model = RNN.from_torch({k: v * factor for k, v in relu_rnn_1e300().state_dict().items()}, nonlinearity="relu")
    data = npz(**model.state_dict(), kind=np.array("rnn"), nonlinearity=np.array("relu"))
    at = app_at(page, src="upload", text="overflow")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        at.file_uploader(key="lstmx.upload").upload("huge.npz", data).run(timeout=TIMEOUT)
    assert_clean_run(at)
    ctx = at.session_state["lstmx.ctx"]
    if factor == 1.0:
        expected = {lang: i18n.t("budget.nonfinite_start", lang) for lang in ("en", "zh")}
    else:
        with pytest.raises(cache.NonFiniteTrace) as info:
            cache.checked_forward(model, cache.embed(cache.tokenize("overflow", "chars"), 16))
        assert info.value.step > 0
        expected = {lang: i18n.t("budget.nonfinite", lang, step=info.value.step, largest=f"{info.value.largest:.3g}")
                    for lang in ("en", "zh")}
    assert ctx.trace is None and expected["en"] in error_texts(at), error_texts(at)
    assert not at.get("plotly_chart")
    at.session_state["lstmx.lang"] = "zh"
    at.run(timeout=TIMEOUT)
    assert expected["zh"] in error_texts(at)


# ---- the weight-format notes agree with the code -------------------------------------------------------------

def test_weight_format_doc_states_the_limits_the_code_enforces():
    doc = (ROOT / "docs" / "weights-format.md").read_text(encoding="utf-8")
    rows = {m.group(1).strip(): (m.group(2).strip(), m.group(3).strip())
            for m in re.finditer(r"^\| ([^|]+?) \| ([^|]+?) \| ([^|]+?) \|$", doc, re.M)}
    mb = lambda n: f"{n / 2**20:g} MB"  # noqa: E731
    assert rows["file size"] == (mb(weight_files.MAX_FILE_BYTES), mb(weight_files.MAX_FILE_BYTES))
    assert rows["unpacked size of all arrays"] == (mb(weight_files.MAX_UNCOMPRESSED_BYTES),
                                                   f"{budget.UPLOAD_MAX_UNCOMPRESSED_BYTES / 2**20:.1f} MB")
    assert rows["hidden size `H`"] == (str(weight_files.MAX_HIDDEN_SIZE), str(budget.UPLOAD_MAX_HIDDEN))
    assert rows["parameters (all layers and directions)"] == (f"{weight_files.MAX_PARAMETERS:,}",
                                                             f"{budget.UPLOAD_MAX_PARAMETERS:,}")
    assert rows["input size `I`"] == (str(weight_files.MAX_INPUT_SIZE), str(weight_files.MAX_INPUT_SIZE))
    assert "float16, float32 or float64" in doc and "`longdouble`" in doc and "3.0" in doc
    assert "LSTM or GRU file that says `\"relu\"` is refused" in doc


def test_relu_on_a_gru_or_lstm_file_is_refused_and_on_an_rnn_kept():
    for kind, layer in (("gru", GRU(16, 4, seed=0)), ("lstm", LSTM(16, 4, seed=0))):
        with pytest.raises(weight_files.WeightFileError, match="relu"):
            read_weights(npz(**layer.state_dict(), kind=np.array(kind), nonlinearity=np.array("relu")))
    model = read_weights(npz(**RNN(16, 4, seed=0).state_dict(), nonlinearity=np.array("relu"))).model
    assert model.nonlinearity == "relu"


def test_longdouble_is_refused_and_half_precision_read():
    state = {k: np.asarray(v) for k, v in LSTM(16, 4, seed=0).state_dict().items()}
    if np.dtype(np.longdouble).itemsize > 8:
        with pytest.raises(weight_files.WeightFileError, match="float16, float32 or float64"):
            read_weights(npz(**{k: v.astype(np.longdouble) for k, v in state.items()}))
    half = read_weights(npz(**{k: v.astype(np.float16) for k, v in state.items()})).model
    assert half.weight_hh.dtype == np.float64
    np.testing.assert_array_equal(half.weight_hh, state["weight_hh_l0"].astype(np.float16).astype(np.float64))
