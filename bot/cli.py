"""The ``factbot`` command: ask, chat, check, articles, new, eval, facts, unanswered, teach, learned, stats, health and run."""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TextIO, TypeVar

from pydantic import ValidationError

from bot.answers import FactBot, Reply
from bot.database import (
    Database,
    DatabaseError,
    LearnedPhrasings,
    Source,
    Stats,
    open_database,
    open_database_for,
    sqlite_url,
)
from bot.knowledge import Knowledge, KnowledgeError, load_knowledge
from bot.knowledge_cache import knowledge_cache_for
from bot.library import (
    NO_ARTICLE,
    Answer,
    Library,
    UnknownArticle,
    find_articles,
    holds_one_article,
    learned_key,
    load_article,
)
from bot.matcher import Outcome
from bot.models import ARTICLE_ID_PATTERN
from bot.settings import Settings, describe_settings_error
from bot.store import KnowledgeStore, load_library

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
T = TypeVar("T")
CHAT_QUIT_WORDS = {"quit", "exit", "bye", ":q"}
ARTICLE_HELP = "the article to answer from (default: the only one, or the one that clearly matches)"
ONE_ARTICLE_HELP = "the article (needed when KNOWLEDGE_DIR holds several)"


class CommandError(Exception):
    """A failure to report in one line, with an exit status."""

    def __init__(self, message: str, status: int = EXIT_INVALID) -> None:
        super().__init__(message)
        self.status = status


# `--env-file`, for a service whose working folder is not where its configuration lives.
_env_file: Path | None = None


def _settings() -> Settings:
    if _env_file is not None and not _env_file.is_file():
        raise CommandError(f"--env-file {_env_file}: no such file", EXIT_USAGE)
    try:
        return Settings(_env_file=_env_file or ".env")
    except ValidationError as error:
        raise CommandError(f"invalid settings (environment or .env):\n{describe_settings_error(error)}", EXIT_USAGE) from error


def _open_database(settings: Settings) -> Database:
    try:
        return open_database_for(settings)
    except DatabaseError as error:
        raise CommandError(f"cannot open the database: {error}") from error


def _load_library(settings: Settings) -> Library:
    """Answering matters more than the database: when it cannot be opened, the folder's facts
    alone answer, and stderr says so."""
    try:
        database: Database | None = _open_database(settings)
    except CommandError as error:
        print(f"factbot: {error}; answering without the learned phrasings.", file=sys.stderr)
        database = None
    return _library_from(settings, database)


def _library_from(settings: Settings, database: Database | None) -> Library:
    """The articles with the database's learned phrasings; without a database, the folders alone.
    An invalid article is reported on stderr and left out; with none valid, the command fails."""
    try:
        if database is not None:
            library = KnowledgeStore(settings.knowledge_dir, settings, database, knowledge_cache_for(settings)).library
        else:
            library, loaded = load_library(settings.knowledge_dir, settings, {}, cache=knowledge_cache_for(settings))
            if not library.articles:
                raise KnowledgeError(loaded.problems(one_folder=library.one_folder))
    except KnowledgeError as error:
        raise CommandError(str(error)) from error
    for article, problems in library.problems.items():
        print(f"factbot: article {article} is left out, its files are invalid (`factbot check` lists the "
              f"{len(problems)} problem(s))", file=sys.stderr)
    return library


def _one_article(library: Library, article: str | None) -> tuple[str, FactBot]:
    """The article a command about one article works on: the one named, or the only one."""
    chosen = _chosen(library, article)
    if chosen is None:
        raise CommandError(f"there are {len(library.articles)} articles; name one with --article "
                           f"({', '.join(library.articles)})", EXIT_USAGE)
    return chosen, library.articles[chosen]


def _chosen(library: Library, article: str | None) -> str | None:
    try:
        return library.chosen(article)
    except UnknownArticle as error:
        raise CommandError(str(error), EXIT_USAGE) from error


