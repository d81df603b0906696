"""What a question asks for, read from its words: a number, a date, a time, what something is, an overview."""

from __future__ import annotations

import re

from .lexical import STOPWORDS, TOKEN, content_words, stem, versions_in

# A name in the question: a capitalised word past its first (and past the "(" of the key words a follow-up borrowed:
# "Who wrote it? (Summarize second article)"), not the start of a contraction ("… Don’t they?").
NAME = re.compile(r"(?<![.?!:]\s)(?<!\()(?<!^)\b[A-Z][A-Za-z]{2,}\b(?![’']t\b)")
# "Who is Kurt Campbell?", "What is the Shangri-La Dialogue?", "Tell me about Wang Yi": asks what something is.
ASKS_WHAT_IT_IS = re.compile(
    r"^\W*(?:(?:who|what)\s+(?:is|are|was|were)|(?:tell me|what do you know|what does it say)\s+about)\b", re.I
)
ASKING_WORDS = {"tell", "about", "know", "say"}
# "What does Kurt Campbell think?", "What is Wang Yi's position?": asks what someone holds, and any sentence giving
# it names them.
ASKS_WHAT_THEY_HOLD = re.compile(
    r"^\W*(?:what|how)\s+(?:does|did|do)\s+(?:\w+\W+){1,3}?(?:think|say|believe|argue|want|feel|see it)\W*$|"
    r"^\W*what\s+(?:is|was|are|were)\s+(?:\w+\W+){1,3}?(?:view|views|opinion|position|stance|take|argument)\W*$",
    re.I,
)
# "What does `pyenv local` do?", "What is path.join()?", "What is CONFIGURE_OPTS for?": what a named thing is or does.
# "What does Client.put return?": what a function returns or raises is said in the prose under its heading too.
ASKS_WHAT_A_THING_IS = re.compile(
    r"^\W*what\s+(?:does|do|is|are)\s+(?P<thing>.+?)(?:\s+(?:do|does|for|mean|return|raise|accept|take))?\W*$",
    re.I,
)
# What tells two names of one thing apart and is left out to compare them: `code` marks, arguments, "the".
NAME_DRESSING = re.compile(r"[`*_\"“”'‘’]|\([^()]*\)|^\W*the\s+", re.I)
POSSESSIVE = re.compile(r"['’]s\b")
# "What changed in the changelog about Chroma?": the words after a closing "about" name what is asked about.
ENDS_ABOUT = re.compile(r"\babout\s+((?:\S+\s+){0,3}?\S+?)\W*$", re.I)
HOLDING_WORDS = frozenset("think believe argue want feel see view views opinion position stance take argument".split())

# Questions that ask for a quantity or a date are only answered by a sentence that holds one.
ASKS_QUANTITY = re.compile(r"\b(how (many|much|large|big|long|old|far)|what (percentage|number|amount))\b", re.I)
ASKS_DATE = re.compile(r"\b(what|which) (exact )?(date|day|year|month)\b|\bon what date\b", re.I)
NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion "
    "trillion dozen dozens half several few hundreds thousands millions billions twice"
)
HAS_NUMBER = re.compile(rf"\d|\b({'|'.join(NUMBER_WORDS.split())})\b", re.I)
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# A year: "1938", "the 1970s"; not a code's digits ("HL-0427", "BK-2200").
YEAR = r"(?<![\w-])(?:1[0-9]|20)\d\ds?\b"
HAS_DATE = re.compile(rf"\b(?:{MONTHS}|\d{{1,2}}/\d{{1,2}})\b|{YEAR}")
MONTH_ABBREVIATIONS = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
ASKS_A_DAY = re.compile(r"\b(?:what|which) day\b", re.I)
WEEKDAYS = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?"  # "on Tuesdays"
SAYS_A_WEEKDAY = re.compile(rf"\b(?:{WEEKDAYS})\b")
# "How much did the visit change?" asks how much in words, a degree: no figure is needed. Unless it asks a price or
# a weight, "How much did it cost?" (see ASKS_A_PRICE); "How much is a ticket?" asks a price in any case.
ASKS_A_DEGREE = re.compile(r"\bhow much\s+(?:did|does|do|has|have|had|will|would|can|could|should|might)\b", re.I)
# "When ...?" is best answered by a sentence that says when, even if it is not quite the closest.
ASKS_WHEN = re.compile(r"^\W*(?:and\s+|but\s+|so\s+)?when\b|\bwhen (?:did|does|do|was|were|is|are|will|would)\b", re.I)
# "Which tar version fixed CVE-2018-20482?", "In what release was --zstd added?": a changelog's heading says it.
ASKS_WHICH_RELEASE = re.compile(r"\b(?:which|what)\s+(?:\S+\s+)?(?:version|release)\b", re.I)
# The words that name a document: "Which article ...?" (ASKS_WHICH_DOCUMENT), "Who wrote the piece ...?".
DOCUMENT_NOUNS = "article|document|piece|text|analysis|essay|report|file|story|op-ed|commentary"
MESSAGE_NOUNS = "email|e-mail|letter|message|memo"
# "Who wrote the LA Times piece?", "Who is the author of the first article?", "Who wrote it?": asks for a
# document's byline. Not "Who wrote the Taiwan Relations Act?" (a law's author is no byline), nor "Who wrote that
# “This ... is almost unimaginable”?" (whose words).
DOCUMENT_NOUN = rf"(?:{DOCUMENT_NOUNS}|column|post|paper|page|manual|guide|book|chapter|faq|readme|{MESSAGE_NOUNS})s?"
ASKS_WHO_WROTE = re.compile(
    rf"^\W*(?:and\s+|but\s+|so\s+)?who\s+(?:wrote|writes|has\s+written|authored|penned)\s+"
    rf"(?:(?:it|this|that|these|those|them)(?:\s+one)?\W*$|(?:\S+\s+){{0,4}}?{DOCUMENT_NOUN}\b)|"
    r"^\W*(?:and\s+|but\s+|so\s+)?(?:who|what)\s+(?:is|are|was|were)\s+(?:the\s+|its\s+|their\s+)?"
    r"(?:names?\s+of\s+the\s+)?authors?\W*$|"
    rf"\bauthors?\s+of\s+(?:(?:it|this|that|these|those|them)(?:\s+one)?\W*$|(?:\S+\s+){{0,4}}?{DOCUMENT_NOUN}\b)|"
    # "Who sent the email?", "Who is the letter from?": a message's sender wrote it.
    rf"^\W*who\s+sent\s+(?:\S+\s+){{0,3}}?(?:{MESSAGE_NOUNS})s?\b|"
    rf"^\W*who\s+(?:is|was)\s+(?:the\s+|this\s+|that\s+)?(?:\S+\s+)?(?:{MESSAGE_NOUNS})\s+from\W*$",
    re.I,
)
# ... and of a question pointing at one document ("Who is the author of ls.1.txt?"), any word of authorship.
ASKS_AN_AUTHOR = re.compile(r"\b(?:who\s+(?:wrote|writes|has\s+written|authored|penned)|authors?|byline)\b", re.I)


