"""Train the character-level language models shipped in ``lstm_viz/data/weights/``.

    python scripts/train_lm.py --corpus python   # CPython standard library source (read at training time)
    python scripts/train_lm.py --corpus poetry   # Tang and Song poems from Debian's fortunes-zh package
    python scripts/train_lm.py --corpus tang --data DIR   # the Tang poems of the npm package chinese-poetry

Corpora are read at training time only and never shipped:

* ``python``: every ``.py`` file of the running interpreter's standard library
  (``sysconfig.get_paths()["stdlib"]``), without ``site-packages`` and the ``test`` packages.
  Every 25th file (sorted by path) is held out for validation.
* ``poetry``: the ``tang300`` (300 Tang poems) and ``song100`` (100 Song ci) fortune files of
  Debian's ``fortunes-zh`` package, plus the classical verse quotes (body + "-- author《title》")
  of its ``chinese`` file.  Install it first: ``sudo apt-get install fortunes-zh`` (the script finds its
  files with ``dpkg -L fortunes-zh``; only needed for training).
  Colour escape codes are stripped; every 10th item is held out for validation.
* ``tang``: the 57,607 Tang poems (``dist/quantangshi/poet.tang.*.json``) of the npm package
  ``chinese-poetry`` (MIT), converted from traditional to simplified script with OpenCC (PyPI
  ``opencc``, config ``t2s``).  ``--data`` is the unpacked package directory (the one holding
  ``package.json``; default ``node_modules/chinese-poetry``).  Each poem becomes
  ``《title》\n作者：author\n`` + its lines + ``\n``.  Poems in file order (files sorted by their
  first poem number): poem k is validation if k % 20 == 0, test if k % 20 == 10, training otherwise.
  The vocabulary is every character seen at least ``--min-count`` times in training (+ ``<unk>``).

Training: truncated BPTT over chunks of ``--seq-len`` characters with the state carried between
chunks, Adam, global-norm gradient clipping, cosine learning-rate decay over a wall-clock budget.
The checkpoint with the best validation bits/char is kept; a model card (``.md``) is written
next to the weights.  Set ``OMP_NUM_THREADS=1`` on a shared machine.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import math
import re
import sys
import sysconfig
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lstm_viz.nn.charlm import UNK, CharLM, CharLMConfig, batchify, evaluate_bits_per_char  # noqa: E402
from lstm_viz.nn.optim import Adam, clip_grad_norm  # noqa: E402

PRETRAINED_DIR = ROOT / "lstm_viz" / "data" / "weights"
FORTUNES_PACKAGE = "fortunes-zh"

PYTHON_EXAMPLE = """import re
import sys


class Config:
    \"\"\"Settings read from a simple key = value file.\"\"\"

    def __init__(self, path, defaults=None):
        self.path = path
        self.values = dict(defaults or {})  # copy: never share the caller's dict
        self.errors = []

    def load(self):
        with open(self.path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                line = line.split("#", 1)[0].strip()  # drop comments
                if not line:
                    continue
                if "=" not in line:
                    self.errors.append((number, 'missing "="'))
                    continue
                key, value = (part.strip() for part in line.split("=", 1))
                self.values[key] = self.parse(value)
        return self

    @staticmethod
    def parse(value):
        if value in ("true", "false"):
            return value == "true"
        if re.fullmatch(r"-?\\d+", value):
            return int(value)
        if value.startswith(("'", '"')) and value[-1] == value[0]:
            return value[1:-1]
        return [item.strip() for item in value.split(",") if item.strip()]

    def get(self, key, default=None):
        return self.values.get(key, default)


def main(argv):
    config = Config(argv[1] if len(argv) > 1 else "app.cfg", {"debug": False}).load()
    for number, message in config.errors:
        print(f"line {number}: {message}", file=sys.stderr)
    print({key: config.get(key) for key in sorted(config.values)})
"""

# Poems of the validation split (never trained on).
POETRY_EXAMPLE = (
    "《登幽州台歌》\n作者：陈子昂\n前不见古人，后不见来者。\n念天地之悠悠，独怆然而泪下。\n\n"
    "《临洞庭上张丞相》\n作者：孟浩然\n八月湖水平，涵虚混太清。\n气蒸云梦泽，波撼岳阳城。\n"
    "欲济无舟楫，端居耻圣明。\n坐观垂钓者，徒有羡鱼情。\n\n"
    "《酬程延秋夜即事见赠》\n作者：韩翃\n长簟迎风早，空城澹月华。\n星河秋一雁，砧杵夜千家。\n"
    "节候看应晚，心期卧已赊。\n向来吟秀句，不觉已鸣鸦。\n"
)

# Poems of the tang corpus's test split (k % 20 == 10), none of their lines in the training text.
TANG_EXAMPLE = (
    "《杂歌谣辞 襄阳曲 一》\n作者：李白\n襄阳行乐处，歌舞白铜鞮。\n江城回渌水，花月使人迷。\n\n"
    "《戏题》\n作者：孟浩然\n客醉眠未起，主人呼解酲。\n已言鸡黍熟，复道瓮头清。\n\n"
    "《皇甫岳云溪杂题五首 萍池》\n作者：王维\n春池深且广，会待轻舟回。\n靡靡绿萍合，垂杨埽复开。\n"
)

def python_corpus() -> tuple[str, str, str]:
    """(train text, validation text, description)."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(
        p
        for p in stdlib.rglob("*.py")
        if "site-packages" not in p.parts and not any(part in ("test", "tests", "idle_test") for part in p.parts)
    )
    train, valid = [], []
    for k, path in enumerate(files):
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        (valid if k % 25 == 0 else train).append(text)
    desc = (
        f"CPython {sys.version_info.major}.{sys.version_info.minor} standard library: {len(files)} .py files "
        "(no site-packages, no test packages); every 25th file held out for validation"
    )
    return "\n".join(train), "\n".join(valid), desc


