"""A first fact base for a new article: ``factbot new ARTICLE.txt --id ID``.

One fact per claim the article makes (a sentence, or each clause of one joined by semicolons),
quoted verbatim; its phrasings built from the claim's names, numbers, dates and words, and from
the kinds of answer it gives (a year, a place, a source…); generic known unknowns for what news
articles usually leave out, filled in with the article's own names; synonyms that read each name of
several words as one word. Every entry is marked ``drafted: true`` until a moderator reviews it;
``factbot check`` counts those left.
The draft is a starting point that already answers; ``/unanswered`` and ``/teach`` polish it.

Offline and light: sentences by pysbd (rule-based), word forms by lemminflect (its data ships in
the package), names and numbers by the patterns below, common words by the spelling dictionary.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pysbd
import yaml
from lemminflect import getAllInflections, getAllLemmas

from bot.normalize import STOPWORDS, fold
from bot.spelling import english_words

# A claim shorter than this many words is a heading or a fragment, not something to ask about.
MIN_CLAIM_WORDS = 4
# A first line without end punctuation and at most this many words is the article's title.
MAX_TITLE_WORDS = 16
# Phrasings drafted from a claim's leading words: enough to find it, few enough to stay specific.
KEYWORD_PHRASE_WORDS = 8

_NAME = re.compile(
    r"\b(?:[A-Z][\w’'.\-]*[\w’'])(?:\s+(?:of|de|la|van|von|der|du|&)\s+[A-Z][\w’'.\-]*[\w’']|\s+[A-Z][\w’'.\-]*[\w’']|\s+[A-Z]\.)*"
)
_NUMBER = re.compile(
    r"(?P<money>[$€£]\s?)?(?P<value>\d(?:[\d,]*\d)?(?:\.\d+)?)(?:\s?(?P<scale>%|percent|per cent|billion|million|thousand|bn|m\b))?"
    r"(?P<noun>(?:\s+[A-Za-z][a-z\-']*[a-z]){0,3})"
)
# Counts written as words; "one" is left out, being as often a pronoun ("the new one").
_NUMBER_WORD = re.compile(
    r"\b(?P<value>two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|"
    r"dozens?|hundreds|thousands|millions)(?P<noun>(?:\s+[A-Za-z][a-z\-']*[a-z]){1,3})",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_DATE_WORDS = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|"
    r"August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|yesterday|today|"
    r"tonight|this morning|last week|next week(?:end)?)\b"
)
_WEEKDAY = re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_MONTH = re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December|"
                    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b")
# A wire story's opening place: "SEATTLE -- Microsoft said", "PARIS (AP) —".
_DATELINE = re.compile(r"^[A-Z][A-Z .'\-]*[A-Z](?:,\s+[A-Z][\w.]+)?\s*(?:\([A-Za-z .]+\))?\s*(?:--|—|–)")
_BYLINE = re.compile(r"^By\s+[A-Z]")
# A person's age as news gives it: "Conde, 77, came to power", "aged 77", "the 77-year-old".
_AGE = re.compile(r"[A-Za-z],\s+\d{1,3},|\baged\s+\d{1,3}\b|\b\d{1,3}-year-old\b")
# Where an organisation is based: "the Schaumburg, Ill.-based company".
_BASED = re.compile(r"\b[A-Z][\w., ]*-based\b")
_ACRONYM = re.compile(r"[A-Z]{2,7}")
_POSSESSIVE = re.compile(r"[’']s\b\s*")
_SPEAKING = re.compile(r"\b(?:said|says|stated|told|wrote|according to)\b|[“\"]", re.IGNORECASE)
_SOURCED = re.compile(r"\b(?:reports?|reported|according to|told|announced)\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w’'\-]*")
# Words in a name that make it an organisation, place or thing rather than a person.
_NOT_A_PERSON = frozenset({
    "party", "university", "telescope", "journal", "officer", "office", "league", "government", "parliament",
    "inc", "corp", "corporation", "company", "group", "team", "games", "olympics", "system", "station", "city",
    "street", "county", "state", "states", "council", "ministry", "department", "agency", "bank", "news",
    "times", "post", "reuters", "press", "club", "association", "union", "institute", "college", "school",
    "hospital", "court", "house", "senate", "congress", "committee", "poll", "media",
})
_WEAK_NOUNS = frozenset({"of", "the", "a", "an", "and", "or", "to", "in", "on", "at", "for", "from", "by", "with", "per"})


@dataclass(frozen=True)
class Claim:
    """One thing the article says, with what a question about it would mention."""

    quote: str
    names: tuple[str, ...]
    people: tuple[str, ...]
    counts: tuple[tuple[str, str, str], ...]  # (kind: count/money/percent, number, noun after it)
    dated: bool
    words: tuple[str, ...]  # content words in reading order
    byline: bool = False
    places: tuple[str, ...] = ()  # names after "in", "at", "from": where questions
    kinds: dict[str, str] = field(default_factory=dict)  # kind of answer it gives (ANSWER_KINDS) -> the words giving it


@dataclass
class Draft:
    title: str | None
    claims: list[Claim] = field(default_factory=list)
    # The names (not people) many claims mention: what the whole article is about, though a claim says "the company".
    subjects: tuple[str, ...] = ()


def _content_words(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for word in _WORD.findall(text):
        folded = fold(word).strip("'’-")
        if len(folded) > 1 and folded not in STOPWORDS:
            seen.setdefault(folded, None)
    return list(seen)


def _is_common_word(word: str) -> bool:
    """An everyday English word; a hyphenated one when each of its parts is ("Cell-phone", "Long-term")."""
    return all(fold(part) in english_words() for part in word.split("-") if part)


# Words of a job title: "Chief Financial Officer Tom Meredith" is a role, then a person.
_ROLE_WORDS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "professor", "president", "vice", "prime", "minister", "mayor", "senator",
    "governor", "leader", "chief", "executive", "financial", "operating", "technology", "officer", "director",
    "chairman", "chairwoman", "chair", "secretary", "general", "manager", "spokesman", "spokeswoman", "spokesperson",
    "commissioner", "judge", "ambassador", "coach", "captain", "head", "incumbent", "deputy", "managing", "by",
})


def _names(sentence: str, text: str) -> list[str]:
    """Capitalised word runs, without a sentence's first word when that is just a common word, and
    with a job title before a name read as a name of its own ("Chief Financial Officer", "Tom Meredith")."""
    found: dict[str, None] = {}
    for match in _NAME.finditer(sentence):
        at_start = not sentence[: match.start()].strip(" \"“‘'(")
        # A possessive joins two names: "Jim Anderton’s Progressive Party" is Jim Anderton and Progressive Party.
        for part in _POSSESSIVE.split(match.group().strip(" .")):
            words = part.split()
            if at_start and words and _is_common_word(words[0]) and not _is_name_word(words[0], text):
                words = words[1:]
            at_start = False
            while words and words[0].lower() in {"the", "a", "an", "and", "of"}:
                words = words[1:]
            for name in _role_and_name(words):
                found.setdefault(name, None)
    return list(found)


def _is_name_word(word: str, text: str) -> bool:
    """A sentence's first word that is a name though spelt like a common word: the article capitalises
    it inside a sentence too and never writes it in lower case ("Motorola said …", "maker Motorola Inc.")."""
    return (re.search(rf"[a-z,] +{re.escape(word)}\b", text) is not None
            and re.search(rf"\b{re.escape(word.lower())}\b", text) is None)


def _is_role(name: str) -> bool:
    """A job title ("Chief Financial Officer"): no organisation to ask who founded or leads."""
    return all(word.lower().strip(".") in _ROLE_WORDS for word in name.split())


def _role_and_name(words: list[str]) -> list[str]:
    """A run of capitalised words as the title it starts with and the name after it, each a name."""
    role_length = 0
    while role_length < len(words) and _is_role(words[role_length]):
        role_length += 1
    if not 0 < role_length < len(words):
        return [" ".join(words)] if words else []
    role, name = " ".join(words[:role_length]), " ".join(words[role_length:])
    # A title of one word ("President", "By") says nothing a question would name.
    return [role, name] if role_length > 1 else [name]


def _is_person(name: str, text: str) -> bool:
    """A name of two to four words that the article treats as a person's: with a title before it,
    "said" after it, or its last word alone elsewhere ("Mayor Lena Dahl … Dahl said")."""
    words = name.split()
    if not 2 <= len(words) <= 4 or name.isupper() or any(fold(word).strip(".") in _NOT_A_PERSON for word in words):
        return False
    surname = re.escape(words[-1])
    mentioned_alone = len(re.findall(rf"\b{surname}\b", text)) > text.count(name)
    titled = any(fold(word).strip(".") in _ROLE_WORDS for word in re.findall(rf"(\w+)\.?\s+{re.escape(name)}", text))
    owner = re.search(rf"{re.escape(name)}[’']s\s+[A-Z]", text) is not None  # "Jim Anderton’s Progressive Party"
    speaking = re.search(rf"{re.escape(name)},?\s+(?:said|says|stated|told|wrote)|(?:according to|said|says)\s+{re.escape(name)}", text) is not None
    # "Colleen Healy, general manager of ...": a name followed by a role in lower case.
    with_role = re.search(rf"{re.escape(name)},\s+(?:an?\s+|the\s+)?[a-z]+(?:\s+[a-z]+)*\s+(?:of|at|for)\b", text) is not None
    return mentioned_alone or titled or owner or speaking or with_role or _listed_with_others(name, text)


def _listed_with_others(name: str, text: str) -> bool:
    """One of three or more names of two or more words listed together, as authors or team members are."""
    full_name = r"[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'.\-]*)+"
    item = rf"(?:{full_name}|{re.escape(name)})"
    listing = rf"{item}(?:,\s+(?:and\s+)?{item}|\s+and\s+{item}){{2,}}"
    return any(name in found.group() for found in re.finditer(listing, text))


def _noun_words(text: str) -> list[str]:
    """What a number counts: the words after it, less the small words between them ("terabytes of data")."""
    return [word for word in text.split() if fold(word) not in _WEAK_NOUNS and fold(word) not in STOPWORDS]


def _people(names: list[str], places: list[str], everyone: list[str], last_named: dict[str, str]) -> list[str]:
    """The people a sentence names, by full name even where it gives the surname alone ("… Dahl said"):
    of two people with one surname, the one last named in full (``last_named``: surname -> person)."""
    named = [person for person in everyone if person in names and person not in places]
    last_named.update({person.split()[-1]: person for person in named})
    by_surname = [person for person in everyone if " " in person and person.split()[-1] in names
                  and last_named.get(person.split()[-1], person) == person]
    return list(dict.fromkeys(named + by_surname))


def _counts(sentence: str) -> list[tuple[str, str, str]]:
    counts = []
    for match in _NUMBER.finditer(sentence):
        value = match["value"]
        if _YEAR.fullmatch(value):
            continue
        scale = (match["scale"] or "").strip()
        kind = "money" if match["money"] else "percent" if scale in {"%", "percent", "per cent"} else "count"
        noun_words = _noun_words(match["noun"] or "")
        counts.append((kind, f"{match['money'] or ''}{value}{(' ' + scale) if scale else ''}", " ".join(noun_words)))
    for match in _NUMBER_WORD.finditer(sentence):
        noun_words = _noun_words(match["noun"])
        if noun_words:
            counts.append(("count", match["value"], " ".join(noun_words)))
    return counts


def _spans(text: str) -> Iterator[str]:
    """The article's sentences, cut at semicolons joining two claims: each a verbatim span."""
    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    for line in text.splitlines():
        for span in segmenter.segment(line) if line.strip() else ():
            sentence = span.sent.strip()
            clauses = [clause.strip() for clause in sentence.split(";")]
            if len(clauses) > 1 and all(len(clause.split()) >= MIN_CLAIM_WORDS for clause in clauses):
                yield from clauses
            elif sentence:
                yield sentence


