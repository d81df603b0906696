"""Names misspelt in a question, read as the documents spell them."""

import pytest

from assistant.spelling import spelt_as, typing_distance, with_abbreviations_spelt_out, with_names_as_spelt

NAMES = ["Austria", "Beijing", "Blinken", "Kissinger", "Russia", "Wang", "Yellen"]
USED = {name.lower() for name in NAMES} | {"taiwan", "russian"}


def as_spelt(question: str) -> str:
    return with_names_as_spelt(question, lambda word: word.lower() in USED, lambda: NAMES)


@pytest.mark.parametrize(
    ("first", "second", "distance"),
    [("blinkin", "blinken", 1), ("kissenger", "kissinger", 1), ("yelen", "yellen", 1), ("bleinkn", "blinken", 2)],
)
def test_the_typing_distance_counts_letters_changed_dropped_added_or_swapped(
    first: str, second: str, distance: int
) -> None:
    assert typing_distance(first, second) == distance
    assert typing_distance("beijnig", "beijing") == 1  # two neighbours swapped


@pytest.mark.parametrize(
    ("question", "understood"),
    [
        ("What did Blinkin say about Taiwan?", "What did Blinken say about Taiwan?"),
        ("Why did Xi meet Kissenger but not Janet Yelen?", "Why did Xi meet Kissinger but not Janet Yellen?"),
        ("Who did Blinken meet in Biejing?", "Who did Blinken meet in Beijing?"),
    ],
)
def test_a_misspelt_name_is_read_as_the_documents_spell_it(question: str, understood: str) -> None:
    assert as_spelt(question) == understood


@pytest.mark.parametrize(
    "question",
    [
        "What did Wong say?",  # a short name may be someone else's
        "What did Russian officials say?",  # a word the documents use
        "What did the Russians say?",  # an inflection, no slip
        "What did Blonkan say?",  # two slips in a name of seven letters
        "How did Australia react?",  # two slips from Austria: another country, not a slip
        "Did that stance soften While Blinken was there?",  # a word of the question, capitalised or not
    ],
)
def test_a_name_is_left_as_it_is_unless_it_is_one_slip_from_one_of_the_documents(question: str) -> None:
    assert as_spelt(question) == question


def test_a_slip_that_fits_two_names_changes_neither() -> None:
    assert spelt_as("Lang", ["Wang", "Lane"]) is None  # too short anyway
    assert spelt_as("Marten", ["Martin", "Marten", "Marlen"]) is None


def test_a_common_abbreviation_is_written_out_only_when_the_documents_use_its_words_and_not_it() -> None:
    words = {"chief", "executive", "said"}

    assert with_abbreviations_spelt_out("Who is the CEO?", words.__contains__) == "Who is the chief executive?"
    assert with_abbreviations_spelt_out("Which CEOs spoke?", words.__contains__) == "Which chief executives spoke?"
    assert with_abbreviations_spelt_out("Who is the CFO?", words.__contains__) == "Who is the CFO?"  # no "financial"
    assert with_abbreviations_spelt_out("Who is the CEO?", {*words, "CEO"}.__contains__) == "Who is the CEO?"
