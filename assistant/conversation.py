"""Follow-up questions: rewrite a question that leans on the conversation into one that stands alone.

No LLM: "he" and "she" become the person the conversation was last about, "they" the people it compared, an
ellipsis ("And Kerry?") borrows the previous question's frame, and anything else that leans back gets the
previous question's key words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .lexical import STOPWORDS
from .question_types import stands_alone
from .wording import IN_THE_REMARKS_OF

Message = dict[str, str]
IsPlace = Callable[[str], bool]  # whether the documents speak of a name as of a place ("Russia"), not a person
InLowercase = Callable[[str], bool]  # whether the documents write a word in lowercase too ("Climate": "climate")

PERSON_PRONOUNS = {"he": "", "him": "", "his": "'s", "she": "", "hers": "'s", "her": ""}
PERSON_PRONOUN = re.compile(rf"\b(?:{'|'.join(PERSON_PRONOUNS)})\b", re.I)
THING_PRONOUNS = {"it", "its", "they", "them", "their", "this", "that", "these", "those", "there"}
# Words that point back without naming anything: "What's the other one?", "And the rest?"
REFERRING = {"other", "another", "one", "ones", "same", "former", "latter", "else", "rest", "instead"}
# A reaction with nothing to react to: "How did Beijing respond?" responds to what the conversation was about.
REACTION_TO_NOTHING = re.compile(
    r"\b(?:respond|responded|react|reacted|reply|replied|retaliate|retaliated|push back|pushed back)\W*$", re.I
)
# An ellipsis that says it names a topic: "And about Ukraine?", "What about on trade?".
ABOUT_OR_ON = re.compile(r"(?:about|on|regarding|concerning)\s+", re.I)
# What a question asks about, at its end: "What did Wang Yi tell Blinken about Taiwan?" -> "Taiwan".
TOPIC_ASKED_ABOUT = re.compile(r"\babout\s+(?P<topic>[^?()]+?)\s*\?*\s*$", re.I)
# "it" after a word that says a topic follows: "Did Blinken change US policy on it?". Not "What did he make of
# it?": that may be what was said.
ABOUT_IT = re.compile(r"\b(?:on|about|regarding|concerning|toward|towards)\s+(?P<it>it)\b", re.I)
ELLIPSIS = re.compile(
    r"^\s*(?:and what about|and how about|what about|how about|and|but)\s+(?P<rest>.+?)\s*\??\s*$", re.I
)
# Capitalised runs ("Li Shangfu", "Secretary of State Antony Blinken"), allowing inner "of"/"the".
CAPITALISED_RUN = re.compile(r"[A-Z][\w’'.-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w’'.-]*)*")
NOT_A_NAME = (
    set(
        """secretary state president minister foreign defense defence house speaker general chinese american u.s us
    u.s. prc ccp white whose
    mr mrs ms dr chairman director premier ambassador envoy special presidential treasury commerce senator
    congresswoman congressman vice assistant deputy official officials spokesperson national ministry department
    january february march april may june july august september october november december monday tuesday
    wednesday thursday friday saturday sunday""".split()
    )
    | STOPWORDS
)  # sentence openers ("It", "The") are capitalised too
# "What if my kidneys are only moderately impaired?": the case changes, what is asked stays that of the last question.
WHAT_IF = re.compile(r"^\W*(?:and\s+|but\s+|so\s+)?(?:what|how)\s+if\b", re.I)
GO_ON = re.compile(
    r"^\W*(?:(?:please|can you|could you)\s+)?(?:tell me more|say more|more|go on|continue|keep going|"
    r"and then|what else|anything else|what happened next|what next)\W*(?:please)?\W*$",
    re.I,
)
MORE = re.compile(r"\b(else|more|other|another|additional|besides|further)\b", re.I)
POSSESSIVE = re.compile(r"[’']s?$")
QUESTION_START = re.compile(
    r"(what|who|whom|whose|when|where|why|how|which|is|are|was|were|do|does|did|can|could)\b", re.I
)
QUOTE_MARKER = re.compile(r"\[\d+\]")
# A quote of ours in an earlier answer: “...” then its marker, plain ("[1]") or as the web chat shows it ("**[1]**").
QUOTED = re.compile(r"“(.+?)”\s*(?:\*\*)?\[\d+\]", re.S)
# A question whose answer is people: "Who refused ...?", "Which U.S. officials went ...?"; not "Who is Rosie Levine?".
ASKS_WHO_DID = re.compile(
    r"\s*(?:whom?\b(?!\s+(?:is|was|are|were)\s+[A-Z])|(?:which|what)\s+(?:[\w.’'-]+\s+){0,3}?"
    r"(?:officials?|people|persons?|leaders?|ministers?|diplomats?|experts?|scholars?|members?|envoys?|men|women)\b)",
    re.I,
)
# A full stop after a word of three letters or more ends a sentence ("Kissinger."; not "J." or "U.S.").
SENTENCE_END = re.compile(r"(?<=[a-z’'-]{3}\.)\s+")
# Words of the conversation itself, never key words of what it is about: "Tell me more" is about nothing.
CONVERSATIONAL = {"tell", "explain", "describe", "please", "thanks", "thank", "okay", "ok", "go", "continue", "else"}
MARKDOWN_ESCAPE = re.compile(r"\\(.)")
BLOCK_QUOTE_MARK = re.compile(r"\n> ?")  # the web chat quotes a paragraph break as "\n> "


def _names(text: str, in_lowercase: InLowercase | None = None) -> list[str]:
    """Person-like names in order: runs of capitalised words that are not titles, sentence openers or months.

    A run ends with a sentence: "... Henry Kissinger. Xi Jinping himself ..." holds two names, not one. A word that
    opens a run and that the documents also write in lowercase is a title's ("Special Presidential Envoy for Climate
    John Kerry": John Kerry).
    """
    names = []
    for run in (part for whole in CAPITALISED_RUN.findall(text) for part in SENTENCE_END.split(whole)):
        words = [w for w in re.split(r"\s+", run) if w.lower().strip(".’'") not in NOT_A_NAME]
        words = [POSSESSIVE.sub("", w).rstrip(".,") for w in words]
        words = [w for w in words if w and not w.isupper()]
        if in_lowercase is not None:
            words = without_title_words(words, in_lowercase)
        if words:
            names.append(" ".join(words))
    return names


# What ends the name of a body a person's title names: "Central Foreign Affairs Office Wang Yi".
INSTITUTION_WORDS = frozenset(
    "office bureau agency committee commission council department ministry administration institute party".split()
)


def without_title_words(words: list[str], in_lowercase: InLowercase) -> list[str]:
    """A name's words without the title before it, told by the words the documents also write in lowercase:
    "Climate John Kerry" is John Kerry; "Central Foreign Affairs Office Wang Yi" is Wang Yi (two words or more are
    left after the last such word); "Taiwan Relations Act" stays whole (one would be)."""

    def titles(word: str) -> bool:
        return in_lowercase(word) or word.lower() in INSTITUTION_WORDS

    last = max((position for position, word in enumerate(words[:-1]) if titles(word)), default=-1)
    if len(words) - last - 1 >= 2:
        return words[last + 1 :]
    while len(words) > 1 and in_lowercase(words[0]):
        words = words[1:]
    return words


def _person_referent(
    previous_question: str, previous_answer: str, in_lowercase: InLowercase | None = None
) -> str | None:
    asked = _names(previous_question)
    answered = [
        name for name in _names(QUOTE_MARKER.sub("", previous_answer), in_lowercase) if name not in previous_question
    ]
    multi_word = [name for name in answered if " " in name] + [name for name in asked if " " in name]
    candidates = multi_word or answered + asked
    # "Who refused...?": the answer holds the person; "Who is Rosie Levine?": the question does. "Who said ...?":
    # the speaker the answer names after its quote, not a person the quote names.
    if ASKS_WHO_DID.match(previous_question):
        speaker = IN_THE_REMARKS_OF.search(previous_answer)
        # The person the answer names, if any, whatever the question named: "Who did Xi Jinping meet ...?" then
        # "Who else met with him?" asks about Kissinger, whom the answer named.
        by_answer = [name for name in answered if " " in name] + answered + asked
        return speaker.group("name") if speaker else by_answer[0] if by_answer else None
    return (asked + candidates)[0] if asked or candidates else None


@dataclass(frozen=True)
class Turn:
    question: str
    answer: str  # empty while it is still missing
    at: int  # the question's position in the history


def _turns(history: list[Message]) -> list[Turn]:
    """Each question with the answer it got, oldest first."""
    turns: list[Turn] = []
    for position, message in enumerate(history):
        content = message.get("content")
        if not isinstance(content, str):
            continue
        if message.get("role") == "user":
            turns.append(Turn(content, "", position))
        elif message.get("role") == "assistant" and turns:
            turns[-1] = Turn(turns[-1].question, content, turns[-1].at)
        elif message.get("role") == "assistant":  # an answer with no question before it: kept, unasked
            turns.append(Turn("", content, position))
    return turns


def _last_answer(turns: list[Turn]) -> str:
    return next((turn.answer for turn in reversed(turns) if turn.answer), "")


def _person_in_conversation(turns: list[Turn], turns_back: int, in_lowercase: InLowercase | None) -> str | None:
    """Whom "he" or "she" points to: the person of the last turn that asked about anyone by name or asked who.

    "Why?" and "What else?" name nobody: after "Who refused to meet Lloyd Austin?", "Why?", "What else?", the
    question "When was he sanctioned?" is still about the man the first answer named. Nor does a turn that asked
    about "him" itself: after "Who is Qin Gang?" and "What did he say about Taiwan?", "he" is not Taiwan.
    """
    for turn in reversed(turns[-turns_back:]):
        if PERSON_PRONOUN.search(turn.question):  # "What did he say about Taiwan?": still the person before
            continue
        if _names(turn.question) or ASKS_WHO_DID.match(turn.question):
            return _person_referent(turn.question, turn.answer, in_lowercase)
    return None


def _people(
    turns: list[Turn],
    previous_question: str,
    previous_answer: str,
    own: set[str],
    in_lowercase: InLowercase | None = None,
) -> list[str]:
    """The referents of "they": after "What did Yellen do?" and "And Kerry?", the two people compared; else the
    people the previous question named, or those its answer named when it asked who. In order, each once, none
    named by the question's own (lowercased) words. Fewer than two: "they" is most likely a thing ("restart them":
    the talks).
    """

    def others(names: list[str]) -> list[str]:
        return [name for name in dict.fromkeys(names) if not {w.lower() for w in name.split()} & own]

    ellipsis = ELLIPSIS.match(turns[-1].question) if len(turns) >= 2 else None
    if ellipsis:
        compared = others(_names(turns[-2].question)[:1] + _names(ellipsis.group("rest")))
        if len(compared) >= 2:
            return compared
    found = _names(previous_question)
    if ASKS_WHO_DID.match(previous_question):
        found += _names(QUOTE_MARKER.sub("", previous_answer), in_lowercase)
    return [name for name in others(found) if " " in name]


def names_one_thing_only(question: str) -> bool:
    """ "What is the limit?", "And the deadline?": one word of meaning, and no name; in a conversation, the limit
    of what it was about."""
    meaningful = [word for word in re.findall(r"[\w’'-]+", question) if word.lower() not in STOPWORDS]
    return len(meaningful) <= 1 and not any(word[0].isupper() for word in meaningful)


def _join(names: list[str]) -> str:
    return ", ".join(names[:-1]) + " and " + names[-1]


def _keywords(text: str) -> str:
    words = re.findall(r"[\w’'-]+", text)
    dropped = STOPWORDS | THING_PRONOUNS | CONVERSATIONAL
    return " ".join(w for w in words if w.lower() not in dropped)


def _replace_person(question: str, name: str) -> str:
    def swap(match: re.Match[str]) -> str:
        return name + PERSON_PRONOUNS[match.group(0).lower()]

    return re.sub(r"\b(?:he|him|his|she|hers|her)\b", swap, question, flags=re.I)


def previous_quotes(history: list[Message] | None) -> list[str]:
    """The quotes of the last answer: a follow-up is most often answered next to them."""
    return _quotes_in(_last_answer(_turns(history or [])))


def _quotes_in(answer: str) -> list[str]:
    """The quotes of one answer, as plain text or as the web chat shows it."""
    answer = MARKDOWN_ESCAPE.sub(r"\1", BLOCK_QUOTE_MARK.sub("\n", answer))
    return [quote.strip() for quote in QUOTED.findall(answer)]


def conversation_quotes(history: list[Message] | None) -> list[str]:
    """The quotes of every answer so far, the last answer's first: what the conversation has already shown."""
    answers = (turn.answer for turn in reversed(_turns(history or [])) if turn.answer)
    return [quote for answer in answers for quote in _quotes_in(answer)]


