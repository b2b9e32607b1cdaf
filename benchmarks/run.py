"""How fast factbot answers, and how the cost grows with the fact base.

    python -m benchmarks.run                       # full run: article, 100 / 1,000 / 10,000 facts, end to end
    python -m benchmarks.run --json results.json   # also write the figures as JSON
    python -m benchmarks.run --sizes 50 --quick    # a quick smoke run (what the test suite does)

The shared-store figures (50 concurrent askers on SQLite and on PostgreSQL) start a throwaway
PostgreSQL server the way the tests do (tests/postgres_server.py); without PostgreSQL's binaries
that row is left out and says so.

Every figure is measured with time.perf_counter_ns. Each generated size is loaded from its files
in one fresh child process (the cold load, which fills the compiled knowledge cache) and read back
from the cache in another, where everything else is measured: each load and memory figure is its own. Every table also
times the simplest retrievers over the article's sentences (benchmarks/baselines.py: rank-bm25,
and rapidfuzz WRatio) on the same questions in the same process, so the ratios hold even on a
noisy machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.baselines import Bm25Retriever, FuzzRetriever, Retriever, article_sentences

ROOT = Path(__file__).resolve().parent.parent
DEV_SET = ROOT / "tests" / "data" / "dev_questions.jsonl"
AUTOCOMPLETE_LIMIT = 25


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def latency_ms(function: Callable[[str], Any], inputs: Iterable[str]) -> dict[str, float]:
    samples = []
    for item in inputs:
        start = time.perf_counter_ns()
        function(item)
        samples.append((time.perf_counter_ns() - start) / 1e6)
    return {"p50": percentile(samples, 0.5), "p99": percentile(samples, 0.99), "max": max(samples), "n": len(samples)}


def resident_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def prefixes(questions: Iterable[str]) -> list[str]:
    """What autocomplete sees while someone types: growing prefixes of real questions."""
    typed = []
    for question in questions:
        typed.extend(question[:length] for length in (3, 8, 15, len(question)))
    return typed


def answered_as_labelled(bot: Any, labelled: list[tuple[str, str | None]]) -> float:
    """Share of questions answered with the labelled fact, or refused when labelled None."""
    right = 0
    for question, expected in labelled:
        reply = bot.ask(question)
        right += (reply.fact.id == expected) if reply.matched else expected is None
    return right / len(labelled)


def retrieved_as_labelled(retriever: Retriever, bot: Any, labelled: list[tuple[str, str | None]]) -> float:
    """A retriever is right when its sentence holds one of the expected fact's quotes; it never refuses."""
    def right(question: str, fact_id: str | None) -> bool:
        sentence = retriever.best(question)
        return fact_id is not None and sentence is not None and any(
            quote.text in sentence for quote in bot.knowledge.facts[fact_id].quotes
        )

    return sum(right(question, fact_id) for question, fact_id in labelled) / len(labelled)


def measure_fact_base(directory: Path, labelled: list[tuple[str, str | None]], rss_before: float,
                      cache: Any = None) -> dict[str, Any]:
    """Load ``directory`` (from ``cache`` when given, a ``KnowledgeCache`` filled before) and time
    answering, autocomplete and the baselines on the same questions."""
    from bot.settings import Settings
    from bot.store import load_library

    start = time.perf_counter_ns()
    library, _ = load_library(directory, Settings(_env_file=None), {}, cache=cache)
    load_seconds = (time.perf_counter_ns() - start) / 1e9
    (bot,) = library.articles.values()
    questions = [question for question, _ in labelled]
    rss_after = resident_mb()
    all_questions = [q for fact in bot.knowledge.facts.values() for q in fact.questions]
    sentences = article_sentences(bot.knowledge.article)
    bm25, fuzz_sentences = Bm25Retriever(sentences), FuzzRetriever(sentences)
    bot.ask(questions[0])  # first call pays one-off lazy costs; it is measured by the start-up figure
    return {
        "facts": len(bot.knowledge.facts),
        "phrasings": len(all_questions),
        "load_s": load_seconds,
        "correct": answered_as_labelled(bot, labelled),
        "rss_mb": rss_after - rss_before,
        "match_ms": latency_ms(bot.ask, questions),
        "bm25_ms": latency_ms(bm25.best, questions),
        "bm25_correct": retrieved_as_labelled(bm25, bot, labelled),
        "fuzz_sentences_ms": latency_ms(fuzz_sentences.best, questions),
        "fuzz_sentences_correct": retrieved_as_labelled(fuzz_sentences, bot, labelled),
        "autocomplete_ms": latency_ms(lambda q: bot.suggest_questions(q, AUTOCOMPLETE_LIMIT), prefixes(questions[:100])),
    }