def asks_who_wrote(question: str, of_one_document: bool = False) -> bool:
    """Whether a question asks who wrote a document; of_one_document: the question points at one."""
    return bool(ASKS_WHO_WROTE.search(question) or (of_one_document and ASKS_AN_AUTHOR.search(question)))


# "How did China react?", "What was Beijing's response?": best answered by a sentence that tells a reaction.
ASKS_HOW_THEY_REACTED = re.compile(r"\b(?:react|reacted|reaction|respond|responded|response)\b", re.I)
SAYS_HOW_THEY_REACTED = re.compile(
    r"\b(?:react(?:ed|ion|s)?|respon(?:d|ded|ds|se)|retorted|denounced|condemned|criticized|protested|"
    r"welcomed|praised|dismissed|slammed|lashed out|hit back)\b",
    re.I,
)
# "What approach does the author want Washington to take?", "What should the US do?": a question asking what
# someone urges be done, best answered by a sentence that says what should or must be ("Washington should be looking
# for ways to ..."). Not "What should I do if I lose my laptop?": a handbook tells that in the imperative ("Report a
# lost laptop ...").
ASKS_WHAT_SHOULD_BE_DONE = re.compile(
    r"\b(?:wants?|wanted)\s+(?:\w+\s+){1,4}?to\b|\b(?:recommend\w*|urg(?:e|es|ed|ing)|advis\w+|propos\w+|"
    r"should(?!\s+(?:i|we|you)\b)|ought to)\b",
    re.I,
)
SAYS_WHAT_SHOULD_BE_DONE = re.compile(r"\b(?:should|must|ought to|needs? to|has to|have to)\b", re.I)
# "How do I install logsift?", "How to renew a card": asks how to do something, which a section headed by the doing
# answers ("## Installation", "Renewing your card").
ASKS_HOW_TO = re.compile(
    r"^\W*(?:and\s+|so\s+)?how\s+(?:do|can|should|could|would|does|did)\s+(?:i|we|you|one|someone|a\s+\w+)\s+"
    r"(?:go\s+about\s+)?(?P<verb>[a-z]+)|^\W*how\s+to\s+(?P<verb_>[a-z]+)",
    re.I,
)


def doing_asked(question: str) -> str | None:
    """The verb of a "How do I ...?" question ("install"), if it asks how to do something."""
    found = ASKS_HOW_TO.search(question)
    verb = (found.group("verb") or found.group("verb_")).lower() if found else None
    return verb if verb and len(verb) >= 4 and verb not in STOPWORDS else None


def names_the_doing(verb: str, heading: str) -> bool:
    """Whether a heading's word is the verb or a word made from it: "install" -> "Installation", "Installing";
    "configure" -> "Configuration"; "apply" -> "Applications"; "register" -> "Registration"; not "Instances"."""
    roots = {verb, verb.removesuffix("e"), verb.removesuffix("y") + ("i" if verb.endswith("y") else "")}
    if verb.endswith("er") and len(verb) >= 7:
        roots.add(verb[:-2])  # "register" -> "regist-ration"
    return any(word.startswith(root) for word in TOKEN.findall(heading.lower()) for root in roots if len(root) >= 4)


# The words a question asks for a whole section with: "What options does logsift have?", "List the services",
# "Tell me about the exit codes" ask for the section headed "Options", "Services", "Exit codes".
SECTION_REQUEST_WORDS = frozenset(
    """have has offer offers support supports provide provides accept accepts list show tell give available there
    any all which kinds kind types type""".split()
)


def asks_for_the_section(question: str, heading: str, also_allowed: frozenset[str] = frozenset()) -> bool:
    """Whether a question asks for a heading's section and nothing else: every word of the heading (numbering
    aside) is in it, and each of its other words is a request's or in also_allowed (the document's name)."""
    named = {stem(word) for word in content_words(heading) if not word.isdigit()}
    asked = {stem(word) for word in content_words(question) if not word.isdigit()}
    rest = asked - named - {stem(word) for word in SECTION_REQUEST_WORDS | also_allowed}
    return bool(named) and named <= asked and not rest


# "What did the council decide?", "What was agreed?": asks for an outcome, best answered by a sentence that tells one
# ("councillors approved the plan by a vote of 5 to 2"), not by one about the meeting.
ASKS_WHAT_WAS_DECIDED = re.compile(
    r"\b(?:decide|decided|decision|decisions|agree|agreed|agreement|resolve|resolved|outcome|verdict|ruling|vote|"
    r"voted)\b",
    re.I,
)
SAYS_WHAT_WAS_DECIDED = re.compile(
    r"\b(?:decided|agreed|approved|rejected|voted|passed|adopted|resolved|ruled|appointed|unanimously|"
    r"agreement|concluded)\b",
    re.I,
)
# "What did Biden call Xi after Blinken's trip?": asks for the name someone gave something, best answered by a
# sentence putting the name in quotes ("... referring to Xi as a “dictator” ...").
ASKS_WHAT_THEY_CALLED = re.compile(
    r"^\W*(?:and\s+|but\s+|so\s+)?what\s+(?:did|does|do|has|have|had|would)\s+.+?\s+call\s+(?:the\s+|a\s+|an\s+)?"
    r"(?P<called>.+?)\W*$",
    re.I,
)
PRONOUNS = frozenset("it this that these those them him her".split())
DETERMINER = r"(?:(?:the|a|an|his|her|its|their)\s+)?"
NAMED_IN_QUOTES = r"\s+(?:a\s+|an\s+|the\s+)?[“\"‘]"


def what_they_called(question: str) -> str | None:
    """What a "What did X call Y?" question asks the name of: "Xi" of "... call Xi after Blinken's trip?"."""
    asks = ASKS_WHAT_THEY_CALLED.search(question)
    thing = head_of_topic(asks.group("called")).strip() if asks else ""
    return thing if thing and thing.lower() not in PRONOUNS else None


