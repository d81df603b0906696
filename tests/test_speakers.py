"""The turns of an interview: who speaks which sentence, read from the speakers' labels."""

import pytest

from assistant.speakers import DocumentSentence, label_of, name_end, turns


def line(text: str, opens_a_line: bool = True, statement: bool = True) -> DocumentSentence:
    return DocumentSentence(text, opens_a_line, statement)


INTERVIEW = [
    line("Trade after the summit", statement=False),
    line("Ann Lee and Bo Park discuss what the summit changed."),
    line("What changed for trade?", statement=False),
    line("Lee: Tariffs stay where they were."),
    line("Exporters are waiting for the next round.", opens_a_line=False),
    line("Nothing will move before the autumn."),  # a paragraph of her answer without a label
    line("Park: The tone changed, though."),  # the next speaker, without a question between
    line("What comes next?", statement=False),
    line("Lee: A second meeting in the spring."),
    line("Related reading", statement=False),
    line("Another article entirely."),
]


def test_a_turn_runs_from_a_label_to_the_next_label_or_the_next_line_that_is_no_statement() -> None:
    assert turns(INTERVIEW) == [None, None, None, 3, 3, 3, 6, None, 8, None, None]


def test_a_label_names_a_speaker_only_if_the_text_names_them_too() -> None:
    lines = [
        line("Note: the figures are rounded."),
        line("Lee said the figures were rounded."),  # a sentence's first word: no mention in the prose
        line("Lee: They are, to the nearest thousand."),
    ]

    # "Note" is no one's name; a name the text never uses past a sentence's start is taken not to be one either.
    assert turns(lines) == [None, None, None]
    named = [*lines, line("We asked Lee about it."), line("Lee: We did.")]
    assert turns(named) == [None, None, 2, 2, 4]
    assert turns(named[:-1]) == [None] * 4  # one turn is no conversation: an appendix's "APPENDIX: How to ..."


def test_a_transcripts_labels_in_capitals_name_the_speakers_its_prose_names() -> None:
    lines = [
        line("JOHN SMITH: Welcome back. Today I talk to Jane Doe about the harvest."),
        line("JANE DOE: Thanks for having me."),
        line("NOTE: the harvest figures are from May."),  # "note" in the prose is no name
        line("Please note that it rained."),
        line("JOHN SMITH: Tell us about the rain."),  # he is never named in the prose
        line("JANE DOE: It came late."),
    ]

    # A label ends a turn, whoever it names: the host's words are not the guest's.
    assert turns(lines) == [None, 1, None, None, None, 5]


def test_a_label_opens_a_paragraph_that_is_a_statement() -> None:
    lines = [
        line("The TARGET names the rule."),
        line("TARGET: VARIABLE = VALUE", statement=False),  # a line of code
        line("Lee: Tariffs stay.", opens_a_line=False),  # mid-paragraph
        line("It defines VARIABLE within TARGET."),
        line("We asked Lee."),
    ]

    assert turns(lines) == [None] * 5


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("McFarland: Although both sides ...", "McFarland"),
        ("Rosie Levine: Blinken’s visit ...", "Rosie Levine"),
        ("Q: What changed?", None),  # too short to be a name
        ("A: Nothing.", None),
        ("The answer: nothing.", None),  # not capitalised throughout
        ("McFarland:Although", None),  # no space after the colon
    ],
)
def test_the_label_a_sentence_opens_with(sentence: str, name: str | None) -> None:
    assert label_of(sentence) == name
    assert name_end(sentence) == (sentence.index(":") if name else 0)
