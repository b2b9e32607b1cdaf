from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import settings as hypothesis_settings

from bot.answers import FactBot
from bot.database import sqlite_url
from bot.knowledge import Knowledge, load_knowledge
from bot.settings import PROJECT_ROOT, Settings
from tests.postgres_server import ALLOW_SKIP, PostgresServer, find_binaries

# CI replays the same examples on every run so a landing never depends on luck; locally each run explores new ones.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
DATA_DIR = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test's log and learned phrasings in a folder of its own, never the checkout's data/
    (where a developer's taught phrasings would change what the tests see)."""
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return load_knowledge(KNOWLEDGE_DIR)


@pytest.fixture(scope="session")
def factbot(knowledge: Knowledge) -> FactBot:
    return FactBot(knowledge, Settings(_env_file=None))


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A writable copy of the real knowledge folder."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


def edit_yaml(path: Path, change: Callable[[dict], None]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


# Several articles: this repository's, and a tiny hand-written one about a bridge.
PARIS, HARBOUR = "paris-5000m", "harbour-bridge"


@pytest.fixture
def articles_dir(tmp_path: Path) -> Path:
    """A KNOWLEDGE_DIR of two articles, one sub-folder each."""
    target = tmp_path / "articles"
    shutil.copytree(KNOWLEDGE_DIR, target / PARIS)
    shutil.copytree(DATA_DIR / "articles" / HARBOUR, target / HARBOUR)
    (target / "notes").mkdir()  # a sub-folder without an article is not one
    return target


def break_harbour(articles_dir: Path) -> None:
    """Make the bridge article invalid: a quote the article does not contain."""
    edit_yaml(articles_dir / HARBOUR / "facts.yaml", lambda data: data["facts"][0]["quotes"].__setitem__(0, "never written"))


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One real PostgreSQL server for the whole session."""
    binaries = find_binaries()
    if binaries is None:
        message = "PostgreSQL's pg_ctl is neither on PATH nor in /usr/lib/postgresql/*/bin (apt-get install postgresql)"
        if os.environ.get(ALLOW_SKIP):
            pytest.skip(message)
        pytest.fail(f"{message}; set {ALLOW_SKIP}=1 to skip the PostgreSQL tests instead")
    server = PostgresServer(binaries)
    server.init()
    server.start()
    yield server
    server.remove()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty store on each engine."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "factbot.sqlite3")
    return request.getfixturevalue("postgres").create_database()
