"""The demo server's compute budget: how much work one page may do for one visitor, all numbers in one place.

Any visitor can upload a network (up to the limits below) and paste 20,000 characters (2,000 tokens after
lstm_viz.ui.cache's cap), so every study a page runs is sized here from its real cost, counted in the work it
does, before it runs:

    forward / backward over T steps     T · Σ_cells G·H·(H + I)          multiply-adds (W_hh: matrix × vector
                                                                         each step; W_ih: one GEMM for all)
    Jacobian chain (ord = 2) over W     W · (GEMMs · H³ + σ_max · H³)    per compared kind
    connectivity of n tokens            n² · G·H·I · (H + elementwise)   per compared kind (forward tangents)
    per-layer Jacobians of a stack      W · cells · (overhead + H³)      (a batch of H seeds)
    gradient check of e entries         (3 + 2e) forwards of the window  per compared kind
    recurrent-scale sweep               S · 3 forwards of the window     (S scales, fwd + bwd each)

Seconds = work / a throughput measured on the demo machine class (2 shared cores, busy). A page's studies add
up to less than PAGE_SECONDS, leaving room for Streamlit and plotly; memory likewise stays under PAGE_BYTES.
When a cap binds, the page says so with the numbers (translated strings ``budget.*``).

Pure Python (no streamlit): the caps are plain functions of the network's sizes, unit-tested by counting work.
"""

from __future__ import annotations

from dataclasses import dataclass

MiB = 2**20

# ---- the targets ---------------------------------------------------------------------------------------------
#: no page run may take longer than this (seconds, on the busy 2-core demo server)
PAGE_SECONDS = 10.0
#: no page run may need more memory than this on top of the running app (bytes)
PAGE_BYTES = 500 * MiB

# ---- uploads: what the loader accepts from a visitor (the library's own limits are larger) -------------------
#: hidden units of an uploaded network: at H = 1024 one step of the forward pass streams 34 MB of weights
UPLOAD_MAX_HIDDEN = 512
#: parameters of an uploaded network, all layers and directions (float64: 8 bytes each, ~32 MB)
UPLOAD_MAX_PARAMETERS = 4_000_000
#: all members of an uploaded .npz together after decompression: a float64 copy of UPLOAD_MAX_PARAMETERS
#: plus the names and headers (checked before anything is decompressed)
UPLOAD_MAX_UNCOMPRESSED_BYTES = 8 * UPLOAD_MAX_PARAMETERS + 1 * MiB
#: bytes of uploaded networks kept in the upload cache (all visitors together; least recently used dropped)
UPLOAD_CACHE_BYTES = 128 * MiB
#: uploaded networks kept in the upload cache at most (whatever their size)
UPLOAD_CACHE_ENTRIES = 8

# ---- throughput (the slowest of repeated measurements on the shared 2-core machine, load 2–17, rounded down) --
#: multiply-adds per second of a recurrent step ((G·H, I+H) matrix × vector) whose weights stream from memory
#: every step (more than CACHED_WEIGHT_BYTES): 3.7e8 at H = 512, 1.3e8–4.5e8 at H = 1024
MATVEC_MACS_PER_S = 2.5e8
#: ... and whose weights stay in the caches: 7.3e8 (one BLAS thread, load 9.5) – 2e9 (idle) at H = 256
CACHED_MATVEC_MACS_PER_S = 6e8
#: weight matrices up to this size count as cached (an LSTM with H = 256, I = 16 has 2.2 MB)
CACHED_WEIGHT_BYTES = 4 * MiB
#: multiply-adds per second of matrix products (Jacobian chains' H×H GEMMs, connectivity's (G·H, H) by
#: (H, t·I) products): 2.7e9–3e9 with one BLAS thread at load 9–17, 4.5e8 when two BLAS threads fight
#: other processes for the two cores
GEMM_MACS_PER_S = 2e9
#: H³ per second of σ_max of one H×H matrix (jacobians.spectral_norms: Gram GEMM + eigvalsh). A conservative
#: floor: the LAPACK SVD it replaced measured 4.2e8 (H = 256) – 8.5e8 (H = 512) on a busy machine, and the new
#: path measured 5e9 – 8.5e9 on one quiet BLAS thread, ~2× the SVD there and far faster under load
SVD_CUBES_PER_S = 4e8
#: seconds per element-wise operation on tangents (connectivity's gate products: 2.3e-8 measured at H = 64)
ELEMENT_S = 2.5e-8

