"""Reading the knowledge folder's YAML: exactly what PyYAML's safe loader reads, many times faster.

PyYAML's loader builds a node (with two position marks) for every value and resolves each one
through several Python calls before constructing it: 19 s for the 60 MB facts.yaml of 100,000
facts, even with libyaml parsing. Plain documents (mappings, lists and scalars, without anchors,
aliases, explicit tags or merge keys: every facts file) are read here straight from the parser's
events instead, in 3 s; each scalar is resolved and constructed by the loader's own resolver and
constructors, so the values are the same. Anything else, and any error, is left to the full loader,
which reads the document again and so reports exactly what it always has.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import MappingNode, ScalarNode, SequenceNode


class _YamlLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's loader (many times faster than the pure-Python one, the same documents), refusing a
    key given twice in one mapping: YAML would silently keep the last ("fourth: [4th, …]" lost)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"{key!r} is given twice", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


# Untagged scalars, lists and mappings have no tag ("!" is a tag that says so).
_NO_TAG = (None, "!")


class _NotPlain(Exception):
    """The document uses a YAML feature (or has an error) that only the full loader reads right."""


def load_yaml(text: str) -> Any:
    """The document in ``text``, as ``yaml.load`` with the duplicate-refusing safe loader reads it
    (None for an empty one). Raises ``yaml.YAMLError`` as that loader does."""
    loader = _YamlLoader(text)
    try:
        return _plain_document(loader)
    except (_NotPlain, yaml.YAMLError):
        pass
    finally:
        loader.dispose()
    return yaml.load(text, Loader=_YamlLoader)


def _plain_document(loader: Any) -> Any:
    _expect(loader.get_event(), StreamStartEvent)
    if loader.check_event(StreamEndEvent):
        return None
    _expect(loader.get_event(), DocumentStartEvent)
    value = _value(loader, loader.get_event())
    _expect(loader.get_event(), DocumentEndEvent)
    _expect(loader.get_event(), StreamEndEvent)  # a second document is the full loader's error to report
    return value


def _expect(event: Event, kind: type[Event]) -> None:
    if type(event) is not kind:
        raise _NotPlain


def _value(loader: Any, event: Event) -> Any:
    kind = type(event)
    if kind is ScalarEvent:
        return _scalar(loader, event)
    if getattr(event, "anchor", None) is not None or getattr(event, "tag", None) not in _NO_TAG:
        raise _NotPlain  # an alias, an anchor or an explicit tag
    if kind is SequenceStartEvent:
        _expect_default_tag(loader, SequenceNode, event, loader.DEFAULT_SEQUENCE_TAG)
        items = []
        while type(event := loader.get_event()) is not SequenceEndEvent:
            items.append(_value(loader, event))
        return items
    if kind is MappingStartEvent:
        _expect_default_tag(loader, MappingNode, event, loader.DEFAULT_MAPPING_TAG)
        mapping: dict[Any, Any] = {}
        while type(event := loader.get_event()) is not MappingEndEvent:
            if type(event) is not ScalarEvent:
                raise _NotPlain  # a list or a mapping as a key
            key = _scalar(loader, event)
            if key in mapping:
                raise _NotPlain  # given twice: the full loader says where
            mapping[key] = _value(loader, loader.get_event())
        return mapping
    raise _NotPlain


def _expect_default_tag(loader: Any, node_kind: type, event: Any, default: str) -> None:
    if loader.resolve(node_kind, None, event.implicit) != default:
        raise _NotPlain


def _scalar(loader: Any, event: ScalarEvent) -> Any:
    if event.anchor is not None or event.tag not in _NO_TAG:
        raise _NotPlain
    tag = loader.resolve(ScalarNode, event.value, event.implicit)
    if tag == loader.DEFAULT_SCALAR_TAG:
        return event.value
    # A number, true/false, null or a date: built by the loader's own constructor. A merge key ("<<")
    # or a value key ("=") has none: the full loader handles them.
    construct = loader.yaml_constructors.get(tag)
    if construct is None:
        raise _NotPlain
    return construct(loader, ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style))
