"""Write the compendium PDFs (recueil.pdf and one per theme) without building the site: `make pdf`.

Reads the practices folder and the public address from mkdocs.yml, like the site build does.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from recueil.printing.cache import CACHE_FOLDER
from recueil.printing.layout import PdfError
from recueil.printing.pdf import pdfs_from_folder
from recueil.settings import load_settings
from recueil.site.files import compendium_options

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", type=Path, nargs="?", default=ROOT / "site", help="dossier de sortie (site/)")
    parser.add_argument("-f", "--config-file", type=Path, default=ROOT / "mkdocs.yml")
    parser.add_argument("--pratiques", type=Path, help="dossier des fiches (par défaut : celui de mkdocs.yml)")
    args = parser.parse_args()
    settings = load_settings(args.config_file)
    if args.pratiques:
        settings = settings.with_practices(args.pratiques.resolve())
    started = time.perf_counter()
    try:
        written = pdfs_from_folder(
            settings.practices_dir, args.output, compendium_options(settings), cache=settings.root / CACHE_FOLDER
        )
    except PdfError as error:
        print(error, file=sys.stderr)
        return 1
    for path in written.paths:
        print(path)
    print(written.summary(time.perf_counter() - started), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
