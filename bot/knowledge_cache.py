"""The compiled knowledge cache: an article's validated fact base and matcher index, kept on disk.

Loading an article reads YAML, validates it, checks every quote against the article and builds
the matcher's index; the result depends only on the article's files, the learned phrasings and
this code. So the result is stored (``KNOWLEDGE_CACHE_DIR``, default ``DATA_DIR/cache``) under a
key made of exactly those, and the next start with the same key reads it back instead: a few
milliseconds for the article, 0.7 s for 100,000 facts (each fact is built when first looked up).

Never stale: the key is a hash of every file in the article's folder, the learned phrasings, the
bot's own source and the Python and pydantic versions; any change misses and rebuilds. The key is
taken again after building, and a fact base whose files changed meanwhile is not stored.
Never trusted blindly: a file whose header, key or checksum is off, or that does not unpickle
into a fact base, is logged and rebuilt. The cache is as trusted as the data folder it lives in
(like the database next to it): pickle runs what it reads, so that folder must not be writable
by others.
"""

from __future__ import annotations

import copyreg
import functools
import hashlib
import io
import json
import logging
import marshal
import os
import pickle
import sys
import threading
from array import array
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.answers import FactBot
from bot.collector import collector_paused
from bot.knowledge import Fact, Knowledge, Quote
from bot.matcher import Matcher, _Intent
from bot.settings import MatchSettings, Settings

log = logging.getLogger(__name__)

# Bumped when the file layout below changes.
_MAGIC = b"factbot compiled knowledge 1\n"
_DIGEST_BYTES = 32
_HEADER_BYTES = len(_MAGIC) + 2 * _DIGEST_BYTES
_CODE_DIR = Path(__file__).resolve().parent


