"""Print the units of a shipped language model that best follow each built-in label.

    python scripts/find_cells.py                          # python-code on held-out standard-library files
    python scripts/find_cells.py --model tang-poetry --file poems.txt
    python scripts/find_cells.py --regex "self" --top 3

Without ``--file``, the python-code model is probed on the validation files of its training split
(every 25th standard-library file, never trained on), the first ``--chars`` characters.
"""

from __future__ import annotations

import argparse
import sys
import sysconfig
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lstm_viz.analysis import probes as cells  # noqa: E402
from lstm_viz.data.pretrained import load_pretrained  # noqa: E402


def held_out_stdlib(n_chars: int) -> str:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(
        p for p in stdlib.rglob("*.py")
        if "site-packages" not in p.parts and not any(part in ("test", "tests", "idle_test") for part in p.parts)
    )
    parts, total = [], 0
    for k, path in enumerate(files):
        if k % 25 != 0:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        parts.append(text)
        total += len(text)
        if total >= n_chars:
            break
    return "\n".join(parts)[:n_chars]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="python-code")
    ap.add_argument("--file", type=Path, default=None)
    ap.add_argument("--chars", type=int, default=20_000)
    ap.add_argument("--regex", action="append", default=[])
    ap.add_argument("--top", type=int, default=3)
    args = ap.parse_args(argv)
    lm = load_pretrained(args.model)
    if args.file:
        text = args.file.read_text(encoding="utf-8")[: args.chars]
    else:
        text = held_out_stdlib(args.chars)
    text = text[: cells.MAX_TEXT_CHARS]
    h, c = lm.hidden_states(text)
    print(f"{args.model}: {len(text):,} characters, {lm.bits_per_char(text):.3f} bits/char")
    labels = {name: cells.builtin_label(name, text) for name in cells.BUILTIN_LABELS}
    for pattern in args.regex:
        labels[f"regex {pattern}"] = cells.regex_label(pattern, text[: cells.MAX_REGEX_TEXT_CHARS])
    for name, y in labels.items():
        n = y.size
        for state, acts in (("h", h), ("c", c)):
            try:
                ranked = cells.rank_units(acts[:n], y, top=args.top)
            except ValueError as exc:
                print(f"{name:>16} {state}: {exc}")
                continue
            best = ", ".join(f"{state}[{s.unit}] r={s.r:+.3f}" for s in ranked)
            print(f"{name:>16} {state}: {best}")


if __name__ == "__main__":
    main()
