"""Worst cases a visitor can trigger: one page, one hostile input, wall time and peak memory of the app run.

Each case runs in its own Python process (so peak RSS is that run's): the app is opened once on a tiny text
(imports, Streamlit, caches warmed), then the hostile input is applied and the page rerun; the script prints
the seconds of that rerun (for an upload: of the run that reads the file, after a run with the long text) and
the process's peak RSS before and after it (``resource.getrusage``).

    python benchmarks/bench_hostile.py                         # every case below
    python benchmarks/bench_hostile.py vanishing_gradients:lstm1024
    python benchmarks/bench_hostile.py --load lstm1024z        # just load an upload (memory of the loader)

Cases are "page:model" with model one of: random256 (the sidebar's largest random LSTM), deep256 (4 layers,
bidirectional, H = 256), lstm1024 / gru1024 / rnn1024 (an upload with H = 1024, float16 so it fits the 20 MB
upload limit), lstm1024z (float64, compressed: the 7.7 MB file of issue 13), lstm512 (float32 upload).
Timings on a shared machine are noisy: print ``/proc/loadavg`` with them and compare same-run ratios.
"""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TEXT = ("the quick brown fox jumps over the lazy dog. " * 50)[:2000]   # 2,000 characters = 2,000 tokens
PAGES = ("step_by_step", "gate_heatmaps", "vanishing_gradients", "theory", "backpropagation")
MODELS = ("random256", "deep256", "lstm1024", "gru1024", "rnn1024")


def upload_bytes(name: str) -> bytes:
    """An .npz weight file of the named hostile model."""
    from lstm_viz import GRU, LSTM, RNN

    hidden = int("".join(ch for ch in name if ch.isdigit()))
    kind = "".join(ch for ch in name if ch.isalpha()).rstrip("z")
    layer = {"lstm": LSTM, "gru": GRU, "rnn": RNN}[kind](16, hidden, seed=0)
    buffer = io.BytesIO()
    if name.endswith("z"):   # float64 values with few distinct mantissas: compresses like a quantised export
        state = {k: np.round(np.asarray(v, dtype=np.float64) * 64) / 64 for k, v in layer.state_dict().items()}
        np.savez_compressed(buffer, kind=np.array(kind), **state)
    else:
        dtype = np.float32 if hidden <= 512 else np.float16
        np.savez(buffer, kind=np.array(kind), **{k: np.asarray(v, dtype=dtype) for k, v in layer.state_dict().items()})
    return buffer.getvalue()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def upload_file(model: str) -> str:
    """(in the parent) write the upload to a temporary file, so building it costs the child nothing."""
    handle = tempfile.NamedTemporaryFile(suffix=".npz", delete=False)
    handle.write(upload_bytes(model))
    handle.close()
    return handle.name


def run_case(page: str, model: str, path: str | None) -> dict:
    """(in the child process) open the app on ``page`` with a tiny text, then apply the hostile input."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    query = {"page": page, "text": "warm up", "src": "random", "hidden": "8"}
    at.query_params.update(query)
    at.run()
    before = peak_mb()
    start = time.perf_counter()
    if model in ("random256", "deep256"):
        at.session_state["lstmx.hidden"] = 256
        if model == "deep256":
            at.session_state["lstmx.layers"] = 4
            at.session_state["lstmx.bidir"] = True
        at.session_state["lstmx.text"] = TEXT
        at.run()
    else:
        data = Path(path).read_bytes()
        at.session_state["lstmx.src"] = "upload"
        at.session_state["lstmx.text"] = TEXT
        at.run()
        upload_start = time.perf_counter()      # the page run with the upload alone
        at.file_uploader(key="lstmx.upload").upload(f"{model}.npz", data).run()
        start = upload_start
    seconds = time.perf_counter() - start
    ctx = at.session_state["lstmx.ctx"] if "lstmx.ctx" in at.session_state else None
    return {"page": page, "model": model, "seconds": round(seconds, 2), "rss_before_mb": round(before),
            "rss_peak_mb": round(peak_mb()), "tokens": None if ctx is None else ctx.T,
            "exceptions": [e.value[:200] for e in at.exception],
            "notes": [w.value[:160] for w in list(at.warning) + list(at.info)][:6]}


def load_case(model: str, path: str) -> dict:
    """(in the child process) memory of reading one upload with the app's loader (RSS and tracemalloc peaks)."""
    from lstm_viz.ui import cache

    data = Path(path).read_bytes()
    before = peak_mb()
    tracemalloc.start()
    start = time.perf_counter()
    try:
        model_obj, _notes = cache.load_uploaded(data)
        outcome = f"loaded H={model_obj.hidden_size}"
    except ValueError as exc:
        outcome = f"refused: {exc}"[:200]
    seconds = time.perf_counter() - start
    traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
    return {"load": model, "file_mb": round(len(data) / 2**20, 1), "seconds": round(seconds, 2),
            "traced_peak_mb": round(traced_peak),
            "rss_before_mb": round(before), "rss_peak_mb": round(peak_mb()), "outcome": outcome}


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        page, model, path = argv[1], argv[2], (argv[3] if len(argv) > 3 else None)
        print(json.dumps(load_case(model, path) if page == "--load" else run_case(page, model, path)))
        return
    if argv[:1] == ["--load"]:
        cases = [("--load", m) for m in (argv[1:] or ["lstm1024z", "lstm512"])]
    else:
        cases = [tuple(c.split(":")) for c in argv] or [(p, m) for m in MODELS for p in PAGES]
    print("loadavg", Path("/proc/loadavg").read_text().strip())
    for page, model in cases:
        path = [] if model in ("random256", "deep256") else [upload_file(model)]
        out = subprocess.run([sys.executable, __file__, "--child", page, model, *path], capture_output=True,
                             text=True, timeout=900, cwd=ROOT)
        for name in path:
            Path(name).unlink()
        line = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else out.stderr.strip()[-300:]
        print(line, flush=True)
    print("loadavg", Path("/proc/loadavg").read_text().strip())


if __name__ == "__main__":
    main(sys.argv[1:])
