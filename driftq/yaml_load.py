"""YAML for configs, with bounds: a hostile or careless file is refused, never expanded.

PyYAML builds aliases lazily as shared objects, but everything that walks the result (our
line index, `${VAR}` expansion, pydantic) visits every alias again: nine levels of nine
aliases (a 442-byte file) are 387 million nodes. So the document is first *composed* (nodes,
aliases still shared) and measured: its size with every alias expanded, its depth, duplicate
keys, alias cycles and integers too long for Python to read. Only a document within the
bounds is constructed into Python values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

# a config with 10,000 accounts is ~150,000 nodes; a bomb is millions
MAX_NODES = 1_000_000
MAX_DEPTH = 64
MAX_BYTES = 16 * 2**20
# CPython refuses to read longer integers (sys.int_info.default_max_str_digits)
MAX_INT_DIGITS = 4300
_LOADER: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_INT = "tag:yaml.org,2002:int"
_MERGE = "tag:yaml.org,2002:merge"

Path_ = tuple[str | int, ...]


@dataclass
class YamlProblem(Exception):
    """What is wrong and the (1-based) line; the caller names the file."""

    message: str
    line: int | None = None


def load_yaml(text: str) -> tuple[Any, dict[Path_, int]]:
    """The document's value and the line of every key path; raises YamlProblem."""
    if len(text) > MAX_BYTES:
        raise YamlProblem(f"the file is {len(text) / 2**20:.0f} MB; a config is at most 16 MB")
    if "\x00" in text:
        raise YamlProblem("the file contains a NUL byte: is it a binary file?")
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise YamlProblem(
            "invalid YAML: " + " ".join(str(problem).split()), mark.line + 1 if mark else None
        ) from exc
    except RecursionError as exc:  # the pure-Python parser, when libyaml is missing
        raise YamlProblem(f"nested more than {MAX_DEPTH} levels deep") from exc
    if root is None:
        return None, {}
    _measure(root)
    lines: dict[Path_, int] = {}
    _index_lines(root, lines)
    try:
        value = _LOADER("").construct_document(root)
    except (ValueError, OverflowError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        raise YamlProblem(
            "invalid value: " + " ".join(str(getattr(exc, "problem", None) or exc).split()),
            mark.line + 1 if mark else None,
        ) from exc
    return value, lines


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _measure(root: yaml.Node) -> None:
    """Refuse bombs, cycles, deep nesting, duplicate keys and unreadable integers.

    Post-order over the node graph with a size per node, so a shared (aliased) node is
    measured once however often it is used, yet counted every time.
    """
    sizes: dict[int, int] = {}
    # levels below each node, aliases followed: what a recursive walk of the values meets
    heights: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            children = _children(node)
            sizes[key] = 1 + sum(sizes[id(c)] for c in children)
            heights[key] = 1 + max((heights[id(c)] for c in children), default=0)
            if heights[key] > MAX_DEPTH:
                raise YamlProblem(f"nested more than {MAX_DEPTH} levels deep", _line(node))
            if sizes[key] > MAX_NODES:
                raise YamlProblem(
                    f"the document expands to more than {MAX_NODES:,} values (aliases that "
                    "repeat aliases: a YAML bomb?)",
                    _line(node),
                )
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise YamlProblem("a YAML alias refers to a node that contains it", _line(node))
        if depth > MAX_DEPTH:
            raise YamlProblem(f"nested more than {MAX_DEPTH} levels deep", _line(node))
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _INT and sum(c.isdigit() for c in node.value) > MAX_INT_DIGITS:
                raise YamlProblem(f"an integer of more than {MAX_INT_DIGITS} digits", _line(node))
            sizes[key] = heights[key] = 1
            continue
        if isinstance(node, yaml.MappingNode):
            _check_duplicates(node)
        on_path.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(node))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_duplicates(node: yaml.MappingNode) -> None:
    seen: dict[str, int] = {}
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == _MERGE:
            continue
        if key.value in seen:
            raise YamlProblem(
                f"key `{key.value}` appears twice in one mapping (first on line "
                f"{seen[key.value]}); YAML would silently keep only the last",
                _line(key),
            )
        seen[key.value] = _line(key)


def _index_lines(root: yaml.Node, lines: dict[Path_, int]) -> None:
    """The line of every key path (bounded: _measure ran first)."""
    stack: list[tuple[yaml.Node, Path_]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        lines.setdefault(path, _line(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = (*path, str(key.value))
                lines[child] = _line(key)
                stack.append((value, child))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*path, i)) for i, item in enumerate(node.value))