# ---- per-study budgets (seconds at the throughput above) -----------------------------------------------------
#: every page: the trace of the whole text (the tokens a page reads are capped by it)
FORWARD_S = 3.0
#: every page: bytes of that trace (gates, states, inputs; st.cache_data keeps a pickled copy and hands out one)
TRACE_BYTES = 48 * MiB
#: Vanishing gradients: the Jacobian chains of the three compared kinds over the window, with their σ_max
CHAIN_S = 4.0
#: Vanishing gradients: memory of the chains (up to 64 H×H matrices per batched σ_max, plus their Gram copies)
CHAIN_BYTES = 300 * MiB
#: Vanishing gradients, stacks: the per-layer Jacobian curves (the engine's backward with a batch of H seeds)
LAYER_CURVES_S = 1.5
#: ... and their memory (the batch of H copies of every cell's gates: W · cells · G·H·H floats, a few copies)
LAYER_CURVES_BYTES = 300 * MiB
#: Backpropagation: the connectivity section's forward tangents for the three compared kinds
CONNECTIVITY_S = 4.0
#: Backpropagation: the gradient check (central differences: two forwards of the window per entry)
GRADCHECK_S = 2.0
#: Backpropagation: the LSTM's gradient norm against the recurrent scale (a forward and backward per scale)
SCALE_SWEEP_S = 2.0

# ---- what the studies never exceed, whatever the budget allows (the pages' own designs) ----------------------
MAX_TOKENS = 2000            # lstm_viz.ui.cache.MAX_TOKENS: tokens of any text
MAX_CHAIN_STEPS = 200        # Jacobian chain window
MAX_LAYER_CURVE_STEPS = 200  # per-layer curves window
MAX_CONNECTIVITY_TOKENS = 150
MAX_GRADCHECK_STEPS = 300
MIN_USEFUL_WINDOW = 8        # fewer steps than this make no curve worth drawing: the page says so instead

#: gate blocks G per kind (LSTM i f g o, GRU r z n, RNN one)
GATES = {"lstm": 4, "gru": 3, "rnn": 1}
#: the kinds the Vanishing gradients and Backpropagation pages compare (a fresh layer of each, same sizes)
COMPARED = ("rnn", "lstm", "gru")
#: H×H products per chain step (lstm_viz.analysis.jacobians: LSTM two GEMMs, GRU and RNN one)
CHAIN_GEMMS = {"lstm": 2, "gru": 1, "rnn": 1}

#: Forward-equivalent passes over the whole text a page runs, beyond the trace every page has:
#: (passes of the chosen cell, passes of each compared kind). Vanishing gradients runs each compared kind over
#: the text once (the states entering its window); Backpropagation runs the cell's backward and contributions
#: (≈ 3 passes) and each compared kind's forward and backward (≈ 3 passes).
PAGE_PASSES = {
    "vanishing_gradients": (0, 1),
    "backpropagation": (3, 3),
}


