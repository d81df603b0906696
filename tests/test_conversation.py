"""Follow-up questions are rewritten to stand alone, without an LLM."""

import pytest

from assistant.conversation import (
    asks_for_more,
    asks_to_go_on,
    conversation_quotes,
    previous_quotes,
    rewrite,
    standalone_question,
    without_title_words,
)

AUSTIN_HISTORY = [
    {"role": "user", "content": "Who refused to meet Lloyd Austin in Singapore?"},
    {
        "role": "assistant",
        "content": "“In May, PRC defense minister Li Shangfu refused to meet with U.S. secretary of defense "
        "Lloyd Austin on the sidelines of a conference in Singapore.” [1]",
    },
]


def test_a_pronoun_is_replaced_by_the_person_the_answer_named() -> None:
    rewritten = standalone_question("Why was he sanctioned?", AUSTIN_HISTORY)

    assert "Li Shangfu" in rewritten
    assert rewritten == "Why was Li Shangfu sanctioned?"


def test_a_possessive_pronoun_keeps_its_possessive() -> None:
    assert standalone_question("What was his role?", AUSTIN_HISTORY) == "What was Li Shangfu's role?"


@pytest.mark.parametrize(
    "question",
    [
        "What does the Taiwan Relations Act require Washington to provide?",
        "Which cabinet secretaries visited Beijing during the summer?",
        "What is the capital of France?",
        "Where is Singapore on the map?",  # one word of meaning, but a name
    ],
)
def test_a_question_that_stands_alone_is_unchanged(question: str) -> None:
    assert standalone_question(question, AUSTIN_HISTORY) == question


@pytest.mark.parametrize(
    "question",
    ["What are these documents about?", "How many documents are there?", "What documents do you have?", "?", "x"],
)
def test_a_question_about_the_collection_or_with_no_word_leans_on_nothing(question: str) -> None:
    # "these", "there": the documents, not what the last answer quoted.
    assert standalone_question(question, AUSTIN_HISTORY) == question
    # Nor is it a previous question's key words when it was asked before.
    history = [*AUSTIN_HISTORY, {"role": "user", "content": question}, {"role": "assistant", "content": "“A.” [1]"}]
    assert rewrite("Why?", history).previous == question


def test_summarize_it_is_a_follow_up() -> None:
    assert standalone_question("Summarize it", AUSTIN_HISTORY) == "Summarize it (refused meet Lloyd Austin Singapore)"


def test_without_history_nothing_changes() -> None:
    assert standalone_question("Why was he sanctioned?", []) == "Why was he sanctioned?"
    assert standalone_question("Why was he sanctioned?", None) == "Why was he sanctioned?"


def test_an_ellipsis_borrows_the_previous_question() -> None:
    history = [{"role": "user", "content": "When did Blinken visit Beijing?"}, {"role": "assistant", "content": "…"}]

    assert standalone_question("And Kerry?", history) == "When did Kerry visit Beijing?"


def test_what_if_borrows_the_previous_question() -> None:
    history = [
        {"role": "user", "content": "What is the normal dose of Calmirex?"},
        {"role": "assistant", "content": "…"},
    ]

    standalone = standalone_question("What if my kidneys are impaired?", history)
    assert standalone == "What if my kidneys are impaired? (normal dose Calmirex)"


def test_an_ellipsis_naming_a_topic_swaps_it_for_the_topic_the_previous_question_asked_about() -> None:
    history = [{"role": "user", "content": "What did Wang Yi tell Blinken about Taiwan?"}]

    assert standalone_question("What about trade?", history) == "What did Wang Yi tell Blinken about trade?"
    assert standalone_question("And the sanctions?", history) == "What did Wang Yi tell Blinken about the sanctions?"
    assert standalone_question("And Kerry?", history) == "What did Kerry tell Blinken about Taiwan?"  # a name
    # Said to be a topic: "about" once, named or not.
    assert standalone_question("And about Ukraine?", history) == "What did Wang Yi tell Blinken about Ukraine?"
    assert standalone_question("What about on trade?", history) == "What did Wang Yi tell Blinken about trade?"


def test_an_ellipsis_naming_a_place_swaps_the_topic_and_one_naming_a_person_the_person() -> None:
    history = [{"role": "user", "content": "What did McFarland say about Taiwan?"}]

    def is_place(name: str) -> bool:
        return name in {"Russia", "South China Sea"}

    assert standalone_question("What about Russia?", history, is_place=is_place) == (
        "What did McFarland say about Russia?"
    )
    assert standalone_question("And the South China Sea?", history, is_place=is_place) == (
        "What did McFarland say about the South China Sea?"
    )
    assert standalone_question("And Stephenson?", history, is_place=is_place) == (
        "What did Stephenson say about Taiwan?"
    )