def format_reply(reply: Reply, article: str | None = None) -> str:
    """A reply as plain text for a terminal; ``article`` names its article when there are several."""
    lines = [reply.text]
    if reply.quotes:
        lines.append("")
        lines.append("From the article:")
        lines.extend(f"  “{quote.text}”" for quote in reply.quotes)
    origin = f"article: {article} · " if article else ""
    if reply.outcome is Outcome.ANSWERED and reply.fact:
        lines.append(f"[{origin}fact: {reply.fact.id} · confidence {reply.score:.0f}/100]")
    elif reply.outcome is Outcome.AMBIGUOUS and reply.alternatives:
        lines.append(f"[{origin}ambiguous: {', '.join(a.fact_id for a in reply.alternatives)}]")
    return "\n".join(lines)


def format_answer(answer: Answer) -> str:
    return format_reply(answer.reply, answer.article_id if answer.named else None)


def _questions_from(arguments: Sequence[str], stdin: TextIO) -> Iterable[str]:
    """The questions to answer: the arguments, or one per line of standard input. Input is read as
    UTF-8 whatever the locale; a byte that is not valid UTF-8 becomes U+FFFD rather than an error."""
    if arguments:
        return arguments
    lines = io.TextIOWrapper(stdin.buffer, encoding="utf-8", errors="replace") if hasattr(stdin, "buffer") else stdin
    return (line.rstrip("\r\n") for line in lines)


def _print_utf8(text: str) -> None:
    """One line of output as UTF-8 whatever the locale (JSON consumers expect it)."""
    data = (text + "\n").encode("utf-8", "replace")
    if hasattr(sys.stdout, "buffer"):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        print(text, flush=True)


def command_ask(args: argparse.Namespace) -> int:
    library = _load_library(_settings())
    _chosen(library, args.article)
    if args.json:
        for question in _questions_from(args.question, sys.stdin):
            _print_utf8(json.dumps(library.ask(question, args.article).to_json(), ensure_ascii=False))
        return EXIT_OK
    if not args.question:
        raise CommandError('ask needs a question, e.g. factbot ask "who won silver?"', EXIT_USAGE)
    print(format_answer(library.ask(" ".join(args.question), args.article)))
    return EXIT_OK