def says_what_it_was_called(thing: str) -> re.Pattern[str]:
    """A sentence giving a quoted name to the thing, by any word of it ("Xi Jinping": "Xi"): "... characterization of
    Xi as a “dictator”", "... called Xi a “dictator”"."""
    words = [word for word in thing.split() if word.lower() not in STOPWORDS] or [thing]
    name = f"(?:{'|'.join(map(re.escape, words))})"
    return re.compile(
        rf"\b{name}\W*(?:\w+\W+){{0,2}}?as{NAMED_IN_QUOTES}|\bcall(?:s|ed|ing)?\s+{DETERMINER}{name}{NAMED_IN_QUOTES}",
        re.I,
    )


# "Where ...?" is best answered by a sentence that names a place: "in San Francisco", "at the Shangri-La Dialogue".
ASKS_WHERE = re.compile(r"^\W*(?:and\s+|but\s+|so\s+)?where\b", re.I)
PLACE = re.compile(r"\b(?:in|at|to|near|from)\s+(?:the\s+)?([A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*)")
# Where something lies, in words: "lying 40 kilometres off the west coast", "is located just outside the old town".
SAYS_WHERE_IT_LIES = re.compile(
    r"\b(?:lies|lie|lying|located|situated|sits|stands|based)\b[^.;]{0,60}?"
    r"\b(?:in|on|off|near|at|between|outside|above|below|across|along|beside|by)\b",
    re.I,
)


def places_in(sentence: str) -> list[str]:
    """The names after "in", "at", "to", "near" or "from": "... in San Francisco in the fall" -> ["San Francisco"]."""
    return [place.rstrip(".") for place in PLACE.findall(sentence)]


# A time of day: "18:00", "9.30am", "10 p.m.", "noon".
SAYS_A_TIME = re.compile(
    r"\b(?:[01]?\d|2[0-3]):[0-5]\d\b|\b(?:1[0-2]|[1-9])(?:[:.][0-5]\d)?\s?[ap]\.?m\b\.?|\b(?:noon|midnight)\b", re.I
)
# "What time does it open?", "At what time ...?"; not "What time of year ...?" (a season).
ASKS_A_TIME = re.compile(r"\bwhat time\b(?!\s+of\s+(?:the\s+)?year)", re.I)
SAYS_WHEN = re.compile(
    rf"{YEAR}|\b((?-i:{MONTHS})|spring|summer|fall|autumn|winter|yesterday|ago|tonight|tomorrow|"
    r"(?:last|next|this|earlier this|later this) (?:week|month|year|spring|summer|fall|autumn|winter))\b"
    # A month for short, by a day's number: "Thu 12 Feb", "Feb. 12".
    rf"|(?-i:\b\d{{1,2}}\s+(?:{MONTH_ABBREVIATIONS})\b|\b(?:{MONTH_ABBREVIATIONS})\.?\s+\d{{1,2}}\b)",
    re.I,
)
# When in a day or a week: "at 18:00", "on Tuesdays". It answers "When ...?" only where no close sentence gives a
# date: "between 09:00 and 16:00, Monday to Friday" are office hours, not when interviews are.
SAYS_WHEN_IN_THE_WEEK = re.compile(rf"{SAYS_A_TIME.pattern}|(?-i:\b(?:{WEEKDAYS})\b)", re.I)

# "Who is Wang Yi?", "Who was Kurt Campbell?", "What is Wang Yi's title?", "What role does Kurt Campbell have?": asks
# who a person named is, and a sentence giving their title answers. Not "What is Wang Yi's position?": on what?
PERSON_NAME = r"(?P<name>(?:[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w’'-]+?)"
TITLE_ASKED = r"(?i:title|role|job|post|office)"
ASKS_WHO_THEY_ARE = (
    re.compile(rf"^\W*(?i:who\s+(?:is|was))\s+{PERSON_NAME}\W*$"),
    re.compile(rf"^\W*(?i:what(?:\s+is|\s+was|’s|'s))\s+{PERSON_NAME}(?:’s|'s)\s+{TITLE_ASKED}\W*$"),
    re.compile(
        rf"^\W*(?i:what|which)\s+{TITLE_ASKED}\s+(?i:does|did)\s+{PERSON_NAME}\s+(?i:hold|have|play|fill|occupy)\W*$"
    ),
)
# The words of a person's title or role: "Secretary of State Antony Blinken", "Wang Yi, China's top diplomat".
ROLE_WORDS = frozenset(
    """secretary minister president vice premier chancellor director coordinator envoy spokesperson spokesman
    spokeswoman ambassador diplomat general admiral commander chief head chair chairman chairwoman official officer
    leader adviser advisor counselor ceo founder professor lecturer scholar fellow researcher analyst expert editor
    author writer reporter correspondent journalist senator congressman congresswoman representative lawmaker
    governor mayor king queen prince judge justice attorney lawyer economist manager engineer developer maintainer
    member""".split()
)
# Between a title and the name it goes with: more of the title and the given names ("of State Antony J.").
TITLE_GLUE = frozenset("of the for and on to at in".split())
MOST_TITLE_WORDS = 12
RELATIVE_WORDS = frozenset("who whom whose which that where when".split())


def titles(name: str, sentence: str) -> bool:
    """Whether a sentence gives the title or role of the person named: before the name ("Chinese defense minister Li
    Shangfu", "Secretary of State Antony J. Blinken") or right after it ("Wang Yi, China's top diplomat, ...")."""
    for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", sentence):
        before = sentence[: match.start()].split()[-MOST_TITLE_WORDS:]
        for word in reversed(before):
            if bare_word(word) in ROLE_WORDS:
                return True
            if not (word[:1].isupper() or bare_word(word) in TITLE_GLUE):
                break
        after = sentence[match.end() :]
        if after.startswith(","):
            apposition = after[1:].split(",")[0].split()[:MOST_TITLE_WORDS]
            if apposition and apposition[0].lower() in RELATIVE_WORDS:  # "Wang Yi, who met the secretary, ..."
                continue
            if any(bare_word(word) in ROLE_WORDS for word in apposition):
                return True
    return False


SPEECH_VERB = r"(?:said|says|told|tells|asked|argued|argues|wrote|writes|noted|added|stated|explained|warned|called)"


def speaks_in(name: str, sentence: str) -> bool:
    """Whether the name speaks in the sentence: "Qin Gang said", "said Bates Gill", "McFarland: Although ..."."""
    named = re.escape(name)
    return bool(
        re.search(rf"(?<!\w){named}(?:’s|'s)?\s+(?:\w+\s+)?{SPEECH_VERB}\b|\b{SPEECH_VERB}\s+{named}(?!\w)", sentence)
        or re.match(rf"\W*{named}:\s", sentence)
    )