def test_it_after_on_or_about_is_the_topic_the_previous_question_asked_about() -> None:
    history = [
        {"role": "user", "content": "What did Wang Yi say about Taiwan?"},
        {"role": "assistant", "content": "“Wang Yi reportedly told Blinken, “On the Taiwan question, ...”” [1]"},
    ]

    on_it = standalone_question("Did Blinken change US policy on it?", history)
    said_it = standalone_question("When did he say it?", history)

    # Before, "it" borrowed the key words, Wang Yi's name too: "... on it? (Wang Yi Taiwan)".
    assert on_it == "Did Blinken change US policy on Taiwan?"
    assert said_it == "When did Wang Yi say it?"  # what he said, not Taiwan


def test_a_thing_pronoun_gets_the_previous_key_words() -> None:
    history = [{"role": "user", "content": "Which balloon incident postponed the visit?"}]

    rewritten = standalone_question("When did it happen?", history)
    assert rewritten.startswith("When did it happen?")
    assert "balloon" in rewritten and "postponed" in rewritten


def test_previous_quotes_reads_plain_and_web_chat_answers() -> None:
    plain = "“Li was sanctioned in 2018.” [1] “He met “friends” there.” [2]"
    web = "> “Li was sanctioned \\*in\\* 2018.” **[1]**\n\n[1] `001.txt` characters 1–20"
    assert previous_quotes([{"role": "assistant", "content": plain}]) == [
        "Li was sanctioned in 2018.",
        "He met “friends” there.",
    ]
    assert previous_quotes([{"role": "user", "content": "q"}, {"role": "assistant", "content": web}]) == [
        "Li was sanctioned *in* 2018."
    ]
    assert previous_quotes([]) == []


def test_an_ellipsis_borrows_the_previous_question_but_a_full_question_stands() -> None:
    history = [{"role": "user", "content": "When did Janet Yellen visit China?"}, {"role": "assistant", "content": ""}]

    assert standalone_question("And what about Gina Raimondo?", history) == "When did Gina Raimondo visit China?"
    assert standalone_question("And what did Kerry say?", history) == "And what did Kerry say?"


def test_possessives_are_cut_from_names_without_eating_their_last_letter() -> None:
    history = [
        {"role": "user", "content": "Whose plan was it?"},
        {"role": "assistant", "content": "“It was Ambassador Williams’s plan.” [1]"},
    ]

    assert standalone_question("Why did he propose it?", history) == "Why did Williams propose it?"


@pytest.mark.parametrize(
    "question", ["What's the other one?", "What does Washington want instead?", "What is the limit?"]
)
def test_a_question_that_points_back_without_a_pronoun_gets_the_previous_key_words(question: str) -> None:
    history = [{"role": "user", "content": "Why does Beijing see technology bans as a big deal?"}]

    rewritten = standalone_question(question, history)

    assert rewritten.startswith(question)
    assert "technology" in rewritten and "bans" in rewritten


def test_the_previous_question_is_made_to_stand_alone_first() -> None:
    history = [
        *AUSTIN_HISTORY,
        {"role": "user", "content": "Why?"},
        {"role": "assistant", "content": "“Li remains under sanctions.” [1]"},
    ]

    rewritten = standalone_question("Tell me more", history)

    assert rewritten.startswith("Tell me more (") and "Lloyd Austin" in rewritten


def test_he_is_still_the_person_named_before_questions_that_name_nobody() -> None:
    history = [
        *AUSTIN_HISTORY,
        {"role": "user", "content": "Why?"},
        {"role": "assistant", "content": "“China suspended contact after Nancy Pelosi visited Taiwan.” [1]"},
        {"role": "user", "content": "What else?"},
        {"role": "assistant", "content": "“This position resurfaced during the Biden visit to Beijing.” [1]"},
    ]

    assert standalone_question("When was he sanctioned?", history) == "When was Li Shangfu sanctioned?"


def test_he_is_still_the_person_named_before_a_question_about_him_that_names_a_place() -> None:
    history = [
        {"role": "user", "content": "Who is Qin Gang?"},
        {"role": "assistant", "content": "“Chinese Foreign Minister Qin Gang will visit Washington.” [1]"},
        {"role": "user", "content": "What did he say about Taiwan?"},
        {"role": "assistant", "content": "“Qin Gang said in March that Taiwan is “the first red line”.” [1]"},
    ]

    assert standalone_question("When did he say it?", history) == "When did Qin Gang say it?"  # not "Taiwan"


