"""Render the compendium as PDF with WeasyPrint: the whole collection and one edition per theme.

No MkDocs here, so the site build (after the pages exist) and `make pdf` (without a site) share it.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from importlib import resources
from pathlib import Path
from typing import Any

from recueil.collection import load_collection
from recueil.compendium import Compendium, CompendiumOptions, build_compendium, pdf_name, render_document
from recueil.index import Index, build_index
from recueil.vocabulary import vocabularies

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian's fonts-dejavu-core
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSansMono.ttf")


class PdfError(Exception):
    """The PDF cannot be made (missing fonts, invalid sheets); the message says what to do."""


def _stylesheet(font_config: Any) -> Any:
    from weasyprint import CSS  # type: ignore[import-untyped]

    missing = [name for name in FONT_FILES if not (FONT_DIR / name).is_file()]
    if missing:
        raise PdfError(f"polices absentes de {FONT_DIR} : {', '.join(missing)} "
                       "(installez le paquet Debian fonts-dejavu-core : scripts/system-deps.sh)")
    text = resources.files("recueil").joinpath("templates/recueil-pdf.css").read_text(encoding="utf-8")
    # Relative font URLs resolve against the local font folder.
    return CSS(string=text, base_url=FONT_DIR.as_uri() + "/", font_config=font_config)


def render_pdf(compendium: Compendium) -> bytes:
    try:
        # Imported here: WeasyPrint needs Pango at import time, and the site builds without it.
        from weasyprint import HTML
        from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]
    except OSError as error:
        raise PdfError(f"WeasyPrint ne trouve pas ses bibliothèques ({error}) : lancez scripts/system-deps.sh "
                       "ou désactivez le PDF avec RECUEIL_PDF=0") from error
    font_config = FontConfiguration()
    document = HTML(string=render_document(compendium), base_url=compendium.options.base_url or str(Path.cwd()))
    pdf: bytes = document.write_pdf(stylesheets=[_stylesheet(font_config)], font_config=font_config)
    return pdf


def _write_edition(index: Index, options: CompendiumOptions, theme: str | None, directory: Path) -> Path | None:
    edition = build_compendium(index, options, theme=theme)
    if not edition.sheets:
        return None
    path = directory / pdf_name(edition.scope)
    path.write_bytes(render_pdf(edition))
    return path


def write_pdfs(index: Index, options: CompendiumOptions, directory: Path, workers: int | None = None) -> list[Path]:
    """The whole compendium and one PDF per theme that has practices, written into `directory`.

    Editions are independent, so they render in parallel processes (spawned: the caller may be a
    threaded server, where forking is unsafe). `workers=1` renders in this process.
    """
    directory.mkdir(parents=True, exist_ok=True)
    themes: list[str | None] = [None, *vocabularies()["themes"].ids]
    workers = workers or min(len(themes), os.cpu_count() or 1)
    if workers == 1:
        results = [_write_edition(index, options, theme, directory) for theme in themes]
    else:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = [pool.submit(_write_edition, index, options, theme, directory) for theme in themes]
            results = [future.result() for future in futures]
    return [path for path in results if path is not None]


def pdfs_from_folder(practices: Path, directory: Path, options: CompendiumOptions,
                     workers: int | None = None) -> list[Path]:
    """Check the practices folder like the site build does, then write the PDFs."""
    collection = load_collection(practices, root=practices.parent)
    if collection.errors:
        raise PdfError("\n".join(str(e) for e in collection.errors)
                       + f"\n{len(collection.errors)} erreur(s) dans les fiches : pas de PDF.")
    return write_pdfs(build_index(collection), options, directory, workers)
