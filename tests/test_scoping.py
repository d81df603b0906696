"""A question that points at one document is answered from it alone; anything vaguer searches them all."""

from pathlib import Path

import pytest
from conftest import FakeEmbedder, IndexedCopy, fake_settings, history_after, indexed_folder

from assistant import Assistant
from assistant.scoping import MOST_INITIALS, document_scope, file_name_pattern, initials_in, without_references

LA_TIMES = "003_d94c39d90b50c062.txt"  # ends "This story originally appeared in the Los Angeles Times."
BUMPY_ROAD = "001_88b05ed209d663f4.txt"  # "The Slow, Bumpy Road of U.S.-China Diplomacy"
USIP = "002_344bb6e1393d34be.txt"  # "USIP’s Rosie Levine, Alison McFarland, ..."
FIRST = "000_cdc7ccf3eb7c2414.txt"
LAST = "004_cba8b70d7f73dee2.txt"


@pytest.mark.parametrize(
    ("question", "source"),
    [
        ("What do U.S. officials accuse China of, according to the LA Times article?", LA_TIMES),
        ("According to the Los Angeles Times piece, which countries are China's allies?", LA_TIMES),
        ("What did Yang Tao say about de-risking, according to the USIP discussion?", USIP),
        ("What is getting in the way, according to the piece about the bumpy road of diplomacy?", BUMPY_ROAD),
        ("According to the piece on the slow, bumpy road of U.S.-China diplomacy, what has China done?", BUMPY_ROAD),
        ("What does the author of the 'Slow, Bumpy Road' piece want Washington to do?", BUMPY_ROAD),
        ("Where does the first article say the relationship is heading?", FIRST),
        ("What does the last article see as the best outcome?", LAST),
        ("What does 002_344bb6e1393d34be.txt say about military talks?", USIP),
    ],
)
def test_a_reference_that_fits_one_document_scopes_the_question_to_it(
    indexed_copy: IndexedCopy, question: str, source: str
) -> None:
    assert document_scope(indexed_copy.assistant.snapshot(), question) == source


@pytest.mark.parametrize(
    "question",
    [
        "Who refused to meet Lloyd Austin in Singapore?",  # no reference at all
        "What does the Blinken article say about Taiwan?",  # every document names Blinken
        "What does the Guardian article say about Taiwan?",  # no document names the Guardian
        "What was the discussion about Taiwan?",  # a discussion, not a document
        "What does that article say about Taiwan?",  # which one: nothing was quoted before
        "Why does the author think the criticism went too far?",
    ],
)
def test_a_reference_that_fits_no_single_document_scopes_nothing(indexed_copy: IndexedCopy, question: str) -> None:
    assert document_scope(indexed_copy.assistant.snapshot(), question) is None


@pytest.mark.parametrize(
    "question",
    ["What else does that article say?", "Is that the view of the same article?", "Why, in the author's view?"],
)
def test_that_article_and_the_author_are_those_of_the_last_quote(indexed_copy: IndexedCopy, question: str) -> None:
    assert document_scope(indexed_copy.assistant.snapshot(), question, previous_source=LA_TIMES) == LA_TIMES


def test_initials_are_those_of_capitalised_runs_small_words_left_out() -> None:
    initials = initials_in(
        "This story appeared in the Los Angeles Times, as the United States Institute of Peace said."
    )

    assert {"LA", "LAT", "USIP", "US"} <= initials
    assert "TS" not in initials  # "This story": one capitalised word is no run


def test_initials_of_a_long_capitalised_run_are_as_short_as_acronyms() -> None:
    # An all-caps disclaimer is a run of hundreds of capitalised words: all its stretches would be ~n² strings of
    # up to n letters (a 7 MB folder of such text took a minute to scope its first question).
    initials = initials_in("THE SOFTWARE IS PROVIDED AS IS " * 100 + "and so on.")

    assert max(len(initial) for initial in initials) == MOST_INITIALS
    assert {"TSIPAI", "IPAIT"} <= initials


def test_a_scoped_question_ranks_only_that_documents_passages(indexed_copy: IndexedCopy) -> None:
    question = "What do U.S. officials accuse China of, according to the LA Times article?"

    passages = indexed_copy.assistant.retrieve(question, k=5)
    answer = indexed_copy.assistant.ask(question)

    assert len(passages) == 5 and {passage.source for passage in passages} == {LA_TIMES}
    assert {citation.source for citation in answer.citations} <= {LA_TIMES}


