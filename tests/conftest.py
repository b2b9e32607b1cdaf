from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import settings as hypothesis_settings

from bot.answers import FactBot
from bot.knowledge import Knowledge, load_knowledge
from bot.settings import PROJECT_ROOT, Settings

# CI replays the same examples on every run so a landing never depends on luck; locally each run explores new ones.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
DATA_DIR = Path(__file__).parent / "data"


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
