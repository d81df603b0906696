"""The embedding cache: unchanged text is never embedded twice, even across runs."""

from pathlib import Path

import numpy as np
from conftest import FakeEmbedder

from assistant.cache import EmbeddingCache


def test_cached_texts_are_not_embedded_again_and_survive_reopening(tmp_path: Path) -> None:
    embedder = FakeEmbedder()
    cache = EmbeddingCache(tmp_path / "cache.sqlite", "model-a")
    first, embedded = cache.embed(["alpha beta", "gamma"], embedder)
    cache.close()

    reopened = EmbeddingCache(tmp_path / "cache.sqlite", "model-a")
    again, embedded_again = reopened.embed(["gamma", "alpha beta", "delta"], embedder)
    reopened.close()

    assert (embedded, embedded_again) == (2, 1)
    assert embedder.texts == ["gamma", "alpha beta", "delta"]  # shortest first
    np.testing.assert_array_equal(again[:2], first[::-1])
    assert again.dtype == np.float32 and again.shape == (3, 384)


def test_vectors_are_keyed_by_model(tmp_path: Path) -> None:
    embedder = FakeEmbedder()
    EmbeddingCache(tmp_path / "cache.sqlite", "model-a").embed(["alpha"], embedder)

    _, embedded = EmbeddingCache(tmp_path / "cache.sqlite", "model-b").embed(["alpha"], embedder)

    assert embedded == 1


def test_duplicates_are_embedded_once_and_progress_ends_at_the_total(tmp_path: Path) -> None:
    embedder = FakeEmbedder()
    cache = EmbeddingCache(tmp_path / "cache.sqlite", "model-a")
    cache.embed(["cached"], embedder)
    steps: list[int] = []
    texts = ["cached", "one", "two", "one", "three", "two", "one"]

    vectors, embedded = cache.embed(texts, embedder, batch_size=2, on_progress=steps.append)

    assert embedded == 3 and embedder.texts == ["cached", "one", "two", "three"]
    assert sum(steps) == len(texts)
    assert len(vectors) == len(texts)
    np.testing.assert_array_equal(vectors[1], vectors[6])


def test_no_texts_no_vectors(tmp_path: Path) -> None:
    vectors, embedded = EmbeddingCache(tmp_path / "cache.sqlite", "m").embed([], FakeEmbedder())

    assert vectors.shape == (0, 384) and embedded == 0


def test_texts_are_embedded_in_batches_of_like_length_and_returned_in_their_order(tmp_path: Path) -> None:
    class Recording(FakeEmbedder):
        def __init__(self) -> None:
            super().__init__()
            self.batches: list[list[str]] = []

        def embed(self, texts: list[str]) -> np.ndarray:
            self.batches.append(list(texts))
            return super().embed(texts)

    texts = ["a long sentence about the okapi and its forest", "short", "a long sentence about tapirs", "tiny"]
    embedder = Recording()
    vectors, _ = EmbeddingCache(tmp_path / "cache.sqlite", "model-a").embed(texts, embedder, batch_size=2)

    # A batch is padded to its longest text: the two short texts go together, then the two long ones.
    assert embedder.batches == [["tiny", "short"], ["a long sentence about tapirs", texts[0]]]
    np.testing.assert_array_equal(vectors, FakeEmbedder().embed(texts))