def command_chat(args: argparse.Namespace) -> int:
    settings = _settings()
    try:
        database: Database | None = _open_database(settings)
    except CommandError as error:  # chatting matters more than logging the chat
        print(f"factbot: {error}; questions will not be logged.", file=sys.stderr)
        database = None
    library = _library_from(settings, database)
    chosen = _chosen(library, args.article)
    unlogged = 0
    if chosen is not None:
        about = f"“{library.articles[chosen].knowledge.meta.title}”"
    else:
        about = f"{len(library.articles)} articles ({', '.join(library.articles)})"
    print(f"factbot: ask me about {about}. Type 'topics' for what I know, 'quit' to leave.")
    while True:
        try:
            question = input("you> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return EXIT_OK
        if question.strip().casefold() in CHAT_QUIT_WORDS:
            return EXIT_OK
        if question.strip().casefold() == "topics":
            print("\n".join(format_topics(library.articles[article].knowledge, named=library.several)
                            for article in ([chosen] if chosen else library.articles)))
            continue
        answer = library.ask(question, chosen)
        reply = answer.reply
        print(format_answer(answer), end="\n\n")
        if database is not None and question.strip():
            try:
                database.record(reply.question, reply.outcome.value, reply.fact_id, reply.score, Source.CLI,
                                article_id=answer.article_id)
            except DatabaseError as error:
                unlogged += 1
                print(f"factbot: could not log that question ({unlogged} not logged): {error}", file=sys.stderr)


def format_topics(knowledge: Knowledge, *, named: bool = False) -> str:
    lines = [f"{knowledge.meta.title}:"] if named else []
    for topic, facts in knowledge.topics().items():
        lines.append(f"{topic}:")
        lines.extend(f"  - {fact.questions[0]}" for fact in facts)
    return "\n".join(lines)


def _learned_from_database(settings: Settings) -> dict[str, LearnedPhrasings] | None:
    """Every article's learned phrasings to check the folder with; None (the folders' own files)
    when the database cannot be read, as stderr says."""
    try:
        return _open_database(settings).learned_phrasings_by_article()
    except (CommandError, DatabaseError) as error:
        print(f"factbot: {error}; checking the folder without the learned phrasings.", file=sys.stderr)
        return None


def command_check(args: argparse.Namespace) -> int:
    """Every article in the folder, each on its own. A folder named on the command line is checked
    alone (with its learned_questions.yaml, if any); the configured one together with the learned
    phrasings in the database."""
    learned_by_article: dict[str, LearnedPhrasings] | None = None
    if args.directory:
        directory = Path(args.directory)
    else:
        settings = _settings()
        directory = settings.knowledge_dir
        learned_by_article = _learned_from_database(settings)
    articles = find_articles(directory)
    if not articles:
        print(f"factbot: {directory} {NO_ARTICLE}", file=sys.stderr)
        return EXIT_INVALID
    invalid = 0
    for article, folder in articles.items():
        learned, with_learned = None, ""
        if learned_by_article is not None:
            learned = learned_by_article.get(learned_key(holds_one_article(directory), article), {})
            with_learned = f" with {sum(map(len, learned.values()))} learned phrasing(s) from the database"
        try:
            knowledge = load_article(article, folder, learned, named_by_folder=not holds_one_article(directory))
        except KnowledgeError as error:
            invalid += 1
            print(error if len(articles) == 1 else f"{folder}: {error}", file=sys.stderr)
            continue
        print(
            f"{folder}{with_learned}: OK: {len(knowledge.facts)} facts, {knowledge.question_count} questions, "
            f"{knowledge.quote_count} quotes (all verbatim in {knowledge.meta.file}), "
            f"{len(knowledge.out_of_scope)} out-of-scope entries"
            + (f"; {knowledge.drafted_count} drafted entries not reviewed yet" if knowledge.drafted_count else "")
        )
    if invalid and len(articles) > 1:
        print(f"factbot: {invalid} of {len(articles)} articles are invalid", file=sys.stderr)
    return EXIT_INVALID if invalid else EXIT_OK


def command_articles(args: argparse.Namespace) -> int:
    """Every article in KNOWLEDGE_DIR: id, facts, entries drafted and not reviewed, whether it serves, title."""
    settings = _settings()
    library, _ = load_library(settings.knowledge_dir, settings, _learned_from_database(settings) or {},
                              cache=knowledge_cache_for(settings))
    ids = sorted({*library.articles, *library.problems})
    if not ids:
        raise CommandError(f"{settings.knowledge_dir} {NO_ARTICLE}")
    rows = [("id", "facts", "drafted", "status", "title")]
    for article in ids:
        bot = library.articles.get(article)
        problems = library.problems.get(article, ())
        status = f"invalid ({len(problems)} problem(s); `factbot check`)" if problems else "ok"
        if bot is None:
            rows.append((article, "-", "-", status, "-"))
        else:
            knowledge = bot.knowledge
            rows.append((article, str(len(knowledge.facts)), str(knowledge.drafted_count), status, knowledge.meta.title))
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True)) + "  " + row[4])
    return EXIT_OK


_ARTICLE_ID = re.compile(ARTICLE_ID_PATTERN)


def _article_id(text: str) -> str:
    if not _ARTICLE_ID.match(text):
        raise argparse.ArgumentTypeError("use lower-case letters, digits, - and _ (at most 64), e.g. paris-5000m")
    return text


def command_new(args: argparse.Namespace) -> int:
    # Commands import what only they use, so `factbot ask` (every other start) does not pay for it.
    from bot.drafting import DraftError, write_draft

    articles = Path(args.into) if args.into else _settings().knowledge_dir
    if holds_one_article(articles):
        raise CommandError(
            f"{articles} is itself one article, so a draft inside it would never be served. Make it a folder of "
            f"articles (move its files into {articles / 'ARTICLE_ID'}/), or draft elsewhere with --into FOLDER.",
            EXIT_USAGE,
        )
    directory = articles / args.id
    try:
        summary = write_draft(Path(args.article), directory, source=args.source, url=args.url)
    except DraftError as error:
        print(f"factbot: {error}", file=sys.stderr)
        return EXIT_INVALID
    try:
        load_knowledge(directory)
    except KnowledgeError as error:  # a draft that fails the checks is a bug here, never the user's
        print(f"factbot: the draft in {directory} does not pass its own checks:\n{error}", file=sys.stderr)
        return EXIT_INVALID
    print(
        f"Drafted {directory}: {summary.facts} facts, {summary.questions} questions, {summary.unknowns} known unknowns, "
        f"all marked drafted. Try it: factbot chat --article {args.id} (with KNOWLEDGE_DIR={articles}); "
        f"review facts.yaml, then `factbot check {directory}`."
    )
    return EXIT_OK