def test_that_article_in_a_follow_up_is_the_one_the_last_answer_quoted(indexed_copy: IndexedCopy) -> None:
    quote = (
        "When Secretary of State Antony J. Blinken traveled to Beijing last week to try to restore strained relations "
        "between the United States and China, both sides kept expectations low."
    )
    history = [
        {"role": "user", "content": "How did the trip begin?"},
        {"role": "assistant", "content": f"“{quote}” [1]"},
    ]

    passages = indexed_copy.assistant.ask("What else does that article say about Taiwan?", history).passages

    assert passages and {passage.source for passage in passages} == {LA_TIMES}


def test_a_summary_of_one_document_quotes_its_opening_not_its_captions_or_credits(indexed_copy: IndexedCopy) -> None:
    answer = indexed_copy.assistant.ask("Summarize the LA Times article")

    assert answer.answerable and {citation.source for citation in answer.citations} == {LA_TIMES}
    assert answer.citations[0].quote.startswith("When Secretary of State Antony J. Blinken traveled to Beijing")
    assert not any("Continue reading" in citation.quote for citation in answer.citations)


def test_a_follow_up_stays_with_the_document_of_the_question_it_leans_on(indexed_copy: IndexedCopy) -> None:
    snapshot = indexed_copy.assistant.snapshot()
    asked = "What do U.S. officials accuse China of, according to the LA Times article?"

    def scope(question: str) -> str | None:
        return document_scope(snapshot, question, None, asked, follow_up=True)

    assert scope("Why? (U.S. officials accuse China LA Times article)") == LA_TIMES
    assert scope("And in the first article?") == FIRST  # it names its own
    assert scope("And the Diplomat piece?") is None  # one that fits none
    assert document_scope(snapshot, "What does the author recommend?", None, asked) == LA_TIMES
    assert document_scope(snapshot, "Who met Xi?", None, asked) is None  # not a follow-up: a new question


def test_the_second_one_after_the_documents_were_listed_is_the_second_document(indexed_copy: IndexedCopy) -> None:
    snapshot = indexed_copy.assistant.snapshot()

    def scope(question: str, previous: str) -> str | None:
        return document_scope(snapshot, question, None, previous, follow_up=True)

    assert scope("Summarize the second one", "What documents do you have?") == "001_88b05ed209d663f4.txt"
    assert scope("And the last one?", "How many documents are there?") == "004_cba8b70d7f73dee2.txt"
    assert scope("Who is the second one?", "Which officials did Blinken meet?") is None  # no documents listed


def test_a_summary_of_the_second_one_after_a_list_quotes_that_documents_opening(indexed_copy: IndexedCopy) -> None:
    history = history_after(indexed_copy.assistant, "What documents do you have?")

    answer = indexed_copy.assistant.ask("Summarize the second one", history)

    assert without_references("Summarize the second one") == "Summarize it"
    assert answer.answerable and {c.source for c in answer.citations} == {"001_88b05ed209d663f4.txt"}
    assert answer.citations[0].quote.startswith("Washington should be looking for ways")


def test_a_follow_up_in_a_chat_is_answered_from_the_same_document(indexed_copy: IndexedCopy) -> None:
    asked = "What do U.S. officials accuse China of, according to the LA Times article?"
    history = [{"role": "user", "content": asked}, {"role": "assistant", "content": "No quote."}]

    answer = indexed_copy.assistant.ask("Why?", history)

    assert answer.passages and {passage.source for passage in answer.passages} == {LA_TIMES}


def test_a_summary_of_a_document_named_by_its_file_quotes_its_opening(indexed_copy: IndexedCopy) -> None:
    (indexed_copy.docs_dir / "style.md").write_text(
        "# Style, by example\n\nThese are habits from codebases that careful engineers hold up as models.\n\n"
        "Small modules with one job each, names that explain themselves, one settings object.\n",
        encoding="utf-8",
    )
    indexed_copy.assistant.index()

    answer = indexed_copy.assistant.ask("Summarize the style guide")

    assert answer.citations and {citation.source for citation in answer.citations} == {"style.md"}
    assert answer.citations[0].quote.startswith("These are habits from codebases")


def test_a_documents_noun_counts_among_its_title_words(indexed_copy: IndexedCopy) -> None:
    (indexed_copy.docs_dir / "minutes.txt").write_text("Meeting notes, 3 March\n\nBo will order lenses.\n", "utf-8")
    (indexed_copy.docs_dir / "q3.md").write_text("# Quarterly review of the lamps\n\nForty were fixed.\n", "utf-8")
    indexed_copy.assistant.index()
    snapshot = indexed_copy.assistant.snapshot()

    assert document_scope(snapshot, "What do the meeting notes say?") == "minutes.txt"
    assert document_scope(snapshot, "What is the review about?") == "q3.md"  # the one title that holds it


