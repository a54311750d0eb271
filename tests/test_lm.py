"""CharLM: gradients (finite differences), agreement with lstm_viz.LSTM, prediction, sampling, .npz round trip."""

import io

import numpy as np
import pytest

from conftest import central_difference
from lstm_viz.nn.charlm import UNK, CharLM, CharLMConfig, batchify, evaluate_bits_per_char


def tiny(seed=1, dtype=np.float64):
    return CharLM(list("abcde"), CharLMConfig(embed_size=3, hidden_size=4, seed=seed), dtype=dtype,
                  name="tiny", example_text="abcab")


def test_vocab_has_unk_first_and_unknown_chars_map_to_it():
    m = tiny()
    assert m.vocab[0] == UNK and m.vocab_size == 6
    ids = m.encode_ids("azé")
    assert ids.tolist() == [m.char_to_id["a"], m.unk_id, m.unk_id]
    assert m.unknown_chars("azéz") == ["z", "é"]


def test_duplicate_vocab_rejected():
    with pytest.raises(ValueError):
        CharLM(["a", "a"])


def test_finite_difference_gradients_all_parameters():
    m = tiny()
    rng = np.random.default_rng(0)
    chunk = rng.integers(0, m.vocab_size, (7, 2))  # (T+1, B)
    h0 = rng.normal(size=(2, 4)) * 0.3
    c0 = rng.normal(size=(2, 4)) * 0.3
    _, grads, _ = m.loss_and_grads(chunk, h0, c0)
    for name, array in m.params.items():
        numeric = central_difference(lambda: m.loss_and_grads(chunk, h0, c0)[0], array)
        np.testing.assert_allclose(grads[name], numeric, atol=1e-8, err_msg=name)


def test_state_is_carried_between_chunks():
    """Two chunks with the carried state give the same hidden states as one long pass."""
    m = tiny()
    ids = np.random.default_rng(2).integers(0, m.vocab_size, 11)
    _, (_, full, _) = m.net.forward(ids[:, None])
    _, (_, first, _) = m.net.forward(ids[:5, None])
    _, (_, second, _) = m.net.forward(ids[5:, None], first.h[-1], first.c[-1])
    np.testing.assert_allclose(np.concatenate([first.h, second.h]), full.h, atol=1e-12)
    # loss_and_grads hands back the same final state for the next chunk of truncated BPTT
    _, _, (h_last, c_last) = m.loss_and_grads(np.append(ids, 0)[:, None])
    np.testing.assert_allclose(h_last, full.h[-1], atol=1e-12)
    np.testing.assert_allclose(c_last, full.c[-1], atol=1e-12)


def test_rnn_is_the_networks_lstm_in_float64():
    m = tiny()
    x, tokens = m.encode_text("abzcd")
    assert x.shape == (5, 3) and tokens == list("abzcd")
    tr = m.rnn.forward(x)
    h, c = m.hidden_states("abzcd")
    np.testing.assert_allclose(tr.h, h, atol=1e-12)
    np.testing.assert_allclose(tr.c, c, atol=1e-12)
    assert m.rnn.hidden_size == 4 and m.rnn.input_size == 3


def test_encode_text_rejects_empty():
    with pytest.raises(ValueError, match="empty"):
        tiny().encode_text("")


def test_predict_is_a_distribution_and_top_k_sorted():
    m = tiny()
    probs = m.predict("abcab")
    assert probs.shape == (5, m.vocab_size)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    chars, p = m.top_k("abcab", k=3)
    assert len(chars) == 5 and all(len(row) == 3 for row in chars)
    assert np.all(np.diff(p, axis=1) <= 0)
    assert chars[0][0] == m.vocab[int(np.argmax(probs[0]))]


def test_bits_per_char_matches_probs():
    m = tiny()
    text = "abcdea"
    probs = m.predict(text)
    ids = m.encode_ids(text)
    expected = -np.mean(np.log2(probs[np.arange(5), ids[1:]]))
    assert m.bits_per_char(text) == pytest.approx(expected)


def test_loss_matches_evaluate_bits_per_char():
    m = tiny()
    ids = np.random.default_rng(3).integers(0, m.vocab_size, 41)
    streams = batchify(ids, 2)  # (20, 2)
    loss, _, _ = m.loss_and_grads(streams)
    assert evaluate_bits_per_char(m, streams, seq_len=100) == pytest.approx(loss / np.log(2))


