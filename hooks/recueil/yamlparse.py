"""Parse YAML into plain data plus the line of every key, refusing what practices never need.

PyYAML's C loader composes a node tree that carries line marks; we walk it once to record
lines, reject anchors/aliases (alias bombs), duplicate keys (PyYAML silently keeps the last)
and absurd nesting, then construct plain data with the safe constructor.
"""

from __future__ import annotations

import datetime as dt
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
        builder = _Builder(loader, first_line)
        data = builder.build(node, (), 0)
        return ParsedYaml(data, builder.lines)
    finally:
        loader.dispose()


def _impossible_value(node: yaml.ScalarNode) -> str:
    shown = node.value if len(node.value) <= 40 else node.value[:40] + "…"
    if node.tag == _TIMESTAMP:
        return f"date impossible « {shown} » : écrivez une date réelle au format AAAA-MM-JJ"
    kind = node.tag.rsplit(":", 1)[-1]
    return f"valeur « {shown} » illisible comme « {kind} » : retirez l'étiquette « !!{kind} » ou corrigez la valeur"


def _yaml_error_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or exc.context or "erreur de syntaxe"
    if "could not determine a constructor" in problem:
        return "étiquette YAML non autorisée (seules les valeurs simples sont permises)"
    return f"YAML invalide : {problem}"


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Builder:
    """Turns the node tree into plain data in one walk, recording the line of every key and item.

    Strings (nearly every value) are taken as they are; other scalars go through PyYAML's safe
    constructor, which refuses unknown tags such as !!python/object. Dates become ISO strings,
    as the JSON Schema expects (format: date).
    """

    def __init__(self, loader: yaml.SafeLoader, offset: int) -> None:
        self.loader = loader
        self.offset = offset
        self.lines: dict[Path, int] = {}
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        line = node.start_mark.line + self.offset
        if depth > MAX_DEPTH:
            raise YamlProblem(f"données trop imbriquées (plus de {MAX_DEPTH} niveaux)", line)
        if id(node) in self.seen:
            raise YamlProblem("les ancres et alias YAML (&, *) ne sont pas permis", line)
        self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            return node.value if node.tag == _STR else self._scalar(node, line)
        if node.tag not in (_MAP, _SEQ):
            raise YamlProblem("étiquette YAML non autorisée (seules les valeurs simples sont permises)", line)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.lines[(*path, index)] = item.start_mark.line + self.offset
                if id(item) in self.seen:
                    raise YamlProblem(
                        "les ancres et alias YAML (&, *) ne sont pas permis", item.start_mark.line + self.offset
                    )
                items.append(self.build(item, (*path, index), depth + 1))
            return items
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + self.offset
            if id(key_node) in self.seen or id(value_node) in self.seen:
                raise YamlProblem("les ancres et alias YAML (&, *) ne sont pas permis", key_line)
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem("une clé doit être un texte simple", key_line)
            key = key_node.value
            if key == "<<":
                raise YamlProblem("la fusion de clés YAML (<<) n'est pas permise", key_line)
            if key in mapping:
                raise YamlProblem(
                    f"clé « {key} » en double (déjà ligne {self.lines[(*path, key)]}) : "
                    "YAML ne garderait que la dernière",
                    key_line,
                )
            self.lines[(*path, key)] = key_line
            mapping[key] = self.build(value_node, (*path, key), depth + 1)
        return mapping

    def _scalar(self, node: yaml.ScalarNode, line: int) -> Any:
        try:
            value = self.loader.construct_object(node)
        except yaml.MarkedYAMLError as exc:
            raise YamlProblem(_yaml_error_message(exc), line) from None
        except Exception:
            # PyYAML's constructors raise plain errors (ValueError, KeyError, IndexError…) for impossible
            # dates (2024-02-30, year 0, 25:61) and explicit tags with a value of the wrong kind (!!int abc,
            # an empty !!int): whatever they raise, the value is unreadable, and says so at its line.
            raise YamlProblem(_impossible_value(node), line) from None
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        if value is not None and not isinstance(value, str | int | float | bool):
            raise YamlProblem("étiquette YAML non autorisée (seules les valeurs simples sont permises)", line)
        return value
