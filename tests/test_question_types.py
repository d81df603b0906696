"""What a question asks for, read from its words alone."""

import pytest

from assistant.question_types import (
    ASKS_HOW_THEY_REACTED,
    ASKS_WHAT_HAPPENED,
    ASKS_WHAT_SHOULD_BE_DONE,
    ASKS_WHAT_WAS_TO_COME_OR_SAID,
    ASKS_WHEN,
    ASKS_WHICH_ONES,
    ASKS_WHO_SAID,
    ASKS_WHO_WROTE,
    ASKS_YES_OR_NO,
    NAME,
    SAYS_NOT_YET,
    SAYS_WHEN,
    SAYS_WHEN_IN_THE_WEEK,
    SAYS_WHERE_IT_LIES,
    all_words_in,
    asks_about_the_collection,
    asks_across_documents,
    asks_for_a_price,
    asks_for_a_release,
    asks_for_overview,
    asks_for_release_notes,
    asks_for_the_section,
    asks_nothing,
    asks_which_document,
    asks_who_wrote,
    doing_asked,
    fits_question_type,
    gives_what_it_asks,
    head_of_topic,
    is_small_talk,
    names_the_doing,
    person_asked_about,
    places_in,
    plain_name,
    says_what_it_was_called,
    someone_whose_words_asked,
    speaker_asked_about,
    speaker_described,
    subject_asked_about,
    thing_asked_about,
    thing_asked_if_there,
    titles,
    topic_asked_about,
    topic_compared,
    what_they_called,
    without_names,
    without_the_askers_circumstances,
)


@pytest.mark.parametrize("number", ["forty", "fifty", "fifteen", "ninety"])
def test_a_quantity_question_accepts_a_number_written_in_words(number: str) -> None:
    assert fits_question_type("How many okapis does the sanctuary keep?", f"The sanctuary keeps {number} okapis.")


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("Who is Kurt Campbell?", ["kurt", "campbell"]),
        ("who is kurt campbell", ["kurt", "campbell"]),
        ("Tell me about Wang Yi", ["wang", "yi"]),
        ("What is the Shangri-La Dialogue?", ["shangri", "la", "dialogue"]),
        ("Who is the current president of Taiwan?", ["current", "president", "taiwan"]),
        ("What is the current view of the American president on Taiwan?", []),  # too much to be a name
        ("What did Xi say about climate?", []),  # not a "what is" question
        ("What does Kurt Campbell think?", ["kurt", "campbell"]),  # what someone holds: any answer names them
        ("What is Wang Yi’s position?", ["wang", "yi"]),
        ("What did Blinken say?", ["blinken"]),
        ("What does Blinken think of the sanctions on Li Shangfu?", []),  # asks about the sanctions too
    ],
)
def test_the_subject_of_a_who_is_question_is_told_apart(question: str, subject: list[str]) -> None:
    assert subject_asked_about(question) == subject


def test_in_one_document_the_words_after_a_closing_about_are_the_subject() -> None:
    assert subject_asked_about("What changed in it about Chroma?", in_one_document=True) == ["chroma"]
    assert subject_asked_about("What did Xi say about climate?", in_one_document=True) == ["climate"]
    assert subject_asked_about("What did Xi say about climate?") == []  # across the documents: about Xi too
    assert subject_asked_about("What is it about?", in_one_document=True) == []
    assert subject_asked_about("What did it say about the long and winding road ahead?", in_one_document=True) == []


def test_a_sentence_vouches_for_a_subject_only_with_all_its_words() -> None:
    assert all_words_in(["kurt", "campbell"], "Indo-Pacific Coordinator Kurt Campbell said")
    assert not all_words_in(["kurt", "campbell"], "Campbell affirmed the U.S. narrative")
    assert not all_words_in([], "Campbell affirmed the U.S. narrative")