def test_sampling_deterministic_and_never_unk():
    m = tiny()
    a = m.sample(30, prime="ab", temperature=1.0, seed=5)
    b = m.sample(30, prime="ab", temperature=1.0, seed=5)
    assert a == b and len(a) == 30 and UNK not in a
    assert set(a) <= set("abcde")
    with pytest.raises(ValueError):
        m.sample(3, temperature=0)


def test_low_temperature_is_greedy():
    m = tiny()
    out = m.sample(1, prime="abc", temperature=1e-4, seed=0)
    assert out == m.top_k("abc", k=1)[0][-1][0]


def test_training_reduces_loss_on_a_pattern():
    m = CharLM(list("ab"), CharLMConfig(embed_size=4, hidden_size=8, seed=0), dtype=np.float64)
    ids = m.encode_ids("ab" * 40)
    chunk = ids[:, None]
    first = m.loss_and_grads(chunk)[0]
    for _ in range(60):
        _, grads, _ = m.loss_and_grads(chunk)
        for n, g in grads.items():
            m.params[n] -= 0.5 * g
    m.weights_changed()
    assert m.loss_and_grads(chunk)[0] < 0.3 * first


def test_save_load_round_trip_float32_without_pickle(tmp_path):
    m = tiny(dtype=np.float32)
    m.info = {"valid_bpc": 1.5}
    path = tmp_path / "m.npz"
    m.save(path)
    with np.load(path, allow_pickle=False) as data:
        assert data["vocab"].dtype.kind == "U"
        assert data["weight_hh_l0"].dtype == np.float32
    back = CharLM.load(path)
    assert back.vocab == m.vocab and back.name == "tiny" and back.example_text == "abcab"
    assert back.info == {"valid_bpc": 1.5} and back.config == m.config
    for n in m.params:
        np.testing.assert_array_equal(back.params[n], m.params[n])


def test_load_rejects_bad_files(tmp_path):
    buf = io.BytesIO()
    np.savez(buf, vocab=np.array(["a"]))
    buf.seek(0)
    with pytest.raises(ValueError, match="missing"):
        CharLM.load(buf)


def test_backward_matches_torch():
    torch = pytest.importorskip("torch")
    m = tiny(seed=4)
    ids = np.random.default_rng(1).integers(0, m.vocab_size, (9, 3))
    loss, grads, _ = m.loss_and_grads(ids)
    emb = torch.tensor(m.params["embedding"], requires_grad=True)
    lstm = torch.nn.LSTM(3, 4).double()
    with torch.no_grad():
        for n in ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"):
            getattr(lstm, n).copy_(torch.tensor(m.params[n]))
    head = torch.nn.Linear(4, m.vocab_size).double()
    with torch.no_grad():
        head.weight.copy_(torch.tensor(m.params["w_out"]))
        head.bias.copy_(torch.tensor(m.params["b_out"]))
    inp = torch.tensor(ids[:-1])
    out, _ = lstm(emb[inp])
    logits = head(out)
    t_loss = torch.nn.functional.cross_entropy(logits.reshape(-1, m.vocab_size), torch.tensor(ids[1:]).reshape(-1))
    t_loss.backward()
    assert loss == pytest.approx(t_loss.item(), rel=1e-10)
    np.testing.assert_allclose(grads["embedding"], emb.grad.numpy(), atol=1e-10)
    np.testing.assert_allclose(grads["weight_hh_l0"], lstm.weight_hh_l0.grad.numpy(), atol=1e-10)
    np.testing.assert_allclose(grads["w_out"], head.weight.grad.numpy(), atol=1e-10)


def test_generate_temperature_top_k_and_candidates():
    m = tiny(seed=3)
    g = m.generate(30, prime="ab", temperature=0.8, seed=5, top_k=2)
    assert g.text == "ab" + g.generated and len(g.generated) == 30 and UNK not in g.generated
    for chars, probs, produced in zip(g.top_chars, g.top_probs, g.generated):
        assert produced in chars[:2]  # top-k = 2: only the two most likely can be drawn
        assert probs[2:].sum() == pytest.approx(0.0) and probs[:2].sum() == pytest.approx(1.0)
    assert g.generated == m.generate(30, prime="ab", temperature=0.8, seed=5, top_k=2).generated  # seeded
    greedy = m.generate(10, prime="ab", temperature=1e-3, seed=0)
    assert all(probs[0] > 0.99 for probs in greedy.top_probs)
    with pytest.raises(ValueError):
        m.generate(5, temperature=0)
    with pytest.raises(ValueError):
        m.generate(5, top_k=0)