def _title(text: str) -> str | None:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if first and len(first.split()) <= MAX_TITLE_WORDS and not first.endswith((".", "!", "?", ":", "”", '"')):
        return first
    return None


@dataclass(frozen=True)
class AnswerKind:
    """A kind of answer a claim can give, and how a question asking for it is worded: ``words``
    join the fact's keywords, so a question asking "which city" or "what year" finds the claim
    that names one (and no penalty for asking it), ``templates`` are phrasings ("{}": its keywords)."""

    words: tuple[str, ...]
    templates: tuple[str, ...] = ()


ANSWER_KINDS: dict[str, AnswerKind] = {
    "year": AnswerKind(("year", "when"), ("what year {}", "which year {}")),
    "weekday": AnswerKind(("day", "weekday", "week", "when"), ("what day {}", "which day of the week {}")),
    "date": AnswerKind(("date", "day", "month", "when"), ("what date {}", "on what date {}")),
    "place": AnswerKind(("where", "location", "located", "place", "city", "town", "state", "country", "region"),
                        ("where {}", "what location {}")),
    "age": AnswerKind(("age", "old", "aged", "years"), ("how old {}", "what age {}")),
    "base": AnswerKind(("where", "based", "headquarters", "headquartered", "home", "city", "located"),
                       ("where is it based", "where is {} headquartered")),
    "dateline": AnswerKind(("where", "city", "location", "dateline", "filed", "based"),
                           ("where is the story from", "which city is the story filed from", "where was it reported from")),
    "source": AnswerKind(("source", "outlet", "reported", "reports", "station", "cite", "cites", "broke", "according"),
                         ("who reported this", "what is the source", "which news outlet reported it", "who reported {}")),
    "percent": AnswerKind(("percent", "percentage", "pct", "rate", "much")),
    "money": AnswerKind(("much", "money", "dollars", "amount", "figure")),
    "count": AnswerKind(("many", "number", "total", "figure")),
}