def test_when_questions_and_sentences_that_say_when_are_recognised() -> None:
    assert ASKS_WHEN.search("When did Blinken visit Beijing?")
    assert ASKS_WHEN.search("And when will they meet?")
    assert not ASKS_WHEN.search("Who spoke when the talks stalled?")
    assert SAYS_WHEN.search("He traveled there in June.")
    assert SAYS_WHEN.search("It was postponed earlier this year.")
    assert not SAYS_WHEN.search("Talks may resume.")  # the verb, not the month
    assert SAYS_WHEN.search("| 4 | Thu 12 Feb | Glacier hike |")  # a month for short, by a day's number
    assert SAYS_WHEN.search("Talks resume on Feb. 12.")
    assert not SAYS_WHEN.search("Quote reference HL-0427 in the subject line.")  # a code's digits are no year
    assert not SAYS_WHEN.search("Version 3.10 fixed it.")
    # When in a day or a week: a second choice, after a date.
    assert SAYS_WHEN_IN_THE_WEEK.search("Meet at the car park at 10:00.")
    assert SAYS_WHEN_IN_THE_WEEK.search("The doors open at 6.30 pm.")
    assert SAYS_WHEN_IN_THE_WEEK.search("The market is held every Saturday.")
    assert SAYS_WHEN_IN_THE_WEEK.search("Office hours: Tuesdays, or by appointment.")
    assert not SAYS_WHEN_IN_THE_WEEK.search("It was signed in June 2023.")
    assert not SAYS_WHEN.search("Mar the surface with a knife.")  # "Mar" alone is no month


@pytest.mark.parametrize(
    "question",
    [
        "What are these documents about?",
        "Summarize the articles",
        "summarise",
        "Can you give me an overview?",
        "What do the documents say?",
        "What does it say?",  # of one document: "What does the LA Times piece say?"
        "Give me three key takeaways.",
        "What are the main points?",
        "tl;dr",
        "Summarize the main findings.",
        "What are the key themes?",
        "What are the main arguments of these articles?",
        "What are the main conclusions?",
    ],
)
def test_an_overview_question_is_recognised(question: str) -> None:
    assert asks_for_overview(question)


@pytest.mark.parametrize(
    "question",
    [
        "What is the summary of the Biden-Xi meeting?",
        "What are the documents Blinken signed?",
        "Who wrote it?",
        "Summarize what Blinken said about Taiwan",
        "Give me an overview of the Taiwan issue",
        "What are the talks about?",
        "What are the key points of the Taiwan debate?",
        "What is the main point of contention?",
        "What are the main findings about Taiwan?",
    ],
)
def test_a_question_about_something_in_the_documents_is_not_an_overview(question: str) -> None:
    assert not asks_for_overview(question)


@pytest.mark.parametrize(
    ("question", "happened"),
    [
        ("Did Biden and Xi meet in San Francisco?", True),
        ("What agreements did Gina Raimondo reach during her trip?", True),
        ("How was the balloon brought down?", True),
        ("Where were the talks held?", True),
        ("How big was the new arms package?", False),  # what it was like, not what happened
        ("Who was Taiwan's president?", False),
        ("When will Qin Gang visit Washington?", False),
    ],
)
def test_a_question_about_something_that_happened_is_recognised(question: str, happened: bool) -> None:
    assert bool(ASKS_WHAT_HAPPENED.search(question)) is happened


@pytest.mark.parametrize(
    ("question", "to_come"),
    [
        ("What did Raimondo plan to do?", True),
        ("What did Xi say he hoped the meetings would accomplish?", True),
        ("Where was Qin Gang expected to travel?", True),
        ("What did the White House say?", True),  # what was said: "... it will not retract the statement"
        ("Did Biden and Xi meet in San Francisco?", False),
        ("How was the balloon brought down?", False),
    ],
)
def test_a_question_about_something_to_come_or_about_what_was_said_is_recognised(question: str, to_come: bool) -> None:
    assert bool(ASKS_WHAT_WAS_TO_COME_OR_SAID.search(question)) is to_come


@pytest.mark.parametrize(
    ("sentence", "not_yet"),
    [
        ("This is expected to pave the way for a potential meeting in San Francisco.", True),
        ("Gina Raimondo is also expected to visit China later this month.", True),
        ("Qin Gang will visit Washington.", True),
        ("In May, Li Shangfu refused to meet Lloyd Austin.", False),  # May the month
        ("Xi Jinping met Biden in Bali in November.", False),
    ],
)
def test_a_sentence_that_speaks_of_something_still_to_come_is_recognised(sentence: str, not_yet: bool) -> None:
    assert bool(SAYS_NOT_YET.search(sentence)) is not_yet


@pytest.mark.parametrize(
    "question", ["?", "x", "...", "hi", "Thanks!", "ok, great", "Hello there?", "Who is he?", "Why?"]
)
def test_a_message_without_anything_to_look_up_asks_nothing(question: str) -> None:
    assert asks_nothing(question)