# The words that ask for someone's words or views: "What did McFarland say ...?", "According to Levine, ...".
VIEW_WORDS = (
    r"(?:says?|said|tell|tells|told|think|thinks|thought|believes?|believed|argue[sd]?|expects?|expected|"
    r"predicts?|predicted|views?|sees?|saw|opinion|position|stance|take|assessment|describe[sd]?|explain(?:s|ed)?|"
    r"notes?|noted|mention(?:s|ed)?|discuss(?:es|ed)?|warn(?:s|ed)?|talk(?:s|ed)?|writes?|wrote|comment(?:s|ed)?|"
    r"suggest(?:s|ed)?|conclude[sd]?|make of|according to|points? out|pointed out)"
)
ASKS_THEIR_WORDS = re.compile(rf"\b{VIEW_WORDS}\b", re.I)
# "Who said Beijing's unwillingness ... stems from ...?", "Which expert warned ...?": asks who the speaker is.
ASKS_WHO_SAID = re.compile(
    rf"^\W*(?:and\s+|but\s+|so\s+)?(?:who\s+|which\s+(?:\w+\s+){{1,2}}?)(?:has\s+)?{VIEW_WORDS}\b", re.I
)


# "What did Qin Gang say about the balloon?", "How does Kurt Campbell see Xi?": whose words a question asks for, by
# name, whether or not they have turns in the documents.
ASKS_WHAT_SOMEONE_SAID = re.compile(
    rf"^\W*(?i:and\s+|but\s+|so\s+)?(?i:what|how)\s+(?i:did|does|do|has|have|had)\s+"
    rf"(?P<name>(?:[A-Z][\w.’'-]*\s+){{0,3}}[A-Z][\w’'-]*)\s+(?:\w+\s+)?{VIEW_WORDS}\b"
)


# "What did Singapore's foreign minister say about ...?": whose words, by what the question calls them.
ASKS_WHAT_THEY_SAID = re.compile(
    r"^\W*(?:and\s+|but\s+|so\s+)?(?:what|how)\s+(?:did|does|do|has|have|had)\s+"
    r"(?P<who>(?:[\w.’'-]+\s+){0,4}?[\w.’'-]+)\s+(?:say|tell|argue|explain|warn|write|note|add|claim)\b",
    re.I,
)
# A sentence in which someone speaks: a verb of speech, or their words in quotation marks.
SPOKEN = re.compile(rf"\b{SPEECH_VERB}\b|“[^”]{{12,}}”", re.I)


def speaker_described(question: str) -> str | None:
    """Whoever's words a question asks for, as it calls them: "What did Singapore's foreign minister say about
    ...?" -> "Singapore's foreign minister"; "What did Qin Gang say ...?" -> "Qin Gang"."""
    found = ASKS_WHAT_THEY_SAID.search(question)
    return found.group("who") if found else None


def someone_whose_words_asked(question: str) -> str | None:
    """The name of whoever's words a question asks for: "What did Qin Gang say about the balloon?" -> "Qin Gang"."""
    found = ASKS_WHAT_SOMEONE_SAID.search(question)
    if found is None or POSSESSIVE.search(found.group("name")):  # "What did Luca Marsh's boss say ...?": not his
        return None
    return found.group("name")


# The key words a follow-up borrowed from the question before, after its own: "And -S? (ls -t)".
BORROWED_KEY_WORDS = re.compile(r"(?<=[?.!])\s+\([^()]*\)\s*$")


def speaker_asked_about(question: str, speakers: set[str]) -> str | None:
    """The speaker whose words a question asks for ("What did Alison McFarland say about Russia?" -> "McFarland"),
    of those who have a turn in the documents; None for a question that asks who someone is or who said something.
    Only the question's own words count: "Why? (Carla Freeman expect come next)" asks for a reason."""
    question = BORROWED_KEY_WORDS.sub("", question)
    if person_asked_about(question) or ASKS_WHO_SAID.search(question) or not ASKS_THEIR_WORDS.search(question):
        return None
    words = set(re.findall(r"[\w’'.-]+", POSSESSIVE.sub("", question).lower()))
    named = [name for name in speakers if set(name.lower().split()) <= words]
    return max(named, key=len, default=None)


# The first of these words that the rest of the question comes after, to six words: "... about the sanctions on Li
# Shangfu?" -> "the sanctions on Li Shangfu".
ENDS_ON_A_TOPIC = re.compile(r"\b(?:about|on|regarding|concerning)\s+((?:\S+\s+){0,5}?\S+?)\W*$", re.I)


def topic_asked_about(question: str, on_too: bool = False) -> str | None:
    """What a question ending "about X" asks about, X of four words at most: "What did Wang Yi tell Blinken about
    trade?" -> "trade". on_too: also after "on" or "regarding", X of six words at most: "What is McFarland's view
    on Taiwan?" -> "Taiwan". Not by default: "Whom did he meet on the trip?" asks about no trip."""
    about = (ENDS_ON_A_TOPIC if on_too else ENDS_ABOUT).search(question)
    return about.group(1) if about else None


# Where the head of a topic ends: "Taiwan during Blinken's visit" -> "Taiwan".
TOPIC_HEAD_END = re.compile(
    r"\s+(?:during|in|at|on|of|with|for|from|by|after|before|to|that|which|who|when|while|since|as)\s.*$"
    r"|\s+(?:afterwards|afterward|later|then|today|yesterday|recently|again|now)\W*$",  # "him afterwards": him
    re.I,
)


def head_of_topic(topic: str) -> str:
    """A topic without what qualifies it: "Taiwan during Blinken's visit" -> "Taiwan"; "the balloon" stays."""
    return TOPIC_HEAD_END.sub("", topic)


def bare_word(word: str) -> str:
    """A word of a sentence as a title's word list has it: "Party’s" -> "party", "(minister," -> "minister"."""
    return POSSESSIVE.sub("", word.strip(',;:.()“”"‘’')).lower()


def person_asked_about(question: str) -> str | None:
    """The name a "Who is ...?" question asks about ("Who is Wang Yi?" -> "Wang Yi"), if it asks that way."""
    asks = next((found for pattern in ASKS_WHO_THEY_ARE if (found := pattern.match(question.strip()))), None)
    return asks.group("name") if asks else None


