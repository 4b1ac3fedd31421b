"""Write the compendium PDFs (recueil.pdf and one per theme) without building the site: `make pdf`.

Reads the practices folder and the public address from mkdocs.yml, like the site build does.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from recueil.compendium import CompendiumOptions
from recueil.pdf import CACHE_FOLDER, PdfError, pdfs_from_folder

ROOT = Path(__file__).resolve().parent.parent


class _Loader(yaml.SafeLoader):
    """mkdocs.yml may hold MkDocs-specific tags (!ENV, !relative): they are not needed here."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def _settings(config_file: Path) -> dict[str, Any]:
    config: dict[str, Any] = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader)
    return config


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", type=Path, nargs="?", default=ROOT / "site", help="dossier de sortie (site/)")
    parser.add_argument("-f", "--config-file", type=Path, default=ROOT / "mkdocs.yml")
    parser.add_argument("--pratiques", type=Path, help="dossier des fiches (par défaut : celui de mkdocs.yml)")
    args = parser.parse_args()
    config = _settings(args.config_file)
    settings = config.get("extra", {}).get("recueil", {})
    practices = args.pratiques or args.config_file.parent / settings.get("pratiques", "practices")
    options = CompendiumOptions(
        title=config.get("site_name") or CompendiumOptions.title,
        base_url=config.get("site_url") or settings.get("adresse") or None,
        use_directory_urls=config.get("use_directory_urls", True),
    )
    started = time.perf_counter()
    try:
        written = pdfs_from_folder(practices.resolve(), args.output, options,
                                   cache=args.config_file.parent / CACHE_FOLDER)
    except PdfError as error:
        print(error, file=sys.stderr)
        return 1
    for path in written.paths:
        print(path)
    print(written.summary(time.perf_counter() - started), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
