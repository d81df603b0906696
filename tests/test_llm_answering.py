"""The LLM answerer with a scripted model: what the model is shown, and how its reply is checked before it is used."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from conftest import FakeChat, FakeEmbedder, assert_citations_hold, fake_settings, number_of

from assistant import Assistant
from assistant.answering import NOT_FOUND, QuoteAnswerer
from assistant.errors import LLMError
from assistant.llm_answering import Evidence, LLMAnswerer, attributed

OKAPI = """# The okapi

The okapi lives in the rainforests of the Democratic Republic of the Congo. The okapi eats leaves, buds and fruit.
An adult okapi weighs about 250 kilograms.

Okapis are shy and solitary animals. The closest living relative of the okapi is the giraffe.
"""
KIWI = "The kiwi is a flightless bird found only in New Zealand. The kiwi feeds on worms and insects at night.\n"
EATS = "What does the okapi eat?"


@pytest.fixture
def zoo(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "okapi.md").write_text(OKAPI, encoding="utf-8")
    (docs / "kiwi.txt").write_text(KIWI, encoding="utf-8")
    return docs


def ask(docs: Path, chat: FakeChat, question: str = EATS, history: list[dict[str, str]] | None = None) -> dict:
    settings = fake_settings(docs, docs.parent / "index")
    quotes = QuoteAnswerer(settings.abstain_below, settings.max_quotes)
    assistant = Assistant(settings, embedder=FakeEmbedder(), answerer=LLMAnswerer(chat, quotes))
    assistant.index()
    answer = assistant.ask(question, history).to_dict()
    assistant.close()
    assert_citations_hold(answer, docs)
    return answer


def test_the_model_is_shown_numbered_sentences_with_their_file_and_title_and_the_question(zoo: Path) -> None:
    chat = FakeChat("The okapi eats leaves [1].")

    ask(zoo, chat)

    system, user = chat.history[0]
    assert system["role"] == "system" and "NOT IN THE DOCUMENTS" in system["content"]
    assert "From okapi.md (The okapi):" in user["content"]
    assert number_of(chat.history[0], "The okapi eats leaves, buds and fruit.") >= 1
    assert user["content"].endswith(f"Question: {EATS}")


def test_the_cited_numbers_become_citations_of_those_sentences_numbered_in_order(zoo: Path) -> None:
    chat = FakeChat(
        lambda m: (
            f"It eats leaves, buds and fruit [{number_of(m, 'eats leaves')}], and weighs about 250 kilograms "
            f"[{number_of(m, '250 kilograms')}, {number_of(m, 'eats leaves')}]."
        )
    )

    answer = ask(zoo, chat)

    assert answer["answerable"]
    assert answer["answer"] == "It eats leaves, buds and fruit [1], and weighs about 250 kilograms [2][1]."
    assert [c["quote"] for c in answer["citations"]] == [
        "The okapi eats leaves, buds and fruit.",
        "An adult okapi weighs about 250 kilograms.",
    ]
    assert [c["id"] for c in answer["citations"]] == [1, 2]


def test_a_number_not_on_the_list_is_dropped(zoo: Path) -> None:
    chat = FakeChat(lambda m: f"The okapi eats leaves [{number_of(m, 'eats leaves')}] and bark [99].")

    answer = ask(zoo, chat)

    assert answer["answer"] == "The okapi eats leaves [1] and bark."
    assert len(answer["citations"]) == 1


def test_a_sentence_without_a_marker_cites_the_sentence_holding_most_of_its_words(zoo: Path) -> None:
    answer = ask(zoo, FakeChat("The okapi eats leaves and buds."))

    assert answer["answer"] == "The okapi eats leaves and buds [1]."
    assert answer["citations"][0]["quote"] == "The okapi eats leaves, buds and fruit."


def test_a_marker_goes_at_the_end_of_a_sentence_not_after_an_abbreviation_inside_it() -> None:
    said = Evidence("a.txt", 0, 99, "The trip was delayed five months after the U.S. detection of a spy balloon.")

    reply, unsupported = attributed(
        "No.\nIt was delayed after the U.S. detection of a balloon. It was delayed five months!", [said], "Why?", 0.6
    )

    assert unsupported is None
    assert reply == "No.\nIt was delayed after the U.S. detection of a balloon [1]. It was delayed five months [1]!"


@pytest.mark.parametrize(
    ("reply", "why"),
    [
        ("The okapi eats “fresh bamboo shoots and grass” [1].", "quoted words the documents do not hold"),
        ("Henry Kissinger says the okapi eats leaves [1].", "'Kissinger', which no sentence it cites holds"),
        ("The okapi eats 40 kilograms of leaves a day [1].", "'40', which no sentence it cites holds"),
        (
            "Okapis mostly hunt small fish in rivers.",
            "'Okapis mostly hunt small fish in rivers.', which it cites nothing",
        ),
        ("The okapi eats leaves [1]. It also hunts small fish.", "'It also hunts small fish.', which it cites nothing"),
        ("The okapi eats leaves [7, 8, 9].", "cited none of the sentences"),
    ],
)
def test_a_reply_that_cannot_be_checked_is_not_used_the_quotes_answer(
    zoo: Path, caplog: pytest.LogCaptureFixture, reply: str, why: str
) -> None:
    with caplog.at_level(logging.WARNING, logger="assistant.llm_answering"):
        answer = ask(zoo, FakeChat(reply))

    assert answer["answer"].startswith("“") and answer["answer"] != reply
    assert "eats leaves, buds and fruit" in answer["citations"][0]["quote"]
    assert why in caplog.text and "answering with quotes" in caplog.text


def test_the_model_saying_the_sentences_do_not_answer_declines(zoo: Path) -> None:
    answer = ask(zoo, FakeChat("NOT IN THE DOCUMENTS"))

    assert (answer["answerable"], answer["answer"], answer["citations"]) == (False, NOT_FOUND, [])
    assert answer["passages"], "the closest passages are still shown"


def test_what_the_quote_answerer_declines_is_declined_without_asking_the_model(zoo: Path) -> None:
    chat = FakeChat()

    answer = ask(zoo, chat, "What does the aardvark eat in Australia?")

    assert not answer["answerable"] and chat.history == []


def test_a_model_that_fails_leaves_the_quotes_and_a_warning(zoo: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="assistant.llm_answering"):
        answer = ask(zoo, FakeChat(LLMError("the language model at http://x/v1 cannot be reached")))

    assert answer["answerable"] and answer["answer"].startswith("“")
    assert "The okapi eats leaves" in answer["citations"][0]["quote"]
    assert "cannot be reached; answering with quotes" in caplog.text


def test_a_follow_up_reaches_the_model_as_the_standalone_question(zoo: Path) -> None:
    chat = FakeChat("It is the giraffe.")
    history = [
        {"role": "user", "content": "Where does the okapi live?"},
        {"role": "assistant", "content": "“The okapi lives in the rainforests.” [1]"},
    ]

    answer = ask(zoo, chat, "What is its closest living relative?", history)

    assert chat.history[0][-1]["content"].endswith("Question: " + answer["standalone_question"])
    assert "okapi" in answer["standalone_question"]
    assert answer["citations"][0]["quote"] == "The closest living relative of the okapi is the giraffe."
