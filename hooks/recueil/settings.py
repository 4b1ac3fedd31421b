"""The project's settings, read once from mkdocs.yml (its `extra.recueil` block included) and checked.

The hook, the `recueil` command and the scripts all take a `Settings`: an unknown or misspelt key
of `extra.recueil` is an error at `mkdocs.yml:line`, never a silent fallback to a default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from recueil.format.schema_check import suggestion
from recueil.model import Problem
from recueil.urls import Urls

# The keys of `extra.recueil`, each with what it holds (shown with the error of an unknown key).
KEYS = {
    "pratiques": "dossier des fiches, relatif à mkdocs.yml (par défaut : practices)",
    "edition": "adresse de modification d'une fiche dans le dépôt, avec {chemin}",
    "nouvelle_fiche": "adresse « nouveau fichier » du dépôt, ouverte par le formulaire de contribution",
    "adresse": "adresse publique du site (https://…/), imprimée avec un code QR quand site_url est vide",
}
DEFAULT_PRACTICES = "practices"
CONFIG_FILE = "mkdocs.yml"


@dataclass(frozen=True, kw_only=True)
class Settings:
    root: Path  # the folder of mkdocs.yml
    practices_dir: Path
    site_name: str = "Recueil de bonnes pratiques"
    urls: Urls = field(default_factory=Urls)
    public_url: str | None = None  # printed and QR-coded: site_url, else extra.recueil.adresse
    edit_url: str | None = None  # with {chemin}: the sheet's path in the repository
    new_file_url: str | None = None

    def repository_path(self, path: Path) -> str:
        """A path as the repository names it (a folder outside it keeps its name only)."""
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else path.name

    def with_practices(self, practices_dir: Path) -> Settings:
        return replace(self, practices_dir=practices_dir)


class SettingsError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def load_settings(config_file: Path, *, resolved: Mapping[str, Any] | None = None, serving: bool = False) -> Settings:
    """Read `config_file`. `resolved`: the values MkDocs already read (the hook passes its config);
    `serving`: under `mkdocs serve`, whose `site_url` is the local preview's, not the public one."""
    text = config_file.read_text(encoding="utf-8")
    shown = config_file.name
    try:
        data = resolved if resolved is not None else read_config(text)
        lines = _extra_lines(yaml.compose(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SettingsError(
            [Problem(path=shown, line=mark.line + 1 if mark else 1, message=f"YAML invalide : {exc}")]
        ) from None
    extra = (data.get("extra") or {}).get("recueil") or {}
    problems = _problems(extra, lines, shown)
    if problems:
        raise SettingsError(problems)
    site_url = None if serving else (data.get("site_url") or None)
    root = config_file.parent.resolve()
    return Settings(
        root=root,
        practices_dir=root / extra.get("pratiques", DEFAULT_PRACTICES),
        site_name=data.get("site_name") or Settings.site_name,
        urls=Urls(use_directory_urls=bool(data.get("use_directory_urls", True)), site_url=site_url),
        public_url=site_url or extra.get("adresse") or None,
        edit_url=extra.get("edition") or None,
        new_file_url=extra.get("nouvelle_fiche") or None,
    )


def read_config(text: str) -> dict[str, Any]:
    """mkdocs.yml as plain data, MkDocs' own tags included (`!ENV` resolved, others read as None)."""
    data = yaml.load(text, Loader=_TolerantLoader)
    return data if isinstance(data, dict) else {}


def _problems(extra: Any, lines: dict[str, int], shown: str) -> list[Problem]:
    line = lines.get("", 1)
    if not isinstance(extra, Mapping):
        return [Problem(path=shown, line=line, message="« extra.recueil » doit être un ensemble de clés")]
    problems = []
    for key, value in extra.items():
        message = _key_problem(str(key), value)
        if message:
            problems.append(Problem(path=shown, line=lines.get(str(key), line), message=message))
    return problems


def _key_problem(key: str, value: Any) -> str | None:
    if key not in KEYS:
        allowed = "; ".join(f"{k} ({meaning})" for k, meaning in KEYS.items())
        return f"clé inconnue « {key} » dans extra.recueil{suggestion(key, KEYS)} ; clés permises : {allowed}"
    if not isinstance(value, str) or not value.strip():
        return f"« extra.recueil.{key} » doit être un texte : {KEYS[key]}"
    if key in ("edition", "nouvelle_fiche", "adresse") and not value.startswith("https://"):
        return f"« extra.recueil.{key} » doit commencer par https://"
    if key == "edition" and "{chemin}" not in value:
        return "« extra.recueil.edition » doit contenir {chemin}"
    return None


def _extra_lines(node: yaml.Node | None) -> dict[str, int]:
    """Line of `extra.recueil` ("") and of each of its keys."""
    for section in ("extra", "recueil"):
        if not isinstance(node, yaml.MappingNode):
            return {}
        found = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == section]
        if not found:
            return {}
        key_node, node = found[0]
    lines = {"": key_node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        lines.update({k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)})
    return lines


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may hold MkDocs' own tags: `!ENV` is resolved as MkDocs does, others read as nothing."""


def _environment(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.SequenceNode):
        names = loader.construct_sequence(node)
    else:
        names = [loader.construct_scalar(node)] if isinstance(node, yaml.ScalarNode) else []
    *variables, default = names if len(names) > 1 else [*names, None]
    return next((os.environ[str(v)] for v in variables if str(v) in os.environ), default)


_TolerantLoader.add_constructor("!ENV", _environment)
_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)