def child_load_cold(size: int, folder: Path) -> dict[str, Any]:
    """Runs in a fresh process: generate, load and validate from the files, then fill the compiled cache."""
    from benchmarks.generate import write_knowledge
    from bot.answers import FactBot
    from bot.knowledge import load_knowledge
    from bot.knowledge_cache import KnowledgeCache
    from bot.settings import Settings

    write_knowledge(folder / "knowledge", size)
    settings = Settings(_env_file=None)
    start = time.perf_counter_ns()
    bot = FactBot(load_knowledge(folder / "knowledge"), settings)
    cold_seconds = (time.perf_counter_ns() - start) / 1e9
    KnowledgeCache(folder / "cache").fact_base(bot.knowledge.meta.id or "knowledge", folder / "knowledge", {}, settings,
                                               named_by_folder=False, build=lambda: bot)
    return {"load_cold_s": cold_seconds, "rss_cold_mb": resident_mb()}


def child_measure_cached(size: int, question_count: int, folder: Path) -> dict[str, Any]:
    """Runs in a fresh process: read the fact base back from the compiled cache, measure."""
    from benchmarks.generate import generate_facts, sample_questions
    from bot.knowledge_cache import KnowledgeCache

    labelled = sample_questions(generate_facts(size), question_count)
    import bot.store  # noqa: F401  (imports are not part of the fact base's cost)

    return measure_fact_base(folder / "knowledge", labelled, resident_mb(), KnowledgeCache(folder / "cache"))


def run_child(stage: str, size: int, question_count: int, folder: Path) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--child-size", str(size), "--questions", str(question_count),
         "--child-stage", stage, "--child-folder", str(folder)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout
    return json.loads(output)


def measure_size(size: int, question_count: int) -> dict[str, Any]:
    """A generated fact base loaded cold in one process, then read back from the cache in another:
    each load is cold for its process, and each memory figure is its own."""
    with tempfile.TemporaryDirectory() as folder:
        cold = run_child("cold", size, question_count, Path(folder))
        return {**cold, **run_child("cached", size, question_count, Path(folder))}


def measure_article() -> dict[str, Any]:
    from bot.settings import Settings

    rows = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    labelled = [(row["q"], row["fact"]) for row in rows]
    return measure_fact_base(Settings(_env_file=None).knowledge_dir, labelled, resident_mb())