def _answer_kinds(sentence: str, counts: list[tuple[str, str, str]], places: list[str]) -> dict[str, str]:
    """The kinds of answer the sentence gives, each with the words that give it (to find its clause)."""
    kinds = {kind: number for kind, number, _ in reversed(counts)}  # the first number of each kind
    found = {
        "year": _YEAR.search(sentence), "weekday": _WEEKDAY.search(sentence), "date": _MONTH.search(sentence),
        "dateline": _DATELINE.match(sentence), "source": _SOURCED.search(sentence), "base": _BASED.search(sentence),
        "age": _AGE.search(sentence),
    }
    kinds.update({kind: match.group() for kind, match in found.items() if match})
    if places:
        kinds["place"] = places[0]
    return kinds


# What a clause ends at: punctuation (not a thousands comma) or a dash between words.
_CLAUSE_BREAK = re.compile(r"[,;:](?!\d)|[()“”\"]|\s[—–-]{1,2}\s")
# A clause needs this many content words to be asked about on its own; a shorter one joins the one before.
MIN_CLAUSE_WORDS = 3
# Words of a clause a drafted question names: enough to say which part of the claim it asks about.
CONTEXT_WORDS = 3


def _clauses(quote: str) -> list[str]:
    """The claim's clauses: a question usually asks about one part of a long sentence."""
    clauses: list[str] = []
    for piece in _CLAUSE_BREAK.split(quote):
        if clauses and len(_content_words(piece)) < MIN_CLAUSE_WORDS:
            clauses[-1] += " " + piece
        elif piece.strip():
            clauses.append(piece)
    return clauses