@pytest.mark.parametrize(
    "question",
    [
        "What are these documents about?",
        "Summarize",
        "Who is Kurt Campbell?",
        "Taiwan?",
        "What does the US say?",
        "Who said “This is very good”?",  # words of small talk, quoted
        "Who said thanks?",
    ],
)
def test_an_overview_request_or_a_single_topic_word_asks_something(question: str) -> None:
    assert not asks_nothing(question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("What do the articles say about Taiwan?", "What do the about Taiwan?"),
        ("Compare the views of the different articles on the trip", "the of the on the trip"),
        ("How does each author see Kissinger?", "How does Kissinger?"),
        ("Do the documents agree on whether the trip was a success?", "Do the on whether the trip was a success?"),
    ],
)
def test_a_question_across_the_documents_is_recognised_and_looked_up_by_its_topic(question: str, topic: str) -> None:
    assert asks_across_documents(question)
    assert topic_compared(question) == topic


@pytest.mark.parametrize(
    "question",
    [
        "What did Blinken say about Taiwan?",
        "What is the goal of the Diplomat's series of articles by Chinese and American experts?",
        "Which sources did the author cite?",
    ],
)
def test_a_question_about_one_thing_said_is_not_across_the_documents(question: str) -> None:
    assert not asks_across_documents(question)


@pytest.mark.parametrize(
    ("message", "small_talk"),
    [("thanks!", True), ("OK, great", True), ("Why?", False), ("?", False), ("Why did he say thanks?", False)],
)
def test_small_talk_has_words_and_only_words_of_small_talk(message: str, small_talk: bool) -> None:
    assert is_small_talk(message) is small_talk


@pytest.mark.parametrize(
    ("question", "about_the_collection"),
    [
        ("How many documents are there?", True),
        ("What documents do you have?", True),
        ("What’s the title of it?", True),
        ("List the files", True),
        ("What files can you search?", True),
        ("How many articles did Blinken write?", False),  # a question about Blinken
        ("What do the articles say about Taiwan?", False),
        ("What are these documents about?", False),  # an overview
        ("What is the name of the ship?", False),
    ],
)
def test_a_question_about_the_collection_itself_is_recognised(question: str, about_the_collection: bool) -> None:
    assert asks_about_the_collection(question) is about_the_collection


def test_a_contraction_is_not_a_name() -> None:
    assert NAME.findall("Why Don’t they meet? Didn't Blinken meet Xi Jinping?") == ["Blinken", "Jinping"]
    assert NAME.findall("What is China’s view?") == ["China"]


@pytest.mark.parametrize(
    ("question", "thing"),
    [
        ("What does pyenv local do?", "pyenv local"),
        ("What does `pyenv local` do?", "pyenv local"),
        ("What is path.join()?", "path.join"),
        ("What is CONFIGURE_OPTS for?", "configure opts"),
        ("What does Client.put return?", "client.put"),  # what it returns: said under its heading
        ("What does tidepool.connect raise?", "tidepool.connect"),
        ("What is the limit?", "limit"),
        ("What did Xi say?", None),
        ("How do I install it?", None),
    ],
)
def test_what_a_thing_question_asks_about_is_named_plainly(question: str, thing: str | None) -> None:
    assert thing_asked_about(question) == thing


def test_a_heading_names_a_thing_plainly_as_a_question_would() -> None:
    assert plain_name("`pyenv local`") == plain_name("`pyenv local` (advanced)") == "pyenv local"
    assert plain_name("`dns.lookup(hostname[, options], callback)`") == "dns.lookup"
    assert plain_name("CONFIGURE_OPTS") == thing_asked_about("What is `CONFIGURE_OPTS`?")


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Which tar version fixed CVE-2018-20482?", True),
        ("In what release was --zstd added?", True),
        ("When was zstd support added?", True),
        ("What versions of Python does pyenv install?", False),  # which exist, not which one
        ("What does --zstd do?", False),
        ("Which option sorts by version?", False),
    ],
)
def test_a_question_asking_which_release_or_when(question: str, asks: bool) -> None:
    assert asks_for_a_release(question) is asks


@pytest.mark.parametrize(
    ("question", "person"),
    [
        ("Who is Wang Yi?", "Wang Yi"),
        ("who was Antony J. Blinken", "Antony J. Blinken"),
        ("Who is the current president of Taiwan?", None),  # asks for a person, names none
        ("Who is he?", None),
        ("What is Wang Yi's position?", None),  # on what? a stance as much as a post
        ("What is Kurt Campbell’s title?", "Kurt Campbell"),
        ("What role does Kurt Campbell play?", "Kurt Campbell"),
        ("What title did Li Shangfu hold?", "Li Shangfu"),
        ("What role does Kurt Campbell play in the talks?", None),
    ],
)
def test_a_who_is_question_names_the_person_it_asks_about(question: str, person: str | None) -> None:
    assert person_asked_about(question) == person