@dataclass(frozen=True)
class Cell:
    """One recurrent cell's sizes: kind, input size I, hidden size H."""

    kind: str
    input_size: int
    hidden_size: int

    @property
    def gates(self) -> int:
        return GATES.get(self.kind, 4)

    @property
    def step_macs(self) -> int:
        """Multiply-adds of one forward step: G·H·(I + H)."""
        return self.gates * self.hidden_size * (self.input_size + self.hidden_size)

    @property
    def step_seconds(self) -> float:
        """Seconds of one forward step: the recurrent G·H·H multiply-adds at the matrix × vector rate for the
        size of W_hh, the input's G·H·I at the matrix product rate (the engine projects every step's input
        with one GEMM before the loop)."""
        recurrent = self.gates * self.hidden_size * self.hidden_size
        cached = 8 * recurrent <= CACHED_WEIGHT_BYTES
        inputs = self.gates * self.hidden_size * self.input_size
        return recurrent / (CACHED_MATVEC_MACS_PER_S if cached else MATVEC_MACS_PER_S) + inputs / GEMM_MACS_PER_S

    @property
    def step_bytes(self) -> int:
        """Bytes one step adds to a float64 trace: G gates + h, c, tanh c (GRU: hn) + the input."""
        return 8 * ((self.gates + 3) * self.hidden_size + self.input_size)


def cells_of(network) -> list[Cell]:
    """Every cell (layer × direction) of an LSTM / GRU / RNN or a stacked / bidirectional network (a list of
    Cells is taken as it is: the sizes alone, for planning)."""
    if isinstance(network, (list, tuple)):
        return list(network)
    layers = int(getattr(network, "num_layers", 1) or 1)
    directions = int(getattr(network, "num_directions", 1) or 1)
    cells = []
    for layer in range(layers):
        for direction in range(directions):
            cell = network.cell(layer, direction) if hasattr(network, "cell") else network
            cells.append(Cell(str(getattr(cell, "kind", "lstm")), int(cell.input_size), int(cell.hidden_size)))
    return cells


def compared(cell: Cell, kinds=COMPARED) -> list[Cell]:
    """A cell of every compared kind with ``cell``'s sizes (the fresh layers the pages compare)."""
    return [Cell(kind, cell.input_size, cell.hidden_size) for kind in kinds]


# ---- the whole text ------------------------------------------------------------------------------------------

def token_work(network, page: str = "") -> tuple[float, int]:
    """(seconds, bytes) one token of the text costs ``page``: the network's forward step, the extra passes the
    page runs (its largest cell, every compared kind), and the bytes of the trace."""
    cells = cells_of(network)
    cell_passes, compared_passes = PAGE_PASSES.get(page, (0, 0))
    biggest = max(cells, key=lambda c: c.step_macs)
    seconds = sum(c.step_seconds for c in cells) + cell_passes * biggest.step_seconds
    seconds += compared_passes * sum(c.step_seconds for c in compared(biggest))
    return seconds, sum(c.step_bytes for c in cells)


