"""Write the whole site as a plain Markdown tree any MkDocs-compatible generator can build.

The hook adds generated pages in memory; exporting them, beside the hand-written pages and a
configuration without our hook, lets another generator (or plain mkdocs-material, in the
benchmark) build the very same site. The target folder must be new or empty: nothing is overwritten.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from recueil.settings import CONFIG_FILE, DEFAULT_PRACTICES, read_config


def config_elsewhere(project: Path, practices: Path) -> dict[str, Any]:
    """The project's mkdocs.yml with absolute paths, reading `practices`: buildable from any folder
    (tests and benchmarks build real sites over other corpora this way)."""
    config = read_config((project / CONFIG_FILE).read_text(encoding="utf-8"))
    config["docs_dir"] = str(project / config.get("docs_dir", "docs"))
    config["hooks"] = [str(project / hook) for hook in config["hooks"]]
    config["theme"]["custom_dir"] = str(project / config["theme"]["custom_dir"])
    config.pop("watch", None)
    config["extra"]["recueil"]["pratiques"] = str(practices)
    return config


class ExportError(Exception):
    pass


def export_tree(config_file: Path, generated: Mapping[str, str | bytes], out: Path) -> int:
    """Write `out/docs` (hand-written + generated files) and `out/mkdocs.yml`; return the file count.

    The configuration is `config_file`'s, hooks and watch entries dropped and paths made to work from `out`.
    """
    project = config_file.parent
    config = read_config(config_file.read_text(encoding="utf-8"))
    if out.exists() and any(out.iterdir()):
        raise ExportError(f"{out} n'est pas vide : choisissez un dossier nouveau ou vide")
    resolved = out.resolve()
    practices = project / ((config.get("extra") or {}).get("recueil") or {}).get("pratiques", DEFAULT_PRACTICES)
    for protected in (practices, project / config.get("docs_dir", "docs")):
        if resolved == protected.resolve() or protected.resolve() in resolved.parents:
            raise ExportError(f"{out} est dans {protected} : exportez ailleurs")
    docs = out / "docs"
    shutil.copytree(project / config.get("docs_dir", "docs"), docs)
    for uri, content in generated.items():
        target = docs / uri
        if target.exists():
            raise ExportError(f"{uri} existe déjà dans docs/ : page générée en conflit")
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    plain = {key: value for key, value in config.items() if key not in ("hooks", "watch")}
    plain["docs_dir"] = "docs"
    theme = dict(plain.get("theme", {}))
    if "custom_dir" in theme:
        shutil.copytree(project / theme["custom_dir"], out / "theme")
        theme["custom_dir"] = "theme"
        plain["theme"] = theme
    (out / "mkdocs.yml").write_text(yaml.safe_dump(plain, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return sum(1 for path in docs.rglob("*") if path.is_file())