@pytest.mark.parametrize(
    ("name", "sentence", "gives_title"),
    [
        ("Blinken", "Over the weekend, Secretary of State Antony J. Blinken made it to Beijing.", True),
        ("Li Shangfu", "a meeting between Chinese defense minister Li Shangfu and Lloyd Austin", True),
        ("Wang Yi", "he met Director of the Chinese Communist Party’s Central Foreign Affairs Office Wang Yi.", True),
        (
            "Bates Gill",
            "“But talking will still be very difficult,” said Bates Gill, China expert at the Asia Society.",
            True,
        ),
        ("Blinken", "Levine: Blinken’s visit to Beijing brought him into conversation with them.", False),
        ("Wang Yi", "Wang Yi reportedly told Blinken, “China has no room for compromise.”", False),
        ("Wang Yi", "Wang Yi, who met the secretary, said so.", False),  # a clause, not his title
        ("Wang Yi", "The minister said Wang Yi would come.", False),  # the title of someone else
    ],
)
def test_a_sentence_gives_the_title_of_a_person_before_or_right_after_the_name(
    name: str, sentence: str, gives_title: bool
) -> None:
    assert titles(name, sentence) is gives_title


@pytest.mark.parametrize(
    ("sentence", "places"),
    [
        ("a meeting between Biden and Xi in San Francisco in the fall", ["San Francisco"]),
        ("a conference in Singapore.", ["Singapore"]),
        ("on the sidelines of the G-20 summit in Bali, Indonesia", ["Bali"]),
        ("in the wake of the balloon incident", []),
    ],
)
def test_a_place_is_a_name_after_in_at_to_near_or_from(sentence: str, places: list[str]) -> None:
    assert places_in(sentence) == places


SPEAKERS = {"McFarland", "Freeman", "Rosie Levine"}


@pytest.mark.parametrize(
    ("question", "speaker"),
    [
        ("What did McFarland say about Russia?", "McFarland"),
        ("What does Carla Freeman expect to come next?", "Freeman"),
        ("According to Rosie Levine, what did the two sides discuss?", "Rosie Levine"),
        ("what did mcfarland say", "McFarland"),
        ("What is McFarland’s view on Taiwan?", "McFarland"),
        ("What did Levine say?", None),  # not all of the label's words
        ("Who is Carla Freeman?", None),  # who she is, not what she said
        ("Where does Freeman work?", None),  # asks for no words of hers
        ("Who said Taiwan is a core interest?", None),
        ("Why? (Carla Freeman expect come next)", None),  # the key words a follow-up borrowed ask for nothing
    ],
)
def test_the_speaker_whose_words_a_question_asks_for(question: str, speaker: str | None) -> None:
    assert speaker_asked_about(question, SPEAKERS) == speaker


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Who wrote the LA Times piece?", True),
        ("Who wrote it?", True),
        ("And who wrote that one?", True),
        ("Who is the author of the first article?", True),
        ("What are the names of the authors?", True),
        ("Who wrote the Taiwan Relations Act?", False),  # a law's author is no byline
        ("Who said Taiwan is a red line?", False),
    ],
)
def test_a_question_asking_who_wrote_a_document(question: str, asks: bool) -> None:
    assert bool(ASKS_WHO_WROTE.search(question)) is asks


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("How did China react?", True),
        ("What was Beijing's response to the remark?", True),
        ("How did Beijing respond?", True),
        ("Who is responsible for the downturn?", False),
        ("What did China say?", False),
    ],
)
def test_a_question_asking_how_they_reacted(question: str, asks: bool) -> None:
    assert bool(ASKS_HOW_THEY_REACTED.search(question)) is asks


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Did Blinken's visit produce any major breakthroughs?", True),
        ("Is that an easy case to make in America?", True),
        ("And did Xi meet them?", True),
        ("Can you list the documents?", False),  # a request
        ("Do you know who wrote it?", False),
        ("What did Xi say?", False),
        ("Didier Drogba?", False),
    ],
)
def test_a_question_answered_by_yes_or_no(question: str, asks: bool) -> None:
    assert bool(ASKS_YES_OR_NO.search(question)) is asks


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What approach does the author want Washington to take toward Beijing?", True),
        ("What does Beijing want Washington to stop doing regarding Taiwan?", True),
        ("What should the US do about the sanctions?", True),
        ("What does the author recommend?", True),
        ("What should I do if I lose my laptop?", False),  # a handbook answers in the imperative
        ("What economic reasons does Beijing have for wanting Taiwan?", False),
        ("What did Wang Yi tell Blinken?", False),
    ],
)
def test_a_question_asking_what_someone_urges_be_done(question: str, asks: bool) -> None:
    assert bool(ASKS_WHAT_SHOULD_BE_DONE.search(question)) is asks