def read_claims(text: str) -> Draft:
    title = _title(text)
    draft = Draft(title)
    sentences = [sentence for sentence in _spans(text)
                 if sentence != title and (len(sentence.split()) >= MIN_CLAIM_WORDS or _BYLINE.match(sentence))]
    everyone = list(dict.fromkeys(name for sentence in sentences for name in _names(sentence, text) if _is_person(name, text)))
    last_named: dict[str, str] = {}
    for sentence in sentences:
        names = _names(sentence, text)
        counts = _counts(sentence)
        places = [name for name in names if not _DATE_WORDS.fullmatch(name)
                  and re.search(rf"\b(?:in|at|from|near)\s+(?:the\s+)?{re.escape(name)}|{re.escape(name)}[\w., ]*-based\b", sentence)]
        draft.claims.append(Claim(
            quote=sentence,
            names=tuple(names),
            people=tuple(_people(names, places, everyone, last_named)),
            counts=tuple(counts),
            dated=bool(_YEAR.search(sentence) or _DATE_WORDS.search(sentence)),
            words=tuple(_content_words(sentence)),
            byline=bool(_BYLINE.match(sentence)),
            places=tuple(places),
            kinds=_answer_kinds(sentence, counts, places),
        ))
    draft.subjects = _subjects(draft.claims)
    return draft


# A name in at least this share of the claims is what the whole article is about.
SUBJECT_SHARE = 0.3


def _subjects(claims: list[Claim]) -> tuple[str, ...]:
    """The names most claims mention (not people): the article is about them even where a claim says "the company"."""
    people = {person for claim in claims for person in claim.people}
    counts: dict[str, int] = {}
    for claim in claims:
        for name in claim.names:
            counts[name] = counts.get(name, 0) + 1
    return tuple(name for name, count in counts.items() if count >= SUBJECT_SHARE * len(claims) and name not in people)


def _word_forms(word: str) -> set[str]:
    """The word with its lemma and that lemma's inflections: "rose" -> rise, rises, risen, rising."""
    forms = {word}
    for lemmas in getAllLemmas(word).values():
        for lemma in lemmas:
            forms.add(lemma)
            for inflected in getAllInflections(lemma).values():
                forms.update(inflected)
    return {form.lower() for form in forms if form.isalpha()}