def _proxy(mapping: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(mapping)


# Knowledge hands out read-only views of its mappings; pickle cannot store a view, so it stores
# the mapping and rebuilds the view.
copyreg.pickle(MappingProxyType, lambda view: (_proxy, (dict(view),)))


class _PackedFacts(Mapping[str, Fact]):
    """A fact base's facts as the cache keeps them: each one's fields marshalled, built into a
    ``Fact`` when first looked up. Reading 100,000 facts back as objects was a third of a load
    (0.35 s), and answering a question looks up only the few facts it ranks."""

    def __init__(self, ids: tuple[str, ...], rows: bytes, offsets: array[int], article: str) -> None:
        self._ids = ids
        self._index = dict(zip(ids, range(len(ids)), strict=True))
        self._rows: bytes | None = rows
        self._offsets = offsets  # fact i's fields are rows[offsets[i]:offsets[i + 1]]
        self._article = article  # what the quotes are cut from
        self._built: dict[str, Fact] = {}

    @classmethod
    def packed(cls, facts: Mapping[str, Fact], article: str) -> tuple[Callable[..., _PackedFacts], tuple[Any, ...]]:
        """How pickle stores ``facts`` (quoting ``article``): the ids, every fact's fields marshalled back to
        back, and where each starts."""
        rows = [marshal.dumps(_fields_of(fact)) for fact in facts.values()]
        offsets = array("q", [0])
        for row in rows:
            offsets.append(offsets[-1] + len(row))
        return cls, (tuple(facts), b"".join(rows), offsets, article)

    def __getitem__(self, fact_id: str) -> Fact:
        fact = self._built.get(fact_id)
        if fact is None:
            index = self._index[fact_id]
            rows = self._rows
            if rows is None:  # the last ones were built meanwhile, in another thread
                return self._built[fact_id]
            fact = self._built[fact_id] = _fact_from(fact_id, marshal.loads(
                memoryview(rows)[self._offsets[index] : self._offsets[index + 1]]), self._article)
            if len(self._built) == len(self._ids):
                self._rows = None  # all of them are objects now: the packed form is only memory
        return fact

    def __contains__(self, fact_id: object) -> bool:
        return fact_id in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


def _fields_of(fact: Fact) -> tuple[Any, ...]:
    """A fact's fields but its id, as marshal stores them (strings, numbers and tuples of those). A quote
    is where it stands in the article (its text is the article's there): 10 MB less at 100,000 facts."""
    quotes = tuple((quote.start, quote.end) for quote in fact.quotes)
    return fact.topic, fact.answer, quotes, fact.questions, fact.keywords, fact.entities


def _fact_from(fact_id: str, fields: tuple[Any, ...], article: str) -> Fact:
    topic, answer, quotes, questions, keywords, entities = fields
    return Fact(fact_id, topic, answer, tuple(Quote(article[start:end], start, end) for start, end in quotes),
                questions, keywords, entities)


class _IntentColumns:
    """The matcher's intents as pickle keeps them: a column per field, every phrasing weight in one
    array. Read back, one call per field and a constructor per intent instead of an array and a
    reduction per intent: 0.35 -> 0.23 s at 100,000 facts."""

    def __init__(self, intents: dict[str, _Intent]) -> None:
        self._intents = intents

    def __reduce__(self) -> tuple[Callable[..., dict[str, _Intent]], tuple[Any, ...]]:
        intents = self._intents.values()
        weights, offsets = array("d"), array("q", [0])
        for intent in intents:
            weights.extend(intent.phrasing_weights)
            offsets.append(len(weights))
        return _intents_from, (tuple(self._intents), tuple(intent.is_fact for intent in intents),
                               [intent.vocabulary for intent in intents], [intent.answer_vocabulary for intent in intents],
                               weights, offsets)


def _intents_from(ids: tuple[str, ...], is_fact: tuple[bool, ...], vocabularies: list[dict[str, tuple[int, ...]]],
                  answer_vocabularies: list[dict[str, tuple[int, ...]]], weights: array[float],
                  offsets: array[int]) -> dict[str, _Intent]:
    phrasing_weights = [weights[start:end] for start, end in zip(offsets, offsets[1:], strict=False)]
    return dict(zip(ids, map(_Intent, ids, is_fact, vocabularies, answer_vocabularies, phrasing_weights), strict=True))


class _Pickler(pickle.Pickler):
    """Stores a compiled fact base, its facts packed (``_PackedFacts``; the knowledge, the matcher and
    the matcher's view of what the facts say all refer to the one mapping, read back as one) and the
    matcher's intents in columns (``_IntentColumns``)."""

    def __init__(self, file: Any, knowledge: Knowledge | None) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._knowledge = knowledge

    def reducer_override(self, obj: Any) -> Any:
        if self._knowledge is not None and obj is self._knowledge.facts:
            return _PackedFacts.packed(obj, self._knowledge.article)
        if type(obj) is Matcher:
            # As pickle stores any object (created first, so what refers back to it finds it, then
            # its state set), with the intents put in columns.
            state = obj.__getstate__()
            state["_intents"] = _IntentColumns(state["_intents"])
            return copyreg.__newobj__, (Matcher,), state
        return NotImplemented


def _pickled(compiled: tuple[Knowledge, Matcher]) -> bytes:
    knowledge = compiled[0] if isinstance(compiled[0], Knowledge) else None  # (a test stores something else)
    if knowledge is not None:
        knowledge.question_count  # noqa: B018  counted now and stored with it: a load that counts builds no fact
    buffer = io.BytesIO()
    _Pickler(buffer, knowledge).dump(compiled)
    return buffer.getvalue()


def _hash() -> Any:
    return hashlib.sha256()  # the fastest of hashlib's here (CPUs hash it in hardware): 70 MB of files in 0.06 s


@functools.cache
def _code_fingerprint() -> bytes:
    """The bot's own source (any edit may change what is built) and the versions pickle depends on."""
    import pydantic

    digest = _hash()
    digest.update(f"{sys.version}\0{pydantic.VERSION}\0".encode())
    for path in sorted(_CODE_DIR.rglob("*.py")):
        digest.update(str(path.relative_to(_CODE_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


def cache_key(folder: Path, learned: object, article: str, named_by_folder: bool) -> bytes:
    """What the compiled fact base of ``folder`` depends on, hashed."""
    digest = _hash()
    digest.update(_code_fingerprint())
    digest.update(json.dumps([article, named_by_folder, learned], sort_keys=True, ensure_ascii=False).encode())
    for path in _files_of(folder):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.digest()


def _files_of(folder: Path) -> list[Path]:
    """Every file an article may read: its folder's, sub-folders included (article.yaml may name
    ``texts/article.txt``), hidden ones left out."""
    return sorted(path for path in folder.rglob("*")
                  if path.is_file() and not any(part.startswith(".") for part in path.relative_to(folder).parts))


class _StoredFile:
    """A compiled fact base's file, read and its checksum checked in a thread of its own."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._data: bytes | None = None
        self._intact = False
        self._error: OSError | None = None
        self._thread = threading.Thread(target=self._read, name="knowledge-cache-read", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            data = self.path.read_bytes()
        except OSError as error:
            self._error = error
            return
        checksum = _hash()
        checksum.update(memoryview(data)[_HEADER_BYTES:])
        self._intact = checksum.digest() == data[len(_MAGIC) + _DIGEST_BYTES : _HEADER_BYTES]
        self._data = data

    def result(self) -> tuple[bytes | None, bool, OSError | None]:
        """The file's bytes (None if it could not be read), whether its checksum holds, and why it
        could not be read."""
        self._thread.join()
        return self._data, self._intact, self._error


class KnowledgeCache:
    """A folder of compiled fact bases, one file per article folder."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def fact_base(self, article: str, folder: Path, learned: object, settings: MatchSettings, *,
                  named_by_folder: bool, build: Callable[[], FactBot]) -> FactBot:
        """The fact base ``build`` makes, read from the cache when its key is there."""
        path = self._path(article, folder)
        # The file is read and its checksum checked while the key is worked out: both are reading and
        # hashing, which leave the interpreter free (0.1 s of a second at 100,000 facts).
        stored = _StoredFile(path)
        key = cache_key(folder, learned, article, named_by_folder)
        cached = self._read(stored, key)
        if cached is not None:
            knowledge, matcher = cached
            return FactBot(knowledge, settings, matcher=matcher)
        factbot = build()
        if cache_key(folder, learned, article, named_by_folder) == key:  # else the files changed while loading
            self._write(path, key, (factbot.knowledge, factbot.matcher))
        return factbot

    def _path(self, article: str, folder: Path) -> Path:
        # The folder's path is part of the name: two checkouts sharing a DATA_DIR don't take turns.
        where = hashlib.blake2b(str(folder.resolve()).encode(), digest_size=6).hexdigest()
        return self.directory / f"{article or 'article'}-{where}.pickle"

    def _read(self, stored: _StoredFile, key: bytes) -> tuple[Knowledge, Matcher] | None:
        path = stored.path
        data, intact, error = stored.result()
        if isinstance(error, FileNotFoundError):
            return None
        if error is not None or data is None:
            log.warning("cannot read the compiled knowledge %s (%s); building it", path, error)
            return None
        if data[: len(_MAGIC)] != _MAGIC or data[len(_MAGIC) : len(_MAGIC) + _DIGEST_BYTES] != key:
            return None  # another version of the files or of the code: rebuilt and replaced
        if not intact:
            log.warning("the compiled knowledge %s is damaged; building it again", path)
            return None
        try:
            with collector_paused():
                knowledge, matcher = pickle.loads(memoryview(data)[_HEADER_BYTES:])
        except Exception as error:  # noqa: BLE001  a damaged pickle can raise almost anything
            log.warning("the compiled knowledge %s cannot be read (%r); building it again", path, error)
            return None
        if not isinstance(knowledge, Knowledge) or not isinstance(matcher, Matcher):
            log.warning("the compiled knowledge %s holds something else; building it again", path)
            return None
        return knowledge, matcher

    def _write(self, path: Path, key: bytes, compiled: tuple[Knowledge, Matcher]) -> None:
        try:
            payload = _pickled(compiled)
            checksum = _hash()
            checksum.update(payload)
            import tempfile  # here: a start that reads the cache never writes one

            self.directory.mkdir(parents=True, exist_ok=True)
            # Written aside and renamed: a reader sees the old file or the new one, never half of one.
            handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=f".{path.name}.")
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(_MAGIC + key + checksum.digest())
                    file.write(payload)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except (OSError, pickle.PicklingError) as error:
            log.warning("cannot store the compiled knowledge in %s (%s); the next start builds it again", path, error)


def knowledge_cache_for(settings: Settings) -> KnowledgeCache | None:
    """The cache the settings ask for (KNOWLEDGE_CACHE, KNOWLEDGE_CACHE_DIR), or None."""
    return KnowledgeCache(settings.knowledge_cache_dir) if settings.knowledge_cache else None
