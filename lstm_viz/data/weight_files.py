"""Weight files: save, load and validate ``.npz`` archives of a recurrent network (stacked, bidirectional too).

Layer 1 of the design: numpy only.

File format (see docs/weights-format.md)
----------------------------------------
An ``.npz`` archive (a zip of ``.npy`` arrays) with the PyTorch parameter names::

    weight_ih_l0   (G*H, I)   input-to-hidden weights, gate blocks in PyTorch order
    weight_hh_l0   (G*H, H)   hidden-to-hidden weights
    bias_ih_l0     (G*H,)     input bias      (optional: zeros when absent, like bias=False)
    bias_hh_l0     (G*H,)     recurrent bias  (optional)
    kind           0-d str    "lstm" | "gru" | "rnn"   (optional: inferred from shapes)
    nonlinearity   0-d str    "tanh" | "relu"           (optional, RNN only; default "tanh")

with G = 4 for an LSTM (i, f, g, o), 3 for a GRU (r, z, n), 1 for a plain RNN.

A PyTorch ``state_dict`` saved with ``np.savez`` is accepted as is, also with a module
prefix (``"lstm.weight_ih_l0"``, ``"module.encoder.rnn.weight_ih_l0"``) and extra
entries (a decoder, ...), which are reported in ``LoadedWeights.notes``. Every layer
(``weight_ih_l1``, ...) and both directions (``..._reverse``) load: a stacked or
bidirectional network is explored whole. Peephole LSTM weights (``weight_ci_l0``,
``weight_cf_l0``, ``weight_co_l0``, each (H,)) load too.

Kind inference
--------------
The number of gate blocks is read from the recurrent matrix, whose columns give H::

    G = weight_hh.shape[0] / weight_hh.shape[1]

(weight_ih alone is ambiguous: 12 rows can be an LSTM with H = 3 or a GRU with H = 4.)
When the file has a ``kind`` entry it must agree with G, otherwise the file is refused.

Safety
------
Files are untrusted uploads: ``np.load(..., allow_pickle=False)`` always; the archive
size, the uncompressed size, every array header (shape x itemsize against the stored
member size; .npy format versions 1.0, 2.0 and 3.0 are read), dtypes (real floats only:
float16, float32, float64; longdouble and complex are refused), finiteness and sizes
(H <= max_hidden, parameters <= max_parameters, both read from the headers before any
array is decompressed) are checked before a model is built. Every problem is a
``WeightFileError`` (a ValueError) with a message meant for the person who uploaded the
file; a file over a size limit raises its subclass ``WeightFileTooLarge``, which also
carries the numbers (``what``, ``value``, ``limit``) so an app can say them in its language.

Memory: the archive's bytes, one decompressed member at a time, its float64 conversion
(no copy when the file already holds float64) and the model. A caller serving untrusted
uploads passes smaller limits (the app: lstm_viz/ui/budget.py).
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from typing import BinaryIO, Union

import numpy as np

from ..nn import LAYER_TYPES
from ..nn.rnn import NONLINEARITIES
from ..nn.stack import MAX_LAYERS

__all__ = [
    "WeightFileError",
    "WeightFileTooLarge",
    "LoadedWeights",
    "save_weights",
    "weights_to_bytes",
    "load_weights",
    "read_weights",
    "MAX_FILE_BYTES",
    "MAX_HIDDEN_SIZE",
    "MAX_INPUT_SIZE",
    "MAX_PARAMETERS",
    "MAX_UNCOMPRESSED_BYTES",
]

MAX_FILE_BYTES = 20 * 1024 * 1024  # archive size on disk / upload
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024  # all members together, after decompression
MAX_MEMBERS = 1000  # a large model's state dict has a few hundred entries
MAX_HIDDEN_SIZE = 1024  # the library's limit; the app serves less (lstm_viz/ui/budget.py UPLOAD_MAX_HIDDEN)
MAX_INPUT_SIZE = 4096
MAX_PARAMETERS = MAX_UNCOMPRESSED_BYTES // 4  # every weight and bias of every layer (float32 fills the 64 MB)

GATE_BLOCKS = {kind: layer_type.num_gates for kind, layer_type in LAYER_TYPES.items()}
KIND_BY_GATE_BLOCKS = {blocks: kind for kind, blocks in GATE_BLOCKS.items()}

# "<prefix.>weight_ih_l0<_reverse>"; the prefix is anything up to the last dot.
_PARAM_KEY = re.compile(
    r"^(?:(?P<prefix>.*)\.)?(?P<param>weight_ih|weight_hh|bias_ih|bias_hh|weight_ci|weight_cf|weight_co)"
    r"_l(?P<layer>\d+)(?P<reverse>_reverse)?$"
)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # local file header / empty archive
_NPY_MAGIC = b"\x93NUMPY"

Source = Union[bytes, bytearray, memoryview, str, os.PathLike, BinaryIO]


class WeightFileError(ValueError):
    """A weight file that cannot be used; the message is written for the end user."""


class WeightFileTooLarge(WeightFileError):
    """A weight file over one of the size limits: ``what`` is "file" (bytes), "uncompressed" (bytes),
    "hidden" (units) or "parameters" (count); ``value`` the file's, ``limit`` the largest accepted."""

    def __init__(self, message: str, what: str, value: int, limit: int):
        super().__init__(message)
        self.what, self.value, self.limit = what, int(value), int(limit)