def _kind_of(name: str) -> str | None:
    """The common noun a name says it is: "Hobby-Eberly Telescope" -> telescope, "University of Texas" -> university."""
    for word in reversed(name.split()):
        lemmas = getAllLemmas(word.lower())
        if word[:1].isupper() and "NOUN" in lemmas and not {"ADJ", "ADV", "NUM"} & set(lemmas) and _is_common_word(word):
            return lemmas["NOUN"][0]
    return None


# How people ask what an acronym means: the claim spelling it out, or the first naming it, answers.
ACRONYM_QUESTIONS = ("{} meaning", "what is {}", "what is the full name of {}")


def _phrasings(claim: Claim) -> list[str]:
    """Questions a reader might ask that this claim answers, from its own names, numbers and words."""
    keywords = [word for word in claim.words if fold(word) not in {fold(n) for name in claim.names for n in name.split()}]
    lead = " ".join(claim.words[:KEYWORD_PHRASE_WORDS])
    questions = [lead, f"what does the article say about {' '.join(keywords[:4]) or lead}"]
    if claim.byline:
        questions += ["who wrote the article", "who is the author", "author", "who is the reporter"]
    for name in claim.names:
        questions.append(name)
        if _ACRONYM.fullmatch(name):
            questions += [template.format(name) for template in ACRONYM_QUESTIONS]
        kind = _kind_of(name)
        if kind:
            questions += [f"which {kind}", f"what {kind} {' '.join(keywords[:2])}"]
    for place in claim.places:
        questions.append(f"where is {place}")
    clauses = _clauses(claim.quote)
    for kind, anchor in sorted(claim.kinds.items()):
        context = " ".join(_context(anchor, clauses, claim.names))
        questions += [template.format(context) for template in ANSWER_KINDS[kind].templates]
    for person in claim.people:
        questions += [f"who is {person}", f"what did {person} do"]
        if _SPEAKING.search(claim.quote):
            questions.append(f"what did {person} say")
    if claim.people:
        questions.append(f"who {' '.join(keywords[:4])}")
    for kind, number, noun in claim.counts:
        subject = noun or " ".join(_context(number, clauses, claim.names))
        if kind == "money":
            questions += [f"how much {subject}", f"how much money {' '.join(keywords[:3])}"]
        elif kind == "percent":
            questions += [f"by how much {' '.join(keywords[:3])}", f"what percent {subject}"]
        else:
            questions += [f"how many {subject}", f"what number {subject}"]
        questions.append(f"{subject} {number}".strip())
    if claim.dated:
        questions.append(f"when {' '.join(keywords[:4])}")  # "what date" only where it gives one: ANSWER_KINDS
    return [question for question in questions if question.strip()]


def _context(anchor: str, clauses: list[str], names: tuple[str, ...]) -> list[str]:
    """The words around ``anchor`` a question about it would use: its clause's, less names and numbers."""
    clause = next((clause for clause in clauses if anchor in clause), " ".join(clauses))
    name_words = {fold(word) for name in names for word in name.split()} | set(_content_words(anchor))
    return [word for word in _content_words(clause) if word not in name_words][:CONTEXT_WORDS]


def _topic(claim: Claim) -> str:
    topic = " ".join(claim.names[:1] or claim.words[:3])[:60].strip()
    return topic[:1].upper() + topic[1:] if topic else "The article"  # names keep their capitals


def _slug(claim: Claim, used: set[str]) -> str:
    base = "_".join(re.sub(r"[^a-z0-9]+", "_", fold(word)).strip("_") for word in claim.words[:4]) or "claim"
    base = re.sub(r"^[^a-z0-9]+", "", base)[:48] or "claim"
    slug, number = base, 2
    while slug in used:
        slug, number = f"{base}_{number}", number + 1
    used.add(slug)
    return slug


@dataclass(frozen=True)
class _Unknown:
    """Something news articles usually leave out. ``telltales``: the words of it an article that
    does cover it would use; a question asking with one the article uses is left out, so that
    "how much does he earn" never catches what an article about earnings says."""

    id: str
    topic: str
    reply: str
    telltales: frozenset[str]
    about_people: tuple[str, ...] = ()  # "{}" is each person's name
    about_names: tuple[str, ...] = ()  # "{}" is each other name (organisations, places)
    general: tuple[str, ...] = ()
    about_titles: tuple[str, ...] = ()  # "{0}" is a person the article gives a title, "{1}" the title