def command_eval(args: argparse.Namespace) -> int:
    from bot.evaluation import EvaluationFileError, evaluate, read_labelled_questions  # as command_new

    _, bot = _one_article(_load_library(_settings()), args.article)
    try:
        items = read_labelled_questions(Path(args.file), bot.knowledge.facts)
    except (OSError, EvaluationFileError) as error:
        raise CommandError(f"cannot use {args.file}:\n{error}") from error
    if not items:
        raise CommandError(f"{args.file} holds no questions, so it cannot show anything meets a bar")
    result = evaluate(bot, items)
    print(result.summary())
    if result.misses:
        print(f"\nmisses ({len(result.misses)}):")
    for miss in result.misses:
        reply = miss.reply
        got = reply.fact.id if reply.fact else reply.outcome.value
        print(f"  {miss.question!r}: expected {miss.expected or 'not_found'}, got {got} ({reply.score:.0f})")
    failed = [f"{name} {value:.1%} is below the bar of {bar:.1%}"
              for name, value, bar in (("in-scope accuracy", result.accuracy, args.min_accuracy),
                                       ("out-of-scope rejection", result.rejection, args.min_rejection))
              if value < bar]
    for failure in failed:
        print(f"factbot: {failure}", file=sys.stderr)
    return EXIT_INVALID if failed else EXIT_OK


def _share(text: str) -> float:
    """A bar given as a fraction (0.95) or a percentage (95 or 95%)."""
    value = float(text.rstrip("%"))
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1 (or 0 % and 100 %)")
    return value / 100 if value > 1 or text.endswith("%") else value


def command_unanswered(args: argparse.Namespace) -> int:
    settings = _settings()
    database = _open_database(settings)
    library = _library_from(settings, database)
    article = _chosen(library, args.article)
    # Grouping needs one article's words; with several and none named, any article's will do.
    same_question_key = library.articles[article or next(iter(library.articles))].matcher.same_question_key
    groups = _report(lambda: database.unanswered(args.days, same_question_key, args.article))
    if not groups:
        print(f"No unanswered, ambiguous or voted-down questions in the last {args.days} days.")
    for group in groups:
        print(f"{group.count:5d} × {group.question!r}  ({', '.join(group.outcomes)})")
    return EXIT_OK


def _report(read: Callable[[], T]) -> T:
    try:
        return read()
    except DatabaseError as error:
        raise CommandError(f"cannot read the database: {error}") from error


def _article_learning(settings: Settings, database: Database, article: str | None) -> tuple[str, Path, str]:
    """The article whose learned phrasings a command reads or changes: its id, its folder and
    where the store keeps its phrasings."""
    library = _library_from(settings, database)
    chosen, _ = _one_article(library, article)
    return chosen, find_articles(settings.knowledge_dir)[chosen], learned_key(library.one_folder, chosen)


def command_teach(args: argparse.Namespace) -> int:
    from bot.teaching import TeachStatus, teach  # as command_new: `factbot ask` starts without it

    settings = _settings()
    database = _open_database(settings)
    article, folder, stored_as = _article_learning(settings, database, args.article)
    result = teach(database, folder, args.question, args.fact_id, move=args.move, article=stored_as)
    print(result.describe())
    if result.status is TeachStatus.BELONGS_ELSEWHERE and not result.other_is_hand_written:
        print("Run again with --move to move it.")
    if result.status is not TeachStatus.TAUGHT:
        return EXIT_OK if result.status is TeachStatus.ALREADY_KNOWN else EXIT_INVALID
    print("The bot now answers:\n" + format_answer(_library_from(settings, database).ask(args.question, article)))
    print(f"Every factbot using {database.describe()} answers this way within 2 s.")
    return EXIT_OK


