"""The real model: weights verified, and the NumPy question embedder gives sentence-transformers' vectors."""

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from assistant.bert import PACKED_TOKENS, NumpyMeanPoolingEmbedder, erf, packed
from assistant.embeddings import has_mean_pooling_layout, packaged_model_path, question_embedder, verify_weights
from assistant.errors import ModelError

TEXTS = [
    "Who refused to meet Lloyd Austin in Singapore?",
    "short",
    "long " * 600,  # past the 256-token limit: both must truncate the same way
    "Beijing’s “core interests” — é ü 中国",
]


def test_packaged_weights_have_the_published_sha256() -> None:
    verify_weights(packaged_model_path())


def test_tampered_weights_are_refused(tmp_path: Path) -> None:
    (tmp_path / "model.safetensors").write_bytes(b"not the model")
    with pytest.raises(ModelError, match="sha256"):
        verify_weights(tmp_path)


def test_erf_is_accurate_to_a_few_float32_roundings() -> None:
    import math

    points = np.linspace(-6, 6, 2001, dtype=np.float32)
    assert (
        np.abs(erf(points) - np.array([math.erf(x) for x in points.tolist()])).max() < 5e-7
    )  # the approximation (1.5e-7) plus float32 rounding


def test_packaged_model_has_the_mean_pooling_layout() -> None:
    assert has_mean_pooling_layout(packaged_model_path())


def test_a_folder_without_sentence_transformers_config_gets_no_fast_path(tmp_path: Path) -> None:
    assert not has_mean_pooling_layout(tmp_path)


@pytest.mark.slow
def test_question_embedder_matches_sentence_transformers(real_embedder) -> None:
    quick = question_embedder(None, 64)
    assert isinstance(quick, NumpyMeanPoolingEmbedder)  # not the torch model
    expected = real_embedder.embed(TEXTS)
    assert np.abs(quick.embed(TEXTS) - expected).max() < 1e-5
    one_by_one = np.stack([quick.embed([text])[0] for text in TEXTS])
    assert np.abs(one_by_one - expected).max() < 1e-5
    # More tokens than one forward pass packs: several passes, the vectors in order.
    assert np.abs(quick.embed(TEXTS * 3) - np.tile(expected, (3, 1))).max() < 1e-5


def test_texts_are_packed_in_order_up_to_the_token_budget() -> None:
    def encoding(tokens: int) -> SimpleNamespace:
        return SimpleNamespace(ids=[0] * tokens)

    texts = [encoding(20), encoding(5), encoding(PACKED_TOKENS - 20), encoding(PACKED_TOKENS + 5), encoding(3)]

    groups = packed(texts)  # type: ignore[arg-type]

    assert [[len(text.ids) for text in group] for group in groups] == [
        [20, 5],
        [PACKED_TOKENS - 20],
        [PACKED_TOKENS + 5],  # longer than the budget: alone
        [3],
    ]


@pytest.mark.slow
def test_question_embedder_is_safe_from_many_threads(real_embedder) -> None:
    from concurrent.futures import ThreadPoolExecutor

    quick = question_embedder(None, 64)
    assert isinstance(quick, NumpyMeanPoolingEmbedder)  # not the torch model
    expected = real_embedder.embed(TEXTS)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda i: quick.embed([TEXTS[i % len(TEXTS)]])[0], range(64)))
    for i, vector in enumerate(results):
        assert np.abs(vector - expected[i % len(TEXTS)]).max() < 1e-5