@pytest.mark.parametrize(
    ("question", "scoped"),
    [
        ("What does the changelog say about the index?", True),
        ("What is new in changelog.md?", True),
        ("Which changelog entries mention Chroma?", False),  # the stem alone, not as a document
    ],
)
def test_a_file_is_named_whole_or_by_its_stem_as_a_document(
    indexed_copy: IndexedCopy, question: str, scoped: bool
) -> None:
    (indexed_copy.docs_dir / "changelog.md").write_text("# Changelog\n\nThe index is now crash-safe.\n", "utf-8")
    indexed_copy.assistant.index()

    assert (document_scope(indexed_copy.assistant.snapshot(), question) == "changelog.md") is scoped


def test_what_a_document_named_by_its_file_says_about_a_name_is_a_sentence_of_it_naming_that(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "changelog.md").write_text("# Changelog\n\n- Vectors are stored in Chroma, cosine space.\n", "utf-8")
    (docs / "notes.md").write_text("# Notes\n\nThe okapi eats leaves. Chroma is a vector store.\n", "utf-8")
    # However far the model puts them: only a sentence of the changelog that names Chroma can answer.
    settings = fake_settings(docs, tmp_path / "index", abstain_below=0.99)
    assistant = Assistant(settings, embedder=FakeEmbedder())
    assistant.index()

    answer = assistant.ask("What does the changelog say about Chroma?")
    changed = assistant.ask("What changed in the changelog about Chroma?")

    assert without_references("What does the changelog say?", assistant.snapshot(), "changelog.md") == (
        "What does it say?"
    )
    assert without_references("What does the file changelog.md say?", assistant.snapshot(), "changelog.md") == (
        "What does it say?"
    )
    assert answer.answerable and [c.source for c in answer.citations] == ["changelog.md"]
    assert "stored in Chroma" in answer.citations[0].quote
    assert changed.answerable and [(c.source, c.quote) for c in changed.citations] == [
        ("changelog.md", answer.citations[0].quote)
    ]
    assistant.close()


def test_a_file_named_like_the_topic_keeps_the_topic_in_the_question(tmp_path: Path) -> None:
    files = {
        "okapi.md": "# Okapi\n\nThe okapi is a giraffid of the Congo forests. It eats leaves.\n",
        "tapir.md": "# Tapir\n\nThe tapir is a large herbivorous mammal with a short trunk.\n",
    }
    assistant, _ = indexed_folder(tmp_path, files)

    answer = assistant.ask("What does the okapi eat?")

    assert assistant.searched_in("What does the okapi eat?") == "okapi.md"  # the file's name points at it ...
    assert answer.answerable and [c.source for c in answer.citations] == ["okapi.md"]  # ... and is still asked about
    assistant.close()


@pytest.mark.parametrize(
    ("question", "without"),
    [
        (
            "What does the xz FAQ say about extracting .tar.xz files?",
            "What does it say about extracting .tar.xz files?",
        ),
        (
            "According to the xz FAQ, how do I extract .tar.xz files?",
            "According to it, how do I extract .tar.xz files?",
        ),
        ("What does the zlib doc say about gzip files?", "What does the zlib doc say about gzip files?"),
        ("What is the Council on Foreign Relations piece about?", "What is it about?"),
        ("Summarize the piece about the bumpy road of diplomacy", "Summarize it"),
    ],
)
def test_a_reference_ends_where_the_question_starts(question: str, without: str) -> None:
    # Not "the xz FAQ say about extracting .tar.xz files": "files" is what is asked about, not a document.
    assert without_references(question) == without


@pytest.mark.parametrize(
    ("source", "question", "named"),
    [
        ("press_release.txt", "What does the press release say?", True),  # the words of its name
        ("match_report_ferrybridge_aldmoor.txt", "Who scored in the match report?", True),  # its first words
        ("study_sleep_and_memory.md", "Summarise the study", True),  # its first word names a kind of document
        ("itinerary_iceland.md", "What does the itinerary say?", True),
        ("town_history_saltmere.md", "What does the town do?", False),  # one first word, no kind of document
        ("study_sleep_and_memory.md", "What are the studying habits?", False),
        ("logsift_README.md", "What does the logsift readme say?", True),
    ],
)
def test_a_document_is_named_by_the_first_words_of_its_file_name(source: str, question: str, named: bool) -> None:
    assert bool(file_name_pattern(source).search(question)) is named