def token_cap(network, page: str = "", most: int = MAX_TOKENS) -> int:
    """How many tokens of the text ``page`` may read with ``network`` (at least 1, at most ``most``):
    T · seconds per token ≤ FORWARD_S and T · trace bytes per token ≤ TRACE_BYTES."""
    seconds, nbytes = token_work(network, page)
    cap = min(int(FORWARD_S // seconds) if seconds > 0 else most, int(TRACE_BYTES // max(nbytes, 1)), int(most))
    return max(cap, 1)


# ---- Vanishing gradients -------------------------------------------------------------------------------------

def chain_step_work(cell: Cell, kinds=COMPARED) -> tuple[float, int]:
    """(seconds, bytes) of one window step of the gradient study for ``kinds`` at ``cell``'s sizes: each kind's
    chain GEMMs and σ_max (H³ each), its backward for the contributions (≈ 2 passes) and the window's
    forward; bytes of the H×H matrices the batched σ_max holds (the matrix, its Gram matrix, LAPACK's copy)."""
    H = cell.hidden_size
    seconds = 0.0
    for other in compared(cell, kinds):
        seconds += CHAIN_GEMMS[other.kind] * H**3 / GEMM_MACS_PER_S + H**3 / SVD_CUBES_PER_S
        seconds += 3 * other.step_seconds
    return seconds, 3 * 8 * H * H


def chain_window_cap(cell: Cell, kinds=COMPARED, most: int = MAX_CHAIN_STEPS) -> int:
    """Steps of the Jacobian chains on Vanishing gradients: W · seconds ≤ CHAIN_S and min(W, 64) matrices in
    memory ≤ CHAIN_BYTES (0 when fewer than MIN_USEFUL_WINDOW fit: the page says the network is too large)."""
    seconds, nbytes = chain_step_work(cell, kinds)
    cap = min(int(CHAIN_S // seconds), int(CHAIN_BYTES // nbytes), int(most))
    return cap if cap >= MIN_USEFUL_WINDOW else 0


def largest_chain_hidden(input_size: int, kinds=COMPARED) -> int:
    """The largest hidden size whose Jacobian chains still fit the budget (for the "too large" message)."""
    hidden = 1
    while chain_window_cap(Cell("lstm", int(input_size), hidden * 2), kinds) > 0 and hidden < 4096:
        hidden *= 2
    low, high = hidden, hidden * 2        # fits at low, not at high
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if chain_window_cap(Cell("lstm", int(input_size), middle), kinds) else (low, middle)
    return low


def layer_curves_cap(network, most: int = MAX_LAYER_CURVE_STEPS) -> int:
    """Positions of the per-layer Jacobian curves of a stack: the engine's backward with a batch of H seeds costs
    ~1 ms per (cell, step) plus H·(G·H)·H multiply-adds; it holds W·G·H·H floats per cell, a few times over."""
    cells = cells_of(network)
    seconds = sum(1e-3 + c.hidden_size * c.step_macs / GEMM_MACS_PER_S for c in cells)
    nbytes = sum(4 * 8 * c.gates * c.hidden_size * c.hidden_size for c in cells)
    cap = min(int(LAYER_CURVES_S // seconds), int(LAYER_CURVES_BYTES // nbytes), int(most))
    return cap if cap >= MIN_USEFUL_WINDOW else 0


# ---- Backpropagation -----------------------------------------------------------------------------------------

def connectivity_seconds(cell: Cell, tokens: int) -> float:
    """Forward tangents of ``tokens`` steps for the compared kinds: Σ_t G·H·(t+1)·I·(2H + elementwise)."""
    pairs = tokens * (tokens + 1) / 2                   # Σ_t (t + 1) blocks of I columns
    total = 0.0
    for kind in COMPARED:
        G = GATES[kind]
        columns = pairs * cell.input_size
        total += 2 * G * cell.hidden_size**2 * columns / GEMM_MACS_PER_S + 8 * G * cell.hidden_size * columns * ELEMENT_S
    return total


def connectivity_cap(cell: Cell, most: int = MAX_CONNECTIVITY_TOKENS) -> int:
    """Tokens of the connectivity section: the largest n with connectivity_seconds(n) ≤ CONNECTIVITY_S (≥ 1)."""
    n = int(most)
    while n > 1 and connectivity_seconds(cell, n) > CONNECTIVITY_S:
        n = max(1, int(n * 0.9))
    return n


def gradcheck_window_cap(cell: Cell, entries: int, most: int = MAX_GRADCHECK_STEPS) -> int:
    """Steps of the gradient check: every compared kind runs a forward and backward (3 passes) and two forwards
    per entry over the window."""
    per_step = sum((3 + 2 * int(entries)) * other.step_seconds for other in compared(cell))
    return max(1, min(int(most), int(GRADCHECK_S // per_step)))


def scale_sweep_cap(cell: Cell, scales: int, most: int) -> int:
    """Tokens of the LSTM's recurrent-scale sweep: a forward and backward (3 passes) per scale."""
    per_token = 3 * int(scales) * Cell("lstm", cell.input_size, cell.hidden_size).step_seconds
    return max(1, min(int(most), int(SCALE_SWEEP_S // per_token)))


