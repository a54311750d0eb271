"""Tests for lstm_viz.data.tasks: generator statistics, seeding, text forms, the TrainedNetwork wrapper."""

import numpy as np
import pytest

from lstm_viz.data.tasks import AddingProblem, BracketsTask, FirstSymbolTask, TaskNetwork, make_task
from lstm_viz.nn.training import model_for_task


def test_adding_problem_batch_shapes_markers_and_targets():
    task = AddingProblem(length=20)
    batch = task.batch(500, np.random.default_rng(0))
    assert batch.x.shape == (20, 500, 2) and batch.y.shape == (500, 1)
    values, markers = batch.x[..., 0], batch.x[..., 1]
    assert values.min() >= 0.0 and values.max() < 1.0
    assert set(np.unique(markers)) == {0.0, 1.0}
    np.testing.assert_array_equal(markers.sum(axis=0), 2.0)  # exactly two marks per sequence
    np.testing.assert_array_equal(markers[:10].sum(axis=0), 1.0)  # one in each half
    np.testing.assert_allclose(batch.y[:, 0], (values * markers).sum(axis=0))


def test_adding_problem_statistics_match_the_baseline():
    task = AddingProblem(length=50)
    batch = task.batch(20000, np.random.default_rng(1))
    # target = u_a + u_b, u ~ U[0, 1]: mean 1, variance 2/12; predicting 1.0 gives MSE ≈ 0.167
    assert batch.y.mean() == pytest.approx(1.0, abs=0.01)
    baseline = np.mean((batch.y - 1.0) ** 2)
    assert baseline == pytest.approx(1 / 6, abs=0.005)
    assert task.baseline_mse == pytest.approx(0.1667, abs=1e-4)
    # marker positions spread over both halves
    first = np.argmax(batch.x[:25, :, 1], axis=0)
    second = 25 + np.argmax(batch.x[25:, :, 1], axis=0)
    assert first.min() == 0 and first.max() == 24 and second.min() == 25 and second.max() == 49


def test_batches_are_seeded():
    for task in (AddingProblem(10), FirstSymbolTask(10), BracketsTask(10)):
        a = task.batch(8, np.random.default_rng(5))
        b = task.batch(8, np.random.default_rng(5))
        c = task.batch(8, np.random.default_rng(6))
        np.testing.assert_array_equal(a.x, b.x)
        np.testing.assert_array_equal(a.y, b.y)
        assert not np.array_equal(a.x, c.x)


def test_adding_problem_text_round_trip_and_errors():
    task = AddingProblem(length=6)
    x, tokens = task.parse_text("0.42 0.17* 0.80\n0.05*,1")
    assert tokens == ["0.42", "0.17*", "0.80", "0.05*", "1"]
    np.testing.assert_allclose(x, [[0.42, 0], [0.17, 1], [0.80, 0], [0.05, 1], [1.0, 0]])
    assert task.target_of(x) == pytest.approx(0.22)
    assert task.to_text(x) == "0.42 0.17* 0.80 0.05* 1.00"
    for bad in ("", "   ", "0.1 abc", "nan 0.2", "<script>", "1e308*", "-0.5", "inf"):
        with pytest.raises(ValueError):
            task.parse_text(bad)
    with pytest.raises(ValueError):
        AddingProblem(length=1)


def test_first_symbol_task():
    task = FirstSymbolTask(length=12)
    batch = task.batch(4000, np.random.default_rng(2))
    assert batch.x.shape == (12, 4000) and batch.x.dtype == np.int64
    np.testing.assert_array_equal(batch.x[0], batch.y)
    assert set(np.unique(batch.y)) == {0, 1, 2, 3}
    assert batch.x[1:].min() >= 4 and batch.x[1:].max() <= 11
    assert np.bincount(batch.y).min() > 900  # balanced classes (chance 25 %)
    ids, tokens = task.parse_text("Cabh")
    assert tokens == ["C", "a", "b", "h"] and task.target_of(ids) == 2
    assert task.to_text(ids) == "Cabh"
    with pytest.raises(ValueError, match="not in this task's alphabet"):
        task.parse_text("Cxyz")
    with pytest.raises(ValueError):
        task.parse_text("")


def test_brackets_task_labels_are_right_and_balanced():
    task = BracketsTask(length=16)
    batch = task.batch(2000, np.random.default_rng(3))
    assert batch.x.shape == (16, 2000)
    labels = [task.is_balanced(batch.x[:, b]) for b in range(2000)]
    np.testing.assert_array_equal(np.array(labels, dtype=np.int64), batch.y)
    assert 0.45 < batch.y.mean() < 0.55
    # near misses keep the same length; half of them keep equal counts (only the prefix rule breaks)
    negatives = batch.x[:, batch.y == 0]
    equal_counts = (negatives == 0).sum(axis=0) == 8
    assert 0.3 < equal_counts.mean() < 0.7
    assert task.is_balanced(task.encode("(()())")) and not task.is_balanced(task.encode("())(()"))
    with pytest.raises(ValueError):
        BracketsTask(length=7)


def test_make_task():
    assert isinstance(make_task("adding", 30), AddingProblem)
    assert make_task("brackets", 10).length == 10
    with pytest.raises(ValueError):
        make_task("copy", 10)


@pytest.mark.parametrize("name,kind", [("adding", "lstm"), ("first_symbol", "gru"), ("brackets", "rnn")])
def test_task_network_follows_the_trained_network_protocol(name, kind):
    task = make_task(name, 10)
    model = model_for_task(task, kind, 6, seed=0)
    example = task.to_text(task.batch(1, np.random.default_rng(0)).x[:, 0])
    network = TaskNetwork(name=f"{kind} {name}", model=model, task=task, example_text=example)
    assert network.rnn is model.rnn and network.rnn.kind == kind
    x, tokens = network.encode_text(network.example_text)
    assert x.shape == (10, network.rnn.input_size) and len(tokens) == 10
    trace = network.rnn.forward(x)
    assert trace.h.shape == (10, 6)
    out = network.answer(network.example_text)
    assert out.shape == (task.output_size,)
    if task.kind == "classification":
        assert out.sum() == pytest.approx(1.0)
    with pytest.raises(ValueError):
        network.encode_text("?!")
