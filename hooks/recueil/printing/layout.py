"""One document laid out by WeasyPrint, with the compendium's fonts and stylesheet.

Runs in the build's process or in a worker of the pool (`pool.py`); imports WeasyPrint only when it
lays out, since WeasyPrint needs Pango at import time and the site builds without it.
"""

from __future__ import annotations

import atexit
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from recueil.printing.assembly import tidy_structure

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian's fonts-dejavu-core
# The stylesheet's faces: (family, bold) → Debian's file. Italic and oblique text is slanted by Pango.
FONTS = {
    ("Recueil Sans", False): "DejaVuSans.ttf",
    ("Recueil Sans", True): "DejaVuSans-Bold.ttf",
    ("Recueil Serif", False): "DejaVuSerif.ttf",
    ("Recueil Serif", True): "DejaVuSerif-Bold.ttf",
    ("Recueil Mono", False): "DejaVuSansMono.ttf",
}
HEADER_FONT = "DejaVuSans.ttf"  # the running header and footer: « Recueil Sans »


class PdfError(Exception):
    """The PDF cannot be made (missing fonts, invalid sheets); the message says what to do."""


@dataclass(frozen=True)
class Part:
    """A laid-out document: its PDF and, for each of its pages, the ids of the elements on that page."""

    pdf: bytes
    anchors: tuple[tuple[str, ...], ...]


def stylesheet() -> str:
    faces = "".join(
        f'@font-face {{ font-family: "{family}"; src: url("{file}"); font-weight: {"bold" if bold else "normal"}; }}\n'
        for (family, bold), file in FONTS.items()
    )
    return faces + resources.files("recueil").joinpath("templates/printing/recueil-pdf.css").read_text(encoding="utf-8")


_weasyprint: dict[str, Any] = {}  # per process: the stylesheet is parsed and the fonts loaded once


def layout(html: str) -> Part:
    """Lay out one document with WeasyPrint (in a worker process, or in this one)."""
    if not _weasyprint:
        from weasyprint import CSS, HTML, URLFetcher  # type: ignore[import-untyped]
        from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]

        fonts = FontConfiguration()
        atexit.register(_weasyprint.clear)  # WeasyPrint's font configuration cannot be freed at interpreter exit
        _weasyprint.update(
            html=HTML,
            fonts=fonts,
            css=CSS(string=stylesheet(), font_config=fonts, base_url=FONT_DIR.as_uri() + "/"),
            # Local files and inline data only, never a resource from another host (the sanitiser
            # already drops such images from the bodies: this is the second lock).
            fetcher=URLFetcher(allowed_protocols={"file", "data"}),
        )
    document = _weasyprint["html"](string=html, url_fetcher=_weasyprint["fetcher"]).render(
        stylesheets=[_weasyprint["css"]], font_config=_weasyprint["fonts"]
    )
    # Tagged: a structure tree per document, tidied here (once per layout), that the assembly joins into one.
    return Part(
        pdf=tidy_structure(document.write_pdf(pdf_tags=True)),
        anchors=tuple(tuple(page.anchors) for page in document.pages),
    )


def check_renderer() -> str:
    """WeasyPrint's version, or what to install."""
    missing = [name for name in {*FONTS.values(), HEADER_FONT} if not (FONT_DIR / name).is_file()]
    if missing:
        raise PdfError(
            f"polices absentes de {FONT_DIR} : {', '.join(sorted(missing))} "
            "(installez le paquet Debian fonts-dejavu-core : scripts/system-deps.sh)"
        )
    try:
        # Imported here: WeasyPrint needs Pango at import time, and the site builds without it.
        import weasyprint
    except OSError as error:
        raise PdfError(
            f"WeasyPrint ne trouve pas ses bibliothèques ({error}) : lancez scripts/system-deps.sh "
            "ou désactivez le PDF avec RECUEIL_PDF=0"
        ) from error
    return str(weasyprint.__version__)
