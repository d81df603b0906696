"""Splitting: sentences and chunks are exact character spans of the original text."""

import pytest
from conftest import SEEDS, read_document

from assistant.loading import Document, load_documents
from assistant.splitting import (
    MAX_SENTENCE_CHARS,
    continued_lines,
    faq_question_reading,
    heading_level,
    heading_path,
    is_code,
    opens_list_item,
    split_into_chunks,
    split_into_sentences,
    starts_on_a_continued_line,
    table_row_readings,
)
from assistant.store import is_heading, is_statement


def sentences(text: str, max_chars: int = 1000) -> list[str]:
    return [text[start:end] for start, end in split_into_sentences(text, max_chars)]


def document(text: str, source: str = "doc.txt") -> Document:
    return Document(source, text, "sha")


def test_sentences_are_exact_spans() -> None:
    text = "  First sentence here.   Second one!\tThird?  "

    assert split_into_sentences(text) == [(2, 22), (25, 36), (37, 43)]
    assert sentences(text) == ["First sentence here.", "Second one!", "Third?"]


@pytest.mark.parametrize(
    "text",
    [
        "The U.S. secretary of defense Lloyd Austin flew to Singapore.",
        "Secretary of State Antony J. Blinken met Xi Jinping in Beijing.",
        "Talks resumed on Nov. 14 in San Francisco with Dr. Smith present.",
        "Several envoys, e.g. Kerry and Yellen, visited in the summer.",
    ],
)
def test_abbreviations_and_initials_do_not_end_a_sentence(text: str) -> None:
    assert sentences(text + " Then they left.") == [text, "Then they left."]


def test_closing_quotes_stay_with_their_sentence() -> None:
    text = "Qin Gang called Taiwan “the first red line.” Washington disagreed. He asked ‘why?’ Nobody knew."

    assert sentences(text) == [
        "Qin Gang called Taiwan “the first red line.”",
        "Washington disagreed.",
        "He asked ‘why?’",
        "Nobody knew.",
    ]


def test_a_line_break_ends_a_sentence() -> None:
    text = "A Headline Without A Period\r\n\r\nThe body starts here. It goes on\nand a list item\n"

    assert sentences(text) == ["A Headline Without A Period", "The body starts here.", "It goes on", "and a list item"]


WRAPPED = """# Notes on the talks

The two sides met in Beijing for the first time in five years, and both of them said
afterwards that the talks had been candid. Neither side gave ground on Taiwan, which the
Chinese side called the core of its core interests, and neither expected to.
Short line.
- Military channels: still closed, and no date was set for the talks between the two
  defence ministers.
- Trade: the American side spoke of de-risking.
1. A numbered item that is long enough to be wrapped onto the next line of the list,
   as this one is.

```
code line one that is quite long and would look like a wrapped line of prose here
code line two
```
The last paragraph is short.
"""


def test_in_text_wrapped_at_a_fixed_width_a_sentence_goes_on_across_line_breaks() -> None:
    assert sentences(WRAPPED) == [
        "Notes on the talks",
        "The two sides met in Beijing for the first time in five years, and both of them said\n"
        "afterwards that the talks had been candid.",
        "Neither side gave ground on Taiwan, which the\n"
        "Chinese side called the core of its core interests, and neither expected to.",
        "Short line.",
        "Military channels: still closed, and no date was set for the talks between the two\n  defence ministers.",
        "Trade: the American side spoke of de-risking.",
        "A numbered item that is long enough to be wrapped onto the next line of the list,\n   as this one is.",
        "```\ncode line one that is quite long and would look like a wrapped line of prose here\ncode line two\n```",
        "The last paragraph is short.",
    ]


def test_in_wrapped_text_the_lines_that_go_on_with_the_paragraph_above_are_known() -> None:
    continued = continued_lines(WRAPPED)
    on_continued_lines = [
        WRAPPED[start:end]
        for start, end in split_into_sentences(WRAPPED)
        if starts_on_a_continued_line(WRAPPED, start, continued)
    ]

    # Not the heading, the list items, the code block or the paragraph after it: each starts a block of its own.
    assert on_continued_lines == [
        "Neither side gave ground on Taiwan, which the\n"
        "Chinese side called the core of its core interests, and neither expected to.",
        "Short line.",
    ]
    assert continued_lines("One paragraph per line.\nAnother one.\n") == set()  # not wrapped


NEWS_WITH_A_HASH = """* New options: --owner-map=FILE and --group-map=FILE

These two options provide fine-grained control over what user/group
names (or IDs) should be mapped when adding files to archive.

For both options, FILE is a plain text file with user or group
mappings.  Empty lines are ignored.  Comments are introduced with
# sign (unless quoted) and extend to the end of the corresponding
line.  Each non-empty line defines translation for a single UID (GID).

# A heading after a blank line

Is still a heading.
"""