def command_learned_export(args: argparse.Namespace) -> int:
    from bot.teaching import render_learned, write_atomically  # as command_new

    settings = _settings()
    database = _open_database(settings)
    _, _, stored_as = _article_learning(settings, database, args.article)
    text = render_learned(_report(lambda: database.learned_phrasings(stored_as)))
    if args.file is None:
        _print_utf8(text.rstrip("\n"))
        return EXIT_OK
    try:
        write_atomically(Path(args.file), text)
    except OSError as error:
        raise CommandError(f"cannot write {args.file}: {error.strerror}") from error
    print(f"learned phrasings written to {args.file}")
    return EXIT_OK


def command_learned_import(args: argparse.Namespace) -> int:
    from bot.teaching import LearnedFileError, import_learned, read_learned_file  # as command_new

    settings = _settings()
    try:
        incoming = read_learned_file(Path(args.file))
    except LearnedFileError as error:
        raise CommandError(str(error)) from error
    database = _open_database(settings)
    _, folder, stored_as = _article_learning(settings, database, args.article)
    problems = _report(lambda: import_learned(database, folder, incoming, replace=args.replace, article=stored_as))
    if problems:
        print("Not imported; the knowledge folder would be invalid:", file=sys.stderr)
        print("\n".join(f"- {problem}" for problem in problems), file=sys.stderr)
        return EXIT_INVALID
    print(f"{sum(map(len, incoming.values()))} phrasing(s) {'now make up' if args.replace else 'merged into'} "
          "the learned phrasings; every running factbot picks them up within 2 s.")
    return EXIT_OK


def command_migrate_db(args: argparse.Namespace) -> int:
    """Copy the question log, votes and learned phrasings into a new, empty database."""
    settings = _settings()
    opened = []
    try:
        for url in (args.source or sqlite_url(settings.database_path), args.target):
            opened.append(open_database(url, retention_days=settings.retention_days, hash_user_ids=settings.hash_user_ids))
        source, target = opened
        copied = source.copy_to(target)
    except DatabaseError as error:
        raise CommandError(f"nothing migrated: {error}") from error
    finally:
        for database in opened:
            database.close()
    print(f"copied {copied.questions} questions, {copied.votes} votes and {copied.learned_phrasings} learned phrasings "
          f"from {source.describe()} to {target.describe()}. Set DATABASE_URL to the new database in every process.")
    return EXIT_OK


def command_stats(args: argparse.Namespace) -> int:
    database = _open_database(_settings())
    stats = _report(lambda: database.stats(args.days, args.article))
    print(format_stats(stats))
    if args.chart:
        from bot.charts import stats_chart_png

        try:
            Path(args.chart).write_bytes(stats_chart_png(stats))
        except OSError as error:
            raise CommandError(f"cannot write the chart to {args.chart}: {error.strerror}") from error
        print(f"chart written to {args.chart}")
    return EXIT_OK


def format_stats(stats: Stats) -> str:
    lines = [f"Last {stats.days} days: {stats.total} questions"]
    for outcome in (Outcome.ANSWERED, Outcome.AMBIGUOUS, Outcome.NOT_FOUND):
        lines.append(f"  {outcome.value:<10} {stats.by_outcome.get(outcome.value, 0):6d}  {stats.rate(outcome.value):6.1%}")
    if stats.facts:
        lines.append("Top facts (answers, 👍, 👎):")
        lines.extend(f"  {f.fact_id:<28} {f.answers:5d} {f.up:4d} {f.down:4d}" for f in stats.facts[:10])
    return "\n".join(lines)


def command_run(args: argparse.Namespace) -> int:
    from bot.discord_bot.runner import (
        run_bot,  # discord.py is only imported when it is needed
    )

    return run_bot(_settings(), watch=args.watch)


def command_facts(args: argparse.Namespace) -> int:
    """The fact ids, by topic: what `factbot teach` takes."""
    _, bot = _one_article(_load_library(_settings()), args.article)
    for topic, facts in bot.knowledge.topics().items():
        print(f"{topic}:")
        for fact in facts:
            print(f"  {fact.id:<28} {fact.questions[0]}")
    return EXIT_OK