@dataclass
class LoadedWeights:
    """What ``read_weights`` found: the model plus notes on what was inferred or skipped."""

    model: object  # LSTM | GRU | RNN
    kind: str
    kind_inferred: bool  # True when the file had no "kind" entry
    prefix: str  # module prefix of the loaded layer ("" for a bare layer)
    notes: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------- saving


def _model_entries(model) -> dict[str, np.ndarray]:
    entries = dict(model.state_dict())
    entries["kind"] = np.array(model.kind)
    if model.kind == "rnn":
        entries["nonlinearity"] = np.array(getattr(model, "nonlinearity", "tanh"))
    return entries


def save_weights(model, path_or_file) -> None:
    """Write ``model`` (LSTM/GRU/RNN) as an ``.npz`` weight file.

    ``path_or_file``: a path (numpy appends ``.npz`` when missing) or a binary file object.
    Arrays keep the model's dtype; ``kind`` (and ``nonlinearity`` for an RNN) are stored as
    plain strings so the file loads without pickle.
    """
    np.savez(path_or_file, **_model_entries(model))


def weights_to_bytes(model) -> bytes:
    """The ``.npz`` weight file of ``model`` as bytes (for a download button)."""
    buffer = io.BytesIO()
    save_weights(model, buffer)
    return buffer.getvalue()


# ----------------------------------------------------------------------------- loading


def load_weights(source: Source, dtype=np.float64, **limits):
    """Load a recurrent network from an ``.npz`` weight file -> LSTM | GRU | RNN (or a stack of them).

    ``source``: bytes (e.g. an upload's content), a path, or a binary file object.
    Raises ``WeightFileError`` (a ValueError) with a user-facing message for any bad file.
    Use ``read_weights`` to also get the notes (inferred kind, skipped layers); ``limits`` as there.
    """
    return read_weights(source, dtype=dtype, **limits).model