def test_in_wrapped_text_a_hash_that_goes_on_with_a_long_line_is_a_word_not_a_heading() -> None:
    found = split_into_sentences(NEWS_WITH_A_HASH)
    texts = [NEWS_WITH_A_HASH[start:end] for start, end in found]

    assert (
        "Comments are introduced with\n# sign (unless quoted) and extend to the end of the corresponding\nline."
    ) in texts
    assert [NEWS_WITH_A_HASH[start:end] for start, end in found if heading_level(NEWS_WITH_A_HASH, start)] == [
        "A heading after a blank line"
    ]


UNDERLINED_AND_RELEASES = """Project notes
=============

Getting started
---------------

Run the installer.
A line of prose
---------------

version 1.31 - Sergey Poznyakoff, 2019-01-02

* Fix CVE-2018-20482

Version 4.3 (19 Jan 2020)
A version line in a paragraph is no heading.

Name    Value
----    -----

1. Definitions
--------------

What's New in IDLE 3.13.0
(since 3.12.0)
Released on 2024-10-xx
=========================
"""


def test_an_underlined_line_and_a_release_line_alone_in_their_paragraphs_are_headings() -> None:
    text = UNDERLINED_AND_RELEASES
    headings = [
        (text[start:end], level) for start, end in split_into_sentences(text) if (level := heading_level(text, start))
    ]

    assert headings == [
        ("Project notes", 1),
        ("Getting started", 2),
        ("version 1.31 - Sergey Poznyakoff, 2019-01-02", 1),
        ("Definitions", 2),
        ("What's New in IDLE 3.13.0", 1),
    ]


def test_a_markdown_front_matter_is_no_heading_though_its_closing_dashes_look_like_an_underline() -> None:
    text = "---\ntitle: Council notes\nauthor: Ann Lee\n---\n\nMinutes\n-------\n\nThe council met on Monday.\n"
    headings = [
        (text[start:end], level) for start, end in split_into_sentences(text) if (level := heading_level(text, start))
    ]

    assert headings == [("Minutes", 2)]


def test_a_heading_stands_under_the_headings_above_its_level_not_under_the_one_before_it() -> None:
    notes, newer, older = (0, 1, "NEWS"), (10, 2, "version 1.31"), (40, 2, "version 1.30")
    headings = [notes, newer, older]

    assert heading_path(headings, 40) == [notes]  # "version 1.30" itself: not in "version 1.31"
    assert heading_path(headings, 41) == [notes, older]
    assert heading_path(headings, 39) == [notes, newer]
    assert heading_path(headings, 0) == []


MARKDOWN_WITH_CODE = """Use `join` to put paths together. It normalizes the result.

<!-- YAML
added: v0.1.16
-->

```js
path.join('/foo', 'bar');
// Returns: '/foo/bar'. It never ends a sentence here.

path.join('a', {});
// Throws: TypeError
```
A [`TypeError`][] is thrown if a segment is not a string.
"""


def test_a_fenced_code_block_and_an_html_comment_are_one_span_each() -> None:
    assert sentences(MARKDOWN_WITH_CODE) == [
        "Use `join` to put paths together.",
        "It normalizes the result.",
        "<!-- YAML\nadded: v0.1.16\n-->",
        "```js\npath.join('/foo', 'bar');\n// Returns: '/foo/bar'. It never ends a sentence here.\n\n"
        "path.join('a', {});\n// Throws: TypeError\n```",
        "A [`TypeError`][] is thrown if a segment is not a string.",
    ]
    code = sentences(MARKDOWN_WITH_CODE)[3]
    assert is_code(code) and not is_statement(code) and not is_heading(code)
    assert not is_heading("| Setting | Default |") and is_heading("Requesting leave")


def test_a_long_code_block_is_cut_at_line_ends_within_a_passage() -> None:
    lines = [f"const value{n} = compute({n}); // a line of an example that is long" for n in range(40)]
    text = "Intro sentence here.\n\n```js\n" + "\n".join(lines) + "\n```\nAfter the code.\n"
    spans = split_into_sentences(text, max_chars=1000)
    pieces = [text[start:end] for start, end in spans][1:-1]

    assert len(pieces) == 3 and is_code(pieces[0])
    assert all(len(piece) <= 1000 and piece.endswith((";", "long", "```")) for piece in pieces)
    assert "".join(pieces).replace("\n", "") == text[text.index("```") : text.rindex("```") + 3].replace("\n", "")


def test_paragraphs_written_one_per_line_are_never_joined() -> None:
    line = "A paragraph of the kind news pages hold, one per line, far longer than any wrapping width. " * 3
    text = "Headline\n" + "\n".join(line.strip() for _ in range(6)) + "\nA caption (Photo/Agency)\nLast line.\n"

    assert all("\n" not in sentence for sentence in sentences(text))