def command_health(args: argparse.Namespace) -> int:
    """Exit 0 while a running bot keeps its health file fresh (connected, heartbeats acknowledged)."""
    settings = _settings()
    try:
        age = time.time() - settings.health_file.stat().st_mtime
    except OSError:
        print(f"unhealthy: {settings.health_file} does not exist (is `factbot run` running?)")
        return EXIT_INVALID
    if age > settings.health_max_age_seconds:
        print(f"unhealthy: no acknowledged heartbeat for {age:.0f} s ({settings.health_file})")
        return EXIT_INVALID
    print(f"healthy: heartbeat acknowledged {age:.0f} s ago")
    return EXIT_OK


def command_sync(args: argparse.Namespace) -> int:
    from bot.discord_bot.runner import sync_only  # discord.py is only imported when it is needed

    return sync_only(_settings(), clear_guilds=args.clear_guilds)


def command_default(args: argparse.Namespace) -> int:
    """`factbot` alone: the Discord bot when there is a token, otherwise a local chat."""
    if _settings().discord_token is not None:
        return command_run(argparse.Namespace(watch=False))
    if not sys.stdin.isatty():  # under a service manager there is no one to chat with
        raise CommandError(
            "no DISCORD_TOKEN is set and there is no terminal to chat in. Set DISCORD_TOKEN in the "
            "environment or in .env (see .env.example), or run `factbot chat` in a terminal.", EXIT_USAGE
        )
    print("factbot: no DISCORD_TOKEN set, so chatting here instead (see .env.example to run on Discord).", file=sys.stderr)
    return command_chat(argparse.Namespace(article=None))


