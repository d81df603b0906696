"""Reading a question set: its shape is checked line by line, and its gold evidence is found in the documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import AssistantError
from assistant.evaluation import gold_spans, load_question_set

OKAPI = "The okapi eats leaves. It lives in the rainforest.\n"


def write_set(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_evidence_may_name_its_file_or_be_the_quote_alone(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "okapi.txt").write_text(OKAPI, encoding="utf-8")
    (docs / "kiwi.md").write_text("The kiwi eats worms.\n", encoding="utf-8")
    path = write_set(
        tmp_path,
        '{"question": "What does the okapi eat?", "evidence": [{"source": "okapi.txt", "quote": "eats leaves"}]}',
        '{"question": "What does the kiwi eat?", "evidence": ["eats worms"]}',
    )

    named, alone = load_question_set(path)

    assert gold_spans(named, docs) == [("okapi.txt", 10, 21)]
    assert gold_spans(alone, docs) == [("kiwi.md", 9, 19)]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('["What does the okapi eat?"]', 'set.jsonl:2: each line must be an object with a "question"'),
        ('{"question": "Why?", "evidence": "eats leaves"}', 'set.jsonl:2: "evidence" must be a list of quotes'),
        ('{"question": "Why?", "evidence": [{"source": "okapi.txt"}]}', 'set.jsonl:2: "evidence" must be a list'),
    ],
)
def test_a_line_of_another_shape_is_one_message_naming_it(tmp_path: Path, line: str, message: str) -> None:
    path = write_set(tmp_path, '{"question": "Fine?"}', line)

    with pytest.raises(AssistantError, match=message):
        load_question_set(path)


def test_evidence_the_documents_do_not_hold_is_one_message_naming_the_question(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "okapi.txt").write_text(OKAPI, encoding="utf-8")

    with pytest.raises(AssistantError, match=r"question 't7': its evidence “eats grass” is not in any document of"):
        gold_spans({"id": "t7", "question": "What does it eat?", "evidence": ["eats grass"]}, docs)
    with pytest.raises(AssistantError, match=r"question 'Why\?': its evidence “eats grass” is not in okapi.txt"):
        gold_spans({"question": "Why?", "evidence": [{"source": "okapi.txt", "quote": "eats grass"}]}, docs)
