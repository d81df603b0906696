"""Questions are checked before any work is done, with messages that say what to change."""

import pytest
from conftest import FakeEmbedder, fake_settings

from assistant import Assistant, QuestionError
from assistant.validation import clean_history, clean_question


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "the question is empty: ask something about the documents"),
        ("   \n\t ", "the question is empty"),
        (None, "the question must be text"),
        ("x" * 100_000, "the question is 100,000 characters long; the limit is 2,000: ask a shorter question"),
        ("Who met\x00 Xi?", r"control characters \(U\+0000\): remove them"),
        ("Who\x1b[31m met\x07 Xi?", r"control characters \(U\+0007, U\+001B\)"),
        ("Who met Xi?\x7f", r"U\+007F"),
    ],
)
def test_bad_questions_raise_a_clear_error(question: object, message: str) -> None:
    with pytest.raises(QuestionError, match=message):
        clean_question(question, max_chars=2000)


def test_a_good_question_is_stripped_and_its_spaces_collapsed() -> None:
    assert clean_question("  Who met\tXi\nJinping?  ", max_chars=2000) == "Who met Xi Jinping?"


def test_the_limit_counts_the_stripped_question() -> None:
    assert clean_question("  " + "x" * 50 + "  ", max_chars=50) == "x" * 50
    with pytest.raises(QuestionError, match="51 characters"):
        clean_question("x" * 51, max_chars=50)


@pytest.mark.parametrize(
    ("history", "message"),
    [
        ("Who met Xi?", "the history must be a list of messages like .*, not str"),
        (["hello"], "message 1 of the history is not like"),
        ([{"role": "user", "content": "Hi"}, {"role": "user"}], "message 2 of the history"),
        ([{"role": "bot", "content": "Hi"}], "message 1 of the history"),
        ([{"role": "assistant", "content": 3}], "message 1 of the history"),
    ],
)
def test_a_bad_history_raises_a_clear_error(history: object, message: str) -> None:
    with pytest.raises(QuestionError, match=message):
        clean_history(history)


def test_a_good_history_keeps_the_turns_and_leaves_out_system_messages() -> None:
    history = [
        {"role": "system", "content": "You are helpful."},
        {"role": "user", "content": "Who met Xi?", "name": "extra keys are dropped"},
        {"role": "assistant", "content": "“Blinken met Xi.” [1]"},
    ]

    assert clean_history(history) == [
        {"role": "user", "content": "Who met Xi?"},
        {"role": "assistant", "content": "“Blinken met Xi.” [1]"},
    ]
    assert clean_history(None) == clean_history([]) == []


def test_ask_and_retrieve_refuse_bad_questions_before_any_work(tmp_path) -> None:
    embedder = FakeEmbedder()
    assistant = Assistant(fake_settings(tmp_path / "docs", tmp_path / "index"), embedder=embedder)

    for bad in ("", "x" * 100_000, "Who\x07?"):
        with pytest.raises(QuestionError):
            assistant.ask(bad)
        with pytest.raises(QuestionError):
            assistant.retrieve(bad)
    with pytest.raises(QuestionError, match="message 1 of the history"):
        assistant.ask("Why?", [3])  # type: ignore[list-item]
    assert embedder.calls == 0
    assert not (tmp_path / "index").exists()
