"""The ``factbot`` command: ask, chat, check, new, eval, facts, unanswered, teach, learned, stats, health and run."""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import TextIO, TypeVar

from pydantic import ValidationError

from bot.answers import FactBot, Reply
from bot.database import Database, DatabaseError, Source, Stats, open_database, open_database_for, sqlite_url
from bot.evaluation import EvaluationFileError, evaluate, read_labelled_questions
from bot.knowledge import KnowledgeError, load_knowledge
from bot.matcher import Outcome
from bot.settings import Settings, describe_settings_error
from bot.store import KnowledgeStore
from bot.teaching import (
    LearnedFileError,
    TeachStatus,
    import_learned,
    read_learned_file,
    render_learned,
    teach,
    write_atomically,
)

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
T = TypeVar("T")
CHAT_QUIT_WORDS = {"quit", "exit", "bye", ":q"}


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


def _load_bot(settings: Settings) -> FactBot:
    """Answering matters more than the database: when it cannot be opened, the folder's facts
    alone answer, and stderr says so."""
    try:
        database: Database | None = _open_database(settings)
    except CommandError as error:
        print(f"factbot: {error}; answering without the learned phrasings.", file=sys.stderr)
        database = None
    return _bot_from(settings, database)


def _bot_from(settings: Settings, database: Database | None) -> FactBot:
    """The knowledge folder with the database's learned phrasings; without a database, the folder alone."""
    try:
        if database is None:
            return FactBot(load_knowledge(settings.knowledge_dir, learned_phrasings={}), settings)
        return KnowledgeStore(settings.knowledge_dir, settings, database).current
    except KnowledgeError as error:
        raise CommandError(str(error)) from error


def format_reply(reply: Reply) -> str:
    """A reply as plain text for a terminal."""
    lines = [reply.text]
    if reply.quotes:
        lines.append("")
        lines.append("From the article:")
        lines.extend(f"  “{quote.text}”" for quote in reply.quotes)
    if reply.outcome is Outcome.ANSWERED and reply.fact:
        lines.append(f"[fact: {reply.fact.id} · confidence {reply.score:.0f}/100]")
    elif reply.outcome is Outcome.AMBIGUOUS:
        lines.append(f"[ambiguous: {', '.join(a.fact_id for a in reply.alternatives)}]")
    return "\n".join(lines)


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
    bot = _load_bot(_settings())
    if args.json:
        for question in _questions_from(args.question, sys.stdin):
            _print_utf8(json.dumps(bot.ask(question).to_json(), ensure_ascii=False))
        return EXIT_OK
    if not args.question:
        raise CommandError('ask needs a question, e.g. factbot ask "who won silver?"', EXIT_USAGE)
    print(format_reply(bot.ask(" ".join(args.question))))
    return EXIT_OK


def command_chat(args: argparse.Namespace) -> int:
    settings = _settings()
    try:
        database: Database | None = _open_database(settings)
    except CommandError as error:  # chatting matters more than logging the chat
        print(f"factbot: {error}; questions will not be logged.", file=sys.stderr)
        database = None
    bot = _bot_from(settings, database)
    unlogged = 0
    meta = bot.knowledge.meta
    print(f"factbot: ask me about “{meta.title}”. Type 'topics' for what I know, 'quit' to leave.")
    while True:
        try:
            question = input("you> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return EXIT_OK
        if question.strip().casefold() in CHAT_QUIT_WORDS:
            return EXIT_OK
        if question.strip().casefold() == "topics":
            print(format_topics(bot))
            continue
        reply = bot.ask(question)
        print(format_reply(reply), end="\n\n")
        if database is not None and question.strip():
            try:
                database.record(reply.question, reply.outcome.value, reply.fact_id, reply.score, Source.CLI)
            except DatabaseError as error:
                unlogged += 1
                print(f"factbot: could not log that question ({unlogged} not logged): {error}", file=sys.stderr)


def format_topics(bot: FactBot) -> str:
    lines = []
    for topic, facts in bot.knowledge.topics().items():
        lines.append(f"{topic}:")
        lines.extend(f"  - {fact.questions[0]}" for fact in facts)
    return "\n".join(lines)


def command_check(args: argparse.Namespace) -> int:
    """A folder named on the command line is checked alone (with its learned_questions.yaml, if
    any); the configured one together with the learned phrasings in the database."""
    learned, with_learned = None, ""
    if args.directory:
        directory = Path(args.directory)
    else:
        settings = _settings()
        directory = settings.knowledge_dir
        try:
            learned = _open_database(settings).learned_phrasings()
            with_learned = f" with {sum(map(len, learned.values()))} learned phrasing(s) from the database"
        except (CommandError, DatabaseError) as error:
            print(f"factbot: {error}; checking the folder without the learned phrasings.", file=sys.stderr)
    try:
        knowledge = load_knowledge(directory, learned_phrasings=learned)
    except KnowledgeError as error:
        print(error, file=sys.stderr)
        return EXIT_INVALID
    print(
        f"{directory}{with_learned}: OK: {len(knowledge.facts)} facts, {knowledge.question_count} questions, "
        f"{knowledge.quote_count} quotes (all verbatim in {knowledge.meta.file}), "
        f"{len(knowledge.out_of_scope)} out-of-scope entries"
        + (f"; {knowledge.drafted_count} drafted entries not reviewed yet" if knowledge.drafted_count else "")
    )
    return EXIT_OK


_ARTICLE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def _article_id(text: str) -> str:
    if not _ARTICLE_ID.match(text):
        raise argparse.ArgumentTypeError("use lower-case letters, digits, - and _ (at most 64), e.g. paris-5000m")
    return text


def command_new(args: argparse.Namespace) -> int:
    from bot.drafting import DraftError, write_draft  # only this command needs the text tools

    directory = _settings().knowledge_dir / args.id
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
        f"all marked drafted. Try it: KNOWLEDGE_DIR={directory} factbot chat; review facts.yaml, then `factbot check {directory}`."
    )
    return EXIT_OK


