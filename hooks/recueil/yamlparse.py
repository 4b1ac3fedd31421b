"""Parse YAML into plain data plus the line of every key, refusing what practices never need.

PyYAML's C loader composes a node tree that carries line marks; we walk it once to record
lines, reject anchors/aliases (alias bombs), duplicate keys (PyYAML silently keeps the last)
and absurd nesting, then construct plain data with the safe constructor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

try:
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # libyaml missing: correct, only slower
    _Loader = yaml.SafeLoader

MAX_DEPTH = 12

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class ParsedYaml:
    data: Any
    lines: dict[Path, int]  # file line (1-based) of each key or list item


class YamlProblem(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line  # 1-based, in the file


def parse(text: str, first_line: int = 1) -> ParsedYaml:
    """Parse `text`, whose first line is line `first_line` of its file."""
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            raise YamlProblem(_yaml_error_message(exc), first_line + (mark.line if mark else 0)) from None
        except yaml.YAMLError as exc:
            raise YamlProblem(f"YAML invalide : {exc}", first_line) from None
        if node is None:
            return ParsedYaml(None, {})
        lines: dict[Path, int] = {}
        _walk(node, (), lines, depth=0, seen=set(), offset=first_line)
        try:
            data = loader.construct_document(node)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = first_line + (mark.line if mark else 0)
            raise YamlProblem(_yaml_error_message(exc), line) from None
        return ParsedYaml(_plain(data), lines)
    finally:
        loader.dispose()


def _yaml_error_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or exc.context or "erreur de syntaxe"
    if "could not determine a constructor" in problem:
        return "étiquette YAML non autorisée (seules les valeurs simples sont permises)"
    return f"YAML invalide : {problem}"


def _walk(
    node: yaml.Node, path: Path, lines: dict[Path, int], depth: int, seen: set[int], offset: int
) -> None:
    line = node.start_mark.line + offset
    if depth > MAX_DEPTH:
        raise YamlProblem(f"données trop imbriquées (plus de {MAX_DEPTH} niveaux)", line)
    if id(node) in seen:
        raise YamlProblem("les ancres et alias YAML (&, *) ne sont pas permis", line)
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys: dict[str, int] = {}
        for key_node, value_node in node.value:
            if id(key_node) in seen or id(value_node) in seen:
                raise YamlProblem(
                    "les ancres et alias YAML (&, *) ne sont pas permis",
                    key_node.start_mark.line + offset,
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem("une clé doit être un texte simple", key_node.start_mark.line + offset)
            key = key_node.value
            key_line = key_node.start_mark.line + offset
            if key == "<<":
                raise YamlProblem("la fusion de clés YAML (<<) n'est pas permise", key_line)
            if key in keys:
                raise YamlProblem(
                    f"clé « {key} » en double (déjà ligne {keys[key]}) : "
                    "YAML ne garderait que la dernière",
                    key_line,
                )
            keys[key] = key_line
            lines[(*path, key)] = key_line
            _walk(value_node, (*path, key), lines, depth + 1, seen, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + offset
            _walk(item, (*path, index), lines, depth + 1, seen, offset)



def _plain(value: Any) -> Any:
    """Dates become ISO strings, as the JSON Schema expects (format: date)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def iter_strings(value: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """Every string leaf of parsed data, with its path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from iter_strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from iter_strings(item, (*path, index))