# A question answered by yes or no: "Did Blinken's visit produce any major breakthroughs?"; not a request ("Can
# you list ...?").
ASKS_YES_OR_NO = re.compile(
    r"^\W*(?:and\s+|but\s+|so\s+)?(?:did|does|do|is|are|was|were|has|have|had|will|would|can|could|should)\b"
    r"(?!\s+(?:you|i|we)\b)",
    re.I,
)
# "Did Biden and Xi meet in San Francisco?", "What agreements did Raimondo reach?", "How was it brought down?": a
# question about something that happened; "How big was ...?" and "Who was ...?" ask what something was like.
PAST_PARTICIPLE = (
    r"(?:\w+(?:ed|en|wn)|held|met|made|brought|bought|caught|shot|sent|told|said|built|hit|left|found|lost|won|paid|"
    r"sold|spent|kept|struck|fought|led|read|run|set|put|cut)"
)
ASKS_WHAT_HAPPENED = re.compile(
    rf"^\W*(?:\w+\s+){{0,3}}?did\b|\b(?:was|were)\s+(?:\w+\s+){{0,4}}?{PAST_PARTICIPLE}\b", re.I
)
# ... unless the question itself asks about something to come ("What did Raimondo plan to do?"), or for what was
# said, whatever of ("What did the White House say?": "... indicated it will not retract the statement").
ASKS_WHAT_WAS_TO_COME_OR_SAID = re.compile(
    r"\b(?:plan|plans|planned|planning|expect|expects|expected|intend|intended|hope|hoped|aim|aimed|going to|will|"
    r"would|say|said|tell|told|respond|responded|reply|replied|announce|announced|state|stated|indicate|indicated|"
    r"claim|claimed|comment|commented)\b",
    re.I,
)
# A sentence that speaks of it as still to come does not say that it happened ("a potential meeting", "is expected
# to visit China later this month").
SAYS_NOT_YET = re.compile(
    r"\b(?:expected to|set to|plans? to|planning to|potential|possible|upcoming|will|could|might|(?-i:may)|"
    r"(?:later this|next) (?:week|month|year|spring|summer|fall|autumn|winter))\b",
    re.I,
)


# "What are these documents about?", "Summarize the articles", "Give me an overview" ...
OVERVIEW = re.compile(
    r"\b(?:summari[sz]e|summary|overview|gist|takeaways?|highlights|tl;? ?dr|"
    r"(?:key|main) (?:points|ideas|themes|topics|findings|arguments|conclusions|messages|lessons)|"
    r"what (?:are|is) (?:\w+ ){0,3}(?:about|on)|"
    r"what (?:do|does) (?:\w+ ){0,3}(?:say|cover|discuss))\b",
    re.I,
)
# ... with nothing else asked: "Summarize what Blinken said" is a question about Blinken.
OVERVIEW_REQUEST_WORDS = frozenset(
    """document documents file files article articles text texts piece pieces source sources corpus collection
    folder everything all please briefly brief give quick short these those them they summarize summarise summary
    overview gist say cover discuss key main takeaway takeaways highlights points ideas themes topics findings
    arguments conclusions messages lessons tl dr tldr two three four five""".split()
)

# "What do the articles say about Taiwan?", "Compare the documents' views of the trip", "How does each author see
# Xi?": answered by a quote from each of the documents that speak of it.
DOCUMENTS = r"(?:articles|documents|pieces|authors|writers|sources|texts|analyses|essays|reports)"
ASKS_ACROSS_DOCUMENTS = re.compile(
    rf"\b(?:compare|comparison|contrast|differ|difference|differences|disagree)\b.*\b{DOCUMENTS}\b|"
    rf"\b{DOCUMENTS}\W*\s+(?:\w+\s+){{0,2}}?(?:say|think|argue|see|view|describe|differ|disagree|agree|compare)\b|"
    r"\b(?:each|every|all|different)\s+(?:of the\s+)?(?:article|document|piece|author|writer|source)s?\b",
    re.I,
)


# The words of such a question that ask for the comparison, not what it is about.
COMPARING_WORDS = re.compile(
    rf"\b(?:{DOCUMENTS}|article|document|piece|author|writer|source|compare|comparison|contrast|differ|different|"
    r"difference|differences|disagree|agree|views?|opinions?|perspectives?|each|every|all|say|think|argue|see|"
    r"describe)\b",
    re.I,
)


# "How many documents are there?", "What documents do you have?", "List the files", "What is the title of it?": asks
# about the collection itself, not about what its documents say ...
ASKS_ABOUT_THE_COLLECTION = re.compile(
    rf"\bhow many\b.*\b(?:{DOCUMENTS}|files)\b|\b(?:list|name|show)\b.*\b(?:{DOCUMENTS}|files|titles)\b|"
    rf"^\W*(?:what|which)\s+(?:{DOCUMENTS}|files)\b|\btitles?\b",
    re.I,
)
# ... with nothing else asked: "How many documents did Blinken sign?" is a question about Blinken.
COLLECTION_REQUEST_WORDS = frozenset(
    """document documents file files article articles text texts piece pieces source sources report reports essays
    analyses corpus collection folder index indexed available loaded title titles name names list show many number
    total count please search access read see use know""".split()
)


def asks_about_the_collection(question: str) -> bool:
    return _asks_only(ASKS_ABOUT_THE_COLLECTION, COLLECTION_REQUEST_WORDS, question)


# "Which article mentions Kissinger?", "In which piece does ...?": asks for one document.
ASKS_WHICH_DOCUMENT = re.compile(
    r"^\W*(?:(?:and|so)\s+)?(?:in\s+|from\s+)?(?:which|what)\s+(?:one\s+of\s+the\s+)?"
    rf"(?:{DOCUMENT_NOUNS}|source)s?\b",
    re.I,
)


def asks_which_document(question: str) -> bool:
    return bool(ASKS_WHICH_DOCUMENT.search(question))


def asks_across_documents(question: str) -> bool:
    return bool(ASKS_ACROSS_DOCUMENTS.search(question))


def topic_compared(question: str) -> str:
    """What a question across documents is about: "Compare the articles' views of the trip" -> "the trip"."""
    topic = " ".join(COMPARING_WORDS.sub(" ", question).split())
    return topic if content_words(topic) else question


def asks_for_overview(question: str) -> bool:
    return _asks_only(OVERVIEW, OVERVIEW_REQUEST_WORDS, question)


def _asks_only(asking: re.Pattern[str], request_words: frozenset[str], question: str) -> bool:
    """Whether the question asks this way and about nothing else: every word of it is one such a request uses."""
    return bool(asking.search(question)) and not set(content_words(question)) - request_words


def asks_for_a_release(question: str) -> bool:
    """Whether a question asks in which release, or when: in a NEWS file or a changelog, the heading an item stands
    under answers it ("version 1.31 - Sergey Poznyakoff, 2019-01-02")."""
    return bool(ASKS_WHICH_RELEASE.search(question) or ASKS_WHEN.search(question))