# The general questions avoid verbs a claim's own events are asked with ("when did the talks start",
# "how did the count end"): such a word would count toward the known unknown in every question using it.
_UNKNOWNS = (
    _Unknown("ages", "Ages", "The article doesn't give anyone's age.", frozenset({"age", "aged", "old", "born", "birthday"}),
             ("how old is {}", "what is {}'s age"), (), ("how old is he", "what age is she", "when was he born")),
    _Unknown("personal_lives", "Personal lives", "The article doesn't say anything about the private lives of the people in it.",
             frozenset({"married", "wife", "husband", "kids", "children", "family", "live", "lives"}),
             ("is {} married", "where does {} live"), (), ("does he have kids", "who is his wife", "where does she live")),
    _Unknown("money_and_pay", "Pay and salaries", "The article doesn't say what anyone earns.",
             frozenset({"salary", "earn", "earns", "paid", "pay", "worth", "income"}),
             ("what is {}'s salary", "how much does {} earn"), (), ("how much does he earn", "what is her net worth")),
    _Unknown("careers", "Careers", "The article doesn't go into the careers of the people in it.",
             frozenset({"career", "joined", "replaced", "replace", "succeeded", "successor", "previously", "former", "tenure"}),
             ("how long has {} been in the job", "who will replace {}", "what was {}'s previous job", "when did {} join"), (),
             ("who replaced him", "how long has she been in the job", "what was his previous job"),
             ("how long has {0} been {1}", "who was {1} before {0}")),
    _Unknown("history", "History and founding", "The article doesn't go into the history of the organisations and places it names.",
             frozenset({"founded", "history", "established", "started", "built"}),
             (), ("when was {} founded", "who founded {}"), ("how long has it existed",)),
    _Unknown("opinions", "Opinions and reactions", "The article doesn't report reactions beyond what it quotes.",
             frozenset({"critic", "critics", "expert", "experts", "react", "reaction", "fans", "angry", "public"}),
             ("what do critics say about {}",), (),
             ("what do critics say", "what did experts think", "how did the public react", "what do fans think about it")),
    _Unknown("what_next", "What happens later", "The article doesn't say what happened after it was written.",
             frozenset({"update", "latest", "afterwards", "later"}),
             ("what is {} doing now",), (), ("what happened after", "is there an update", "what is the latest news")),
    _Unknown("weather_and_setting", "Weather", "The article doesn't describe the weather.",
             frozenset({"weather", "rain", "raining", "hot", "cold", "sunny", "wind"}),
             (), (), ("what was the weather like", "was it raining", "how hot was it")),
    _Unknown("leaders", "Who leads them", "The article doesn't say who leads or runs the organisations it names.",
             frozenset({"leader", "leaders", "lead", "leads", "head", "heads", "chief", "runs", "boss", "ceo", "president",
                        "chair", "director"}),
             (), ("who leads {}", "who is the leader of {}", "who runs {}", "who is in charge of {}"), ()),
    _Unknown("quotes", "Quotes", "The article doesn't quote them.",
             frozenset({"said", "say", "says", "stated", "told", "according", "quoted", "statement"}),
             ("what did {} say", "did {} say anything", "any quotes from {}"), (), ()),
    _Unknown("naming", "Names", "The article doesn't say where the names it uses come from.",
             frozenset({"named", "name", "called", "honour", "honor"}),
             (), ("who is {} named after", "why is it called {}"), ()),
    _Unknown("media", "Pictures, video and links", "The article has no video or links to more.",
             frozenset({"video", "watch", "photo", "photos", "picture", "link", "links"}),
             (), (), ("is there a video", "where can i watch it", "link to the full report", "are there photos")),
)
# Names a known unknown asks about: enough to cover the article's main people and places.
MAX_NAMES_ASKED_ABOUT = 8


def _unknowns(draft: Draft, fact_questions: set[str]) -> list[dict[str, object]]:
    """Known unknowns for what news articles usually leave out, asked about the article's own names.
    A question about one name is left out when a claim naming it uses the telltale word ("who leads
    Labour" when it says "Labour leader Helen Clark"); a general one when any claim does."""
    people = list(dict.fromkeys(person for claim in draft.claims for person in claim.people))[:MAX_NAMES_ASKED_ABOUT]
    others = list(dict.fromkeys(
        name for claim in draft.claims for name in claim.names if name not in people and len(name) > 2 and not _is_role(name)
    ))[:MAX_NAMES_ASKED_ABOUT]
    said = _words_said(draft.claims)
    said_about = {name: _words_said(_naming(draft.claims, name, is_person=name in people)) for name in people + others}
    titles = {person: title for claim in draft.claims for title in claim.names if _is_role(title)
              for person in people if f"{title} {person}" in claim.quote}
    entries = []
    for unknown in _UNKNOWNS:
        questions = [
            *(question for name in people for question in _asked_unless_said(unknown, unknown.about_people, name, said_about[name])),
            *(question for name in others for question in _asked_unless_said(unknown, unknown.about_names, name, said_about[name])),
            *_asked_unless_said(unknown, unknown.general, None, said),
            *(question for person, title in titles.items()
              for question in _asked_unless_said(unknown, unknown.about_titles, (person, title), said_about[person])),
        ]
        questions = [question for question in questions if _question_key(question) not in fact_questions]
        if questions:
            entries.append({"id": unknown.id, "topic": unknown.topic, "reply": unknown.reply,
                            "questions": questions, "drafted": True})
    return entries