def _fortunes_file(name: str) -> Path:
    """The installed file ``name`` of Debian's fortunes-zh package, located through dpkg's file list."""
    import subprocess

    try:
        listed = subprocess.run(["dpkg", "-L", FORTUNES_PACKAGE], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        listed = ""
    for line in listed.splitlines():
        path = Path(line.strip())
        if path.name == name and path.is_file():
            return path
    raise SystemExit(f"{name} not found: install Debian's {FORTUNES_PACKAGE} package (apt-get install {FORTUNES_PACKAGE})")


def _fortune_entries(name: str) -> list[str]:
    path = _fortunes_file(name)
    raw = re.sub(r"\x1b\[[0-9;]*m", "", path.read_text(encoding="utf-8"))  # colour escape codes
    return [entry.strip("%\n ") for entry in raw.split("\n%\n") if entry.strip("%\n ")]


def _classical_quote(entry: str) -> str | None:
    """A verse quote of the ``chinese`` file ("body" + "-- 作者《题》"), or None for anything else."""
    lines = [line.strip() for line in entry.split("\n") if line.strip()]
    if len(lines) < 2 or re.search(r"[A-Za-z0-9]", entry):  # skips the Debian texts and modern quotes
        return None
    if not re.match(r"^--\s*\S{1,6}《[^》]+》$", lines[-1]):  # an author and a titled work
        return None
    if re.search(r"[的们这吗呢么]", entry):  # modern prose (classical verse has none of these)
        return None
    return "\n".join(lines[:-1]) + "\n" + lines[-1]


def poetry_corpus() -> tuple[str, str, str]:
    """(train text, validation text, description) from fortunes-zh."""
    poems = [p + "\n" for name in ("tang300", "song100") for p in _fortune_entries(name)]
    n_poems = len(poems)
    quotes = [q + "\n" for q in map(_classical_quote, _fortune_entries("chinese")) if q]
    items = poems + quotes
    train = [p for k, p in enumerate(items) if k % 10 != 0]
    valid = [p for k, p in enumerate(items) if k % 10 == 0]
    desc = (
        f"Debian fortunes-zh: tang300 (Tang poems) + song100 (Song ci), {n_poems} poems with title and author "
        f"lines, plus the {len(quotes)} classical verse quotes of its `chinese` file (entries without Latin "
        "letters or digits whose last line is \"-- author《title》\", without the modern words 的们这吗呢么); every 10th item held out for validation"
    )
    return "\n".join(train), "\n".join(valid), desc


def _tang_files(data: Path) -> list[Path]:
    folder = data / "dist" / "quantangshi"
    if not folder.is_dir():
        folder = data / "quantangshi"  # a checkout of the repository rather than the npm package
    files = sorted(folder.glob("poet.tang.*.json"), key=lambda p: int(p.name.split(".")[2]))
    if not files:
        raise SystemExit(f"no poet.tang.*.json under {data}: pass --data, the unpacked chinese-poetry package")
    return files


def tang_corpus(data: Path | None) -> tuple[str, str, str, str]:
    """(train text, validation text, test text, description) from chinese-poetry's Tang poems, simplified."""
    import json

    try:
        import opencc
    except ImportError as err:  # only needed for training
        raise SystemExit("the tang corpus needs OpenCC: pip install opencc") from err
    converter = opencc.OpenCC("t2s")
    poems = []
    for path in _tang_files(Path(data or "node_modules/chinese-poetry")):
        for poem in json.loads(path.read_text(encoding="utf-8")):
            lines = [line.strip() for line in poem.get("paragraphs", []) if line.strip()]
            if not lines:
                continue
            poems.append(f"《{poem.get('title', '').strip()}》\n作者：{poem.get('author', '').strip()}\n"
                         + "\n".join(lines) + "\n")
    simplified = converter.convert("\x00".join(poems)).split("\x00")  # one call: fast, same result per poem
    if len(simplified) != len(poems):
        raise SystemExit("OpenCC changed the poem separators")
    train = [p for k, p in enumerate(simplified) if k % 20 not in (0, 10)]
    valid = [p for k, p in enumerate(simplified) if k % 20 == 0]
    test = [p for k, p in enumerate(simplified) if k % 20 == 10]
    desc = (
        f"npm package chinese-poetry (MIT), quantangshi: {len(simplified):,} Tang poems with title and author "
        "lines, converted to simplified script with OpenCC t2s; poems in file order, k % 20 == 0 validation "
        f"({len(valid):,} poems), k % 20 == 10 test ({len(test):,}), the rest training ({len(train):,})"
    )
    return "\n".join(train), "\n".join(valid), "\n".join(test), desc


def build_vocab_min_count(text: str, min_count: int) -> list[str]:
    """<unk> + every character seen at least ``min_count`` times, most frequent first."""
    counts = collections.Counter(text)
    return [UNK] + [ch for ch, n in counts.most_common() if n >= min_count]


def build_vocab(text: str, max_size: int) -> list[str]:
    counts = collections.Counter(text)
    return [UNK] + [ch for ch, _ in counts.most_common(max_size)]


def write_card(path: Path, model: CharLM, info: dict) -> None:
    cfg = model.config
    lines = [
        f"# {model.name}: character-level LSTM language model",
        "",
        "Embedding -> one LSTM layer (PyTorch gate order i, f, g, o) -> linear softmax head, trained with this "
        "package's own NumPy code (`scripts/train_lm.py --corpus " + info["corpus_key"] + "`).",
        "",
        "| | |",
        "|---|---|",
        f"| Corpus | {info['corpus']} |",
        f"| Training characters | {info['train_chars']:,} |",
        f"| Validation characters | {info['valid_chars']:,} |",
        f"| Vocabulary | {model.vocab_size} symbols ("
        + (f"the {model.vocab_size - 1} characters seen at least {info['min_count']} times in training"
           if info.get("min_count") else f"top {model.vocab_size - 1} characters") + " + `<unk>`); "
        f"{info['train_unk_rate'] * 100:.2f}% of training characters are `<unk>` |",
        f"| Embedding size E | {cfg.embed_size} |",
        f"| Hidden size H | {cfg.hidden_size} |",
        f"| Parameters | {model.num_parameters():,} (stored as float32"
        + (f"; file {info['file_mb']:.2f} MB" if info.get("file_mb") else "") + ") |",
        f"| Optimiser | Adam, lr {info['lr']} with cosine decay to 10% over each session's time budget, "
        f"global-norm clipping at {info['clip']} |",
        f"| Truncated BPTT | chunks of {info['seq_len']} characters, batch {info['batch_size']} streams, state carried |",
        f"| Updates | {info['updates']:,} ({info['chars_seen']:,} characters, {info['epochs']:.2f} epochs) |",
        f"| Training time | {info['train_minutes']:.1f} min wall clock (single thread, shared CPU"
        + (f"; {info['sessions']} sessions, each continuing from the previous weights" if info["sessions"] > 1 else "")
        + ") |",
        f"| Best checkpoint | update {info['best_update']:,} |",
        f"| Train loss (bits/char) | {info['train_bpc']:.3f} (last 50 updates, at the best checkpoint) |",
        f"| Validation loss (bits/char) | {info['valid_bpc']:.3f} (uniform over the vocabulary: "
        f"{math.log2(model.vocab_size):.2f}) |",
        *([f"| Test loss (bits/char) | {info['test_bpc']:.3f} on {info['test_chars']:,} held-out characters "
           "(never used for training or checkpoint selection) |"] if info.get("test_bpc") is not None else []),
        f"| Date | {info['date']} |",
        "",
        *([f"Trained with `{info['command']}` (`--data` = the unpacked package directory).", ""]
          if info.get("command") and info["corpus_key"] == "tang" else []),
        "Step t's hidden state predicts character t+1. Characters outside the vocabulary are read as `<unk>`.",
        "The training corpus is not shipped; the script reads it at training time.",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def _command_line(argv: list[str]) -> str:
    """The training command for the model card, without this machine's paths (--data, --out, --init)."""
    words, skip = ["python", "scripts/train_lm.py"], False
    for k, word in enumerate(argv):
        if skip:
            skip = False
            continue
        flag = word.split("=", 1)[0]
        if flag in ("--data", "--out", "--init"):
            if flag == "--data":
                words.append("--data DIR")
            skip = "=" not in word
            continue
        words.append(word)
    return " ".join(words)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", choices=("python", "poetry", "tang"), required=True)
    ap.add_argument("--data", type=Path, default=None, help="tang: the unpacked chinese-poetry package directory")
    ap.add_argument("--min-count", type=int, default=None,
                    help="keep the characters seen at least this often in training (instead of --vocab-size)")
    ap.add_argument("--hidden", type=int, default=None)
    ap.add_argument("--embed", type=int, default=32)
    ap.add_argument("--seq-len", type=int, default=100)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--clip", type=float, default=5.0)
    ap.add_argument("--minutes", type=float, default=20.0, help="wall-clock training budget")
    ap.add_argument("--max-epochs", type=float, default=50.0)
    ap.add_argument("--vocab-size", type=int, default=None, help="most frequent characters kept (+ <unk>)")
    ap.add_argument("--eval-every", type=int, default=200)
    ap.add_argument("--valid-chars", type=int, default=300_000, help="cap on validation characters per evaluation")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--init", type=Path, default=None,
                    help="continue training from this .npz (its vocabulary and sizes; totals are accumulated)")
    args = ap.parse_args(argv)

    if args.corpus == "python":
        train_text, valid_text, desc = python_corpus()
        name, example = "python-code", PYTHON_EXAMPLE
        hidden = args.hidden or 192
        vocab_size = args.vocab_size or 99
    elif args.corpus == "poetry":
        train_text, valid_text, desc = poetry_corpus()
        name, example = "tang-poetry", POETRY_EXAMPLE
        hidden = args.hidden or 128
        vocab_size = args.vocab_size or 3000
    else:
        train_text, valid_text, test_text, desc = tang_corpus(args.data)
        name, example = "tang-poetry", TANG_EXAMPLE
        hidden = args.hidden or 192
        vocab_size = args.vocab_size or 5000
    if args.corpus != "tang":
        test_text = ""
    out = args.out or PRETRAINED_DIR / f"{name}.npz"
    out.parent.mkdir(parents=True, exist_ok=True)

    previous = {"updates": 0, "chars_seen": 0, "train_minutes": 0.0, "sessions": 0, "lr_history": []}
    if args.init:
        model = CharLM.load(args.init, dtype=np.float32)
        model.name, model.example_text = name, example
        previous.update({k: model.info.get(k, v) for k, v in previous.items()})
        previous["sessions"] = max(1, int(previous["sessions"]))
    else:
        vocab = (build_vocab_min_count(train_text, args.min_count) if args.min_count
                 else build_vocab(train_text, vocab_size))
        model = CharLM(vocab, CharLMConfig(args.embed, hidden, 1.0, args.seed), name=name, example_text=example,
                       dtype=np.float32)
    train_ids = model.encode_ids(train_text)
    valid_ids = model.encode_ids(valid_text)
    unk_rate = float(np.mean(train_ids == model.unk_id))
    print(f"{name}: train {train_ids.size:,} chars, valid {valid_ids.size:,}, vocab {model.vocab_size}, "
          f"unk {unk_rate:.4%}, params {model.num_parameters():,}", flush=True)
    streams = batchify(train_ids, args.batch_size)  # (L, B)
    valid_streams = batchify(valid_ids[: args.valid_chars], min(args.batch_size, max(1, valid_ids.size // 200)))
    chunks_per_epoch = max(1, (streams.shape[0] - 1) // args.seq_len)
    adam = Adam(model.params, args.lr)
    budget = args.minutes * 60.0
    start = time.time()
    h = c = None
    # a continued session picks up the stream where the previous one stopped (same batch size and chunk length)
    pos = (previous["updates"] * args.seq_len) % max(1, streams.shape[0] - args.seq_len - 1)
    update, epoch = 0, 0.0
    recent = collections.deque(maxlen=50)
    best = {"valid_bpc": float("inf"), "update": 0, "train_bpc": float("nan")}
    best_params = None
    while True:
        elapsed = time.time() - start
        if elapsed > budget or epoch >= args.max_epochs:
            break
        if pos + args.seq_len + 1 > streams.shape[0]:
            pos, h, c = 0, None, None
        chunk = streams[pos : pos + args.seq_len + 1]
        pos += args.seq_len
        loss, grads, (h, c) = model.loss_and_grads(chunk, h, c)
        clip_grad_norm(grads, args.clip)
        frac = min(1.0, elapsed / budget)
        adam.lr = args.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))
        adam.step(grads)
        update += 1
        epoch = update / chunks_per_epoch
        recent.append(loss / math.log(2))
        if update % args.eval_every == 0:
            vbpc = evaluate_bits_per_char(model, valid_streams, args.seq_len)
            tbpc = float(np.mean(recent))
            print(f"update {update} epoch {epoch:.2f} {elapsed / 60:.1f} min lr {adam.lr:.2e} "
                  f"train {tbpc:.3f} valid {vbpc:.3f} bpc", flush=True)
            if vbpc < best["valid_bpc"]:
                best = {"valid_bpc": vbpc, "update": update, "train_bpc": tbpc}
                best_params = {n: a.copy() for n, a in model.params.items()}
                model.save(out)
            print("  sample:", repr(model.sample(120, prime=example[:20], temperature=0.7, seed=update)), flush=True)
    train_minutes = (time.time() - start) / 60
    vbpc = evaluate_bits_per_char(model, valid_streams, args.seq_len)  # the final weights may be the best
    if vbpc < best["valid_bpc"]:
        best = {"valid_bpc": vbpc, "update": update, "train_bpc": float(np.mean(recent))}
        best_params = {n: a.copy() for n, a in model.params.items()}
    for n, a in best_params.items():  # back to the best checkpoint (params is a read-only view of live arrays)
        np.copyto(model.params[n], a)
    model.weights_changed()
    full_valid = evaluate_bits_per_char(model, batchify(valid_ids, min(args.batch_size, max(1, valid_ids.size // 200))),
                                        args.seq_len)
    test_bpc = None
    if test_text:
        test_ids = model.encode_ids(test_text)
        test_bpc = evaluate_bits_per_char(model, batchify(test_ids, min(args.batch_size, max(1, test_ids.size // 200))),
                                          args.seq_len)
        print(f"test {test_ids.size:,} chars: {test_bpc:.3f} bpc", flush=True)
    total_updates = previous["updates"] + update
    total_chars = previous["chars_seen"] + update * args.seq_len * args.batch_size
    total_minutes = previous["train_minutes"] + train_minutes
    sessions = previous["sessions"] + 1
    model.info = {
        "updates": total_updates,
        "chars_seen": total_chars,
        "sessions": sessions,
        "lr_history": list(previous["lr_history"]) + [args.lr],
        "corpus": desc,
        "train_chars": int(train_ids.size),
        "valid_chars": int(valid_ids.size),
        "train_bpc": round(best["train_bpc"], 4),
        "valid_bpc": round(full_valid, 4),
        **({"test_bpc": round(test_bpc, 4), "test_chars": int(test_ids.size)} if test_bpc is not None else {}),
        "train_minutes": round(total_minutes, 1),
        "date": dt.date.today().isoformat(),
    }
    model.save(out)
    write_card(out.with_suffix(".md"), model, {
        "corpus_key": args.corpus, "corpus": desc, "file_mb": out.stat().st_size / 1e6, "min_count": args.min_count if not args.init else None, "train_chars": int(train_ids.size),
        "valid_chars": int(valid_ids.size), "train_unk_rate": unk_rate, "lr": ", then ".join(f"{lr:g}" for lr in list(previous["lr_history"]) + [args.lr]),
        "clip": args.clip,
        "seq_len": args.seq_len, "batch_size": args.batch_size, "updates": total_updates,
        "chars_seen": total_chars, "epochs": total_chars / max(1, train_ids.size), "train_minutes": total_minutes,
        "sessions": sessions, "best_update": previous["updates"] + best["update"], "train_bpc": best["train_bpc"], "valid_bpc": full_valid,
        "test_bpc": test_bpc, "test_chars": int(test_ids.size) if test_bpc is not None else 0,
        "command": _command_line(argv if argv is not None else sys.argv[1:]),
        "date": dt.date.today().isoformat(),
    })
    print(f"done: {out} ({out.stat().st_size / 1e6:.2f} MB), valid {full_valid:.3f} bpc, "
          f"{train_minutes:.1f} min", flush=True)


if __name__ == "__main__":
    main()
