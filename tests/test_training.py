"""Tests for lstm_viz.nn losses, optim, sequence and training: finite differences and PyTorch oracles."""

import numpy as np
import pytest

from conftest import central_difference
from lstm_viz.nn.losses import binary_cross_entropy, log_softmax, mse_loss, softmax, softmax_cross_entropy
from lstm_viz.nn.optim import Adam, clip_grad_norm, global_norm


# ----------------------------------------------------------------------------- losses


def test_softmax_is_stable_for_huge_logits():
    z = np.array([[1000.0, 1001.0, 999.0], [-1e4, 0.0, 1e4]])
    p = softmax(z)
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=-1), 1.0)
    np.testing.assert_allclose(np.exp(log_softmax(z)), p, atol=1e-15)
    loss, grad = softmax_cross_entropy(z, np.array([2, 0]))
    assert np.isfinite(loss) and np.all(np.isfinite(grad))
    # second row: log p[0] = -2e4
    np.testing.assert_allclose(loss, (-(999.0 - 1001.0 - np.log(np.exp(-1) + 1 + np.exp(-2))) + 2e4) / 2)


def test_cross_entropy_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(3, 4, 5))
    y = rng.integers(0, 5, size=(3, 4))
    mask = (rng.random((3, 4)) > 0.3).astype(float)
    mask[0, 0] = 1.0
    loss, grad = softmax_cross_entropy(z, y, mask)
    num = central_difference(lambda: softmax_cross_entropy(z, y, mask)[0], z)
    np.testing.assert_allclose(grad, num, atol=1e-8)
    assert grad.shape == z.shape


def test_cross_entropy_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    z = rng.normal(size=(7, 6)) * 3
    y = rng.integers(0, 6, size=7)
    loss, grad = softmax_cross_entropy(z, y)
    zt = torch.tensor(z, requires_grad=True)
    lt = torch.nn.functional.cross_entropy(zt, torch.tensor(y))
    lt.backward()
    np.testing.assert_allclose(loss, lt.item(), rtol=1e-12)
    np.testing.assert_allclose(grad, zt.grad.numpy(), atol=1e-14)


def test_cross_entropy_rejects_bad_targets():
    with pytest.raises(ValueError):
        softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError):
        softmax_cross_entropy(np.zeros((2, 3)), np.array([0]))
    with pytest.raises(ValueError):
        softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 1]), mask=np.zeros(2))


def test_mse_gradient_matches_finite_differences():
    rng = np.random.default_rng(2)
    p = rng.normal(size=(4, 3))
    y = rng.normal(size=(4, 3))
    loss, grad = mse_loss(p, y)
    np.testing.assert_allclose(loss, np.mean((p - y) ** 2))
    np.testing.assert_allclose(grad, central_difference(lambda: mse_loss(p, y)[0], p), atol=1e-8)
    with pytest.raises(ValueError):
        mse_loss(p, y[:2])


def test_binary_cross_entropy_gradient_and_extremes():
    rng = np.random.default_rng(3)
    z = rng.normal(size=(5, 1)) * 3
    y = rng.integers(0, 2, size=(5, 1)).astype(float)
    loss, grad = binary_cross_entropy(z, y)
    p = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(loss, -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)), rtol=1e-12)
    np.testing.assert_allclose(grad, central_difference(lambda: binary_cross_entropy(z, y)[0], z), atol=1e-9)
    huge, _ = binary_cross_entropy(np.array([1000.0, -1000.0]), np.array([0.0, 1.0]))
    assert huge == pytest.approx(1000.0)  # finite, exact: softplus form
    with pytest.raises(ValueError):
        binary_cross_entropy(z, y * 2)


def test_binary_cross_entropy_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    z, y = rng.normal(size=(6, 1)), rng.integers(0, 2, size=(6, 1)).astype(float)
    zt = torch.tensor(z, requires_grad=True)
    expected = torch.nn.functional.binary_cross_entropy_with_logits(zt, torch.tensor(y))
    expected.backward()
    loss, grad = binary_cross_entropy(z, y)
    assert loss == pytest.approx(expected.item(), rel=1e-12)
    np.testing.assert_allclose(grad, zt.grad.numpy(), rtol=1e-12)


