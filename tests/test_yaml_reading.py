"""The fast YAML reader reads every document exactly as PyYAML's safe loader (refusing repeated keys) does."""

from __future__ import annotations

import pytest
import yaml

from bot.settings import PROJECT_ROOT
from bot.yaml_reading import _YamlLoader, load_yaml

TRICKY_DOCUMENTS = [
    "", "---\n", "# only a comment\n", "[1, 2]\n", "plain\n",
    "a: yes\nb: no\nc: ~\nd: 2024-08-10\ne: 1_000\nf: 0x1f\ng: 13:13\nh: .inf\ni: '5'\nj: 13:13.66\n",
    "null: x\n~: y\ntrue: a\n1: b\n", "a: |\n  two\n  lines\n", "a: 'it''s'\nb: \"tab\\there\"\n", "\ufeffa: 1\n",
    "facts:\n- id: x\n  questions: [a, 'b', \"c\"]\n  drafted: true\n",
    # What only the full loader reads: anchors and aliases, merge and value keys, explicit tags, keys
    # that are lists, several documents.
    "a: &x [1]\nb: *x\n", "base: &b {a: 1}\nc:\n  <<: *b\n  d: 2\n", "=: 3\n", "a: !!str 5\n", "a: !!binary aGVsbG8=\n",
    "? [x]\n: y\n", "a: 1\n---\nb: 2\n",
    # Errors: the same, with the same position.
    "a: 1\na: 2\n", "1: a\n1.0: b\n", "a: !foo x\n", "a: b: c\n", "a:\n  - x\n - y\n", "a: [1, 2\n", "a: =\n",
]


def read(load, text: str) -> tuple[str, object]:
    try:
        return "value", load(text)
    except Exception as error:  # noqa: BLE001  the same error, whatever it is, is the point
        return type(error).__name__, str(error)


@pytest.mark.parametrize("text", TRICKY_DOCUMENTS + [path.read_text(encoding="utf-8")
                                                      for path in sorted((PROJECT_ROOT / "knowledge").glob("*.yaml"))])
def test_reads_what_the_safe_loader_reads(text):
    assert read(load_yaml, text) == read(lambda document: yaml.load(document, Loader=_YamlLoader), text)
