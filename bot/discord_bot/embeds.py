"""How replies look in Discord. User text is escaped; nothing here can ping anyone."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.answers import Reply
from bot.database import Stats, UnansweredGroup
from bot.knowledge import ArticleMeta, Knowledge
from bot.matcher import Outcome
from bot.normalize import strip_invisible

ANSWER_COLOUR = discord.Colour.green()
AMBIGUOUS_COLOUR = discord.Colour.gold()
NOT_FOUND_COLOUR = discord.Colour.light_grey()
MODERATION_COLOUR = discord.Colour.blurple()

# Discord's limits.
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
EMBED_FIELD_LIMIT = 1024
MESSAGE_LIMIT = 2000
BUTTON_LABEL_LIMIT = 80
AUTOCOMPLETE_CHOICES = 25
CHOICE_LIMIT = 100
EMBEDS_PER_MESSAGE = 10


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escape_user_text(text: str, limit: int = EMBED_TITLE_LIMIT) -> str:
    """Text that may carry user words made inert, line by line: no markdown (masked links,
    headings, spoilers, code), no mentions, no invisible tricks, bounded length. Every echo of a
    user's words goes through here (titles, lists, and replies that quote a part of a question)."""
    lines = (" ".join(strip_invisible(line).split()) for line in text.splitlines())
    escaped = "\n".join(discord.utils.escape_mentions(discord.utils.escape_markdown(line)) for line in lines if line)
    return shorten(escaped, limit)


def block_quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def credit_line(meta: ArticleMeta) -> str:
    return f"{meta.title} ({meta.source})" if meta.source else meta.title


def reply_embed(reply: Reply, knowledge: Knowledge | None, *, named: bool = False) -> discord.Embed:
    """``knowledge`` is the answering article's (None when the bot asks which article is meant);
    ``named``: several articles are loaded, so the embed says which one answered."""
    embed = _reply_embed(reply, knowledge)
    if named and knowledge is not None:
        embed.set_author(name=shorten(f"From “{knowledge.meta.title}”", EMBED_TITLE_LIMIT))
    return embed


def _reply_embed(reply: Reply, knowledge: Knowledge | None) -> discord.Embed:
    title = escape_user_text(" ".join(reply.question.split())) if reply.question.strip() else None
    if knowledge is None:  # which article? (titles come from article.yaml, not from users)
        return discord.Embed(title=title, colour=AMBIGUOUS_COLOUR, description=shorten(reply.text, EMBED_DESCRIPTION_LIMIT))
    if reply.outcome is Outcome.ANSWERED and reply.fact is not None:
        quotes = "\n\n".join(block_quote(quote.text) for quote in reply.quotes)
        # The text may quote part of the question back ("'how old is he': the article doesn't say").
        text = escape_user_text(reply.text, EMBED_DESCRIPTION_LIMIT)
        embed = discord.Embed(title=title, colour=ANSWER_COLOUR, description=shorten(
            f"{text}\n\n**From the article:**\n{quotes}", EMBED_DESCRIPTION_LIMIT))
        embed.set_footer(text=f"fact {reply.fact.id} · confidence {reply.score:.0f}/100 · {credit_line(knowledge.meta)}")
        return embed
    if reply.outcome is Outcome.AMBIGUOUS:
        embed = discord.Embed(title=title, colour=AMBIGUOUS_COLOUR, description="Did you mean…")
        for index, alternative in enumerate(reply.alternatives, start=1):
            embed.add_field(name=f"{index}. {alternative.topic}", value=alternative.question, inline=False)
        embed.set_footer(text="Pick one below.")
        return embed
    embed = discord.Embed(title=title, colour=NOT_FOUND_COLOUR, description=reply.headline)
    if reply.alternatives:
        suggestions = "\n".join(f"• {a.question}" for a in reply.alternatives)
        embed.add_field(name="The article does cover, for example", value=shorten(suggestions, EMBED_FIELD_LIMIT))
    embed.set_footer(text=credit_line(knowledge.meta))
    return embed


def topics_pages(articles: Sequence[Knowledge], topics_per_page: int) -> list[discord.Embed]:
    """Each article's topics, in pages that never mix two articles."""
    pages = []
    for knowledge in articles:
        grouped = list(knowledge.topics().items())
        for start in range(0, len(grouped), topics_per_page):
            embed = discord.Embed(title="What I can answer", colour=MODERATION_COLOUR,
                                  description=f"Questions about “{knowledge.meta.title}”. Ask with `/ask`.")
            for topic, facts in grouped[start : start + topics_per_page]:
                embed.add_field(name=topic, value=shorten("\n".join(f"• {f.questions[0]}" for f in facts), EMBED_FIELD_LIMIT), inline=False)
            pages.append(embed)
    for number, page in enumerate(pages, start=1):
        page.set_footer(text=f"Page {number} of {len(pages)}")
    return pages


def source_embed(knowledge: Knowledge) -> discord.Embed:
    meta = knowledge.meta
    embed = discord.Embed(title=meta.title, url=meta.url, colour=MODERATION_COLOUR)
    embed.add_field(name="Source", value=meta.source or "Not named in the article text", inline=True)
    embed.add_field(name="Language", value=meta.language, inline=True)
    embed.add_field(
        name="How answers are cited",
        value=(
            "Every answer comes with the sentence(s) of the article that back it, quoted word for word. "
            f"All {knowledge.quote_count} quotes are checked against the article text whenever the facts load. "
            "If the article doesn't say, I say so instead of guessing."
        ),
        inline=False,
    )
    embed.set_footer(text=f"{len(knowledge.facts)} facts · {knowledge.question_count} known phrasings")
    return embed


def unanswered_pages(groups: list[UnansweredGroup], days: int, rows_per_page: int) -> list[discord.Embed]:
    if not groups:
        return [discord.Embed(title="Unanswered questions", colour=MODERATION_COLOUR,
                              description=f"Nothing unanswered, ambiguous or voted down in the last {days} days.")]
    pages = []
    for start in range(0, len(groups), rows_per_page):
        rows = [
            f"**{group.count}×** {escape_user_text(' '.join(group.question.split()), 200)} · {', '.join(group.outcomes)}"
            for group in groups[start : start + rows_per_page]
        ]
        pages.append(discord.Embed(title=f"Unanswered questions, last {days} days", colour=MODERATION_COLOUR,
                                   description=shorten("\n".join(rows), EMBED_DESCRIPTION_LIMIT)))
    for number, page in enumerate(pages, start=1):
        page.set_footer(text=f"Page {number} of {len(pages)} · teach one with /teach")
    return pages


def stats_embed(stats: Stats) -> discord.Embed:
    embed = discord.Embed(title=f"Questions in the last {stats.days} days: {stats.total}", colour=MODERATION_COLOUR)
    rates = "\n".join(
        f"{label}: {stats.by_outcome.get(outcome.value, 0)} ({stats.rate(outcome.value):.0%})"
        for label, outcome in (("Answered", Outcome.ANSWERED), ("Ambiguous", Outcome.AMBIGUOUS), ("Not in the article", Outcome.NOT_FOUND))
    )
    embed.add_field(name="Outcomes", value=rates, inline=False)
    if stats.facts:
        top = "\n".join(f"`{f.fact_id}` {f.answers} answers · 👍 {f.up} · 👎 {f.down}" for f in stats.facts[:10])
        embed.add_field(name="Top facts", value=shorten(top, EMBED_FIELD_LIMIT), inline=False)
    return embed