# "What changed in 3.0.2?", "What's new in version 2.4.0?", "What was fixed in 3.0.2?": asks for the notes of a
# release, every word of it one such a request uses (or a word of the file's name: "loomcsv").
RELEASE_NOTES_WORDS = frozenset(
    """change changed changes new whats fixed fix fixes added add removed remove deprecated improved security
    release released releases version versions notes note happened different""".split()
)


def asks_for_release_notes(question: str, also_allowed: frozenset[str] = frozenset()) -> bool:
    without_versions = re.sub(r"\bv?\d+(?:\.\d+)+\w*", " ", question, flags=re.I)  # "v3.0.1" is no word asked
    words = set(content_words(without_versions))
    return bool(versions_in(question)) and bool(words) and not words - RELEASE_NOTES_WORDS - also_allowed


# A name past the question's first word, of one or more capitalised words ("the Morrow Gallery", "Margaret Thewlis's";
# not "I").
NAME_RUN = re.compile(r"(?<!^)\b[A-Z][\w’'.-]+(?:\s+(?:of\s+|and\s+|the\s+)?[A-Z][\w’'.-]+)*")


# Where the asker stands: "when I travel to Manchester for work", "My dad is in intensive care at Harrowgate Royal
# Infirmary.", "Can I work from Spain ...?" A name there is the asker's circumstance, not what the question asks about:
# a rule about working abroad answers it. Not "When should I go to Carrowmere ...?": a place gone to is asked about.
ASKERS_CIRCUMSTANCES = re.compile(
    r"\b(?i:when|if|while|whenever|once|since|because|before|after)\s+(?:I|we)\b[^,;:?]*"
    r"|(?:^|(?<=[.!]\s))(?:I|We|My|Our)\b[^.!?]*[.!](?=\s+\S)"
    r"|\b(?i:can|may|could|should|must|do|am)\s+(?:I|we)\s+(?:[\w’'-]+\s+){0,4}?"
    r"(?i:work|working|live|living|stay|staying|study|studying|travel|travelling|traveling|move|relocate|be\s+based)"
    r"\s+(?:[\w’'-]+\s+){0,2}?(?i:from|in|to|at)\s+[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*"
)


def without_the_askers_circumstances(question: str) -> str:
    """The question less what it says of the asker: "What is the most they pay for a hotel night when I travel to
    Manchester?" -> "What is the most they pay for a hotel night ?"."""
    return ASKERS_CIRCUMSTANCES.sub("", question)


def without_names(question: str) -> str | None:
    """The question with its names left out, what it asks of them: "When did Cellar Nine first open its doors?" ->
    "When did  first open its doors?"; None when it names nothing."""
    question = question.strip()
    bare = NAME_RUN.sub("", question)
    return bare if bare != question and content_words(bare) else None


# "In which city was Biden speaking?", "Which US cities ...?": asks for a place by its kind, which only a sentence
# naming one answers.
ASKS_A_PLACE = re.compile(
    r"\b(?:which|what)\s+(?:[\w.-]+\s+)?(?:city|cities|town|towns|port|airport|venue|building|village)\b",
    re.I,
)


def names_a_new_place(question: str, sentence: str) -> bool:
    """Whether a sentence names a place after "in", "at", "to", "near" or "from" that the question does not name."""
    asked = question.lower()
    return any(place.lower() not in asked for place in places_in(sentence))


# "What is the name of the spokesperson who ...?", "What was the ship called?": asks for a name.
ASKS_A_NAME = re.compile(
    r"\bwhat(?:\s+is|\s+was|\s+were|\s+are|['’]s)\s+the\s+(?:full\s+)?names?\s+of\b"
    r"|\bwhat(?:\s+is|\s+was|['’]s)\s+(?:\w+\s+){1,4}called\b",
    re.I,
)


LEADING_ARTICLE = re.compile(r"^(?:A|An|The)\s+")  # "... irresponsible.” A Chinese Foreign Ministry spokesman"


def names_someone_new(question: str, sentence: str) -> bool:
    """Whether a sentence holds a name of two words or more, past its first word, that the question does not: "said
    Bonnie Glaser of the German Marshall Fund" names the expert asked about; "A PRC government spokesperson ... on
    China’s political dignity" no one (a country is not what a name is asked of)."""
    asked = question.lower()
    runs = (LEADING_ARTICLE.sub("", run.rstrip(".")) for run in NAME_RUN.findall(sentence))
    return any(" " in run and run.lower() not in asked and not run.isupper() for run in runs)


def says_the_date_asked(question: str, sentence: str) -> bool:
    """Whether a sentence gives a date: a month, a year; for "What day ...?", a day of the week too."""
    return bool(HAS_DATE.search(sentence) or (ASKS_A_DAY.search(question) and SAYS_A_WEEKDAY.search(sentence)))


def gives_the_date_place_or_name_asked(question: str, sentence: str) -> bool | None:
    """For a question asking a date, a place by its kind or a name, whether the sentence gives one; else None."""
    if ASKS_DATE.search(question):
        return says_the_date_asked(question, sentence)
    if ASKS_A_PLACE.search(question):
        return names_a_new_place(question, sentence)
    if ASKS_A_NAME.search(question):
        return names_someone_new(question, sentence)
    return None


def fits_question_type(question: str, sentence: str) -> bool:
    given = gives_the_date_place_or_name_asked(question, sentence)
    if given is not None:
        return given
    if ASKS_QUANTITY.search(question) and not asks_a_degree(question):
        return bool(HAS_NUMBER.search(sentence))
    return True


def asks_a_degree(question: str) -> bool:
    """Whether a "How much ...?" question asks how much in words ("How much did the visit change?"), not a figure."""
    return bool(ASKS_A_DEGREE.search(question)) and not (
        ASKS_A_PRICE.search(question) or ASKS_A_WEIGHT.search(question)
    )