def test_decimals_and_lowercase_continuations_do_not_split() -> None:
    text = "Growth was 5.2 percent in 2023. analysts said so... and more."

    assert sentences(text) == ["Growth was 5.2 percent in 2023. analysts said so... and more."]


def test_run_on_line_is_cut_at_spaces_within_the_limit() -> None:
    text = " ".join(f"word{i}" for i in range(400))  # about 2,700 characters, no punctuation

    spans = split_into_sentences(text, max_chars=300)

    assert len(spans) > 5
    assert all(end - start <= 300 for start, end in spans)
    assert " ".join(text[start:end] for start, end in spans) == text


def test_a_long_sentence_is_cut_after_a_clause_and_no_piece_is_longer_than_a_quotable_sentence() -> None:
    clause = "the tenant shall keep the premises in good repair, "
    text = "Under this lease " + clause * 14 + "and the landlord shall insure the building."  # ~780 characters

    spans = split_into_sentences(text)

    assert len(spans) > 1 and all(end - start <= MAX_SENTENCE_CHARS for start, end in spans)
    assert all(text[start:end].endswith("good repair,") for start, end in spans[:-1])  # after a clause, not in one
    assert " ".join(text[start:end] for start, end in spans) == text
    # Each piece can answer, though it ends with a comma; a short line without a full stop is a heading.
    assert all(is_statement(text[start:end]) for start, end in spans)
    assert not is_statement("Terms and conditions, as follows,") and not is_statement(
        ("But is it, really? " * 12).strip()
    )


CHANGELOG = """## Release v2.6.18
* Add PowerShell support by @fblanchetNaN in https://github.com/pyenv/pyenv/pull/2749
* rehash: support older BSD `mktemp`. Reported by @native-api
2. Fix a hang
See the docs for more.
** Fix a memory overflow (CVE-2010-0624).
**Bold** is no marker.
"""


def test_the_first_sentence_of_each_list_item_is_known_and_is_a_statement_without_a_full_stop() -> None:
    spans = split_into_sentences(CHANGELOG)
    opening = [CHANGELOG[start:end] for start, end in spans if opens_list_item(CHANGELOG, start)]

    assert opening == [
        "Add PowerShell support by @fblanchetNaN in https://github.com/pyenv/pyenv/pull/2749",
        "rehash: support older BSD `mktemp`.",
        "Fix a hang",
        "Fix a memory overflow (CVE-2010-0624).",  # a GNU NEWS file's item of the second level
    ]
    # What a changelog says is in its items, most of them without a full stop; alone on a line, it is a heading.
    assert is_statement(opening[0], list_item=True) and not is_heading(opening[0], list_item=True)
    assert not is_statement(opening[0]) and is_heading(opening[0])
    assert not is_statement("Fix a hang?", list_item=True)
    # An item that is only a link is a table of contents' entry: nothing is said there.
    assert not is_statement("[Set up your shell environment](#set-up-your-shell)", list_item=True)
    assert not is_statement("[Set up your shell environment][shell]", list_item=True)


MAN_PAGE = """DESCRIPTION
       List  information  about  the FILEs (the current directory by default).

       -h, --human-readable
              with -l and -s, print sizes like 1K 234M 2G etc.

       --block-size=SIZE
              with  -l,  scale  sizes  by  SIZE  when  printing  them;   e.g.,
              '--block-size=M'; see SIZE format below

       -t     sort by time, newest first; see --time

Usage: tool [OPTION]...
  -a, --all                  do not ignore entries starting with a dot
      --author               with -l, print the author of each file
"""


def test_an_option_of_a_man_page_goes_on_into_its_description_and_opens_an_entry() -> None:
    spans = split_into_sentences(MAN_PAGE)
    entries = [MAN_PAGE[start:end] for start, end in spans if opens_list_item(MAN_PAGE, start)]

    assert entries == [
        "-h, --human-readable\n              with -l and -s, print sizes like 1K 234M 2G etc.",
        "--block-size=SIZE\n              with  -l,  scale  sizes  by  SIZE  when  printing  them;   e.g.,\n"
        "              '--block-size=M'; see SIZE format below",
        "-t     sort by time, newest first; see --time",
        # A deeper line that names an option is the next entry, not a description.
        "-a, --all                  do not ignore entries starting with a dot",
        "--author               with -l, print the author of each file",
    ]
    # An entry is a statement without a full stop; an option alone is no heading.
    assert all(is_statement(entry, list_item=True) and not is_heading(entry, list_item=True) for entry in entries)
    assert not opens_list_item(MAN_PAGE, MAN_PAGE.index("List"))


