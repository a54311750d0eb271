"""AppTest runs of the Train page (tiny step counts; the page itself bounds real runs)."""

import pytest

from conftest import assert_clean_run

TIMEOUT = 60


def start_training(at, *, task="adding", length=8, kinds=("lstm", "rnn"), steps=3):
    at.selectbox(key="train.task").set_value(task)
    at.slider(key="train.length").set_value(length)
    at.multiselect(key="train.kinds").set_value(list(kinds))
    at.number_input(key="train.steps").set_value(steps)
    submit = next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:train.form"))
    submit.click().run(timeout=TIMEOUT)
    return at


def test_train_page_renders_settings_and_expected_time(app_at):
    at = app_at("train")
    assert_clean_run(at)
    assert at.title[0].value.startswith("Train")
    assert any("Expected time" in info.value for info in at.info)
    assert "trained_network" not in at.session_state


def test_training_stores_a_trained_network_for_the_other_pages(app_at):
    at = start_training(app_at("train"))
    assert_clean_run(at)
    network = at.session_state["trained_network"]
    assert network.name.startswith("LSTM")
    x, tokens = network.encode_text(network.example_text)
    assert x.shape == (8, 2) and len(tokens) == 8
    assert network.rnn.kind == "lstm"
    results = at.session_state["train.results"]
    assert set(results["runs"]) == {"LSTM", "RNN"}
    assert all(run["steps"] == 3 for run in results["runs"].values())
    assert len(at.get("plotly_chart")) == 1
    # the sidebar now offers the trained network as a model source
    assert "network from the Train page" in at.radio(key="lstmx.src").options
    # pick the RNN instead
    at.radio(key="train.use").set_value("RNN").run(timeout=TIMEOUT)
    assert at.session_state["trained_network"].rnn.kind == "rnn"


def test_show_on_other_pages_switches_the_sidebar_to_the_trained_network(app_at):
    at = start_training(app_at("train"), task="first_symbol", length=6, kinds=("gru",))
    assert_clean_run(at)
    button = next(b for b in at.button if b.label.startswith("Show it"))
    button.click().run(timeout=TIMEOUT)
    assert at.session_state["lstmx.src"] == "trained"
    network = at.session_state["trained_network"]
    assert at.session_state["lstmx.text"] == network.example_text
    ctx = at.session_state["lstmx.ctx"]
    assert ctx.error is None
    assert ctx.model is network.rnn
    assert ctx.T == 6 and ctx.x.shape == (6, network.model.embed_size)


def test_try_it_rejects_bad_input_with_a_message(app_at):
    at = start_training(app_at("train"), task="brackets", length=4, kinds=("lstm",), steps=2)
    key = next(w.key for w in at.text_input if w.key and w.key.startswith("train.try"))
    at.text_input(key=key).set_value("(<b>x</b>)").run(timeout=TIMEOUT)
    assert_clean_run(at)
    assert any("not in this task" in w.value for w in at.warning)
    at.text_input(key=key).set_value("(())").run(timeout=TIMEOUT)
    assert any("Prediction" in m.value for m in at.markdown)


def test_train_page_in_chinese(app_at):
    at = start_training(app_at("train", lang="zh"), kinds=("rnn",), steps=2)
    assert_clean_run(at)
    assert at.title[0].value.startswith("训练")
    assert at.session_state["trained_network"].rnn.kind == "rnn"


def test_training_curves_figure_is_light_and_side_by_side():
    import numpy as np

    from lstm_viz.analysis.curves import smooth
    from lstm_viz.figures._style import thin_indices
    from lstm_viz.figures.train import training_curves_figure

    losses = {"RNN": np.linspace(1, 0.5, 3000), "LSTM": np.geomspace(1, 1e-3, 3000)}
    metrics = {"RNN": np.zeros(3000), "LSTM": np.ones(3000)}
    fig = training_curves_figure(losses, metrics, baseline=0.167, chance=0.25)
    assert len(fig.data) == 4
    assert {trace.xaxis for trace in fig.data} == {"x", "x2"}
    for trace in fig.data:
        assert len(trace.x) <= 600 and trace.x[-1] == 3000
    assert fig.layout.yaxis.type == "log"
    np.testing.assert_allclose(smooth(np.full(5, 2.0)), 2.0)  # bias-corrected EMA of a constant
    assert len(thin_indices(10, max_points=20)) == 10
    np.testing.assert_allclose(fig.data[0].y[-1], smooth(losses["RNN"])[-1], rtol=1e-6)  # the smoothed last step


def test_an_interrupted_run_keeps_its_curve(app_at):
    import numpy as np

    from lstm_viz.data.tasks import TaskNetwork, make_task
    from lstm_viz.nn.training import model_for_task

    task = make_task("adding", 6)
    networks, runs = {}, {}
    for label, kind, steps in (("LSTM", "lstm", 5), ("GRU", "gru", 0)):
        model = model_for_task(task, kind, 4)
        networks[label] = TaskNetwork(f"{label} test", model, task, "0.1 0.2* 0.3 0.4* 0.5 0.6")
        runs[label] = {"losses": list(np.linspace(0.3, 0.2, steps)), "metrics": [0.0] * steps,
                       "test_loss": float("nan"), "test_metric": float("nan"), "steps": 0, "seconds": 0.0,
                       "stopped": "interrupted", "params": model.num_parameters()}
    settings = {"task": "adding", "length": 6, "kinds": ["lstm", "gru"], "hidden": 4, "steps": 10, "lr": 0.01,
                "clip": True, "forget_bias": 1.0, "seed": 0}
    at = app_at("train", run=False)
    at.session_state["train.results"] = {"settings": settings, "runs": runs, "networks": networks, "seconds": 0.0}
    at.run(timeout=TIMEOUT)
    assert_clean_run(at)
    assert any("interrupted after 5 steps" in w.value for w in at.warning)
    assert at.radio(key="train.use").options == ["LSTM"]  # the GRU never took a step
    assert at.session_state["trained_network"] is networks["LSTM"]