def test_a_request_to_go_on_lends_no_key_words_to_the_next_question() -> None:
    history = [
        {"role": "user", "content": "What are China's grievances?"},
        {"role": "assistant", "content": "“Wang provided an efficient list of China’s top grievances.” [1]"},
        {"role": "user", "content": "Tell me more"},
        {"role": "assistant", "content": "“The first PRC grievance is the China threat narrative.” [1]"},
    ]

    assert standalone_question("Which one matters most?", history) == "Which one matters most? (China's grievances)"


def test_they_after_an_ellipsis_are_the_two_people_compared() -> None:
    history = [
        {"role": "user", "content": "What did Yellen do in Beijing?"},
        {"role": "assistant", "content": "“Xi Jinping himself met with Henry Kissinger. Janet Yellen spoke.” [1]"},
        {"role": "user", "content": "And Kerry?"},
        {"role": "assistant", "content": "“Special Presidential Envoy for Climate John Kerry traveled in July.” [1]"},
    ]

    assert standalone_question("Did Xi meet them?", history) == "Did Xi meet Yellen and Kerry?"


def test_names_do_not_run_on_across_a_full_stop() -> None:
    history = [
        {"role": "user", "content": "Whom did Li meet?"},
        {"role": "assistant", "content": "“Li met Henry Kissinger. Xi Jinping met him too.” [1]"},
    ]

    assert standalone_question("What did they discuss?", history) == "What did Henry Kissinger and Xi Jinping discuss?"


def test_she_after_who_is_someone_is_that_someone_not_a_name_in_the_answer() -> None:
    history = [
        {"role": "user", "content": "Who is Rosie Levine?"},
        {"role": "assistant", "content": "“USIP’s Rosie Levine, Alison McFarland and Carla Freeman discuss.” [1]"},
    ]

    assert standalone_question("What did she say?", history) == "What did Rosie Levine say?"


# The answer as text, and as the web chat shows it.
@pytest.mark.parametrize("marker", ["[2]", "**[2]**"])
def test_he_after_who_said_something_is_the_speaker_the_answer_named_not_a_name_in_the_quote(marker: str) -> None:
    history = [
        {"role": "user", "content": "Who said Beijing's unwillingness stems from its approach to crisis management?"},
        {
            "role": "assistant",
            "content": "“Beijing’s unwillingness stems from its approach to crisis management, a point reiterated by "
            "Chinese Defense Minister Li Shangfu at the recent Shangri-La Dialogue.” [1] "
            f"(in the remarks of “Stephenson” {marker})",
        },
    ]

    assert standalone_question("What else did he say?", history) == "What else did Stephenson say?"


def test_they_are_the_people_an_answer_named_when_the_question_asked_for_people() -> None:
    history = [
        {"role": "user", "content": "Which U.S. officials went to China in July?"},
        {"role": "assistant", "content": "“followed by Treasury Secretary Janet Yellen and John Kerry in July” [1]"},
    ]

    assert standalone_question("Did Xi meet with them?", history) == "Did Xi meet with Janet Yellen and John Kerry?"


def test_after_a_who_question_him_is_the_person_the_answer_named_not_the_one_asked_about() -> None:
    history = [
        {"role": "user", "content": "Who did Xi Jinping meet while declining to see Yellen and Kerry?"},
        {"role": "assistant", "content": "“Xi Jinping himself met with Kissinger while declining to meet Kerry.” [1]"},
    ]

    assert standalone_question("Who else met with him?", history) == "Who else met with Kissinger?"


def test_a_word_the_documents_also_write_in_lowercase_opens_a_title_not_a_name() -> None:
    history = [
        {"role": "user", "content": "Which U.S. officials went to China in July?"},
        {"role": "assistant", "content": "“Janet Yellen and Special Presidential Envoy for Climate John Kerry” [1]"},
    ]

    def in_lowercase(word: str) -> bool:
        return word in {"Climate", "Envoy", "Special"}

    assert standalone_question("Did Xi meet with them?", history, in_lowercase=in_lowercase) == (
        "Did Xi meet with Janet Yellen and John Kerry?"
    )
    assert standalone_question("Did Xi meet with them?", history) == (
        "Did Xi meet with Janet Yellen and Climate John Kerry?"  # without the documents to tell
    )