def test_chunks_of_every_seed_are_exact_and_bounded() -> None:
    documents, skipped = load_documents(SEEDS)
    assert len(documents) == 5 and not skipped

    for doc in documents:
        chunks = split_into_chunks(doc, max_chars=700, overlap_sentences=1)
        file_text = read_document(SEEDS / doc.source)
        assert chunks, doc.source
        for chunk in chunks:
            assert chunk.text == file_text[chunk.start : chunk.end]
            assert chunk.end - chunk.start <= 700
            assert chunk.sentences[0][0] == chunk.start and chunk.sentences[-1][1] == chunk.end
        assert len({chunk.id for chunk in chunks}) == len(chunks)


def test_neighbouring_chunks_share_the_overlap_sentences() -> None:
    text = " ".join(f"Sentence number {i} says something short." for i in range(40))

    for overlap in (0, 1, 2):
        chunks = split_into_chunks(document(text), max_chars=200, overlap_sentences=overlap)
        assert len(chunks) > 3
        for previous, following in zip(chunks, chunks[1:], strict=False):
            shared = set(previous.sentences) & set(following.sentences)
            assert len(shared) == overlap
            assert previous.sentences[len(previous.sentences) - overlap :] == following.sentences[:overlap]
        every_sentence = {span for chunk in chunks for span in chunk.sentences}
        assert every_sentence == set(split_into_sentences(text, 200))


def test_chunk_ids_depend_on_source_and_position() -> None:
    text = "One sentence. " * 100
    first = split_into_chunks(document(text, "a.txt"), 150, 1)
    again = split_into_chunks(document(text, "a.txt"), 150, 1)
    other = split_into_chunks(document(text, "b.txt"), 150, 1)

    assert [c.id for c in first] == [c.id for c in again]
    assert not {c.id for c in first} & {c.id for c in other}


def test_a_text_with_only_whitespace_has_no_chunks() -> None:
    assert split_into_chunks(document(" \n\t \n"), 700, 1) == []


TABLE = """Plan:

| Day | Date | Plan | Overnight |
|---|:---:|---|---|
| 3 | Wed 11 Feb | Drive south to Vík. Stop at Skógafoss. | Black Beach Suites, Vík |
| 6 | Sat 14 Feb | Return car by 09:00 | — |
"""


def test_a_tables_row_is_one_sentence_read_with_its_column_names() -> None:
    spans = split_into_sentences(TABLE)
    texts = [TABLE[start:end] for start, end in spans]

    assert texts[1:] == TABLE.splitlines()[2:]  # a row's cells are no sentences, though one holds two
    readings = [table_row_readings(TABLE).get(start) for start, _ in spans]
    assert readings == [
        None,  # prose
        None,  # the header row
        None,  # the rule under it
        "Day: 3; Date: Wed 11 Feb; Plan: Drive south to Vík. Stop at Skógafoss.; Overnight: Black Beach Suites, Vík",
        "Day: 6; Date: Sat 14 Feb; Plan: Return car by 09:00",  # an empty cell ("—") is left out
    ]


def test_a_tables_data_row_is_a_statement_and_its_header_is_not() -> None:
    header, rule, row = TABLE.splitlines()[2:5]

    assert is_statement(row, list_item=True)  # the index reads a data row as a list's item (store.IndexSnapshot)
    assert not is_statement(header) and not is_statement(rule)


def test_a_row_of_a_table_of_fields_reads_as_the_field_and_its_value() -> None:
    fields = "| | |\n|---|---|\n| **Office hours** | Tuesdays 14:00-16:00, or by appointment |\n"
    row_start = fields.index("| **Office")

    # No column names: the first cell names the field; Markdown's emphasis is no part of what is read.
    assert table_row_readings(fields) == {row_start: "Office hours: Tuesdays 14:00-16:00, or by appointment"}


def test_a_faqs_question_reads_with_the_start_of_its_answer() -> None:
    faq = "Q: Can I opt out?\nA: Yes. You can opt out within one month.\nQ: Who runs it?\nA: Castlegate Ltd.\n"
    headed = "## Can I freeze my membership?\n\nYes, for up to 3 months a year.\n\nMore text.\n"

    assert faq_question_reading(faq, 0) == "Q: Can I opt out? Yes. You can opt out within one month."  # not the next Q
    assert faq_question_reading(faq, faq.index("Q: Who")) == "Q: Who runs it? Castlegate Ltd."
    assert faq_question_reading(faq, faq.index("A: Yes")) is None  # an answer reads as itself
    assert faq_question_reading(headed, 3) == "Can I freeze my membership? Yes, for up to 3 months a year."
    assert faq_question_reading("Why does it matter? Because it does.\n", 0) is None  # an article's own question
