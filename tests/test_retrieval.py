"""Query expansion: corpus words close in meaning to the question's words join its BM25 terms, weighted."""

from types import SimpleNamespace
from typing import Any

import numpy as np

from assistant.lexical import BM25Index
from assistant.retrieval import (
    QuestionVectors,
    Weights,
    conversation_prior,
    expanded_terms,
)


def unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_close_corpus_words_join_the_terms_with_a_lower_weight() -> None:
    snapshot: Any = SimpleNamespace(
        vocabulary_stems=["urgent", "banana"], vocabulary_vectors=np.stack([unit(1, 0, 0), unit(0, 1, 0)])
    )
    pressing = unit(0.8, 0.1, 0.59)  # cosine 0.8 with "urgent", 0.1 with "banana"
    question = QuestionVectors(unit(1, 1, 1), ["pressing"], pressing[None, :])

    terms = expanded_terms(snapshot, "most pressing concern", question, Weights())

    assert terms["press"] == terms["concern"] == 1.0  # the question's own words keep full weight
    assert abs(terms["urgent"] - 0.5 * 0.8) < 1e-3
    assert "banana" not in terms


def test_a_question_without_content_words_keeps_its_terms() -> None:
    snapshot: Any = SimpleNamespace(vocabulary_stems=["urgent"], vocabulary_vectors=unit(1, 0)[None, :])
    question = QuestionVectors(unit(1, 0), [], np.zeros((0, 2), dtype=np.float32))

    assert expanded_terms(snapshot, "Who is it?", question, Weights()) == {}


def test_weighted_bm25_scales_each_term() -> None:
    index = BM25Index(["urgent crisis management", "banana bread recipe"])

    full = index.weighted_scores({"urgent": 1.0})
    half = index.weighted_scores({"urgent": 0.5})

    assert full[0] > 0 and full[1] == 0
    assert np.isclose(half[0], full[0] / 2)
    assert np.allclose(index.scores("urgent"), full)


def prior_total(*args: Any, **kwargs: Any) -> np.ndarray:
    steer, not_again = conversation_prior(*args, **kwargs)
    return steer + not_again


def test_a_follow_up_leans_towards_the_text_near_the_last_quote_and_away_from_the_quote_itself() -> None:
    # Sentences of a.txt at 0, 200, 5000 characters, and one of b.txt at 200; the last answer quoted the first.
    snapshot: Any = SimpleNamespace(
        sentences=[None] * 4,
        sentence_starts=np.array([0, 200, 5000, 200]),
        sentence_source_codes=np.array([0, 0, 0, 1]),
        sentences_quoting=lambda quote: [0] if quote == "the quote" else [],
    )
    weights = Weights()

    prior = prior_total(snapshot, ["the quote"], weights)

    assert np.isclose(prior[0], weights.near_previous_quote - weights.repeats_previous_quote)
    assert weights.near_previous_quote > prior[1] > prior[2] > 0  # fades with the distance ...
    assert prior[3] == 0  # ... and stays in its own document
    assert not prior_total(snapshot, ["a quote from elsewhere"], weights).any()
    # A follow-up that names its subject ("When was Li Shangfu sanctioned?") stands alone.
    assert not prior_total(snapshot, ["the quote"], weights, near_previous=False).any()


def test_a_request_for_more_drops_the_sentences_quoted_whole_but_not_those_quoted_in_part() -> None:
    texts = ["Wang listed grievances.", "In addition, an arms package was announced, and Lai may transit."]
    snapshot: Any = SimpleNamespace(
        sentences=[None] * 2,
        sentence_starts=np.array([0, 30]),
        sentence_source_codes=np.array([0, 0]),
        sentences_quoting=lambda quote: [index for index, text in enumerate(texts) if quote in text or text in quote],
        sentence_text=lambda index: texts[index],
    )
    quotes = ["Wang listed grievances.", "Lai may transit."]

    more = prior_total(snapshot, quotes, Weights(), wants_more=True)
    plain = prior_total(snapshot, quotes, Weights())

    assert more[0] < plain[0] - 5  # quoted whole: out of the way
    assert more[1] == plain[1]  # quoted in part: its other half may be the "else"
    named = prior_total(snapshot, quotes, Weights(), wants_more=True, near_previous=False)
    assert named[0] < -5 and named[1] == 0  # "What else did Li Shangfu say?": still not the same quote
    steer, not_again = conversation_prior(snapshot, quotes, Weights(), wants_more=True, near_previous=True)
    assert np.allclose(steer + not_again, more)
    assert not_again[0] < -5 and not not_again[1:].any()  # what the first quote is chosen by keeps only this part