def _naming(claims: list[Claim], name: str, *, is_person: bool) -> list[Claim]:
    """The claims about ``name``: for a person, those naming them by surname alone too ("… Dahl said")."""
    if is_person:
        surname = re.compile(rf"\b{re.escape(name.split()[-1])}\b")
        return [claim for claim in claims if surname.search(claim.quote)]
    return [claim for claim in claims if name in claim.names]


def _words_said(claims: list[Claim]) -> set[str]:
    """The claims' words in all their forms; "said" too for a quote or "according to" (stop words both)."""
    words = {form for claim in claims for word in claim.words for form in _word_forms(word)}
    words |= {word for claim in claims for kind in claim.kinds for word in ANSWER_KINDS[kind].words}  # "Conde, 77": an age
    return words | ({"said"} if any(_SPEAKING.search(claim.quote) for claim in claims) else set())


def _asked_unless_said(unknown: _Unknown, templates: tuple[str, ...], name: str | tuple[str, str] | None,
                       said: set[str]) -> list[str]:
    """The templates filled in with ``name`` (or a person and their title), less those asking with a
    telltale word the claims use."""
    covered = {word for word in unknown.telltales if _word_forms(word) & said}
    questions = [template.format(*name) if isinstance(name, tuple) else template.format(name) for template in templates]
    return [question for question in questions if not covered & set(_content_words(question))]


# Asking for the story in short: the lead (a news story's first claim with names or numbers) answers.
SUMMARY_QUESTIONS = (
    "what is the article about", "what is the main idea of the article", "what happened", "what is the news",
    "what did they find", "what did they discover", "what is the story",
)


def _lead(draft: Draft) -> Claim | None:
    return next((claim for claim in draft.claims if not claim.byline and (claim.names or claim.counts)), None)


def _question_key(question: str) -> str:
    """Two phrasings with the same key are the same question to the knowledge checks."""
    return " ".join(fold(question).split())


def _fact_entries(draft: Draft) -> list[dict[str, object]]:
    used_ids: set[str] = set()
    used_questions: set[str] = set()
    facts = []
    lead = _lead(draft)
    for claim in draft.claims:
        questions = []
        for question in [*(SUMMARY_QUESTIONS if claim is lead else ()), *_phrasings(claim)]:
            key = _question_key(question)
            if key not in used_questions:  # a phrasing may belong to one fact only
                used_questions.add(key)
                questions.append(question)
        if not questions:
            continue
        # Every word of the claim counts in full (the claim is all the fact is about), with its other forms.
        keywords = sorted({form for word in claim.words for form in _word_forms(word)}
                          | {word for kind in claim.kinds for word in ANSWER_KINDS[kind].words}
                          | set(draft.subjects))
        facts.append({
            "id": _slug(claim, used_ids),
            "topic": _topic(claim),
            "answer": claim.quote,
            "quotes": [claim.quote],
            "questions": questions,
            "keywords": keywords,
            "entities": list(dict.fromkeys([*claim.names, *claim.people])),
            "drafted": True,
        })
    return facts


# Words any article's readers use for one another, whatever it is about: "which party" asks what "what party" does.
DRAFTED_SYNONYMS: dict[str, list[str]] = {
    "what": ["which"],
    # Abbreviations chat uses for words news articles spell out.
    "year": ["yr", "yrs"], "percent": ["pct", "per cent"], "government": ["govt", "gov"], "university": ["uni"],
    "department": ["dept"], "hours": ["hrs", "hr"], "quarter": ["qtr"], "week": ["wk"], "approximately": ["approx"],
    "chief executive officer": ["ceo", "chief executive"], "chief financial officer": ["cfo", "finance chief"],
    "chief operating officer": ["coo"], "chief technology officer": ["cto"], "headquarters": ["hq", "head office"],
}