def read_weights(source: Source, dtype=np.float64, *, max_hidden: int = MAX_HIDDEN_SIZE,
                 max_parameters: int = MAX_PARAMETERS,
                 max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES) -> LoadedWeights:
    """Like ``load_weights`` but returns a ``LoadedWeights`` with notes for the user.

    max_hidden: largest hidden size H accepted; max_parameters: largest number of weights and biases, all
    layers and directions; max_uncompressed_bytes: largest total size of the archive's members after
    decompression. Each is checked from the zip directory or the .npy headers before the data is read, and
    never above the module's own limits. Over a limit: ``WeightFileTooLarge``.
    """
    max_hidden = min(int(max_hidden), MAX_HIDDEN_SIZE)
    max_parameters = min(int(max_parameters), MAX_PARAMETERS)
    max_uncompressed_bytes = min(int(max_uncompressed_bytes), MAX_UNCOMPRESSED_BYTES)
    data = _read_source_bytes(source)
    if not data:
        raise WeightFileError("The weight file is empty.")
    if data.startswith(_NPY_MAGIC):
        raise WeightFileError(
            "This is a single .npy array, not an .npz weight file. Save the four arrays "
            "weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0 together with np.savez."
        )
    if not data.startswith(_ZIP_MAGIC):
        raise WeightFileError(
            "This is not an .npz weight file (an .npz file is a zip archive of arrays). "
            "PyTorch .pt/.pth files are not accepted: convert the state dict with np.savez first."
        )
    try:
        npz = np.load(io.BytesIO(data), allow_pickle=False)
    except Exception as error:  # BadZipFile, truncated central directory, ...
        raise WeightFileError(f"The weight file is damaged or truncated ({_short(error)}).") from error
    with npz:
        _check_archive_members(npz.zip, max_uncompressed_bytes)
        if any(name.endswith(".pkl") for name in npz.zip.namelist()):
            raise WeightFileError(
                "This looks like a PyTorch .pt/.pth file, which holds pickled data and is never loaded. "
                "Convert the state dict with np.savez (see the weight file format notes)."
            )
        keys = list(npz.files)
        layer_keys, prefix, notes = _select_layer_keys(keys)
        _check_sizes_from_headers(npz, layer_keys, max_hidden, max_parameters)
        arrays = {name: _read_float_array(npz, key, name) for name, key in layer_keys.items()}
        kind_entry = _read_string_entry(npz, "kind", prefix)
        nonlinearity_entry = _read_string_entry(npz, "nonlinearity", prefix)

    kind, kind_inferred, shape_notes = _infer_kind(arrays, kind_entry, max_hidden)
    notes = shape_notes + notes
    arrays = _fill_missing_biases(arrays, kind, notes)
    nonlinearity = _resolve_nonlinearity(kind, nonlinearity_entry, notes)
    model = _build_model(kind, arrays, nonlinearity, dtype)
    del arrays  # the float64 arrays: the model holds its own copy
    return LoadedWeights(model=model, kind=kind, kind_inferred=kind_inferred, prefix=prefix, notes=notes)