def command_eval(args: argparse.Namespace) -> int:
    bot = _load_bot(_settings())
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
    groups = _report(lambda: database.unanswered(args.days, _bot_from(settings, database).matcher.same_question_key))
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


def command_teach(args: argparse.Namespace) -> int:
    settings = _settings()
    database = _open_database(settings)
    result = teach(database, settings.knowledge_dir, args.question, args.fact_id, move=args.move)
    print(result.describe())
    if result.status is TeachStatus.BELONGS_ELSEWHERE and not result.other_is_hand_written:
        print("Run again with --move to move it.")
    if result.status is not TeachStatus.TAUGHT:
        return EXIT_OK if result.status is TeachStatus.ALREADY_KNOWN else EXIT_INVALID
    print("The bot now answers:\n" + format_reply(_bot_from(settings, database).ask(args.question)))
    print(f"Every factbot using {database.describe()} answers this way within 2 s.")
    return EXIT_OK


def command_learned_export(args: argparse.Namespace) -> int:
    text = render_learned(_report(_open_database(_settings()).learned_phrasings))
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
    settings = _settings()
    try:
        incoming = read_learned_file(Path(args.file))
    except LearnedFileError as error:
        raise CommandError(str(error)) from error
    problems = _report(lambda: import_learned(_open_database(settings), settings.knowledge_dir, incoming,
                                              replace=args.replace))
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
    stats = _report(lambda: database.stats(args.days))
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
    bot = _load_bot(_settings())
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
    return command_chat(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factbot", description="Answers questions about one news article. With no command: "
        "runs the Discord bot if DISCORD_TOKEN is set, otherwise chats in this terminal.",
    )
    parser.add_argument("--version", action="version", version=f"factbot {version('factbot')}")
    parser.add_argument("--env-file", type=Path, metavar="PATH",
                        help="read settings from this file instead of .env in the current folder")
    parser.set_defaults(handler=command_default)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    ask = commands.add_parser("ask", help="answer a question (or, with --json, many)")
    ask.add_argument("question", nargs="*", help="the question; with --json and none given, read stdin lines")
    ask.add_argument("--json", action="store_true", help="one JSON object per question (see README)")
    ask.set_defaults(handler=command_ask)

    chat = commands.add_parser("chat", help="talk to the bot in this terminal")
    chat.set_defaults(handler=command_chat)

    check = commands.add_parser("check", help="validate a knowledge folder (exit status 1 on errors)")
    check.add_argument("directory", nargs="?", help="folder to check (default: KNOWLEDGE_DIR)")
    check.set_defaults(handler=command_check)

    new = commands.add_parser("new", help="draft a fact base for a new article into KNOWLEDGE_DIR/ID")
    new.add_argument("article", help="the article as a UTF-8 text file (copied byte for byte)")
    new.add_argument("--id", required=True, type=_article_id, help="the article's id: lower-case letters, digits, - and _")
    new.add_argument("--source", help="who published it (written to article.yaml)")
    new.add_argument("--url", help="where it was published (written to article.yaml)")
    new.set_defaults(handler=command_new)
    evaluation = commands.add_parser("eval", help="score a labelled question set (JSONL)")
    evaluation.add_argument(
        "file", help='JSONL file, one {"q": ..., "fact": id or null} or blind {"q": ..., "expect_any": [...]} per line'
    )
    evaluation.add_argument("--min-accuracy", type=_share, default=0.0,
                            help="exit 1 below this in-scope accuracy (0.95, 95 or 95%%)")
    evaluation.add_argument("--min-rejection", type=_share, default=0.0,
                            help="exit 1 below this rejection rate (0.9, 90 or 90%%)")
    evaluation.set_defaults(handler=command_eval)

    facts = commands.add_parser("facts", help="list the fact ids (what `teach` takes), by topic")
    facts.set_defaults(handler=command_facts)

    unanswered = commands.add_parser("unanswered", help="questions the bot could not answer, grouped")
    unanswered.add_argument("--days", type=int, default=7)
    unanswered.set_defaults(handler=command_unanswered)

    teaching = commands.add_parser("teach", help="add a question as a new phrasing of a fact")
    teaching.add_argument("question")
    teaching.add_argument("fact_id")
    teaching.add_argument("--move", action="store_true", help="move it from the fact it was taught to before")
    teaching.set_defaults(handler=command_teach)

    learned = commands.add_parser("learned", help="the taught phrasings as a file: export to review, import back")
    learned_commands = learned.add_subparsers(dest="learned_command", metavar="ACTION", required=True)
    export = learned_commands.add_parser("export", help="write the learned phrasings as learned_questions.yaml")
    export.add_argument("file", nargs="?", help="where to write (default: standard output)")
    export.set_defaults(handler=command_learned_export)
    importing = learned_commands.add_parser("import", help="add the phrasings of a learned_questions.yaml file")
    importing.add_argument("file")
    importing.add_argument("--replace", action="store_true", help="make the file the whole set (removes the others)")
    importing.set_defaults(handler=command_learned_import)

    stats = commands.add_parser("stats", help="questions asked, answer rates, top facts and votes")
    stats.add_argument("--days", type=int, default=30)
    stats.add_argument("--chart", help="also write a PNG chart to this file")
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