def _name_synonyms(draft: Draft) -> dict[str, list[str]]:
    """Each name of several words read as one word, with its shorter forms as variants: a question
    naming the Hobby-Eberly Telescope names one thing, not three rare words that outweigh what it asks
    about it. Shorter forms: a person's surname, a name less its kind ("United Future" for United
    Future Party), and a word of it no other name has that is no common word ("Eberly")."""
    people = {person for claim in draft.claims for person in claim.people}
    names = list(dict.fromkeys(
        name for claim in draft.claims for name in claim.names if len(name.split()) > 1 and not _DATE_WORDS.search(name)
    ))
    text = " ".join(claim.quote for claim in draft.claims)
    variants = {name: _shorter_forms(name, is_person=name in people) + _acronyms_of(name, text) for name in names}
    claimed: dict[str, int] = {}
    for forms in variants.values():
        for form in forms:
            claimed[fold(form)] = claimed.get(fold(form), 0) + 1
    # A shorter form two names share stands for neither; a name that is another's shorter form is read as that one.
    unique = {name: [form for form in forms if claimed[fold(form)] == 1] for name, forms in variants.items()}
    shorter = {fold(form) for forms in unique.values() for form in forms}
    return {fold(name): forms for name, forms in unique.items() if fold(name) not in shorter}


def _acronyms_of(name: str, text: str) -> list[str]:
    """The short forms the article gives a name in brackets: "Independent National Electoral Commission (CENI)"."""
    return re.findall(rf"{re.escape(name)}\s+\(([A-Z][A-Za-z]{{1,7}})\)", text)


def _merged(*tables: dict[str, list[str]]) -> dict[str, list[str]]:
    """Synonym tables as one: a word in several keeps the variants of each ("chief financial officer":
    CFO, and Chief Financial for the name the article gives)."""
    merged: dict[str, list[str]] = {}
    for table in tables:
        for word, variants in table.items():
            merged[word] = list(dict.fromkeys([*merged.get(word, []), *variants]))
    return merged


def _shorter_forms(name: str, *, is_person: bool) -> list[str]:
    words = name.replace("-", " ").split()
    forms = [" ".join(words)]
    if is_person:
        forms.append(words[-1])
    else:
        # The common noun ending it says what kind of thing it is: "United Future Party" -> United Future.
        if len(words) > 2 and fold(words[-1]) in _NOT_A_PERSON:
            forms.append(" ".join(words[:-1]))
        forms += [word for word in words if not _is_common_word(word) and len(word) > 2]
    return [form for form in dict.fromkeys(forms) if fold(form) != fold(name)]


@dataclass(frozen=True)
class DraftSummary:
    directory: Path
    facts: int
    questions: int
    unknowns: int


class DraftError(Exception):
    """The article can't be drafted: missing, not text, empty, or the folder already exists."""


def write_draft(article_file: Path, directory: Path, *, source: str | None = None, url: str | None = None) -> DraftSummary:
    """Create ``directory`` with the article copied byte for byte, article.yaml and a draft fact base."""
    try:
        raw = article_file.read_bytes()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DraftError(f"cannot read {article_file} as UTF-8 text: {error}") from error
    if directory.exists():
        raise DraftError(f"{directory} already exists; choose another --id or remove it")
    draft = read_claims(text)
    facts = _fact_entries(draft)
    if not facts:
        raise DraftError(f"{article_file} has no sentences to draft facts from")
    fact_questions = {_question_key(question) for fact in facts for question in fact["questions"]}
    unknowns = _unknowns(draft, fact_questions)
    meta: dict[str, str] = {"file": "article.txt", "title": draft.title or article_file.stem, "language": "en"}
    if source:
        meta["source"] = source
    if url:
        meta["url"] = url
    directory.mkdir(parents=True)
    (directory / "article.txt").write_bytes(raw)
    _write_yaml(directory / "article.yaml", meta)
    header = "# Drafted by `factbot new`: review each entry, then remove its `drafted: true`.\n"
    _write_yaml(directory / "facts.yaml", {"facts": facts}, header)
    _write_yaml(directory / "out_of_scope.yaml", {"out_of_scope": unknowns}, header)
    _write_yaml(directory / "synonyms.yaml", {"synonyms": _merged(DRAFTED_SYNONYMS, _name_synonyms(draft))}, header)
    return DraftSummary(directory, len(facts), sum(len(fact["questions"]) for fact in facts), len(unknowns))


def _write_yaml(path: Path, document: object, header: str = "") -> None:
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=120)
    path.write_text(header + text, encoding="utf-8")
