"""Caches shared by all sessions (a class opening one link): runs, shipped networks, Step page figures."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from lstm_viz.ui import cache, figure_cache


def test_a_small_run_is_one_read_only_object_for_every_session():
    args = ("shared by a class", "chars", 3, 8, 1.0)
    first, second = cache.random_run(*args), cache.random_run(*args)
    assert first is second                                  # no copy per rerun or per session
    trace = first.trace
    for array in (first.x, trace.h, trace.c, trace.f):
        assert not array.flags.writeable
    with pytest.raises(ValueError):
        trace.h[0, 0] = 1.0                                 # a page cannot change another visitor's view
    model = cache.random_model(3, 8, 1.0)
    np.testing.assert_allclose(trace.h, model.forward(first.x).h)


def test_a_big_run_is_a_private_copy_under_the_byte_budget():
    text = "x" * 300
    assert cache.estimated_run_bytes(text, 256, num_layers=4, bidirectional=True) > cache.SHARED_RUN_BYTES
    first = cache.random_run(text, "chars", 0, 256, 1.0, num_layers=4, bidirectional=True)
    second = cache.random_run(text, "chars", 0, 256, 1.0, num_layers=4, bidirectional=True)
    assert first is not second and first.trace.output.flags.writeable
    np.testing.assert_array_equal(first.trace.output, second.trace.output)


def test_a_shipped_network_is_loaded_once_with_its_float64_twin():
    names = cache.pretrained_names()
    if not names:
        pytest.skip("no shipped networks")
    network = cache.load_pretrained(names[0])
    assert cache.load_pretrained(names[0]) is network
    assert network._net64 is not None                      # built once, not lazily by several threads
    assert cache.pretrained_fingerprint(names[0]) == cache.model_fingerprint(network.rnn)


def _ctx(source="random", step_text="a text", lang="en"):
    settings = {"source": source, "seed": 0, "hidden": 8, "tokenization": "chars"}
    return SimpleNamespace(model_settings=settings, text=step_text, layer=0, direction=0, lang=lang)


def test_one_figure_per_view_for_all_sessions():
    builds = []

    def build():
        builds.append(1)
        return object()

    key = figure_cache.view_key(_ctx(), "test.view", 2, 5)
    same = figure_cache.view_key(_ctx(), "test.view", 2, 5)
    assert figure_cache.shared_figure(key, build) is figure_cache.shared_figure(same, build)
    assert len(builds) == 1
    others = [figure_cache.view_key(_ctx(), "test.view", 3, 5),
              figure_cache.view_key(_ctx(lang="zh"), "test.view", 2, 5),
              figure_cache.view_key(_ctx(step_text="another"), "test.view", 2, 5)]
    assert len({key, *others}) == 4                         # step, language, text: each its own figure


def test_views_of_a_session_own_network_are_not_shared():
    for source in ("trained", "upload"):
        assert figure_cache.view_key(_ctx(source=source), "test.view", 0, 0) is None
    built = [figure_cache.shared_figure(None, object) for _ in range(2)]
    assert built[0] is not built[1]