def measure_start_up(runs: int) -> dict[str, float]:
    """Fresh `factbot ask` processes: interpreter start, imports, load (from the compiled cache, as
    every start after the first), first answer."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        subprocess.run([sys.executable, "-m", "bot", "ask", "--json", "who won silver?"], capture_output=True, check=True, cwd=ROOT)
        samples.append((time.perf_counter_ns() - start) / 1e9)
    code = (
        "import time; t=time.perf_counter_ns();"
        "from bot.store import load_library; from bot.knowledge_cache import knowledge_cache_for; from bot.settings import Settings;"
        "s=Settings(); i=time.perf_counter_ns(); b=load_library(s.knowledge_dir, s, {}, cache=knowledge_cache_for(s))[0];"
        "l=time.perf_counter_ns(); b.ask('who won silver?'); a=time.perf_counter_ns();"
        "print((i-t)/1e9, (l-i)/1e9, (a-l)/1e9)"
    )
    imports, load, first = (float(x) for x in subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout.split())
    return {"process_to_first_answer_s": statistics.median(samples), "imports_s": imports,
            "load_validate_s": load, "first_answer_s": first}


async def measure_end_to_end(sequential: int, concurrent_users: int, per_user: int) -> dict[str, Any]:
    """Gateway event in -> reply recorded by the Discord-compatible test server, on loopback."""
    from tests.discord_harness import running_bot

    with tempfile.TemporaryDirectory() as scratch:
        async with running_bot(ROOT / "knowledge", data_dir=Path(scratch), cooldown_rate=10_000, cooldown_seconds=1) as live:
            latency = await _event_to_reply_ms(live.server, sequential)
            answers_per_s = await _answers_per_second(live.server, concurrent_users, per_user)
    return {"event_to_reply_ms": latency, "concurrent_users": concurrent_users,
            "answers": concurrent_users * per_user, "answers_per_s": answers_per_s}


async def measure_database_contention(distinct_questions: int, samples: int) -> dict[str, Any]:
    """/ask latency while the database is busy: during /unanswered over many distinct logged
    questions, and while another process holds the SQLite write lock."""
    from bot.database import Source, open_database, sqlite_url
    from tests.discord_harness import running_bot

    with tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / "factbot.sqlite3"
        filler = open_database(sqlite_url(database), retention_days=30)
        for index in range(distinct_questions):
            filler.record(f"what was the weather like on day {index} for runner {index * 7}", "not_found", None, 0.0,
                          Source.CLI)
        filler.close()
        async with running_bot(ROOT / "knowledge", data_dir=Path(scratch), cooldown_rate=10_000, cooldown_seconds=1) as live:
            server = live.server
            measured = asyncio.Event()
            report = asyncio.create_task(_run_unanswered_repeatedly(server, until=measured))
            during_report = await _event_to_reply_ms(server, samples)
            measured.set()
            await report  # the last /unanswered finishes before the bot shuts down
            locker = sqlite3.connect(database, isolation_level=None)
            locker.execute("BEGIN EXCLUSIVE")
            try:
                during_lock = await _event_to_reply_ms(server, samples)
            finally:
                locker.execute("COMMIT")
                locker.close()
    return {"distinct_logged_questions": distinct_questions, "during_unanswered_ms": during_report,
            "during_exclusive_lock_ms": during_lock}


@contextmanager
def _writes_blocked(database_url: str) -> Iterator[None]:
    """Another client holds the lock every question write needs, until the block ends."""
    from bot.database import SQLITE_PREFIX

    if database_url.startswith(SQLITE_PREFIX):
        locker = sqlite3.connect(database_url.removeprefix(SQLITE_PREFIX), isolation_level=None)
        locker.execute("BEGIN EXCLUSIVE")
    else:
        import psycopg

        locker = psycopg.connect(database_url, autocommit=True)
        locker.execute("BEGIN")
        locker.execute("LOCK TABLE questions IN ACCESS EXCLUSIVE MODE")
    try:
        yield
    finally:
        locker.execute("ROLLBACK")
        locker.close()


async def measure_shared_store(concurrent_users: int, per_user: int) -> dict[str, Any]:
    """Answers per second with many concurrent askers on each engine, with every question logged,
    and again while another client blocks every write: writes must never slow answering."""
    from bot.database import sqlite_url
    from tests.discord_harness import running_bot
    from tests.postgres_server import PostgresServer, find_binaries

    results: dict[str, Any] = {"concurrent_users": concurrent_users, "answers": concurrent_users * per_user}
    binaries = find_binaries()
    postgres = PostgresServer(binaries) if binaries else None
    with tempfile.TemporaryDirectory() as scratch:
        urls = {"sqlite": sqlite_url(Path(scratch) / "factbot.sqlite3")}
        if postgres is not None:
            postgres.init()
            postgres.start()
            urls["postgresql"] = postgres.create_database()
        else:
            results["postgresql"] = "not measured: PostgreSQL's pg_ctl is not installed"
        try:
            for engine, url in urls.items():
                async with running_bot(ROOT / "knowledge", data_dir=Path(scratch) / engine, database_url=url,
                                       cooldown_rate=10_000, cooldown_seconds=1) as live:
                    logged = await _answers_per_second(live.server, concurrent_users, per_user)
                    with _writes_blocked(url):
                        blocked = await _answers_per_second(live.server, concurrent_users, per_user)
                    results[engine] = {"answers_per_s": logged, "answers_per_s_while_writes_blocked": blocked}
        finally:
            if postgres is not None:
                postgres.remove()
    return results


async def _run_unanswered_repeatedly(server: Any, until: asyncio.Event) -> None:
    while not until.is_set():
        mark = await server.interact(server.slash("unanswered", {"days": 30}, moderator=True))
        await server.wait_for_request("POST", r"/webhooks/\d+/[^/]+", after=mark, timeout=120)


def _callbacks(server: Any) -> int:
    return sum(1 for r in server.requests if r.method == "POST" and r.path.endswith("/callback"))


async def _event_to_reply_ms(server: Any, count: int) -> dict[str, float]:
    samples = []
    for index in range(count):
        start = time.perf_counter_ns()
        mark = await server.interact(server.slash("ask", {"question": "who got silver?"}, user_id=str(10**17 + index)))
        await server.wait_for_request("POST", r"/interactions/\d+/[^/]+/callback", after=mark)
        samples.append((time.perf_counter_ns() - start) / 1e6)
    return {"p50": percentile(samples, 0.5), "p99": percentile(samples, 0.99), "max": max(samples), "n": len(samples)}


async def _answers_per_second(server: Any, concurrent_users: int, per_user: int) -> float:
    async def asker(user: int) -> None:
        for _ in range(per_user):
            await server.interact(server.slash("ask", {"question": "what was his time in the 5k"}, user_id=str(2 * 10**17 + user)))

    expected = _callbacks(server) + concurrent_users * per_user
    start = time.perf_counter_ns()
    await asyncio.gather(*(asker(user) for user in range(concurrent_users)))
    await server.wait_for(lambda: _callbacks(server) >= expected, timeout=120)
    return concurrent_users * per_user / ((time.perf_counter_ns() - start) / 1e9)


def format_row(name: str, result: dict[str, Any]) -> str:
    match, bm25, fuzz, auto = result["match_ms"], result["bm25_ms"], result["fuzz_sentences_ms"], result["autocomplete_ms"]
    cold = f"{result['load_cold_s']:.2f}" if "load_cold_s" in result else "–"
    return (
        f"| {name} | {result['facts']:,} | {cold} | {result['load_s']:.2f} | {result['correct']:.0%} "
        f"| {match['p50']:.3f} / {match['p99']:.3f} "
        f"| {result['bm25_correct']:.0%} | {bm25['p50']:.3f} / {bm25['p99']:.3f} "
        f"| {result['fuzz_sentences_correct']:.0%} | {fuzz['p50']:.3f} / {fuzz['p99']:.3f} "
        f"| {auto['p50']:.2f} / {auto['p99']:.2f} | {result['rss_mb']:.0f} | {result['rss_mb'] * 1024 / result['facts']:.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated generated fact-base sizes")
    parser.add_argument("--questions", type=int, default=500, help="questions timed per generated size")
    parser.add_argument("--quick", action="store_true", help="small counts, for a smoke test")
    parser.add_argument("--json", type=Path, help="also write all figures to this JSON file")
    parser.add_argument("--child-size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-stage", choices=["cold", "cached"], help=argparse.SUPPRESS)
    parser.add_argument("--child-folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child_stage == "cold":
        print(json.dumps(child_load_cold(args.child_size, args.child_folder)))
        return
    if args.child_stage == "cached":
        print(json.dumps(child_measure_cached(args.child_size, args.questions, args.child_folder)))
        return
    if args.child_size is not None:  # one size on its own
        print(json.dumps(measure_size(args.child_size, args.questions)))
        return

    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    question_count = 50 if args.quick else args.questions
    results: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "start_up": measure_start_up(1 if args.quick else 5),
        "article": measure_article(),
        "generated": {str(size): measure_size(size, question_count) for size in sizes},
        "end_to_end": asyncio.run(measure_end_to_end(20 if args.quick else 200, 5 if args.quick else 50, 2 if args.quick else 20)),
        "database_contention": asyncio.run(measure_database_contention(200 if args.quick else 5000, 10 if args.quick else 100)),
        "shared_store": asyncio.run(measure_shared_store(5 if args.quick else 50, 2 if args.quick else 20)),
    }

    start_up = results["start_up"]
    print(f"Machine: {results['machine']['platform']}, Python {results['machine']['python']}, {results['machine']['cpus']} CPUs\n")
    print(f"Start-up to first answer (fresh `factbot ask` process): {start_up['process_to_first_answer_s']:.2f} s "
          f"(imports {start_up['imports_s']:.2f} s, load {start_up['load_validate_s']:.3f} s, "
          f"first answer {start_up['first_answer_s'] * 1000:.1f} ms)\n")
    print("| fact base | facts | load cold s | load s (from the cache) | factbot correct | factbot p50 / p99 ms | BM25 correct "
          "| BM25 p50 / p99 ms | rapidfuzz correct | rapidfuzz p50 / p99 ms | autocomplete p50 / p99 ms | RSS MB | KB per fact |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    print(format_row("article (dev set)", results["article"]))
    for size, result in results["generated"].items():
        print(format_row(f"generated {int(size):,}", result))
    e2e = results["end_to_end"]
    print(f"\nEnd to end through the test server: event → reply p50 {e2e['event_to_reply_ms']['p50']:.1f} ms, "
          f"p99 {e2e['event_to_reply_ms']['p99']:.1f} ms; {e2e['answers_per_s']:.0f} answers/s with "
          f"{e2e['concurrent_users']} concurrent askers ({e2e['answers']} answers).")
    busy = results["database_contention"]
    print(f"/ask while the database is busy ({busy['distinct_logged_questions']:,} distinct questions logged): "
          f"during /unanswered p50 {busy['during_unanswered_ms']['p50']:.1f} ms, p99 {busy['during_unanswered_ms']['p99']:.1f} ms; "
          f"while another process holds the write lock p50 {busy['during_exclusive_lock_ms']['p50']:.1f} ms, "
          f"p99 {busy['during_exclusive_lock_ms']['p99']:.1f} ms.")
    shared = results["shared_store"]
    print(f"Shared store, {shared['concurrent_users']} concurrent askers ({shared['answers']} answers each run), every "
          "question logged:")
    for engine in ("sqlite", "postgresql"):
        figures = shared[engine]
        if isinstance(figures, str):
            print(f"  {engine}: {figures}")
        else:
            print(f"  {engine}: {figures['answers_per_s']:.0f} answers/s; while another client blocks every write "
                  f"{figures['answers_per_s_while_writes_blocked']:.0f} answers/s")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