def asks_for_more(question: str) -> bool:
    """ "What else did he say?", "Tell me more": the last answer's quotes are not wanted again."""
    return bool(MORE.search(question))


def asks_to_go_on(question: str) -> bool:
    """ "Tell me more", "Go on", "Continue": the text after the last answer's quotes is wanted, nothing else."""
    return bool(GO_ON.match(question))


@dataclass(frozen=True)
class Rewrite:
    """A question made to stand alone, and how."""

    standalone: str
    borrows_key_words: bool = False  # "Why? (refused meet Lloyd Austin)": it still points at what was quoted last
    previous: str = ""  # the question asked before, itself made to stand alone


def standalone_question(
    question: str,
    history: list[Message] | None,
    turns_back: int = 3,
    is_place: IsPlace | None = None,
    in_lowercase: InLowercase | None = None,
) -> str:
    """The question rewritten to stand alone; unchanged when it does not lean on the history."""
    return rewrite(question, history, turns_back, is_place, in_lowercase).standalone


def rewrite(
    question: str,
    history: list[Message] | None,
    turns_back: int = 3,
    is_place: IsPlace | None = None,
    in_lowercase: InLowercase | None = None,
) -> Rewrite:
    """The question made to stand alone: a pronoun becomes a name, an ellipsis borrows the previous question's
    frame, anything else that leans on the history borrows its key words.

    The previous question is itself made to stand alone first ("Why?" then "Tell me more"), up to turns_back turns.
    is_place tells a place from a person ("And Russia?" after "What did McFarland say about Taiwan?" swaps the
    topic, "And Kerry?" the speaker); without it, a name always swaps for a name. in_lowercase tells a title's words
    from a name's in the answers ("Envoy for Climate John Kerry"); without it, a run of capitalised words is a name.
    """
    unchanged = Rewrite(question)
    if not history or stands_alone(question):
        return unchanged
    turns = _turns(history)
    asked = len(turns) - 1
    while asked > 0 and asks_to_go_on(turns[asked].question):  # "Tell me more" adds nothing to what was asked
        asked -= 1
    if asked < 0 or not turns[asked].question:
        return unchanged
    previous_question = turns[asked].question
    if turns_back > 1:
        previous_question = standalone_question(
            previous_question, history[: turns[asked].at], turns_back - 1, is_place, in_lowercase
        )
    previous_answer = _last_answer(turns)
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", question)}

    unchanged = Rewrite(question, previous=previous_question)
    ellipsis = ELLIPSIS.match(question)
    pronouns = set(PERSON_PRONOUNS) | THING_PRONOUNS
    if (
        ellipsis
        and not QUESTION_START.match(ellipsis.group("rest"))  # "And what did X add?" is a question of its own
        and not {w.lower() for w in re.findall(r"[A-Za-z]+", ellipsis.group("rest"))} & pronouns
    ):
        rest = ellipsis.group("rest")
        topic = TOPIC_ASKED_ABOUT.search(previous_question)
        new_topic = ABOUT_OR_ON.match(rest)
        named = re.match(r"(?:the\s+)?([A-Z].*?)\W*$", rest)
        # "What did Wang Yi tell Blinken about Taiwan?" then "What about trade?" or "And Russia?": a topic for the
        # topic; "And Kerry?" a name for the name.
        if topic and (new_topic or not named or (is_place is not None and is_place(named.group(1)))):
            subject = rest[new_topic.end() :] if new_topic else rest
            swapped = f"{previous_question[: topic.start('topic')]}{subject.rstrip('?')}?"
            return Rewrite(swapped, previous=previous_question)
        names = _names(previous_question)
        # "When did Blinken visit?" then "And Kerry?"; not "And the one China policy?": a name for a name only.
        if names and names[0] in previous_question and re.match(r"(?:the\s+)?[A-Z]", rest):
            return Rewrite(previous_question.replace(names[0], rest, 1), previous=previous_question)
        keywords = _keywords(previous_question)
        return Rewrite(f"{rest.rstrip('?')}? ({keywords})", True, previous_question) if keywords else unchanged

    # "What did Wang Yi say about Taiwan?" then "Did Blinken change US policy on it?": "it" is Taiwan. Not "When did
    # he say it?": what "it" is said is not the topic.
    topic = TOPIC_ASKED_ABOUT.search(previous_question)
    about_it = ABOUT_IT.search(question)
    if topic and about_it:
        question = f"{question[: about_it.start('it')]}{topic.group('topic')}{question[about_it.end('it') :]}"
        words = {w.lower() for w in re.findall(r"[A-Za-z]+", question)}
        unchanged = Rewrite(question, previous=previous_question)

    if words & set(PERSON_PRONOUNS):
        name = _person_in_conversation(turns, turns_back, in_lowercase) or _person_referent(
            previous_question, previous_answer, in_lowercase
        )
        if name:
            return Rewrite(_replace_person(question, name), previous=previous_question)

    if words & {"they", "them", "their"}:
        people = _people(turns, previous_question, previous_answer, words, in_lowercase)
        if len(people) >= 2:
            return Rewrite(
                previous=previous_question,
                standalone=re.sub(
                    r"\b(they|them|their)\b",
                    lambda m: _join(people) + ("'s" if m.group(0).lower() == "their" else ""),
                    question,
                    flags=re.I,
                ),
            )

    if (
        words & (THING_PRONOUNS | REFERRING)
        or len(words) <= 3
        or REACTION_TO_NOTHING.search(question)
        or names_one_thing_only(question)
        or WHAT_IF.match(question)
    ):
        keywords = _keywords(previous_question)
        return Rewrite(f"{question.rstrip()} ({keywords})", True, previous_question) if keywords else unchanged
    return unchanged