# What a quantity question asks for, by its words: a price, a duration, a distance, a share, or a count.
ASKS_A_PRICE = re.compile(
    r"\bhow much\b.*\b(?:cost|costs|costing|spend|spends|spent|pay|pays|paid|price|priced|charge|charges|charged|fees?|"
    r"earn|earns|earned|raise|raises|raised|sell|sells|sold|worth|budget|funding|money|invest|invested|owe|owes|owed)\b"
    r"|\b(?:what|which) (?:is |was )?(?:the )?(?:price|cost|fee)\b"
    # "What does a bottle sell for?", "What will the bridge cost?"
    r"|\bwhat (?:does|do|did|will|would)\b[^?]*\b(?:cost|sell for|sells for|go for|goes for|retail for)\b"
    # "How much is entry?", "How much are tickets?"; not "How much was Taiwan discussed?" nor "How much is there?"
    r"|\bhow much (?:is|are|was|were) (?![^?]*\b(?:\w+ed|\w+ing|known|said|left|there|done|made|seen|given)\b)\w+",
    re.I,
)
ASKS_A_DURATION = re.compile(
    r"\bhow long\b.*\b(?:take|takes|took|last|lasts|lasted|trip|journey|crossing|flight|drive|ride|walk|bake|cook|"
    r"wait|stay|keep|kept|store|run|runs|ran|serve|served|spend|spent|work|worked|delay|delayed|postponed)\b"
    # "Why was the trip pushed back, and by how long?": a delay is a duration too.
    r"|\bby how long\b|\b(?:delay|delayed|postponed|pushed back|put off)\b.*\bhow long\b"
    # "How long until they answer?", "How long does a refund take?": not "How long is the trail?", a length.
    r"|\bhow long\b(?!\s+(?:is|are|was|were)\b)",
    re.I,
)
ASKS_A_LENGTH = re.compile(r"\bhow (?:far|tall|high|wide|deep)\b", re.I)
# "How long is the trail?", "How long is the warranty?": a length or a duration.
ASKS_HOW_LONG = re.compile(r"\bhow long\b", re.I)
ASKS_A_WEIGHT = re.compile(r"\bhow heavy\b|\bweigh(?:s|ed)?\b", re.I)
ASKS_AN_AGE = re.compile(r"\bhow old\b", re.I)
ASKS_A_TEMPERATURE = re.compile(r"\b(?:what|which)\s+temp(?:erature)?s?\b|\bhow (?:hot|cold|warm)\b", re.I)
ASKS_A_SHARE = re.compile(r"\bwhat (?:percentage|share|proportion|fraction)\b", re.I)
NUMBER = (
    r"(?:\d[\d,.]*|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|forty|fifty|sixty|"
    r"a few|several|half an?)"
)
# An amount in figures or in words: "40 km", "forty kilometres".
AMOUNT = rf"(?:\d[\d,.]*\s?|\b(?:{'|'.join(NUMBER_WORDS.split())})[\s-]+)"
SAYS_A_PRICE = re.compile(
    rf"[$€£¥]\s?\d|{AMOUNT}(?:\w+\s)?(?:dollars?|euros?|pounds?|pence|cents?|yuan|yen|francs?|USD|EUR|GBP|coins?)\b"
    r"|\d[\d,.]*\s?(?:million|billion|trillion|bn)\b|\bfree\b",
    re.I,
)
SAYS_A_DURATION = re.compile(
    rf"\b{NUMBER}[\s-]+(?:(?:working|business|calendar|school|clear|consecutive|full|whole)\s+)?"  # "10 working days"
    r"(?:seconds?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|months?|years?|decades?)\b"
    r"|\b(?:1[0-9]|20)\d\d\s*(?:-|–|to|until)\s*(?:(?:1[0-9]|20)\d\d|\d\d)\b|\b(?:since|until) (?:1[0-9]|20)\d\d\b",
    re.I,
)
SAYS_A_LENGTH = re.compile(
    rf"{AMOUNT}(?:km|kilomet(?:re|er)s?|miles?|met(?:re|er)s?|m|cm|mm|feet|foot|ft|inch(?:es)?|yards?)\b", re.I
)
SAYS_A_LENGTH_OR_DURATION = re.compile(f"{SAYS_A_LENGTH.pattern}|{SAYS_A_DURATION.pattern}", re.I)
SAYS_A_TEMPERATURE = re.compile(r"\d\s?°|\bdegrees\b|\b(?:freezing|boiling)\b|\broom temperature\b", re.I)
# An age, or the year something began: "aged 42", "a 19-year-old", "built in 1936".
SAYS_AN_AGE = re.compile(rf"{YEAR}|\b\d+[\s-]+years?[\s-]+old\b|\baged? (?:of )?\d+\b|{AMOUNT}years? old\b", re.I)
SAYS_A_WEIGHT = re.compile(
    rf"{AMOUNT}(?:kg|kilo(?:gram)?s?|g|grams?|lbs?|pounds?|tonnes?|tons?|ounces?|oz|stone)\b", re.I
)
SAYS_A_SHARE = re.compile(rf"{AMOUNT}(?:%|per ?cent\b)|\b(?:half|a third|a quarter|two thirds|three quarters)\b", re.I)
YEAR_OR_DAY = re.compile(rf"\b(?:1[0-9]|20)\d\ds?\b|\b(?:{MONTHS})\s+\d{{1,2}}\b|\b\d{{1,2}}\s+(?:{MONTHS})\b")
# A count: a number that is no year, day of the month or price ("In 1938" and "$345 million" count nothing), nor
# "one" ("one of", "the one China policy"), nor one that refers ("the two countries").
SAYS_A_COUNT = re.compile(
    r"(?<![$€£¥\d,.])\b\d[\d,.]*\b(?!\s?(?:dollars?|euros?|pounds?)\b)"
    r"|(?<!\bthe )(?<!\bthese )(?<!\bthose )"  # "the two countries" counts nothing
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|"
    r"eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|dozens?)\b",
    re.I,
)


def asks_for_a_price(question: str) -> bool:
    """Whether a question asks what something cost: any other number will not do ("How far have relations
    fallen?" is answered in words)."""
    return bool(ASKS_A_PRICE.search(question))


def gives_what_it_asks(question: str, sentence: str) -> bool:
    """Whether a sentence gives what a date, place, name, time or quantity question asks for, by its kind (see
    gives_the_date_place_or_name_asked): "What time does it open?" a time of day, "How old is it?" an age or a
    year, "What temperature ...?" degrees, "How much did the bridge cost?" a price, "How long does the crossing
    take?" a duration, "How far ...?" or "How tall ...?" a length ("How long is the trail?" a length or a
    duration), "How heavy ...?" a weight, "What percentage ...?" a share, "How many ...?" a count (not a year: "In
    1938 ..." counts nothing); any other question, any sentence."""
    given = gives_the_date_place_or_name_asked(question, sentence)
    if given is not None:
        return given
    for asks, says in (
        (ASKS_A_TIME, SAYS_A_TIME),
        (ASKS_AN_AGE, SAYS_AN_AGE),
        (ASKS_A_TEMPERATURE, SAYS_A_TEMPERATURE),
        (ASKS_A_WEIGHT, SAYS_A_WEIGHT),
        (ASKS_A_PRICE, SAYS_A_PRICE),
        (ASKS_A_DURATION, SAYS_A_DURATION),
        (ASKS_A_LENGTH, SAYS_A_LENGTH),
        (ASKS_HOW_LONG, SAYS_A_LENGTH_OR_DURATION),
        (ASKS_A_SHARE, SAYS_A_SHARE),
    ):
        if asks.search(question):
            return bool(says.search(sentence))
    if ASKS_QUANTITY.search(question) and not asks_a_degree(question):
        return bool(SAYS_A_COUNT.search(YEAR_OR_DAY.sub(" ", sentence)))
    return True


