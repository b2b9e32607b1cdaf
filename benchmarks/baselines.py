"""The simplest retrievers factbot is measured against: the article's sentences, ranked.

    python -m benchmarks.baselines bm25 < questions.txt        # rank-bm25 (Okapi) over sentences
    python -m benchmarks.baselines rapidfuzz < questions.txt   # rapidfuzz WRatio over sentences

Each prints one JSON object per question in the shape of ``factbot ask --json`` (the best sentence
as answer and quote), so ../shared/blind-sets/score.py and the benchmarks score both the same way.
Neither ever refuses: a retriever answers with its best sentence whatever the question.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Protocol

from rank_bm25 import BM25Okapi
from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parent.parent
_SENTENCE_END = re.compile(r"(?<=[.!?”])\s+|\n+")
_WORD = re.compile(r"\w+")


def article_sentences(article: str) -> list[str]:
    return [sentence.strip() for sentence in _SENTENCE_END.split(article) if sentence.strip()]


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


class Retriever(Protocol):
    def best(self, question: str) -> str | None: ...


class Bm25Retriever:
    def __init__(self, sentences: list[str]) -> None:
        self.sentences = sentences
        self.index = BM25Okapi([words(sentence) for sentence in sentences])

    def best(self, question: str) -> str | None:
        scores = self.index.get_scores(words(question))
        top = int(scores.argmax())
        return self.sentences[top] if scores[top] > 0 else None


class FuzzRetriever:
    def __init__(self, sentences: list[str]) -> None:
        self.sentences = sentences

    def best(self, question: str) -> str | None:
        found = process.extractOne(question, self.sentences, scorer=fuzz.WRatio)
        return found[0] if found else None


RETRIEVERS: dict[str, type[Bm25Retriever] | type[FuzzRetriever]] = {"bm25": Bm25Retriever, "rapidfuzz": FuzzRetriever}


def as_reply(question: str, sentence: str | None) -> dict[str, object]:
    if sentence is None:
        return {"question": question, "matched": False, "outcome": "not_found", "answer": None, "quotes": []}
    return {"question": question, "matched": True, "outcome": "answered", "answer": sentence, "quotes": [{"text": sentence}]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("retriever", choices=sorted(RETRIEVERS))
    parser.add_argument("--article", type=Path, default=ROOT / "knowledge" / "article.txt")
    args = parser.parse_args()
    retriever = RETRIEVERS[args.retriever](article_sentences(args.article.read_text(encoding="utf-8")))
    for line in sys.stdin:
        question = line.strip()
        if question:
            print(json.dumps(as_reply(question, retriever.best(question)), ensure_ascii=False), flush=False)


if __name__ == "__main__":
    main()