def test_the_curves_are_redrawn_while_training(monkeypatch):
    """run_training calls the page's redraw with the curves so far, growing, before each model finishes."""
    from lstm_viz.ui import train_runs

    monkeypatch.setattr(train_runs, "REDRAW_SECONDS", 0.0)   # every log callback redraws
    seen = []
    settings = {"task": "adding", "length": 6, "kinds": ["rnn", "gru"], "hidden": 4, "steps": 20, "lr": 0.01,
                "clip": True, "forget_bias": 1.0, "seed": 0}
    results = train_runs.run_training(settings, lambda key, **fmt: key,
                                      redraw=lambda runs: seen.append({k: len(r["losses"]) for k, r in runs.items()}))
    rnn_lengths = [drawn["RNN"] for drawn in seen if "GRU" not in drawn]
    assert len(rnn_lengths) >= 5 and rnn_lengths == sorted(rnn_lengths) and rnn_lengths[0] < 20
    assert seen[-1] == {"RNN": 20, "GRU": 20}                 # the last drawing has both finished curves
    assert set(results["runs"]) == {"RNN", "GRU"} and all(isinstance(r["learned"], bool) for r in results["runs"].values())


def test_learned_compares_the_test_numbers_with_the_baseline_or_chance():
    from lstm_viz.data.tasks import make_task
    from lstm_viz.ui.train_runs import learned, learned_threshold

    adding, first = make_task("adding", 10), make_task("first_symbol", 10)
    assert learned_threshold(adding) == pytest.approx(adding.baseline_mse / 2)
    assert learned(adding, 0.2 * adding.baseline_mse, 0.0) and not learned(adding, 0.9 * adding.baseline_mse, 1.0)
    assert not learned(adding, float("nan"), float("nan"))
    assert learned_threshold(first) == pytest.approx(0.25 + 0.5 * 0.75)
    assert learned(first, 9.0, 0.9) and not learned(first, 0.0, 0.3)


def test_a_network_that_did_not_learn_is_flagged_and_not_offered_first(app_at):
    """A too-short run: the page says which model did not beat the baseline, tags it, and offers the one that did."""
    import numpy as np

    from lstm_viz.data.tasks import TaskNetwork, make_task
    from lstm_viz.nn.training import TrainConfig, evaluate, model_for_task, train
    from lstm_viz.ui.train_runs import learned

    task = make_task("adding", 6)
    networks, runs = {}, {}
    for label, kind, steps in (("LSTM", "lstm", 2), ("GRU", "gru", 300)):
        model = model_for_task(task, kind, 8)
        result = train(model, task, TrainConfig(steps=steps, lr=0.03))
        loss, metric = evaluate(model, task)
        networks[label] = TaskNetwork(f"{label} test", model, task, "0.1 0.2* 0.3 0.4* 0.5 0.6")
        runs[label] = {"losses": list(result.losses), "metrics": list(result.metrics), "test_loss": loss,
                       "test_metric": metric, "steps": steps, "seconds": 0.1, "stopped": None,
                       "params": model.num_parameters(), "learned": learned(task, loss, metric)}
    assert not runs["LSTM"]["learned"] and runs["GRU"]["learned"]   # 2 steps are not enough, 300 are
    settings = {"task": "adding", "length": 6, "kinds": ["lstm", "gru"], "hidden": 8, "steps": 300, "lr": 0.03,
                "clip": True, "forget_bias": 1.0, "seed": 0}
    at = app_at("train", run=False)
    at.session_state["train.results"] = {"settings": settings, "runs": runs, "networks": networks, "seconds": 0.0}
    at.run(timeout=TIMEOUT)
    assert_clean_run(at)
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("LSTM did not learn the task in 2 steps") and "0.167" in w for w in warnings)
    assert not any(w.startswith("GRU did not learn") for w in warnings)
    assert at.session_state["trained_network"] is networks["GRU"]      # the one that learned is offered
    radio = at.radio(key="train.use")
    assert radio.value == "GRU" and radio.options == ["LSTM (did not learn)", "GRU"]
    radio.set_value("LSTM").run(timeout=TIMEOUT)
    assert at.session_state["trained_network"] is networks["LSTM"]
    assert any("did not learn its task" in w.value for w in at.warning)   # offered, with the warning
    np.testing.assert_array_equal(at.dataframe[0].value["learned?"], ["no (see the note above)", "yes"])


def test_a_run_draws_its_curves_and_flags_a_failed_model_in_chinese(app_at):
    at = start_training(app_at("train", lang="zh"), kinds=("lstm",), steps=2)
    assert_clean_run(at)
    assert any(w.value.startswith("LSTM 在 2 步内没有学会该任务") for w in at.warning)
    assert at.radio(key="train.use").options == ["LSTM（未学会）"]
