"""Several articles behind one bot: where they are in KNOWLEDGE_DIR, and which one answers.

``KNOWLEDGE_DIR`` is either one article (it holds ``article.yaml`` or ``article.txt`` itself, as
existing deployments do) or a folder of articles, one sub-folder each, named by the article's id.
``Library.ask`` is the one place the answering article is chosen; the CLI, ``/ask``, mentions,
DMs and autocomplete all go through it. Plain synchronous Python: it knows nothing of Discord.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from bot.answers import FactBot, Reply
from bot.database import LONE_ARTICLE, LearnedPhrasings
from bot.knowledge import ARTICLE_META_FILE, Knowledge, KnowledgeError, Problem, load_knowledge
from bot.matcher import Outcome
from bot.settings import MatchSettings

ARTICLE_TEXT_FILE = "article.txt"
NO_ARTICLE = "holds no article: no article.yaml in it or in any sub-folder"


def holds_one_article(folder: Path) -> bool:
    return (folder / ARTICLE_META_FILE).is_file() or (folder / ARTICLE_TEXT_FILE).is_file()


def learned_key(one_folder: bool, article: str) -> str:
    """Which learned phrasings in the store are an article's: its own id's, or, when KNOWLEDGE_DIR
    is itself the one article, those it had before there could be several."""
    return LONE_ARTICLE if one_folder else article


def _declared_id(folder: Path) -> str:
    """A lone article's id: ``id`` in its article.yaml, else the folder's name. Read leniently:
    a broken article.yaml is reported by the loader, under the folder's name meanwhile."""
    try:
        meta = yaml.safe_load((folder / ARTICLE_META_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return folder.name
    declared = meta.get("id") if isinstance(meta, dict) else None
    return declared if isinstance(declared, str) and declared else folder.name


def find_articles(directory: Path) -> dict[str, Path]:
    """Article id -> its folder, in id order. Sub-folders that hold no article (notes, drafts
    in progress, hidden folders) are not articles."""
    if holds_one_article(directory):
        return {_declared_id(directory): directory}
    if not directory.is_dir():
        return {}
    folders = sorted(child for child in directory.iterdir()
                     if child.is_dir() and not child.name.startswith(".") and holds_one_article(child))
    return {folder.name: folder for folder in folders}


def load_article(article: str, folder: Path, learned: LearnedPhrasings | None, *, named_by_folder: bool) -> Knowledge:
    """``load_knowledge`` for one article of a library; in a folder of articles, the folder names
    the article, so an ``id`` in article.yaml that says otherwise (a copy not yet renamed) is a
    problem. Raises ``KnowledgeError``."""
    knowledge = load_knowledge(folder, learned_phrasings=learned)
    declared = knowledge.meta.id
    if named_by_folder and declared is not None and declared != article:
        raise KnowledgeError([Problem(ARTICLE_META_FILE, f"id is {declared!r} but the folder is {article!r}: make them the same",
                                      field="id")])
    return knowledge


class UnknownArticle(LookupError):
    """An article id that is not loaded; the message lists the ones that are."""


@dataclass(frozen=True)
class Answer:
    """A reply and the article it comes from (None when the bot asks which article is meant)."""

    reply: Reply
    article_id: str | None
    # Several articles are loaded, so the reply says which one answered.
    named: bool = False

    def to_json(self) -> dict[str, Any]:
        """``factbot ask --json``'s object; ``article`` is added only when several articles are loaded."""
        data = self.reply.to_json()
        if self.named:
            data["article"] = self.article_id
        return data


class Library:
    """The articles serving now, and those whose last load failed. Immutable: a reload builds a new one."""

    def __init__(self, articles: Mapping[str, FactBot], problems: Mapping[str, tuple[Problem, ...]],
                 settings: MatchSettings, *, one_folder: bool = False) -> None:
        self.articles = MappingProxyType(dict(sorted(articles.items())))
        # Articles whose files are invalid now: absent from ``articles``, or serving their previous version.
        self.problems = MappingProxyType(dict(problems))
        self.settings = settings
        # KNOWLEDGE_DIR is itself the one article (the layout before several articles were possible).
        self.one_folder = one_folder

    @property
    def several(self) -> bool:
        return len(self.articles) > 1

    def article(self, article_id: str) -> FactBot:
        try:
            return self.articles[article_id]
        except KeyError:
            raise UnknownArticle(f"there is no article {article_id!r}; the articles are: {', '.join(self.articles)}") from None

    def chosen(self, article_id: str | None = None, channel_default: str | None = None) -> str | None:
        """The article a question is for without reading it: the one named, else the channel's
        default (if it is still loaded), else the only one; None when the question must decide.
        Raises ``UnknownArticle`` for a named article that is not loaded."""
        if article_id is not None:
            self.article(article_id)
            return article_id
        if channel_default in self.articles:
            return channel_default
        if len(self.articles) == 1:
            return next(iter(self.articles))
        return None

    def ask(self, question: str, article_id: str | None = None, channel_default: str | None = None) -> Answer:
        """Answer from the chosen article or, when none is, from the one whose best match clearly
        leads every other's; otherwise ask which article is meant."""
        chosen = self.chosen(article_id, channel_default)
        if chosen is not None:
            return Answer(self.articles[chosen].ask(question), chosen, self.several)
        # The matcher's own score, whatever the outcome: a known unknown matched at 100 ("the article
        # doesn't name his coach") is a stronger match than another article's weak answer.
        replies = sorted(((bot.ask(question), article) for article, bot in self.articles.items()),
                         key=lambda ranked: ranked[0].score, reverse=True)
        (best, article), (runner_up, _) = replies[0], replies[1]
        if best.score >= runner_up.score + self.settings.article_margin:
            return Answer(best, article, named=True)
        return Answer(self.which_article(question), None, named=True)

    def which_article(self, question: str) -> Reply:
        listed = "\n".join(f"- {article}: {bot.knowledge.meta.title}" for article, bot in self.articles.items())
        text = f"Which article do you mean? Ask about one of these more specifically, or name it:\n{listed}"
        return Reply(question, Outcome.AMBIGUOUS, text)

    def suggest_questions(self, typed: str, limit: int, article_id: str | None = None,
                          channel_default: str | None = None) -> list[str]:
        """Autocomplete: from the chosen article, else the best of every article's suggestions in turn."""
        chosen = self.chosen(article_id, channel_default)
        if chosen is not None:
            return self.articles[chosen].suggest_questions(typed, limit)
        per_article = [bot.suggest_questions(typed, limit) for bot in self.articles.values()]
        interleaved = [question for rank in zip_longest(*per_article) for question in rank if question is not None]
        return list(dict.fromkeys(interleaved))[:limit]