def test_a_title_that_names_a_body_is_no_part_of_the_name_after_it() -> None:
    quote = (
        "he met with Director of the Chinese Communist Party’s Central Foreign Affairs Office Wang Yi, Foreign "
        "Minister Qin Gang and Xi Jinping"
    )
    history = [
        {"role": "user", "content": "Who did Blinken meet with in Beijing?"},
        {"role": "assistant", "content": f"“{quote}” [1]"},
    ]

    def in_lowercase(word: str) -> bool:
        return word in {"Central", "Affairs", "Relations"}

    # Was "... of Communist Party Central Affairs Office Wang Yi, ...".
    assert standalone_question("Which one of them came to the US?", history, in_lowercase=in_lowercase) == (
        "Which one of Wang Yi, Qin Gang and Xi Jinping came to the US?"
    )
    assert without_title_words(["Taiwan", "Relations", "Act"], in_lowercase) == ["Taiwan", "Relations", "Act"]


def test_them_is_a_thing_when_the_previous_question_named_no_people() -> None:
    history = [
        {"role": "user", "content": "Why did China refuse military talks?"},
        {
            "role": "assistant",
            "content": "“The United States and China canceled talks after Nancy Pelosi's visit.” [1]",
        },
    ]

    rewritten = standalone_question("What would it take to restart them?", history)

    assert rewritten == "What would it take to restart them? (China refuse military talks)"


def test_an_ellipsis_swaps_a_name_only_for_a_name() -> None:
    history = [{"role": "user", "content": "How does Beijing see the Taiwan Relations Act?"}]

    assert standalone_question("And Washington?", history) == "How does Washington see the Taiwan Relations Act?"
    assert standalone_question("And the one China policy?", history) == (
        "the one China policy? (Beijing see Taiwan Relations Act)"
    )


def test_a_reaction_to_nothing_named_is_a_reaction_to_the_previous_question() -> None:
    history = [{"role": "user", "content": "What did Biden call Xi after the trip?"}]

    assert standalone_question("How did Beijing respond?", history) == ("How did Beijing respond? (Biden call Xi trip)")
    assert standalone_question("How did China react to the Pelosi visit?", history) == (
        "How did China react to the Pelosi visit?"  # it names what it reacts to
    )


def test_an_ellipsis_after_a_question_without_names_gets_its_key_words() -> None:
    history = [{"role": "user", "content": "Who talked about derisking?"}, {"role": "assistant", "content": "…"}]

    assert standalone_question("What about Raimondo?", history) == "Raimondo? (talked derisking)"


@pytest.mark.parametrize("question", ["Tell me more", "Go on.", "What else?", "Can you tell me more, please?"])
def test_a_request_to_go_on_is_recognised(question: str) -> None:
    assert asks_to_go_on(question)


@pytest.mark.parametrize(("question", "more"), [("What else did he say?", True), ("Why did he go?", False)])
def test_a_request_for_something_else_is_recognised(question: str, more: bool) -> None:
    assert asks_for_more(question) == more


@pytest.mark.parametrize("question", ["Tell me more about Kerry", "What else did he say?", "Why?"])
def test_a_question_of_its_own_is_not_a_request_to_go_on(question: str) -> None:
    assert not asks_to_go_on(question)


@pytest.mark.parametrize(
    ("question", "standalone", "borrows"),
    [
        ("Why?", "Why? (refused meet Lloyd Austin Singapore)", True),
        ("Why (briefly)", "Why (briefly) (refused meet Lloyd Austin Singapore)", True),
        ("Why was he sanctioned?", "Why was Li Shangfu sanctioned?", False),
        ("What about Raimondo?", "Who refused to meet Raimondo in Singapore?", False),
        ("What is the TRA (the Taiwan Relations Act) for?", "What is the TRA (the Taiwan Relations Act) for?", False),
    ],
)
def test_a_rewrite_that_borrows_key_words_is_told_from_one_that_names(
    question: str, standalone: str, borrows: bool
) -> None:
    rewritten = rewrite(question, AUSTIN_HISTORY)

    assert rewritten.standalone == standalone == standalone_question(question, AUSTIN_HISTORY)
    assert rewritten.borrows_key_words is borrows


def test_the_conversation_quotes_are_those_of_every_answer_the_last_first() -> None:
    history = [
        {"role": "user", "content": "Who?"},
        {"role": "assistant", "content": "“Li refused.” [1]"},
        {"role": "user", "content": "Why?"},
        {"role": "assistant", "content": "“He is sanctioned.” [1] “Since 2018.” [2]"},
    ]

    assert conversation_quotes(history) == ["He is sanctioned.", "Since 2018.", "Li refused."]
    assert previous_quotes(history) == ["He is sanctioned.", "Since 2018."]
