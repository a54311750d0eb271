"""Weight files: round trips, PyTorch state dicts, and every kind of bad file -> WeightFileError."""

import io
import re
import zipfile

import numpy as np
import pytest

from lstm_viz import GRU, LSTM, RNN
from lstm_viz.data import weight_files as interop
from lstm_viz.data.weight_files import WeightFileError, load_weights, read_weights, save_weights, weights_to_bytes

INPUT, HIDDEN, STEPS = 5, 7, 6


def _models():
    return [
        LSTM(INPUT, HIDDEN, seed=1),
        GRU(INPUT, HIDDEN, seed=2),
        RNN(INPUT, HIDDEN, seed=3),
        RNN(INPUT, HIDDEN, seed=4, nonlinearity="relu"),
    ]


def _npz_bytes(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _state(kind="lstm", hidden=HIDDEN, inputs=INPUT, seed=0, dtype=np.float64) -> dict[str, np.ndarray]:
    blocks = interop.GATE_BLOCKS[kind]
    rng = np.random.default_rng(seed)
    return {
        "weight_ih_l0": rng.normal(size=(blocks * hidden, inputs)).astype(dtype),
        "weight_hh_l0": rng.normal(size=(blocks * hidden, hidden)).astype(dtype),
        "bias_ih_l0": rng.normal(size=blocks * hidden).astype(dtype),
        "bias_hh_l0": rng.normal(size=blocks * hidden).astype(dtype),
    }


def _inputs(seed=0):
    return np.random.default_rng(seed).normal(size=(STEPS, INPUT))


def _assert_same_model(a, b):
    assert a.kind == b.kind
    for key, value in a.state_dict().items():
        np.testing.assert_array_equal(value, b.state_dict()[key])
    x = _inputs()
    np.testing.assert_allclose(a.forward(x).h, b.forward(x).h, rtol=0, atol=1e-12)


def _raises(source, *fragments):
    with pytest.raises(WeightFileError) as info:
        load_weights(source)
    message = str(info.value)
    for fragment in fragments:
        assert fragment.lower() in message.lower(), message
    assert "Traceback" not in message and not re.search(r"(^|\s)/\w+/", message)  # no paths
    return message


# ----------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("model", _models(), ids=lambda m: f"{m.kind}-{getattr(m, 'nonlinearity', '')}")
def test_round_trip_through_bytes_path_and_file_object(model, tmp_path):
    data = weights_to_bytes(model)
    _assert_same_model(model, load_weights(data))

    path = tmp_path / "weights.npz"
    save_weights(model, path)
    _assert_same_model(model, load_weights(path))
    _assert_same_model(model, load_weights(str(path)))

    with open(path, "rb") as handle:
        _assert_same_model(model, load_weights(handle))
    _assert_same_model(model, load_weights(io.BytesIO(data)))  # like an upload widget's file
    _assert_same_model(model, load_weights(memoryview(data)))


def test_round_trip_keeps_kind_and_nonlinearity_without_notes():
    loaded = read_weights(weights_to_bytes(RNN(INPUT, HIDDEN, seed=0, nonlinearity="relu")))
    assert loaded.kind == "rnn" and not loaded.kind_inferred
    assert loaded.model.nonlinearity == "relu"
    assert loaded.notes == []


def test_float32_file_loads_as_float64_and_dtype_is_selectable():
    state = _state("gru", dtype=np.float32)
    model = load_weights(_npz_bytes(**state))
    assert model.kind == "gru" and model.dtype == np.float64
    model32 = load_weights(_npz_bytes(**state), dtype=np.float32)
    assert model32.dtype == np.float32
    np.testing.assert_array_equal(model.weight_hh, state["weight_hh_l0"].astype(np.float64))


def test_upload_widget_style_object_is_read_from_the_start():
    handle = io.BytesIO(weights_to_bytes(LSTM(INPUT, HIDDEN, seed=0)))
    handle.read(10)  # a widget may hand over a file whose position moved
    assert load_weights(handle).kind == "lstm"


# ----------------------------------------------------------------------------- kind inference


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
def test_kind_is_inferred_from_the_recurrent_matrix(kind):
    loaded = read_weights(_npz_bytes(**_state(kind)))
    assert loaded.kind == kind and loaded.kind_inferred
    assert any("No 'kind' entry" in note for note in loaded.notes)


def test_gru_lstm_ambiguity_is_resolved_by_weight_hh_not_weight_ih():
    # weight_ih has 12 rows in both files: an LSTM with H=3 or a GRU with H=4.
    lstm = _state("lstm", hidden=3, inputs=2)
    gru = _state("gru", hidden=4, inputs=2)
    assert lstm["weight_ih_l0"].shape == gru["weight_ih_l0"].shape == (12, 2)
    assert load_weights(_npz_bytes(**lstm)).kind == "lstm"
    assert load_weights(_npz_bytes(**gru)).kind == "gru"


def test_kind_entry_contradicting_the_shapes_is_refused():
    _raises(_npz_bytes(**_state("lstm"), kind=np.array("gru")), "gru", "LSTM")


def test_unknown_kind_or_nonlinearity_is_refused():
    _raises(_npz_bytes(**_state("lstm"), kind=np.array("transformer")), "Unknown kind")
    _raises(_npz_bytes(**_state("rnn"), nonlinearity=np.array("sigmoid")), "nonlinearity")


def test_kind_entry_as_bytes_and_mixed_case_is_accepted():
    assert load_weights(_npz_bytes(**_state("gru"), kind=np.array(b"GRU"))).kind == "gru"


def test_kind_entry_must_be_a_single_string():
    _raises(_npz_bytes(**_state("lstm"), kind=np.array([1.0, 2.0])), "single string")


def test_missing_biases_become_zeros_with_a_note():
    state = _state("lstm")
    del state["bias_ih_l0"], state["bias_hh_l0"]
    loaded = read_weights(_npz_bytes(**state))
    assert not np.any(loaded.model.bias_ih) and not np.any(loaded.model.bias_hh)
    assert any("zero" in note for note in loaded.notes)


# ----------------------------------------------------------------------------- state dict layouts


def test_prefixed_multilayer_bidirectional_state_dict_loads_whole():
    entries = {}
    for suffix, inputs, seed in (("_l0", INPUT, 1), ("_l0_reverse", INPUT, 2), ("_l1", 2 * HIDDEN, 3),
                                 ("_l1_reverse", 2 * HIDDEN, 4)):
        entries.update({f"encoder.lstm.{k.replace('_l0', suffix)}": v
                        for k, v in _state("lstm", inputs=inputs, seed=seed).items()})
    entries["embedding.weight"] = np.zeros((10, INPUT))
    entries["head.weight"] = np.zeros((3, 2 * HIDDEN))

    loaded = read_weights(_npz_bytes(**entries))
    assert loaded.kind == "lstm" and loaded.prefix == "encoder.lstm"
    model = loaded.model
    assert (model.num_layers, model.bidirectional) == (2, True)
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value, entries[f"encoder.lstm.{name}"], err_msg=name)
    notes = " ".join(loaded.notes)
    assert "2 stacked layers, bidirectional: all of it is loaded" in notes and "2 other entries" in notes


