"""Pydantic models: the schema of the files in the knowledge folder.

Each model matches one YAML document; the loader (``bot.knowledge``) adds the checks
that need more than one file at a time (quotes against the article, duplicate ids).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

FactId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_]*$", max_length=64)]
# An article's id names its folder in KNOWLEDGE_DIR, so it is also a safe folder name.
ARTICLE_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
ArticleId = Annotated[str, StringConstraints(pattern=ARTICLE_ID_PATTERN)]
NonBlank = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class ArticleMeta(Schema):
    """``article.yaml``: which text the facts are about and how to credit it."""

    # Only read when KNOWLEDGE_DIR is itself one article; in a folder of articles the sub-folder names it.
    id: ArticleId | None = None
    file: NonBlank = "article.txt"
    title: NonBlank
    source: NonBlank | None = None
    url: NonBlank | None = None
    language: NonBlank = "en"


class FactSpec(Schema):
    """One entry of ``facts.yaml``'s ``facts`` list: one thing the article says, and how people ask about it."""

    id: FactId
    topic: NonBlank
    answer: NonBlank
    quotes: list[NonBlank] = Field(min_length=1)
    questions: list[NonBlank] = Field(min_length=1)
    keywords: list[NonBlank] = []
    entities: list[NonBlank] = []
    # Written by `factbot new`, not yet reviewed by a moderator.
    drafted: bool = False

    @field_validator("answer")
    @classmethod
    def answer_is_a_sentence(cls, value: str) -> str:
        if len(value) > 1000:
            raise ValueError("answer is longer than 1000 characters; keep it a short sentence")
        return value


class OutOfScopeSpec(Schema):
    """One entry of ``out_of_scope.yaml``'s ``out_of_scope`` list: a question the article does not answer."""

    id: FactId
    topic: NonBlank
    reply: NonBlank
    questions: list[NonBlank] = Field(min_length=1)
    drafted: bool = False


class SynonymsFile(Schema):
    """Canonical word -> the other ways people write it ("5k" -> "5000 m")."""

    synonyms: dict[NonBlank, list[NonBlank]] = {}


class ContrastsFile(Schema):
    """Classes of words that exclude each other (gold / silver / bronze): what yes/no questions are checked on."""

    contrasts: dict[NonBlank, list[NonBlank]] = {}


class LanguageSpec(Schema):
    """How people ask in one other language: its words mapped onto the English ones the facts use."""

    name: NonBlank
    # English word or phrase -> the ways this language says it.
    words: dict[NonBlank, list[NonBlank]] = {}
    # Function words with no English counterpart worth keeping ("er", "og", "på").
    filler: list[NonBlank] = []
    # How this language answers a yes/no question ("Ja", "Nei"): the bot's own word, before the fact.
    verdicts: dict[Literal["yes", "no"], NonBlank] = {}

    @field_validator("verdicts", mode="before")
    @classmethod
    def yes_and_no_as_written(cls, value: object) -> object:
        """YAML reads an unquoted `yes:` or `no:` key as true or false: take it as the word written."""
        if isinstance(value, dict):
            return {{True: "yes", False: "no"}.get(key, key) if isinstance(key, bool) else key: word
                    for key, word in value.items()}
        return value


class TranslationsFile(Schema):
    """Questions in other languages are read into English; answers and quotes stay in the article's language."""

    languages: dict[Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")], LanguageSpec] = {}


class LearnedQuestionsFile(Schema):
    """Extra phrasings taught by moderators, kept apart from the hand-written facts."""

    learned: dict[FactId, list[NonBlank]] = {}
