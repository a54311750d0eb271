"""Benchmark the Streamlit pages: script time after a change, and the data each page sends to the browser.

For a 500-token text and H = 64, every page that exists is opened through app.py (st.navigation) with
Streamlit's AppTest, warmed up once, then re-run after a step change (the usual interaction). Printed per page:

* run time of the whole script (app.py + page) after the change: median and max of N runs (target < 0.5 s);
* bytes sent: serialized size of all ForwardMsgs of one run (deltas with the element protos, figure JSON
  included) and the figure JSON alone (target < 1.5 MB per page).

    python benchmarks/bench_app.py [--runs 5] [--hidden 64] [--tokens 500]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# The AppTest set-up the tests use (tests/ and benchmarks/ are both development-only, outside the image).
sys.path.insert(0, str(ROOT / "tests"))

from apptest_support import registered_pages  # noqa: E402

TARGET_SECONDS = 0.5
TARGET_BYTES = 1.5e6


class MessageMeter:
    """Capture the ForwardMsgs of each AppTest run (sizes of the protos as sent over the websocket)."""

    def __init__(self):
        from streamlit.testing.v1 import local_script_runner

        self.last_bytes = 0
        self.last_figure_bytes = 0
        original = local_script_runner.LocalScriptRunner.forward_msgs
        meter = self

        def forward_msgs(runner):
            messages = original(runner)
            meter.last_bytes = sum(m.ByteSize() for m in messages)
            meter.last_figure_bytes = sum(
                len(m.delta.new_element.plotly_chart.spec)
                for m in messages
                if m.HasField("delta") and m.delta.WhichOneof("type") == "new_element"
                and m.delta.new_element.WhichOneof("type") == "plotly_chart"
            )
            return messages

        local_script_runner.LocalScriptRunner.forward_msgs = forward_msgs


def sample_text(tokens: int) -> str:
    base = ("An LSTM keeps a cell state c, a conveyor belt that the forget gate f scales and the input gate i "
            "writes to; the output gate o decides what the hidden state h shows. (Brackets [nest] and \"quotes\" "
            "open and close.) ")
    text = base * (tokens // len(base) + 1)
    return text[:tokens]


def bench_page(page: str, text: str, hidden: int, runs: int, meter: MessageMeter) -> dict:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"page": page, "src": "random", "text": text, "hidden": str(hidden), "step": "10", "unit": "5"})
    t0 = time.perf_counter()
    at.run()                                   # cold: builds the model and the trace, fills the caches
    cold = time.perf_counter() - t0
    if at.exception:
        return {"page": page, "error": at.exception[0].value.splitlines()[0][:120]}
    times, sizes, figure_sizes = [], [], []
    for k in range(runs):
        at.session_state["lstmx.step"] = 20 + 37 * k        # the change: another time step
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
        sizes.append(meter.last_bytes)
        figure_sizes.append(meter.last_figure_bytes)
    return {"page": page, "cold": cold, "median": statistics.median(times), "max": max(times),
            "bytes": max(sizes), "figure_bytes": max(figure_sizes), "exception": bool(at.exception)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--tokens", type=int, default=500)
    args = parser.parse_args()

    meter = MessageMeter()
    text = sample_text(args.tokens)
    pages = registered_pages()  # app.py's menu order (reruns go through app.py, as on the server)
    print(f"text: {args.tokens} character tokens, H = {args.hidden}, {args.runs} runs after a step change per page")
    print(f"{'page':<22}{'cold s':>9}{'median s':>10}{'max s':>8}{'sent MB':>10}{'figures MB':>12}  verdict")
    for page in pages:
        row = bench_page(page, text, args.hidden, args.runs, meter)
        if "error" in row:
            print(f"{page:<22}  failed: {row['error']}")
            continue
        ok = row["median"] < TARGET_SECONDS and row["bytes"] < TARGET_BYTES and not row["exception"]
        print(f"{page:<22}{row['cold']:>9.2f}{row['median']:>10.3f}{row['max']:>8.3f}"
              f"{row['bytes'] / 1e6:>10.3f}{row['figure_bytes'] / 1e6:>12.3f}  {'ok' if ok else 'OVER TARGET'}")
    print(f"targets: script run < {TARGET_SECONDS} s, data per page < {TARGET_BYTES / 1e6} MB "
          "(AppTest timing includes its own overhead; 2 shared cores)")


if __name__ == "__main__":
    main()