def test_incomplete_stacks_are_refused():
    layer0, upper = _state("gru", seed=1), _state("gru", inputs=HIDDEN, seed=2)
    gap = layer0 | {k.replace("_l0", "_l2"): v for k, v in upper.items()}
    _raises(_npz_bytes(**gap), "without gaps")
    half = layer0 | {k.replace("_l0", "_l1"): v for k, v in upper.items()}
    half |= {f"{k}_reverse": v for k, v in _state("gru", seed=3).items()}
    _raises(_npz_bytes(**half), "reverse direction")
    no_hh = layer0 | {"weight_ih_l1": upper["weight_ih_l0"]}
    _raises(_npz_bytes(**no_hh), "weight_hh_l1")
    wrong_width = layer0 | {k.replace("_l0", "_l1"): v for k, v in _state("gru", inputs=HIDDEN + 1).items()}
    _raises(_npz_bytes(**wrong_width), "layer 1")


def test_peephole_lstm_file_round_trip():
    from lstm_viz import LSTM

    model = LSTM(INPUT, HIDDEN, num_layers=2, peephole=True, seed=3)
    back = load_weights(weights_to_bytes(model))
    assert back.peephole and back.num_layers == 2
    np.testing.assert_array_equal(back.forward(_inputs(1)).output, model.forward(_inputs(1)).output)


def test_prefixed_kind_entry_is_used():
    entries = {f"rnn.{k}": v for k, v in _state("rnn").items()}
    entries["rnn.nonlinearity"] = np.array("relu")
    model = load_weights(_npz_bytes(**entries))
    assert model.kind == "rnn" and model.nonlinearity == "relu"


def test_two_recurrent_modules_are_refused_as_ambiguous():
    entries = {f"encoder.{k}": v for k, v in _state("lstm").items()}
    entries.update({f"decoder.{k}": v for k, v in _state("gru").items()})
    _raises(_npz_bytes(**entries), "several recurrent modules", "encoder", "decoder")