def _short(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def _read_source_bytes(source: Source) -> bytes:
    """Read at most MAX_FILE_BYTES + 1 bytes, whatever the source type."""
    limit = MAX_FILE_BYTES
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif isinstance(source, (str, os.PathLike)):
        try:
            if os.path.getsize(source) > limit:
                _raise_too_large(os.path.getsize(source))
            with open(source, "rb") as handle:
                data = handle.read(limit + 1)
        except OSError as error:
            raise WeightFileError(f"Cannot read the weight file ({error.strerror or _short(error)}).") from error
    elif hasattr(source, "read"):
        if hasattr(source, "seek"):
            try:
                source.seek(0)
            except (OSError, ValueError):
                pass
        data = source.read(limit + 1)
        if not isinstance(data, (bytes, bytearray)):
            raise WeightFileError("The weight file must be opened in binary mode.")
        data = bytes(data)
    else:
        raise WeightFileError(f"Cannot read weights from a {type(source).__name__}; pass bytes, a path or a file.")
    if len(data) > limit:
        _raise_too_large(len(data))
    return data


def _raise_too_large(size: int | None = None):
    raise WeightFileTooLarge(f"The weight file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.", "file",
                             MAX_FILE_BYTES + 1 if size is None else size, MAX_FILE_BYTES)


def _check_archive_members(archive: zipfile.ZipFile, max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES) -> None:
    """Refuse zip bombs and archives with absurd member counts before reading any array."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise WeightFileError(f"The weight file holds {len(infos)} entries; at most {MAX_MEMBERS} are accepted.")
    total = sum(info.file_size for info in infos)
    if total > max_uncompressed_bytes:
        raise WeightFileTooLarge(
            f"The weight file unpacks to {total / 2**20:.1f} MB; "
            f"at most {max_uncompressed_bytes / 2**20:.1f} MB are accepted.",
            "uncompressed", total, max_uncompressed_bytes,
        )


def _check_sizes_from_headers(npz, layer_keys: dict[str, str], max_hidden: int, max_parameters: int) -> None:
    """H (columns of every weight_hh) and the parameter count, read from the .npy headers alone."""
    total = 0
    for name, key in layer_keys.items():
        try:
            shape, _dtype = _member_header(npz, key)
        except WeightFileError:
            raise
        except Exception as error:
            raise WeightFileError(f"The array '{key}' is damaged ({_short(error)}).") from error
        if name.startswith("weight_hh") and len(shape) == 2 and shape[1] > max_hidden:
            raise WeightFileTooLarge(f"The hidden size is {shape[1]}; at most {max_hidden} units are supported.",
                                     "hidden", shape[1], max_hidden)
        total += int(np.prod(shape, dtype=np.float64)) if shape else 1
    if total > max_parameters:
        raise WeightFileTooLarge(f"The network has {total:,} parameters; at most {max_parameters:,} are supported.",
                                 "parameters", total, max_parameters)


def _select_layer_keys(keys: list[str]) -> tuple[dict[str, str], str, list[str]]:
    """Pick the recurrent network's keys -> ({torch name: key in the file}, prefix, notes)."""
    matches = [(key, _PARAM_KEY.match(key)) for key in keys]
    matches = [(key, m) for key, m in matches if m]
    if not matches:
        shown = ", ".join(sorted(keys)[:6]) + (", ..." if len(keys) > 6 else "")
        raise WeightFileError(
            "No recurrent weights found: expected arrays named weight_ih_l0, weight_hh_l0, "
            f"bias_ih_l0, bias_hh_l0 (found: {shown or 'nothing'})."
        )
    if any(key.endswith("weight_hr_l0") for key in keys):
        raise WeightFileError("LSTMs with a projection (proj_size > 0, weight_hr_l0) are not supported.")
    prefixes = sorted({m.group("prefix") or "" for _, m in matches})
    if len(prefixes) > 1:
        named = ", ".join(repr(p) if p else "(no prefix)" for p in prefixes)
        raise WeightFileError(
            f"The file holds several recurrent modules ({named}). Save the state dict of just one of them."
        )
    prefix = prefixes[0]
    layer_keys = {key[len(prefix) + 1:] if prefix else key: key for key, _ in matches}  # torch name -> key
    cells = sorted({(int(m.group("layer")), bool(m.group("reverse"))) for _, m in matches})
    if (0, False) not in cells:
        raise WeightFileError("The weight file has no weight_ih_l0 / weight_hh_l0 arrays (layer 0 of the forward direction).")
    for layer, reverse in cells:
        for param in ("weight_ih", "weight_hh"):
            name = f"{param}_l{layer}" + ("_reverse" if reverse else "")
            if name not in layer_keys:
                raise WeightFileError(f"The weight file has no {name} array (layer {layer}"
                                      f"{', reverse direction' if reverse else ''}).")
    layers = sorted({layer for layer, _ in cells})
    if layers != list(range(len(layers))):
        raise WeightFileError(f"The file's layers are numbered {layers}: expected 0 .. {len(layers) - 1} without gaps.")
    if len(layers) > MAX_LAYERS:
        raise WeightFileError(f"The file has {len(layers)} layers; at most {MAX_LAYERS} are supported.")
    reverse_layers = {layer for layer, reverse in cells if reverse}
    if reverse_layers and reverse_layers != set(layers):
        raise WeightFileError("Only some layers have a reverse direction: a bidirectional network needs it in every layer.")
    notes: list[str] = []
    if prefix:
        notes.append(f"Loaded the recurrent network '{prefix}'.")
    if len(layers) > 1 or reverse_layers:
        shape = f"{len(layers)} stacked layer{'s' if len(layers) > 1 else ''}"
        notes.append(f"The file has {shape}{', bidirectional' if reverse_layers else ''}: all of it is loaded.")
    ignored = len(keys) - len(matches) - sum(1 for k in keys if _is_string_entry_name(k, prefix))
    if ignored > 0:
        entries = "entry" if ignored == 1 else "entries"
        notes.append(f"{ignored} other {entries} in the file (not recurrent weights) ignored.")
    return layer_keys, prefix, notes


def _is_string_entry_name(key: str, prefix: str) -> bool:
    return key in ("kind", "nonlinearity") or (prefix and key in (f"{prefix}.kind", f"{prefix}.nonlinearity"))


def _member_header(npz, key: str):
    """(shape, dtype) of member ``key`` from its .npy header, checked against the stored size."""
    member = key + ".npy" if key + ".npy" in npz.zip.namelist() else key
    info = npz.zip.getinfo(member)
    with npz.zip.open(member) as handle:
        version = np.lib.format.read_magic(handle)
        if version == (1, 0):
            shape, _fortran_order, dtype = np.lib.format.read_array_header_1_0(handle)
        elif version in ((2, 0), (3, 0)):
            # 3.0 (accepted) differs from 2.0 only in allowing a UTF-8 header. The 2.0 reader decodes it as
            # latin-1, which is the same for every ASCII header, and a float array's header is ASCII; only a
            # structured dtype's field names could be non-ASCII, and those dtypes are refused below.
            shape, _fortran_order, dtype = np.lib.format.read_array_header_2_0(handle)
        else:
            raise WeightFileError(f"The array '{key}' has an unknown .npy format version {version}.")
    if dtype.hasobject:
        return shape, dtype
    n_items = int(np.prod(shape, dtype=np.float64)) if shape else 1
    if n_items * dtype.itemsize > info.file_size:
        raise WeightFileError(f"The array '{key}' is truncated (its header promises more data than is stored).")
    return shape, dtype


def _read_float_array(npz, key: str, param: str) -> np.ndarray:
    try:
        shape, dtype = _member_header(npz, key)
    except WeightFileError:
        raise
    except Exception as error:
        raise WeightFileError(f"The array '{key}' is damaged ({_short(error)}).") from error
    if dtype.hasobject:
        raise WeightFileError(
            f"The array '{key}' holds Python objects (pickled data), which are never loaded. Save plain float arrays."
        )
    if dtype.kind != "f" or dtype.itemsize > 8:  # float16, float32, float64 only (not longdouble)
        raise WeightFileError(f"The array '{key}' has dtype {dtype}; weights must be floating point: float16, float32 or float64.")
    expected_ndim = 2 if param.startswith(("weight_ih", "weight_hh")) else 1  # biases and peepholes: (n,)
    if len(shape) != expected_ndim:
        raise WeightFileError(
            f"The array '{key}' has shape {tuple(shape)}; expected a {expected_ndim}-D array."
        )
    try:
        array = npz[key]
    except Exception as error:  # pickled member, CRC error, truncated data, ...
        if "pickle" in str(error).lower() or "object" in str(error).lower():
            raise WeightFileError(f"The array '{key}' holds pickled data, which is never loaded.") from error
        raise WeightFileError(f"The array '{key}' is damaged or truncated ({_short(error)}).") from error
    if not np.all(np.isfinite(array)):
        raise WeightFileError(f"The array '{key}' contains NaN or infinite values.")
    return array.astype(np.float64, copy=False)  # float64 files: no second copy


def _read_string_entry(npz, name: str, prefix: str) -> str | None:
    """A short string entry such as ``kind``: looked up bare, then with the module prefix."""
    candidates = [name] + ([f"{prefix}.{name}"] if prefix else [])
    key = next((k for k in candidates if k in npz.files), None)
    if key is None:
        return None
    try:
        shape, dtype = _member_header(npz, key)
        if dtype.hasobject:
            raise WeightFileError(
                f"The '{name}' entry holds pickled data, which is never loaded; store a plain string."
            )
        if dtype.kind not in "US" or int(np.prod(shape)) != 1:
            raise WeightFileError(f"The '{name}' entry must be a single string such as np.array('lstm').")
        value = npz[key].reshape(())[()]
    except WeightFileError:
        raise
    except Exception as error:
        raise WeightFileError(f"The '{name}' entry is damaged ({_short(error)}).") from error
    if isinstance(value, bytes):
        value = value.decode("ascii", errors="replace")
    return str(value).strip().lower()


def _infer_kind(arrays: dict[str, np.ndarray], kind_entry: str | None,
                max_hidden: int = MAX_HIDDEN_SIZE) -> tuple[str, bool, list[str]]:
    """Gate count from weight_hh (G*H, H); checked against every other array and the kind entry."""
    weight_ih, weight_hh = arrays["weight_ih_l0"], arrays["weight_hh_l0"]
    rows, hidden = weight_hh.shape
    if hidden == 0 or weight_ih.shape[1] == 0:
        raise WeightFileError("The weight arrays are empty (hidden size or input size is 0).")
    if hidden > max_hidden:
        raise WeightFileTooLarge(f"The hidden size is {hidden}; at most {max_hidden} units are supported.",
                                 "hidden", hidden, max_hidden)
    if weight_ih.shape[1] > MAX_INPUT_SIZE:
        raise WeightFileError(f"The input size is {weight_ih.shape[1]}; at most {MAX_INPUT_SIZE} are supported.")
    if kind_entry is not None and kind_entry not in GATE_BLOCKS:
        raise WeightFileError(f"Unknown kind '{kind_entry[:20]}'; expected 'lstm', 'gru' or 'rnn'.")
    if rows % hidden or rows // hidden not in KIND_BY_GATE_BLOCKS:
        raise WeightFileError(
            f"weight_hh_l0 has shape {weight_hh.shape}; expected (G*H, H) with G = 4 (LSTM), 3 (GRU) or 1 (RNN)."
        )
    blocks = rows // hidden
    kind_from_shapes = KIND_BY_GATE_BLOCKS[blocks]
    if kind_entry is not None and kind_entry != kind_from_shapes:
        raise WeightFileError(
            f"The file says kind '{kind_entry}', but weight_hh_l0 {weight_hh.shape} has {blocks} gate block(s), "
            f"which is a {kind_from_shapes.upper()} with {hidden} units."
        )
    expected = {"weight_ih_l0": (rows, weight_ih.shape[1]), "bias_ih_l0": (rows,), "bias_hh_l0": (rows,)}
    for name, shape in expected.items():
        if name in arrays and arrays[name].shape != shape:
            raise WeightFileError(
                f"{name} has shape {arrays[name].shape}, but weight_hh_l0 {weight_hh.shape} "
                f"implies {shape} (sizes are inconsistent)."
            )
    if any(name.startswith(("weight_ci", "weight_cf", "weight_co")) for name in arrays) and kind_from_shapes != "lstm":
        raise WeightFileError("Peephole weights (weight_ci/cf/co) belong to an LSTM, but the shapes say "
                              f"{kind_from_shapes.upper()}.")
    notes = []
    if kind_entry is None:
        notes.append(
            f"No 'kind' entry: read as {kind_from_shapes.upper()} from the shapes "
            f"(weight_hh_l0 has {blocks} gate block(s) of {hidden} units)."
        )
    return kind_from_shapes, kind_entry is None, notes


def _fill_missing_biases(arrays: dict[str, np.ndarray], kind: str, notes: list[str]) -> dict[str, np.ndarray]:
    """Zero biases for every cell saved without them (torch's bias=False)."""
    missing = []
    for name in [n for n in arrays if n.startswith("weight_hh")]:
        suffix = name.removeprefix("weight_hh")  # _l0, _l1_reverse, ...
        for param in ("bias_ih", "bias_hh"):
            if param + suffix not in arrays:
                arrays[param + suffix] = np.zeros(arrays[name].shape[0])
                missing.append(param + suffix)
    if missing:
        shown = " / ".join(missing[:4]) + (" ..." if len(missing) > 4 else "")
        notes.append(f"No {shown}: biases set to zero (like bias=False).")
    return arrays


def _resolve_nonlinearity(kind: str, entry: str | None, notes: list[str]) -> str:
    if entry is not None and entry not in NONLINEARITIES:
        raise WeightFileError(f"Unknown nonlinearity '{entry[:20]}'; expected 'tanh' or 'relu'.")
    if kind != "rnn":
        if entry == "relu":  # an LSTM's or GRU's activations are fixed: a relu entry is a mistake in the file
            raise WeightFileError(f"The file says nonlinearity 'relu', but a {kind.upper()} has no choice of "
                                  "nonlinearity (only a plain RNN does).")
        return "tanh"
    if entry is None:
        notes.append("No 'nonlinearity' entry: the RNN uses tanh (PyTorch's default).")
        return "tanh"
    return entry


def _build_model(kind: str, arrays: dict[str, np.ndarray], nonlinearity: str, dtype):
    model_class = LAYER_TYPES[kind]
    state_dict = dict(arrays)  # torch names
    try:
        if kind == "rnn":
            return model_class.from_torch(state_dict, dtype=dtype, nonlinearity=nonlinearity)
        return model_class.from_torch(state_dict, dtype=dtype)
    except ValueError as error:
        raise WeightFileError(f"The weights do not fit a {kind.upper()}: {_short(error)}") from error