@pytest.mark.parametrize(
    ("question", "thing"),
    [
        ("What did Biden call Xi after Blinken's trip?", "Xi"),
        ("What did Yang Tao call de-risking?", "de-risking"),
        ("What does the National Defense Strategy call the PRC?", "PRC"),
        ("What do you call it?", None),  # a pronoun: the follow-up's rewrite says what it is
        ("What did Biden say about Xi?", None),
    ],
)
def test_what_a_question_asks_the_name_of(question: str, thing: str | None) -> None:
    assert what_they_called(question) == thing


@pytest.mark.parametrize(
    ("sentence", "names_it"),
    [
        ("Biden offended Beijing by casually referring to Xi as a “dictator” who was surprised.", True),
        ("Biden’s characterization of Xi as a “dictator” angered Beijing.", True),
        ('Biden called Xi a "dictator".', True),
        ("Biden called the Xi of the balloon days a “dictator”.", False),  # more than a determiner between
        ("Xi was unaware of the balloon, which Biden described as “a major embarrassment.”", False),
        ("Xi as the leader of the party met Blinken.", False),  # no name in quotes
    ],
)
def test_a_sentence_giving_something_a_name_in_quotes(sentence: str, names_it: bool) -> None:
    assert bool(says_what_it_was_called("Xi").search(sentence)) is names_it
    assert bool(says_what_it_was_called("Xi Jinping").search(sentence)) is names_it  # by any word of the name


@pytest.mark.parametrize(
    ("question", "someone"),
    [
        ("What did Qin Gang say about the balloon?", "Qin Gang"),
        ("How does Kurt Campbell see Xi?", "Kurt Campbell"),
        ("And what did Wang Yi reportedly tell Blinken about trade?", "Wang Yi"),
        ("What did Biden’s remark mean?", None),  # asks for no one's words
        ("What did the White House say?", None),  # "the": no name
        ("Who said Taiwan is a core interest?", None),
        ("What did Luca Marsh's boss say about him?", None),  # someone else's words: his boss's
    ],
)
def test_whose_words_a_question_asks_for_by_name(question: str, someone: str | None) -> None:
    assert someone_whose_words_asked(question) == someone


@pytest.mark.parametrize(
    ("topic", "head"),
    [
        ("Taiwan during Blinken's visit", "Taiwan"),
        ("the sanctions on Li Shangfu", "the sanctions"),
        ("the spy balloon", "the spy balloon"),
        ("Luca Marsh afterwards", "Luca Marsh"),  # when it was said is no part of it
    ],
)
def test_the_head_of_a_topic_leaves_out_what_qualifies_it(topic: str, head: str) -> None:
    assert head_of_topic(topic) == head


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Who said Beijing's unwillingness stems from crisis management?", True),
        ("Which USIP expert warned about close calls?", True),
        ("And who argued that?", True),
        ("Who is Wang Yi?", False),
        ("Who refused to meet Lloyd Austin?", False),
        ("What did McFarland say?", False),
    ],
)
def test_a_question_asking_who_said_something(question: str, asks: bool) -> None:
    assert bool(ASKS_WHO_SAID.search(question)) is asks


def test_a_topic_is_asked_about_after_about_and_on_request_after_on() -> None:
    assert topic_asked_about("What did Wang Yi tell Blinken about trade?") == "trade"
    assert topic_asked_about("What is McFarland's view on Taiwan?") is None
    assert topic_asked_about("What is McFarland's view on Taiwan?", on_too=True) == "Taiwan"
    assert topic_asked_about("What did she say regarding the South China Sea?", on_too=True) == "the South China Sea"


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Which article mentions Kissinger?", True),
        ("In which piece is Bates Gill quoted?", True),
        ("What document talks about the balloon?", True),
        ("Which articles mention Kissinger?", True),
        ("Which official met Blinken?", False),
        ("What does the article say about Taiwan?", False),  # what it says, not which one
    ],
)
def test_a_question_asking_which_document(question: str, asks: bool) -> None:
    assert asks_which_document(question) is asks