def test_projection_lstm_is_refused():
    state = _state("lstm")
    state["weight_hr_l0"] = np.zeros((3, HIDDEN))
    _raises(_npz_bytes(**state), "proj_size")


def test_only_upper_layers_or_missing_recurrent_matrix_is_refused():
    state = _state("lstm")
    _raises(_npz_bytes(**{k.replace("_l0", "_l1"): v for k, v in state.items()}), "weight_ih_l0")
    del state["weight_hh_l0"]
    _raises(_npz_bytes(**state), "weight_hh_l0")


def test_archive_without_recurrent_weights_lists_what_it_found():
    _raises(_npz_bytes(embedding=np.zeros((3, 3)), fc_weight=np.ones(2)), "No recurrent weights", "embedding")


# ----------------------------------------------------------------------------- bad files


def test_empty_input_and_not_a_zip_and_text():
    _raises(b"", "empty")
    _raises(b"hello, I am a text file\n" * 10, "not an .npz")
    _raises("<html>".encode() * 100, "not an .npz")


def test_single_npy_array_is_refused_with_a_hint():
    buffer = io.BytesIO()
    np.save(buffer, np.zeros((4, 4)))
    _raises(buffer.getvalue(), ".npy", "np.savez")


UNPICKLED = []


def _record_unpickling():  # what a malicious pickle would run on load
    UNPICKLED.append(True)
    return np.zeros((4 * HIDDEN, INPUT))


class _Payload:
    def __reduce__(self):
        return (_record_unpickling, ())


def test_pickle_file_is_refused_and_never_unpickled():
    import pickle

    _raises(pickle.dumps({"weight_ih_l0": _Payload()}), "not an .npz")
    assert UNPICKLED == []


def test_torch_save_file_is_refused_with_the_conversion_hint():
    torch = pytest.importorskip("torch")
    buffer = io.BytesIO()
    torch.save(torch.nn.LSTM(INPUT, HIDDEN).state_dict(), buffer)  # a zip archive holding a pickle
    _raises(buffer.getvalue(), "PyTorch", "np.savez")


def test_object_array_inside_the_archive_is_refused_without_unpickling():
    state = _state("lstm")
    state["weight_ih_l0"] = np.array([[_Payload()] * INPUT] * (4 * HIDDEN), dtype=object)
    buffer = io.BytesIO()
    np.savez(buffer, **state)  # numpy pickles object arrays on save
    _raises(buffer.getvalue(), "weight_ih_l0", "pickled")
    assert UNPICKLED == []


def test_object_kind_entry_is_refused():
    buffer = io.BytesIO()
    np.savez(buffer, **_state("lstm"), kind=np.array(["lstm", None], dtype=object))
    _raises(buffer.getvalue(), "kind", "pickled")


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9, 0.99])
def test_truncated_archive_is_refused(cut):
    data = weights_to_bytes(LSTM(INPUT, HIDDEN, seed=0))
    _raises(data[: int(len(data) * cut)], "")


def test_array_header_promising_more_data_than_stored_is_refused():
    # A hand-made member whose header claims a huge shape: refused before any allocation.
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False, "shape": (10**7, 10**5)})
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("weight_ih_l0.npy", header.getvalue() + b"\0" * 64)
        for key, value in _state("lstm").items():
            if key != "weight_ih_l0":
                buf = io.BytesIO()
                np.save(buf, value)
                zf.writestr(key + ".npy", buf.getvalue())
    _raises(archive.getvalue(), "weight_ih_l0", "truncated")


def test_corrupted_member_data_is_refused():
    data = bytearray(weights_to_bytes(LSTM(INPUT, HIDDEN, seed=0)))
    # Flip bytes inside the first member's array data (stored uncompressed): the CRC check fails.
    start = data.index(b"\x93NUMPY") + 200
    data[start : start + 16] = b"\xff" * 16
    _raises(bytes(data), "")


@pytest.mark.parametrize(
    "change, fragment",
    [
        (lambda s: s.update(weight_ih_l0=s["weight_ih_l0"][:-1]), "inconsistent"),
        (lambda s: s.update(bias_hh_l0=s["bias_hh_l0"][:-2]), "inconsistent"),
        (lambda s: s.update(bias_ih_l0=s["bias_ih_l0"].reshape(4, HIDDEN)), "1-D"),
        (lambda s: s.update(weight_hh_l0=s["weight_hh_l0"][:, :-1]), "G = 4"),
        (lambda s: s.update(weight_hh_l0=np.zeros((2 * HIDDEN, HIDDEN))), "G = 4"),
        (lambda s: s.update(weight_ih_l0=s["weight_ih_l0"].ravel()), "2-D"),
        (lambda s: s.update(weight_ih_l0=np.zeros((4 * HIDDEN, 0))), "empty"),
    ],
    ids=["ih-rows", "bias-length", "bias-2d", "hh-not-square-blocks", "two-blocks", "ih-1d", "no-inputs"],
)
def test_wrong_or_inconsistent_shapes_are_refused(change, fragment):
    state = _state("lstm")
    change(state)
    _raises(_npz_bytes(**state), fragment)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_values_are_refused(bad):
    state = _state("gru")
    state["weight_hh_l0"][3, 1] = bad
    _raises(_npz_bytes(**state), "weight_hh_l0", "NaN or infinite")