def subject_asked_about(question: str, in_one_document: bool = False, most_words: int = 3) -> list[str]:
    """The words of what a "Who is ...?" or "What does ... think?" question asks about, when they are few ("kurt",
    "campbell"), else none. Of a question about one document, the words after a closing "about" ("What changed in
    the changelog about Chroma?"); of all of them, "What did Xi say about climate?" asks about Xi too."""
    person = person_asked_about(question)
    if person is not None:  # "What is Kurt Campbell's role?" asks about him, not about roles
        return list(dict.fromkeys(content_words(person)))
    about = ENDS_ABOUT.search(question) if in_one_document else None
    if about and not ASKS_WHAT_IT_IS.search(question):
        topic = list(dict.fromkeys(content_words(POSSESSIVE.sub("", about.group(1)))))
        return topic if len(topic) <= most_words else []
    if not ASKS_WHAT_IT_IS.search(question) and not ASKS_WHAT_THEY_HOLD.search(question):
        return []
    asking = ASKING_WORDS | HOLDING_WORDS
    words = content_words(POSSESSIVE.sub("", question))
    subject = list(dict.fromkeys(word for word in words if word not in asking))
    return subject if len(subject) <= most_words else []


def thing_asked_about(question: str) -> str | None:
    """The name of what a "What does X do?" or "What is X?" question asks about, plainly written ("pyenv local",
    "path.join"); None for another question."""
    asks = ASKS_WHAT_A_THING_IS.search(question)
    return (plain_name(asks.group("thing")) or None) if asks else None


def plain_name(text: str) -> str:
    """A name without what dresses it: "`pyenv local`" -> "pyenv local", "path.join([...paths])" -> "path.join"."""
    return " ".join(NAME_DRESSING.sub(" ", text).lower().split()).strip(" .:")


def all_words_in(words: list[str], sentence: str) -> bool:
    found = set(content_words(sentence))
    return bool(words) and all(word in found for word in words)


# "hi", "thanks!", "ok": words that ask nothing about the documents.
SMALL_TALK = frozenset(
    """hi hello hey hiya thanks thank thx cheers ok okay cool great nice good fine bye goodbye morning afternoon
    evening yes yeah yep nope sure hmm please welcome""".split()
)


# "US" is a name, though "us" is a stopword: "What does the US say?" asks something.
UNITED_STATES = re.compile(r"\bU\.?S\.?(?:A\.?)?(?!\w)")


IT = re.compile(r"\bit\b", re.I)
# A word of two characters or more: "x" and "?" have none, so they ask nothing.
A_WORD = re.compile(r"\w\w")


# A question word: "Who said “this is very good”?" asks something, though "good" is a word of small talk.
QUESTION_WORD = re.compile(r"\b(?:who|whom|whose|what|when|where|why|which|how)\b", re.I)


def _only_small_talk(question: str, words: list[str]) -> bool:
    return all(word in SMALL_TALK for word in words) and not (words and QUESTION_WORD.search(question))


def asks_nothing(question: str) -> bool:
    """Whether there is nothing to look up: "?", "x", "hi", "Who is he?" with nobody to be "he" (an overview
    request, "What are these about?", asks for something)."""
    return not A_WORD.search(question) or (
        _only_small_talk(question, content_words(question))
        and not asks_for_overview(question)
        and not UNITED_STATES.search(question)
    )


def is_small_talk(question: str) -> bool:
    """ "hi", "thanks!", "ok": nothing to look up even in a conversation ("Why?" is a follow-up, not small talk;
    "Who said thanks?" is a question)."""
    words = content_words(question)
    return bool(words) and _only_small_talk(question, words)


def stands_alone(question: str) -> bool:
    """Whether a question leans on nothing said before, whatever the conversation: small talk ("thanks!"), no word
    ("?", "x"), a question about the collection or the whole of it ("What are these documents about?": "these" are
    the documents, not what the last answer quoted). Not "Summarize it": "it" is what the conversation was about."""
    return (
        is_small_talk(question)
        or not A_WORD.search(question)
        or asks_about_the_collection(question)
        or (asks_for_overview(question) and not IT.search(question))
    )


# "Is there a gym at the cottage?", "Are there any lockers?", "Does the cottage have a dishwasher?": asks whether a
# thing is there, named by its last word before what places it.
PLACING_WORDS = "at|in|on|for|near|inside|outside|with|to|of|that|which|who|where|when|if|about|from|by"
ASKS_IF_THERE = re.compile(
    r"^\W*(?:(?:is|are)\s+there|(?:does|do)\s+(?:\w+\s+){1,3}?have)\s+(?:an?|any|some)\s+"
    rf"(?P<thing>[\w-]+(?:\s+(?!(?:{PLACING_WORDS})\b)[\w-]+){{0,2}})",
    re.I,
)


# What "Is there a ...?" may ask of that the documents say in other words: "Is there a limit on dogs?" over "Up to
# two dogs are welcome", "Is there a charge for late check-out?" over "... can be arranged for £25".
SAID_IN_OTHER_WORDS = frozenset(
    """limit limits maximum minimum cap charge charges fee fees cost costs price discount deadline restriction
    restrictions rule rules requirement requirements way option options chance reason problem issue risk need plan
    plans difference change changes time age penalty refund catch""".split()
)


def thing_asked_if_there(question: str) -> str | None:
    """What "Is there a ...?" asks is there, by its head word: "Is there a hot tub at the cottage?" -> "tub"; None
    for a question of another kind, or for what may be said in other words ("Is there a limit ...?")."""
    found = ASKS_IF_THERE.match(question)
    thing = found["thing"].split()[-1].lower() if found else None
    return None if thing in SAID_IN_OTHER_WORDS else thing


# "Which batch numbers are affected?", "What options are there?": asks for things of a kind, in the plural.
ASKS_WHICH_ONES = re.compile(
    r"^\W*(?:which|what)\s+(?P<things>(?:\w+\s+){0,2}?\w+s)\s+(?:are|were|do|does|did|can|should|will)\b", re.I
)