@pytest.mark.parametrize(
    ("question", "sentence", "gives"),
    [
        ("How much did the footbridge cost?", "The footbridge cost £1.2 million to build.", True),
        ("How much did the footbridge cost?", "The footbridge opened in 2019 with 3 spans.", False),
        ("How much does a card cost?", "Cards are free for residents.", True),
        ("How much cider do they make?", "We made around 120,000 litres last year.", True),
        ("How long does the crossing take?", "The crossing takes about 90 minutes.", True),
        ("How long does the crossing take?", "The island is only 14 kilometres from end to end.", False),
        ("How long did she serve as chair?", "She led the department from 1971 to 1979.", True),
        ("Why was the trip pushed back, and by how long?", "It was delayed nearly five months.", True),
        ("Why was the trip pushed back, and by how long?", "The two sides met at last in June.", False),
        ("How long was the launch postponed?", "The launch was postponed after 2 failures.", False),
        ("How far is the island from the coast?", "It lies 40 kilometres off the west coast.", True),
        ("What percentage of members voted yes?", "Some 62% of members voted in favour.", True),
        ("What percentage of members voted yes?", "Forty per cent of members voted in favour.", True),  # in words
        ("How far is the island from the coast?", "It lies twelve miles off the coast.", True),
        ("How heavy is the Metro S?", "It weighs twenty kilos.", True),
        ("How heavy is the Metro S?", "The Metro S comes in at 26.1 kg.", True),
        ("How heavy is the Metro S?", "The Metro S costs £2,390.", False),
        ("How much does a pear cost?", "The pear costs four euros a kilo.", True),  # a price in words
        ("How much does a pear cost?", "The pears ripen in four weeks.", False),
        ("How tall is the tower?", "The tower, which is 26 metres high, can be climbed.", True),
        ("How tall is the tower?", "The tower was built in 1821.", False),
        ("How many troops are stationed there?", "Pelosi visited Taiwan in August 2022.", False),  # a year
        ("How many troops are stationed there?", "Talks between the two countries stalled.", False),  # refers
        ("How many troops are stationed there?", "It announced a $345 million arms package.", False),  # a price
        ("How many troops are stationed there?", "About 200 troops are stationed there.", True),
        ("How many people does it serve?", "The recipe serves six.", True),
        ("In what year did she graduate?", "She graduated in 1942.", True),
        ("Why did she leave?", "She left for a post in Lessford.", True),  # no figure asked for
        ("What time is the Sky Lagoon?", "| 5 | Fri 13 Feb | Drive back; Sky Lagoon at 18:00 |", True),
        ("What time is the Sky Lagoon?", "Sky Lagoon tickets are already paid.", False),
        ("Until what time is the cafe open?", "The cafe is open until 7pm on Saturdays.", True),
        ("What time does it open?", "Version 3.10 opened the API.", False),  # a version is no time
        ("What time of year is best?", "Late spring is best.", True),  # a season, not a time of day
        ("How long before the money shows up?", "Refunds are processed within 10 working days.", True),
        ("How long until they answer?", "We will respond to your request within 30 days.", True),
        ("How long until they answer?", "Our office is 300 metres from the station.", False),  # no length asked
        ("How long is the trail?", "The trail is 12 km from end to end.", True),
        ("How long is the trail?", "Walking it takes about three hours.", True),  # a length or a duration
        ("How long is the trail?", "The trail was opened by the mayor.", False),
        ("How much money does each player start with?", "Give each player 3 gold coins.", True),
        ("How much money does each player start with?", "Deal 3 cards to each player.", False),
        ("How old is the bridge?", "The bridge was built in 1936.", True),  # an age, by its first year
        ("How old is he?", "Mensah, a 19-year-old, came on.", True),
        ("How old is she?", "She is forty years old.", True),
        ("How old is the bridge?", "It carries 18,000 vehicles a day.", False),
        ("what temp should it be kept at", "Do not store above 25°C.", True),
        ("What temperature should it be kept at?", "Do not use it after the expiry date.", False),
        ("How cold does it get in winter?", "It rarely drops below freezing.", True),
    ],
)
def test_a_sentence_gives_the_kind_of_figure_a_question_asks_for(question: str, sentence: str, gives: bool) -> None:
    assert gives_what_it_asks(question, sentence) is gives


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("How much did the footbridge cost?", True),
        ("What is the price of a ticket?", True),
        ("How much cider do they make?", False),
        ("How far have relations fallen?", False),
    ],
)
def test_a_question_asks_for_a_price(question: str, asks: bool) -> None:
    assert asks_for_a_price(question) is asks