@pytest.mark.parametrize("dtype", [np.int64, np.int8, np.bool_, np.complex128, "U3", "S3"])
def test_non_float_dtypes_are_refused(dtype):
    state = _state("rnn")
    state["bias_ih_l0"] = np.zeros(HIDDEN, dtype=dtype)
    _raises(_npz_bytes(**state), "bias_ih_l0", "floating point")


def test_oversized_file_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(interop, "MAX_FILE_BYTES", 1000)
    data = weights_to_bytes(LSTM(INPUT, 20, seed=0))
    assert len(data) > 1000
    _raises(data, "larger than")
    path = tmp_path / "big.npz"
    path.write_bytes(data)
    _raises(path, "larger than")
    _raises(io.BytesIO(data), "larger than")


def test_zip_bomb_is_refused_by_the_uncompressed_size(monkeypatch):
    monkeypatch.setattr(interop, "MAX_UNCOMPRESSED_BYTES", 10_000)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **_state("lstm", hidden=40))  # ~57 kB of arrays
    _raises(buffer.getvalue(), "unpacks to")


def test_hidden_size_limit():
    _raises(_npz_bytes(**_state("rnn", hidden=interop.MAX_HIDDEN_SIZE + 1, inputs=1)), "hidden size", "1024")


def test_missing_file_and_wrong_source_type(tmp_path):
    _raises(tmp_path / "nope.npz", "Cannot read")
    _raises(12345, "Cannot read weights from a int")
    _raises(io.StringIO("text"), "binary mode")


def test_error_is_a_value_error():
    assert issubclass(WeightFileError, ValueError)


# ----------------------------------------------------------------------------- PyTorch parity


@pytest.mark.parametrize(
    "kind, kwargs",
    [("lstm", {}), ("gru", {}), ("rnn", {"nonlinearity": "tanh"}), ("rnn", {"nonlinearity": "relu"})],
)
def test_torch_state_dict_saved_with_np_savez_gives_the_same_forward(kind, kwargs, tmp_path):
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    module_class = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[kind]
    layer = module_class(INPUT, HIDDEN, num_layers=2, bidirectional=True, **kwargs).double()

    class Wrapper(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = torch.nn.Embedding(11, INPUT)
            self.rnn = layer

    # The documented snippet, on a whole model's state dict (prefix "rnn.", extra layers and modules).
    sd = Wrapper().state_dict()
    path = tmp_path / "torch_weights.npz"
    np.savez(path, **{k: v.detach().cpu().numpy() for k, v in sd.items()})
    if kwargs.get("nonlinearity") == "relu":
        with np.load(path, allow_pickle=False) as npz:
            entries = dict(npz)
        np.savez(path, **entries, nonlinearity="relu")

    loaded = read_weights(path)
    assert loaded.kind == kind and loaded.prefix == "rnn"
    model = loaded.model

    x = _inputs(5)
    assert (model.num_layers, model.bidirectional) == (2, True)  # the whole network, not just layer 0
    with torch.no_grad():
        expected, _ = layer(torch.from_numpy(x).unsqueeze(1))
    np.testing.assert_allclose(model.forward(x).output, expected.squeeze(1).numpy(), rtol=1e-10, atol=1e-12)


def test_hostile_details_code_comments_and_docs_agree():
    """A relu entry on a GRU is refused, longdouble is refused, a 3.0 .npy header is read (not 'damaged')."""
    entries = _state("gru") | {"nonlinearity": np.array("relu")}
    _raises(_npz_bytes(**entries), "relu", "GRU")
    if np.dtype(np.longdouble).itemsize > 8:
        wide = {k: v.astype(np.longdouble) for k, v in _state("lstm").items()}
        _raises(_npz_bytes(**wide), "float16, float32 or float64")
    state = _state("rnn")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, array in state.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, array, version=(3, 0))
            archive.writestr(name + ".npy", member.getvalue())
    model = load_weights(buffer.getvalue())
    np.testing.assert_array_equal(model.weight_hh, state["weight_hh_l0"])