# ----------------------------------------------------------------------------- clipping


def test_clip_grad_norm_scales_to_max_norm_and_returns_pre_clip_norm():
    grads = {"a": np.array([3.0, 0.0]), "b": np.array([[0.0, 4.0]])}
    norm = clip_grad_norm(grads, 1.0)
    assert norm == pytest.approx(5.0)
    assert global_norm(grads) == pytest.approx(1.0, rel=1e-5)
    np.testing.assert_allclose(grads["a"] / grads["b"][0, 1], [0.75, 0.0])
    small = {"a": np.array([0.1, 0.1])}
    before = small["a"].copy()
    assert clip_grad_norm(small, 1.0) == pytest.approx(np.sqrt(0.02))
    np.testing.assert_array_equal(small["a"], before)
    with pytest.raises(ValueError):
        clip_grad_norm(small, 0.0)


def test_clip_grad_norm_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    grads = {"w": rng.normal(size=(5, 4)) * 10, "b": rng.normal(size=5)}
    params = [torch.zeros(5, 4, dtype=torch.float64, requires_grad=True), torch.zeros(5, dtype=torch.float64, requires_grad=True)]
    params[0].grad = torch.tensor(grads["w"])
    params[1].grad = torch.tensor(grads["b"])
    norm_t = torch.nn.utils.clip_grad_norm_(params, 2.0)
    norm = clip_grad_norm(grads, 2.0)
    assert norm == pytest.approx(norm_t.item())
    np.testing.assert_allclose(grads["w"], params[0].grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(grads["b"], params[1].grad.numpy(), rtol=1e-12)


# ----------------------------------------------------------------------------- Adam


def test_adam_first_step_moves_each_entry_by_lr():
    p = {"w": np.array([1.0, -2.0, 0.5])}
    opt = Adam(p, lr=0.1)
    opt.step({"w": np.array([3.0, -0.01, 0.0])})
    # bias-corrected first step: m̂ = g, v̂ = g², so Δ = -lr · sign(g) (0 where g = 0)
    np.testing.assert_allclose(p["w"], [0.9, -1.9, 0.5], atol=1e-6)


def test_adam_matches_torch_over_several_steps():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    w0 = rng.normal(size=(3, 2))
    params = {"w": w0.copy()}
    opt = Adam(params, lr=0.05, betas=(0.8, 0.99), eps=1e-7)
    wt = torch.tensor(w0, requires_grad=True)
    opt_t = torch.optim.Adam([wt], lr=0.05, betas=(0.8, 0.99), eps=1e-7)
    for _ in range(10):
        g = rng.normal(size=(3, 2))
        opt.step({"w": g})
        wt.grad = torch.tensor(g)
        opt_t.step()
    np.testing.assert_allclose(params["w"], wt.detach().numpy(), rtol=1e-10, atol=1e-12)


def test_adam_minimises_a_quadratic_and_checks_inputs():
    params = {"x": np.array([5.0, -3.0])}
    opt = Adam(params, lr=0.1)
    for _ in range(500):
        opt.step({"x": 2 * params["x"]})
    assert np.all(np.abs(params["x"]) < 1e-2)
    with pytest.raises(ValueError):
        opt.step({"x": np.zeros(3)})
    with pytest.raises(ValueError):
        Adam({"x": np.array([1, 2])})
    with pytest.raises(ValueError):
        Adam({"x": np.zeros(2)}, lr=0.0)


# ----------------------------------------------------------------------------- SequenceModel

from lstm_viz.data.tasks import AddingProblem, FirstSymbolTask  # noqa: E402
from lstm_viz.nn.sequence import SequenceModel  # noqa: E402
from lstm_viz.nn.training import TrainConfig, evaluate, model_for_task, train  # noqa: E402


def check_model_gradients(model, inputs, targets):
    loss, _, grads = model.loss_and_grads(inputs, targets)
    assert set(grads) == set(model.params)
    for name, param in model.params.items():
        numeric = central_difference(lambda: model.loss_and_grads(inputs, targets)[0], param)
        np.testing.assert_allclose(grads[name], numeric, atol=1e-7, rtol=1e-5, err_msg=name)


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
def test_embedding_every_step_classifier_gradients(kind):
    model = SequenceModel(kind, 4, 3, vocab_size=5, embed_size=3, head="every", seed=1)
    rng = np.random.default_rng(0)
    ids = rng.integers(0, 5, size=(4, 2))  # (T, B)
    targets = rng.integers(0, 3, size=(4, 2))  # (T, B)
    check_model_gradients(model, ids, targets)


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
def test_embedding_last_step_binary_classifier_gradients(kind):
    model = SequenceModel(kind, 4, 1, vocab_size=6, embed_size=3, head="last", objective="binary", seed=3)
    rng = np.random.default_rng(5)
    ids = rng.integers(0, 6, size=(5, 3))  # (T, B)
    labels = rng.integers(0, 2, size=(3, 1)).astype(float)  # (B, 1)
    check_model_gradients(model, ids, labels)
    probability = model.predict(ids)  # (B, 1) = σ(logit)
    assert probability.shape == (3, 1) and np.all((probability > 0) & (probability < 1))
    with pytest.raises(ValueError, match="output_size 1"):
        SequenceModel(kind, 4, 2, vocab_size=6, objective="binary")


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
def test_float_input_last_step_regression_gradients(kind):
    model = SequenceModel(kind, 4, 2, input_size=3, head="last", objective="regression", seed=2)
    rng = np.random.default_rng(1)
    x = rng.normal(size=(5, 3, 3))  # (T, B, I)
    y = rng.normal(size=(3, 2))  # (B, O)
    check_model_gradients(model, x, y)


def test_training_updates_the_recurrent_layer_the_pages_see():
    task = AddingProblem(length=4)
    model = model_for_task(task, "lstm", 4, seed=0)
    rnn = model.rnn
    before = rnn.state_dict()
    result = train(model, task, TrainConfig(steps=2, lr=0.1))
    assert result.steps == 2
    assert model.rnn is rnn  # trained in place through the layer's live views
    for name, value in rnn.state_dict().items():
        assert not np.array_equal(value, before[name]), name


def test_sequence_model_checks_arguments():
    with pytest.raises(ValueError):
        SequenceModel("lstm", 4, 2)
    with pytest.raises(ValueError):
        SequenceModel("lstm", 4, 2, input_size=2, vocab_size=3)
    with pytest.raises(ValueError):
        SequenceModel("transformer", 4, 2, input_size=2)
    with pytest.raises(ValueError):
        SequenceModel("lstm", 4, 2, input_size=2, head="middle")
    model = SequenceModel("gru", 4, 2, vocab_size=3)
    with pytest.raises(ValueError):
        model.rnn_inputs(np.array([[0], [3]]))
    with pytest.raises(ValueError):
        model.rnn_inputs(np.zeros((2, 1, 3)))


def test_forget_bias_reaches_the_lstm():
    for forget_bias in (0.0, 1.0):
        model = SequenceModel("lstm", 3, 1, input_size=2, forget_bias=forget_bias)
        b_ih = model.rnn.bias_ih
        np.testing.assert_array_equal(b_ih[3:6], forget_bias)


# ----------------------------------------------------------------------------- train loop


def test_training_is_seeded_and_bit_identical():
    task = FirstSymbolTask(length=5)
    runs = []
    for _ in range(2):
        model = model_for_task(task, "lstm", 8, seed=3)
        runs.append(train(model, task, TrainConfig(steps=5, lr=0.01, seed=7)))
    np.testing.assert_array_equal(runs[0].losses, runs[1].losses)
    np.testing.assert_array_equal(runs[0].grad_norms, runs[1].grad_norms)
    other = train(model_for_task(task, "lstm", 8, seed=3), task, TrainConfig(steps=5, lr=0.01, seed=8))
    assert not np.array_equal(other.losses, runs[0].losses)


def test_callback_reports_progress_and_can_stop():
    task = AddingProblem(length=5)
    seen = []

    def callback(step, loss, metric):
        seen.append((step, loss, metric))
        return step < 4

    result = train(model_for_task(task, "rnn", 4), task, TrainConfig(steps=10, log_every=2), callback=callback)
    assert [s for s, _, _ in seen] == [2, 4]
    assert result.stopped == "callback" and result.steps == 4
    assert all(np.isfinite(loss) and 0.0 <= metric <= 1.0 for _, loss, metric in seen)
    assert seen[-1][1] == result.losses[-1]


def test_divergence_stops_without_touching_the_parameters():
    task = AddingProblem(length=5)
    model = model_for_task(task, "rnn", 4)
    model.w_out[...] = np.inf
    before = model.rnn.state_dict()
    result = train(model, task, TrainConfig(steps=3))
    assert result.stopped == "diverged" and result.steps == 0
    for name, value in model.rnn.state_dict().items():
        np.testing.assert_array_equal(value, before[name])


def test_lstm_learns_a_short_first_symbol_task():
    task = FirstSymbolTask(length=6)
    model = model_for_task(task, "lstm", 16, seed=0)
    first_loss, _ = evaluate(model, task, batch_size=256)
    result = train(model, task, TrainConfig(steps=120, lr=0.02, batch_size=32, seed=0))
    loss, accuracy = evaluate(model, task, batch_size=256)
    assert result.losses[-10:].mean() < 0.5 * result.losses[:10].mean()
    assert loss < 0.5 * first_loss
    assert accuracy > 0.9


def test_training_matches_pytorch_step_for_step():
    """Same initial weights, batches, clipping and Adam: the numpy loop reproduces torch's losses."""
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    task = FirstSymbolTask(length=5)
    embedding = torch.nn.Embedding(12, 6).double()
    lstm = torch.nn.LSTM(6, 8).double()
    head = torch.nn.Linear(8, 4).double()
    model = SequenceModel("lstm", 8, 4, vocab_size=12, embed_size=6, seed=0)
    model.embedding[...] = embedding.weight.detach().numpy()
    model.w_out[...] = head.weight.detach().numpy()
    model.b_out[...] = head.bias.detach().numpy()
    model.rnn.load_state_dict({k: v.detach().numpy() for k, v in lstm.state_dict().items()})
    params = list(embedding.parameters()) + list(lstm.parameters()) + list(head.parameters())
    optimizer = torch.optim.Adam(params, lr=0.01)
    rng = np.random.default_rng(0)
    torch_losses = []
    for _ in range(20):
        batch = task.batch(16, rng)
        h, _ = lstm(embedding(torch.tensor(batch.x)))
        loss = torch.nn.functional.cross_entropy(head(h[-1]), torch.tensor(batch.y))
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 0.5)
        optimizer.step()
        torch_losses.append(loss.item())
    result = train(model, task, TrainConfig(steps=20, batch_size=16, lr=0.01, clip_norm=0.5, seed=0))
    np.testing.assert_allclose(result.losses, torch_losses, rtol=1e-9)
    np.testing.assert_allclose(model.rnn.weight_hh, lstm.weight_hh_l0.detach().numpy(), rtol=1e-7, atol=1e-10)


def test_history_grows_during_training_for_interrupted_callers():
    task = AddingProblem(length=4)
    history = {}
    lengths = []
    result = train(model_for_task(task, "gru", 4), task, TrainConfig(steps=6, log_every=2), history=history,
                   callback=lambda step, loss, metric: lengths.append(len(history["loss"])))
    assert lengths == [2, 4, 6]
    np.testing.assert_array_equal(history["loss"], result.losses)
    assert len(history["metric"]) == len(history["grad_norm"]) == 6