@pytest.mark.parametrize(
    ("question", "bare"),
    [
        ("When did Cellar Nine first open its doors?", "When did  first open its doors?"),
        ("Can leftover Lowry reagent go down the drain?", "Can leftover  reagent go down the drain?"),
        ("Who put together the show at the Morrow Gallery?", "Who put together the show at the ?"),
        ("What did the Bank of England decide?", "What did the  decide?"),
        ("What does the recipe say about salt?", None),  # no name
        ("Can I freeze the soup?", None),  # "I" is no name
        ("Who is Wang Yi?", None),  # nothing asked but the name
    ],
)
def test_what_a_question_asks_of_its_names_is_the_question_without_them(question: str, bare: str | None) -> None:
    assert without_names(question) == bare


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("What is the hotel cap when I travel to Leeds for work?", "What is the hotel cap ?"),
        ("If I miss the bus in Leeds, what then?", ", what then?"),
        ("My dad is at Harrowgate Royal Infirmary. Can I bring flowers?", " Can I bring flowers?"),
        ("When did Blinken visit Beijing?", "When did Blinken visit Beijing?"),
        ("When should I go to Carrowmere to see puffins?", "When should I go to Carrowmere to see puffins?"),
        ("Can I work from Spain for a month?", " for a month?"),
        ("Do I need a visa to work in France?", "?"),
    ],
)
def test_what_a_question_says_of_the_asker_is_not_what_it_asks(question: str, asked: str) -> None:
    assert without_the_askers_circumstances(question) == asked


@pytest.mark.parametrize(
    ("question", "sentence", "fits"),
    [
        ("How much did the visit change relations?", "It changed them very little.", True),  # a degree, in words
        ("How much did the bridge cost?", "It was expensive.", False),  # a price
        ("How much is entry to the show?", "Entry is at the side door.", False),  # a price too
        ("How much does the bike weigh?", "It is heavy.", False),
        ("How much aid was sent?", "Aid was sent by sea.", False),
        ("What day are bins collected?", "Bins are collected on Tuesday.", True),
        ("On what date did they meet?", "They met on Monday.", False),  # a date is more than a weekday
        ("How many people were evacuated?", "Hundreds of people were evacuated.", True),
        ("In what year did the club move?", "The club moved in the 1920s.", True),  # a decade is a date
        ("In which city did they meet?", "They met in Bali last November.", True),
        ("What is the name of the spokesperson who replied?", "A spokesperson replied at once.", False),
        ("What is the name of the expert quoted on the talks?", "So said Bonnie Glaser of the fund.", True),
        ("What's the name of the spokesperson who replied?", "A spokesperson replied at once.", False),
        # "A" opens a sentence run on after a closing quote: "A Chinese Foreign Ministry" names no one new.
        (
            "What’s the name of the Chinese foreign ministry spokesman?",
            "“Absurd.” A Chinese Foreign Ministry spokesman said.",
            False,
        ),
        ("What was the ship called?", "The ship was never named by the navy.", False),
        ("In which city did Biden speak?", "Biden spoke to donors about Xi.", False),  # no place
        ("Which city did Biden visit in Indonesia?", "Biden was in Indonesia.", False),  # the place asked from
        ("Which countries are China's allies?", "Its allies are Russia and North Korea.", True),  # no preposition
    ],
)
def test_a_question_of_a_kind_fits_a_sentence_that_says_what_that_kind_asks(
    question: str, sentence: str, fits: bool
) -> None:
    assert fits_question_type(question, sentence) is fits


@pytest.mark.parametrize(
    ("question", "price"),
    [
        ("What does a bottle of the perry sell for?", True),
        ("What will the new bridge cost?", True),
        ("How much is entry to the exhibition?", True),
        ("How much are tickets?", True),
        ("How much was Taiwan discussed?", False),  # how much in words
        ("How much is known about the talks?", False),
        ("How much is there?", False),
        ("What did the council say about the bridge?", False),
    ],
)
def test_what_something_sells_for_or_how_much_a_thing_is_asks_its_price(question: str, price: bool) -> None:
    assert asks_for_a_price(question) is price


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("What did Singapore’s foreign minister say about the rivalry?", "Singapore’s foreign minister"),
        ("What did Qin Gang say about Taiwan?", "Qin Gang"),
        ("And what did the author argue?", "the author"),
        ("How did Beijing respond?", None),
    ],
)
def test_whose_words_a_question_asks_for_is_what_it_calls_them(question: str, who: str | None) -> None:
    assert speaker_described(question) == who