class _PrintVersion(argparse.Action):
    """argparse's "version" action, the version looked up only when asked: reading the package's
    metadata (and importing the email parser to read it) is 5 ms of every `factbot ask`."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="show program's version number and exit")

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        from importlib.metadata import version

        print(f"factbot {version('factbot')}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factbot", description="Answers questions about one news article. With no command: "
        "runs the Discord bot if DISCORD_TOKEN is set, otherwise chats in this terminal.",
    )
    parser.add_argument("--version", action=_PrintVersion)
    parser.add_argument("--env-file", type=Path, metavar="PATH",
                        help="read settings from this file instead of .env in the current folder")
    parser.set_defaults(handler=command_default)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    ask = commands.add_parser("ask", help="answer a question (or, with --json, many)")
    ask.add_argument("question", nargs="*", help="the question; with --json and none given, read stdin lines")
    ask.add_argument("--json", action="store_true", help="one JSON object per question (see README)")
    ask.add_argument("--article", help=ARTICLE_HELP)
    ask.set_defaults(handler=command_ask)

    chat = commands.add_parser("chat", help="talk to the bot in this terminal")
    chat.add_argument("--article", help=ARTICLE_HELP)
    chat.set_defaults(handler=command_chat)

    articles = commands.add_parser("articles", help="list the articles in KNOWLEDGE_DIR and whether each is valid")
    articles.set_defaults(handler=command_articles)

    check = commands.add_parser("check", help="validate a knowledge folder (exit status 1 on errors)")
    check.add_argument("directory", nargs="?", help="folder to check (default: KNOWLEDGE_DIR)")
    check.set_defaults(handler=command_check)

    new = commands.add_parser("new", help="draft a fact base for a new article into KNOWLEDGE_DIR/ID (a folder of articles)")
    new.add_argument("article", help="the article as a UTF-8 text file (copied byte for byte)")
    new.add_argument("--id", required=True, type=_article_id, help="the article's id: lower-case letters, digits, - and _")
    new.add_argument("--source", help="who published it (written to article.yaml)")
    new.add_argument("--url", help="where it was published (written to article.yaml)")
    new.add_argument("--into", metavar="FOLDER", help="the folder of articles to draft into (default: KNOWLEDGE_DIR)")
    new.set_defaults(handler=command_new)
    evaluation = commands.add_parser("eval", help="score a labelled question set (JSONL)")
    evaluation.add_argument(
        "file", help='JSONL file, one {"q": ..., "fact": id or null} or blind {"q": ..., "expect_any": [...]} per line'
    )
    evaluation.add_argument("--min-accuracy", type=_share, default=0.0,
                            help="exit 1 below this in-scope accuracy (0.95, 95 or 95%%)")
    evaluation.add_argument("--min-rejection", type=_share, default=0.0,
                            help="exit 1 below this rejection rate (0.9, 90 or 90%%)")
    evaluation.add_argument("--article", help=ONE_ARTICLE_HELP)
    evaluation.set_defaults(handler=command_eval)

    facts = commands.add_parser("facts", help="list the fact ids (what `teach` takes), by topic")
    facts.add_argument("--article", help=ONE_ARTICLE_HELP)
    facts.set_defaults(handler=command_facts)

    unanswered = commands.add_parser("unanswered", help="questions the bot could not answer, grouped")
    unanswered.add_argument("--days", type=int, default=7)
    unanswered.add_argument("--article", help="only the questions this article answered or missed")
    unanswered.set_defaults(handler=command_unanswered)

    teaching = commands.add_parser("teach", help="add a question as a new phrasing of a fact")
    teaching.add_argument("question")
    teaching.add_argument("fact_id")
    teaching.add_argument("--move", action="store_true", help="move it from the fact it was taught to before")
    teaching.add_argument("--article", help=ONE_ARTICLE_HELP)
    teaching.set_defaults(handler=command_teach)

    learned = commands.add_parser("learned", help="the taught phrasings as a file: export to review, import back")
    learned_commands = learned.add_subparsers(dest="learned_command", metavar="ACTION", required=True)
    export = learned_commands.add_parser("export", help="write the learned phrasings as learned_questions.yaml")
    export.add_argument("file", nargs="?", help="where to write (default: standard output)")
    export.add_argument("--article", help=ONE_ARTICLE_HELP)
    export.set_defaults(handler=command_learned_export)
    importing = learned_commands.add_parser("import", help="add the phrasings of a learned_questions.yaml file")
    importing.add_argument("file")
    importing.add_argument("--replace", action="store_true", help="make the file the whole set (removes the others)")
    importing.add_argument("--article", help=ONE_ARTICLE_HELP)
    importing.set_defaults(handler=command_learned_import)

    stats = commands.add_parser("stats", help="questions asked, answer rates, top facts and votes")
    stats.add_argument("--days", type=int, default=30)
    stats.add_argument("--chart", help="also write a PNG chart to this file")
    stats.add_argument("--article", help="only the questions this article answered or missed")
    stats.set_defaults(handler=command_stats)

    migrate = commands.add_parser("migrate-db", help="copy the log, votes and learned phrasings into a new database")
    migrate.add_argument("--from", dest="source", metavar="URL",
                         help="the database to copy (default: sqlite:///DATABASE_PATH, the SQLite file)")
    migrate.add_argument("--to", dest="target", metavar="URL", required=True,
                         help="an empty database, e.g. postgresql://factbot:PASSWORD@db:5432/factbot")
    migrate.set_defaults(handler=command_migrate_db)

    sync = commands.add_parser("sync", help="register the slash commands with Discord now")
    sync.add_argument("--clear-guilds", action="store_true",
                      help="remove the copies registered to GUILD_IDS while testing (they show every command twice)")
    sync.set_defaults(handler=command_sync)

    health = commands.add_parser("health", help="exit 0 if a running bot is connected (for a supervisor)")
    health.set_defaults(handler=command_health)

    run = commands.add_parser("run", help="start the Discord bot (needs DISCORD_TOKEN)")
    run.add_argument("--watch", action="store_true", help="reload when a knowledge file changes")
    run.set_defaults(handler=command_run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    global _env_file
    args = build_parser().parse_args(argv)
    _env_file = args.env_file
    try:
        return args.handler(args)
    except CommandError as error:
        print(f"factbot: {error}", file=sys.stderr)
        return error.status
    except BrokenPipeError:  # output piped into `head` and closed early
        return EXIT_OK
