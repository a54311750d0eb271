"""Every shipped model's example text is inside that model's own vocabulary, read from its .npz file.

The vocabulary and the example come straight from the file (``vocab`` array, ``meta_json``), so a retrained
file with another vocabulary is checked as it is shipped; what ``load_pretrained`` hands out is checked too.
"""

import json

import numpy as np
import pytest

from lstm_viz.data.pretrained import PRETRAINED_DIR, list_pretrained, load_pretrained, model_kind

NAMES = list_pretrained()


def file_vocab_and_example(name: str) -> tuple[set[str], str]:
    with np.load(PRETRAINED_DIR / f"{name}.npz", allow_pickle=False) as data:
        vocab = {str(token) for token in data["vocab"].tolist()}
        meta = json.loads(str(data["meta_json"]))
    return vocab, str(meta.get("example_text", ""))


def test_models_are_shipped():
    assert {"python-code", "tang-poetry"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_the_example_text_is_in_the_files_vocabulary(name):
    vocab, example = file_vocab_and_example(name)
    assert example.strip(), f"{name} ships no example text"
    model = load_pretrained(name)
    assert model.example_text == example          # the app shows the file's example
    if model_kind(name) == "char-lm":
        outside = sorted({ch for ch in example if ch not in vocab})
    else:
        outside = sorted({token for token in model.tokenize(example) if token not in vocab})   # its own tokenizer
        assert outside == sorted(set(model.unknown_tokens(example)))
    assert outside == [], f"{name}: {len(outside)} character(s)/token(s) of the example are not in the vocabulary: {outside}"