@pytest.mark.parametrize(
    ("question", "verb"),
    [
        ("How do I install logsift?", "install"),
        ("how to renew my library card", "renew"),
        ("How can you register for the course?", "register"),
        ("How does the thermostat work?", None),  # how it works, not how to do something
        ("How do I get there?", None),  # too short a verb to tell a heading by
    ],
)
def test_how_to_do_something_is_asked_by_its_verb(question: str, verb: str | None) -> None:
    assert doing_asked(question) == verb


@pytest.mark.parametrize(
    ("verb", "heading", "names"),
    [
        ("install", "Installation", True),
        ("install", "Installing from source", True),
        ("register", "Registration", True),
        ("book", "Booking a room", True),
        ("configure", "Configuration", True),
        ("apply", "Applications", True),
        ("install", "Instances", False),
        ("renew", "Returns", False),
    ],
)
def test_a_heading_names_the_doing_by_a_word_made_from_its_verb(verb: str, heading: str, names: bool) -> None:
    assert names_the_doing(verb, heading) is names


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What changed in 3.0.2?", True),
        ("What's new in version 2.4.0?", True),
        ("What was fixed in v3.0.1?", True),
        ("What changed in loomcsv 3.1.0?", False),  # unless "loomcsv" names the file (see the answerer)
        ("What changed in Python 3.9?", False),  # something else is asked about
        ("What changed in the new version?", False),  # no version named
    ],
)
def test_the_notes_of_a_release_are_asked_by_its_version_and_words_of_change(question: str, asks: bool) -> None:
    assert asks_for_release_notes(question) is asks


@pytest.mark.parametrize(
    ("question", "heading", "asks"),
    [
        ("What options does logsift have?", "Options", True),  # "logsift" names the document
        ("List the exit codes", "Exit codes", True),
        ("Tell me about 5.2 Away Mode", "5.2 Away Mode", True),
        ("When did the decline start?", "Decline", False),  # something in the section is asked
        ("What options does the tool have?", "Options", False),  # "tool" is not the document's name here
    ],
)
def test_a_section_is_asked_for_whole_by_its_heading_and_words_of_request(
    question: str, heading: str, asks: bool
) -> None:
    assert asks_for_the_section(question, heading, frozenset({"logsift", "readme"})) is asks


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Who sent the email?", True),
        ("Who is the letter from?", True),
        ("Who sent troops to the island?", False),
        ("Who sent it?", False),  # "it" may be anything sent
    ],
)
def test_who_sent_a_message_asks_who_wrote_it(question: str, asks: bool) -> None:
    assert asks_who_wrote(question) is asks


@pytest.mark.parametrize(
    ("sentence", "says"),
    [
        ("Carrowmere is a small island lying 40 kilometres off the west coast.", True),
        ("The hotel is located just outside the old town.", True),
        ("The island has one ATM.", False),
    ],
)
def test_where_something_lies_is_said_in_words_too(sentence: str, says: bool) -> None:
    assert bool(SAYS_WHERE_IT_LIES.search(sentence)) is says


@pytest.mark.parametrize(
    ("question", "thing"),
    [
        ("Is there a gym at the cottage?", "gym"),
        ("Is there a hot tub?", "tub"),  # by its head word
        ("Does the cottage have a dishwasher?", "dishwasher"),
        ("Is there any evidence that China agreed?", "evidence"),
        ("Is the hike guided?", None),
        ("What is there to do in Vík?", None),
        ("Is there a limit on dogs?", None),  # "Up to two dogs": said in other words
        ("Is there a charge for late check-out?", None),
    ],
)
def test_what_is_there_asks_whether_a_thing_is_there(question: str, thing: str | None) -> None:
    assert thing_asked_if_there(question) == thing


@pytest.mark.parametrize(
    ("question", "things"),
    [
        ("Which batch numbers are affected by the recall?", "batch numbers"),
        ("What options are there?", "options"),
        ("What documents do you have?", "documents"),
        ("Which city did he visit?", None),  # one thing, not a list
        ("What is the batch number?", None),
    ],
)
def test_which_things_asks_for_things_of_a_kind_in_the_plural(question: str, things: str | None) -> None:
    asks = ASKS_WHICH_ONES.match(question)
    assert (asks["things"] if asks else None) == things
