"""The lexical side of retrieval: tokens and BM25."""

from pathlib import Path

import numpy as np
import pytest

from assistant.lexical import BM25Index, identifiers_in, names_identifier, options_in, query_terms, tokenize


def test_tokens_are_lowercased_stems_without_stopwords() -> None:
    assert tokenize("The Sanctions were imposed; he was sanctioned!") == ["sanction", "impos", "sanction"]


def test_an_adverb_of_a_participle_has_the_participles_stem() -> None:
    assert tokenize("worryingly worrying") == ["worry", "worry"]
    assert tokenize("reportedly reported") == ["report", "report"]


def test_a_past_tense_of_a_verb_in_ee_has_the_verbs_stem() -> None:
    assert tokenize("agree agreed agrees agreeing") == ["agree"] * 4
    assert tokenize("guarantee guaranteed guarantees") == ["guarantee"] * 3
    # A verb that ends in "eed" keeps it: "succeeded" is not "succee", "needs" is "need".
    assert tokenize("succeeded succeeds") == ["succeed"] * 2
    assert tokenize("need needs") == ["need"] * 2


def test_a_four_letter_word_in_s_has_the_stem_of_its_singular() -> None:
    assert tokenize("eat eats day days jet jets") == ["eat", "eat", "day", "day", "jet", "jet"]
    assert tokenize("less thus axis") == ["less", "thus", "axis"]


def test_apostrophes_of_every_kind_are_the_same() -> None:
    assert tokenize("China’s") == tokenize("China's") == tokenize("Chinas")


def test_a_version_is_a_term_of_its_own_besides_its_parts() -> None:
    assert tokenize("Add CPython 3.15.0b1; release v2.6.18.") == [
        "add", "cpython", "3", "15", "0b1", "release", "v2", "6", "18", "3.15.0b1", "2.6.18"
    ]  # fmt: skip
    index = BM25Index(["Support for CPython 3.10.0b1 has been added.", "Add CPython 3.15.0b1 by @erin."])
    scores = index.scores("CPython 3.15.0b1")
    assert scores[1] > scores[0]


def test_a_command_line_option_is_a_term_of_its_own_and_a_short_one_keeps_its_case() -> None:
    assert options_in("ls -S, -s [-h] `--Sort=WORD` and --human-readable.") == [
        "-S", "-s", "-h", "--sort", "--human-readable"
    ]  # fmt: skip
    assert "-S" in tokenize("What does ls -S do?") and "-s" not in tokenize("What does ls -S do?")
    # A dash inside or after a word, or before a number, names no option.
    assert options_in("U.S.-China talks, an e-mail, a well-known -5 degrees, a dash - here") == []
    index = BM25Index(["-s, --size  print the allocated size of each file", "-S  sort by file size"])
    assert index.scores("ls -S")[1] > index.scores("ls -S")[0]
    # A question is searched without its long options: their words already stand for them.
    assert query_terms("Which orders does --sort take, and -S?") == ["order", "sort", "take", "s", "-S"]


def test_an_identifier_is_letters_and_digits_joined_by_hyphens_and_is_named_only_whole() -> None:
    assert identifiers_in("Was CVE-2018-20482 (or SHA-256, G-20) fixed in U.S.-China follow-up 64-bit code?") == [
        "CVE-2018-20482", "SHA-256", "G-20"
    ]  # fmt: skip
    assert names_identifier("* Fix CVE-2018-20482", "cve-2018-20482")
    assert names_identifier("two F-35s were sold", "F-35")
    assert not names_identifier("Fix CVE-2018-204821", "CVE-2018-20482")
    assert not names_identifier("Fix CVE-2018-20482-2", "CVE-2018-20482")
    assert not names_identifier("Fix XCVE-2018-20482", "CVE-2018-20482")


def test_bm25_ranks_the_text_with_the_rare_term_first() -> None:
    index = BM25Index(
        [
            "Beijing and Washington held talks in Beijing.",
            "Kissinger met Li Shangfu in Beijing.",
            "The balloon crossed the United States.",
        ]
    )

    assert [row for row, _ in index.top("Kissinger Beijing", 3)] == [1, 0]
    [kissinger], [beijing] = tokenize("Kissinger"), tokenize("Beijing")  # idf takes tokens, not words
    assert index.document_frequency(beijing) == 2
    assert index.idf(kissinger) > index.idf(beijing)


def test_bm25_prefers_the_shorter_of_two_equal_matches() -> None:
    index = BM25Index(["Taiwan policy.", "Taiwan policy and many other unrelated words about trade and climate."])

    scores = index.scores("Taiwan")
    assert scores[0] > scores[1] > 0


@pytest.mark.parametrize("query", ["", "the and of", "zeppelin"])
def test_bm25_returns_nothing_when_no_term_matches(query: str) -> None:
    index = BM25Index(["Beijing and Washington held talks.", "Kissinger met Li Shangfu."])

    assert index.top(query, 5) == []


def test_bm25_of_an_empty_corpus() -> None:
    index = BM25Index([])

    assert index.top("anything", 5) == []
    assert index.scores("anything").shape == (0,)


def test_coverage_is_the_largest_share_of_the_question_one_text_holds() -> None:
    index = BM25Index(["urgent crisis management", "crisis talks resumed", "banana bread"])

    assert index.coverage("urgent crisis management") == pytest.approx(1.0)
    partial = index.coverage("urgent zebra")  # a word no text uses counts against it, with the highest IDF
    assert 0 < partial < 0.5
    assert partial == pytest.approx(index.idf("urgent") / (index.idf("urgent") + index.idf("zebra")))
    assert index.coverage("zebra giraffe") == 0.0
    assert index.coverage("the of and") == 0.0  # no content words
    assert BM25Index([]).coverage("crisis") == 0.0


@pytest.mark.parametrize(
    "texts", [["urgent crisis management", "crisis talks resumed, crisis over", "-S sort 3.10.0"], []]
)
def test_a_saved_index_loads_with_the_same_scores(tmp_path: Path, texts: list[str]) -> None:
    index = BM25Index(texts, k1=1.5, b=0.5)
    index.save(tmp_path / "words.npz")

    loaded = BM25Index.load(tmp_path / "words.npz")

    assert (loaded.size, loaded.k1, loaded.b, loaded.average_length) == (index.size, 1.5, 0.5, index.average_length)
    for query in ["crisis", "urgent crisis talks", "-S", "3.10.0", "zebra"]:
        np.testing.assert_array_equal(loaded.scores(query), index.scores(query))
        assert loaded.coverage(query) == index.coverage(query)
        np.testing.assert_array_equal(loaded.rows_with(query), index.rows_with(query))


def test_a_saved_index_is_not_as_wide_as_its_longest_word_times_its_words(tmp_path: Path) -> None:
    texts = [f"word{n} plain text" for n in range(2000)] + ["a" * 20_000]  # a pasted blob: one 20,000-letter term
    BM25Index(texts).save(tmp_path / "words.npz")

    assert (tmp_path / "words.npz").stat().st_size < 1_000_000  # an array of strings would take 160 MB
    assert BM25Index.load(tmp_path / "words.npz").document_frequency("a" * 20_000) == 1
