"""Render the compendium as PDF: the whole collection and one edition per theme.

A sheet prints the same in every edition and whatever its page number, so each sheet is a WeasyPrint
document of its own: laid out once for all editions, in parallel processes, and kept in a cache on disk
under the hash of its HTML, so that a rebuild lays out only the sheets that changed. The parts that
print page numbers (contents, recommendations, chapter openings, keyword index) are laid out once the
sheets' lengths are known, and again until their own lengths settle. `recueil.printing.assembly` then puts
the pages together, stamps the running header and "page X / Y", resolves the links and bookmarks.

No MkDocs here, so the site build (after the pages exist) and `make pdf` (without a site) share it.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import multiprocessing
import os
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from recueil.format.vocabulary import vocabularies
from recueil.index import Index, build_index
from recueil.load.collection import load_collection
from recueil.printing.assembly import Bookmark, Metadata, Section, Stamp, assemble, tidy_structure
from recueil.printing.compendium import (
    PDF_LINK,
    Compendium,
    CompendiumOptions,
    build_compendium,
    online_url,
    pdf_name,
    pdf_parts,
    pdf_sheet,
    pdf_sources,
)

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
CACHE_FORMAT = "recueil-pdf 4"  # change it when what is cached changes shape
CACHE_FOLDER = Path(".cache") / "recueil-pdf"  # under the project's root; never read for anything else
MAX_ROUNDS = 5  # layouts of the numbered parts before their lengths must have settled


class PdfError(Exception):
    """The PDF cannot be made (missing fonts, invalid sheets); the message says what to do."""


@dataclass(frozen=True)
class Part:
    """A laid-out document: its PDF and, for each of its pages, the ids of the elements on that page."""

    pdf: bytes
    anchors: tuple[tuple[str, ...], ...]


def _stylesheet() -> str:
    faces = "".join(f'@font-face {{ font-family: "{family}"; src: url("{file}"); '
                    f'font-weight: {"bold" if bold else "normal"}; }}\n' for (family, bold), file in FONTS.items())
    return faces + resources.files("recueil").joinpath("templates/printing/recueil-pdf.css").read_text(encoding="utf-8")


_weasyprint: dict[str, Any] = {}  # per process: the stylesheet is parsed and the fonts loaded once


def _layout(html: str) -> Part:
    """Lay out one document with WeasyPrint (in a worker process, or in this one)."""
    if not _weasyprint:
        from weasyprint import CSS, HTML, URLFetcher  # type: ignore[import-untyped]
        from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]

        fonts = FontConfiguration()
        atexit.register(_weasyprint.clear)  # WeasyPrint's font configuration cannot be freed at interpreter exit
        _weasyprint.update(
            html=HTML, fonts=fonts,
            css=CSS(string=_stylesheet(), font_config=fonts, base_url=FONT_DIR.as_uri() + "/"),
            # Local files and inline data only, never a resource from another host (the sanitiser
            # already drops such images from the bodies: this is the second lock).
            fetcher=URLFetcher(allowed_protocols={"file", "data"}),
        )
    document = _weasyprint["html"](string=html, url_fetcher=_weasyprint["fetcher"]).render(
        stylesheets=[_weasyprint["css"]], font_config=_weasyprint["fonts"])
    # Tagged: a structure tree per document, tidied here (once per layout), that the assembly joins into one.
    return Part(pdf=tidy_structure(document.write_pdf(pdf_tags=True)),
                anchors=tuple(tuple(page.anchors) for page in document.pages))


def _check_renderer() -> str:
    """WeasyPrint's version, or what to install."""
    missing = [name for name in {*FONTS.values(), HEADER_FONT} if not (FONT_DIR / name).is_file()]
    if missing:
        raise PdfError(f"polices absentes de {FONT_DIR} : {', '.join(sorted(missing))} "
                       "(installez le paquet Debian fonts-dejavu-core : scripts/system-deps.sh)")
    try:
        # Imported here: WeasyPrint needs Pango at import time, and the site builds without it.
        import weasyprint
    except OSError as error:
        raise PdfError(f"WeasyPrint ne trouve pas ses bibliothèques ({error}) : lancez scripts/system-deps.sh "
                       "ou désactivez le PDF avec RECUEIL_PDF=0") from error
    return str(weasyprint.__version__)


class PartCache:
    """Laid-out documents by the hash of their HTML, the stylesheet and the WeasyPrint version.

    In memory for one build (editions share their sheets), and on disk in `folder` across builds.
    A missing, partial or unreadable entry is laid out again; nothing else is ever read from the folder.
    """

    def __init__(self, folder: Path | None, salt: str) -> None:
        self.folder = folder
        self.salt = hashlib.sha256(f"{CACHE_FORMAT}\0{salt}\0{_stylesheet()}\0".encode()).hexdigest()
        self.memory: dict[str, Part] = {}

    def key(self, html: str) -> str:
        return hashlib.sha256(f"{self.salt}\0{html}".encode()).hexdigest()

    def get(self, key: str) -> Part | None:
        if key in self.memory or self.folder is None:
            return self.memory.get(key)
        try:
            entry = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            pdf = (self.folder / f"{key}.pdf").read_bytes()
            if hashlib.sha256(pdf).hexdigest() != entry["sha256"]:
                return None  # an interrupted or foreign write
            part = Part(pdf=pdf, anchors=tuple(tuple(str(a) for a in page) for page in entry["anchors"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        self.memory[key] = part
        return part

    def put(self, key: str, part: Part) -> None:
        self.memory[key] = part
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        # The PDF first, then its page list and checksum: an entry counts once both are there and agree.
        self._write(f"{key}.pdf", part.pdf)
        entry = {"sha256": hashlib.sha256(part.pdf).hexdigest(), "anchors": part.anchors}
        self._write(f"{key}.json", json.dumps(entry, ensure_ascii=False).encode())

    def _write(self, name: str, data: bytes) -> None:
        assert self.folder is not None
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, self.folder / name)

    def keep_only(self, keys: set[str]) -> None:
        """Forget the entries this build did not use (sheets deleted or changed since)."""
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.suffix in {".pdf", ".json"} and path.stem not in keys and len(path.stem) == 64:
                path.unlink(missing_ok=True)


class Renderer:
    """Lays out documents in parallel processes, each at most once: from the cache when it holds them."""

    def __init__(self, cache: PartCache, workers: int) -> None:
        self.cache = cache
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self.used: set[str] = set()
        self.laid_out = 0
        self.reused = 0

    def layout(self, documents: Sequence[str]) -> list[Part]:
        keys = [self.cache.key(html) for html in documents]
        found: dict[str, Part] = {}
        missing: dict[str, str] = {}
        for key, html in zip(keys, documents, strict=True):
            if key in found or key in missing:
                continue
            part = self.cache.get(key)
            if part is None:
                missing[key] = html
            else:
                found[key] = part
        for key, part in zip(missing, self._layout_all(list(missing.values())), strict=True):
            self.cache.put(key, part)
            found[key] = part
        self.laid_out += len(missing)
        self.reused += len(set(keys)) - len(missing)
        self.used.update(keys)
        return [found[key] for key in keys]

    def _layout_all(self, documents: list[str]) -> list[Part]:
        if self.workers == 1 or len(documents) < 2:
            return [_layout(html) for html in documents]
        if self.pool is None:
            # Spawned, not forked: the caller may be a threaded server (mkdocs serve).
            self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
        # Longest first, so that no long document (the sources, the index) starts when the rest is done.
        order = sorted(range(len(documents)), key=lambda i: -len(documents[i]))
        parts = dict(zip(order, self.pool.map(_layout, [documents[i] for i in order]), strict=True))
        return [parts[i] for i in range(len(documents))]

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()
            self.pool = None


@contextmanager
def renderer(cache_folder: Path | None = None, workers: int | None = None) -> Iterator[Renderer]:
    """A renderer for one build; the cache folder keeps only what the build used."""
    version = _check_renderer()
    rendering = Renderer(PartCache(cache_folder, salt=f"WeasyPrint {version}"), workers or os.cpu_count() or 1)
    try:
        yield rendering
        rendering.cache.keep_only(rendering.used)
    finally:
        rendering.close()


class _Edition:
    """One PDF being laid out: its sheets, and its numbered parts from the latest round."""

    def __init__(self, compendium: Compendium, sheets: dict[str, Part], numbered: list[Part], sources: Part) -> None:
        self.compendium = compendium
        self.sheets = sheets
        self.numbered = numbered  # the opening parts, each chapter's opening, the keyword index
        self.sources = sources

    def parts(self) -> list[Part]:
        """Every document in print order."""
        opening, *chapters, keywords = self.numbered
        parts = [opening]
        for chapter, chapter_opening in zip(self.compendium.chapters, chapters, strict=True):
            parts += [chapter_opening, *(self.sheets[sheet.practice.slug] for sheet in chapter.sheets)]
        return [*parts, keywords, self.sources]

    def sections(self) -> list[Section]:
        """Where each document of `parts()` goes in the structure tree: each chapter is a `Part` holding its
        opening's section and its sheets' articles (the body wrapper's single child, joined across pages)."""
        sections = [Section(part=None)]
        for chapter in self.compendium.chapters:
            sections += [Section(part=chapter.theme.libelle, depth=2)] * (1 + len(chapter.sheets))
        return [*sections, Section(part=None, depth=2), Section(part=None, depth=2)]

    def link_labels(self) -> dict[str, str]:
        """What a link says it goes to, by anchor: a sheet, a part, a keyword of the index."""
        c = self.compendium
        labels = {anchor: f"Aller à la partie : {title}" for anchor, title in c.parts}
        labels.update((f"mc-{k.slug}", f"Aller au mot-clé « {k.label} » de l'index") for k in c.keywords)
        labels.update((f"p-{s.practice.slug}", f"Aller à la fiche : {s.practice.titre}") for s in c.sheets)
        return labels

    def pages(self) -> list[tuple[str, ...]]:
        """The ids on each page of the edition."""
        return [page for part in self.parts() for page in part.anchors]

    def numbers(self) -> dict[str, int]:
        numbers: dict[str, int] = {}
        for number, anchors in enumerate(self.pages(), start=1):
            for anchor in anchors:
                numbers.setdefault(anchor, number)
        return numbers

    def headers(self) -> list[str | None]:
        """The running header of each page: the part it is in (none on the cover)."""
        titles = dict(self.compendium.parts)
        headers: list[str | None] = []
        current: str | None = None
        for anchors in self.pages():
            current = next((titles[a] for a in anchors if a in titles), current)
            headers.append(current)
        return [None, *headers[1:]]

    def bookmarks(self) -> list[Bookmark]:
        """One per part; under each theme, one per sheet."""
        chapters = {f"theme-{chapter.theme.id}": chapter for chapter in self.compendium.chapters}
        return [Bookmark(title=title, anchor=anchor, children=tuple(
            Bookmark(title=sheet.practice.titre, anchor=f"p-{sheet.practice.slug}")
            for sheet in (chapters[anchor].sheets if anchor in chapters else ())))
            for anchor, title in self.compendium.parts]

    def render(self) -> bytes:
        c = self.compendium
        fallbacks = {f"p-{p.slug}": url for p in c.index.practices if (url := online_url(p, c.options))}
        metadata = Metadata(title=c.title, author=c.options.author, subject=c.options.subtitle,
                            keywords=", ".join(chapter.theme.libelle for chapter in c.chapters),
                            language="fr", modified=c.edition)
        return assemble([part.pdf for part in self.parts()], sections=self.sections(), link_labels=self.link_labels(),
                        stamp=Stamp(headers=self.headers(), title=c.options.title, font=FONT_DIR / HEADER_FONT),
                        bookmarks=self.bookmarks(), link_scheme=PDF_LINK.removesuffix(":"), fallbacks=fallbacks,
                        metadata=metadata, fonts={face: FONT_DIR / file for face, file in FONTS.items()})


def render_pdfs(compendiums: Sequence[Compendium], rendering: Renderer) -> list[bytes]:
    """The PDF of each compendium; the sheets they share are laid out once."""
    sheets: dict[str, str] = {}
    for c in compendiums:
        for sheet in c.sheets:
            sheets.setdefault(sheet.practice.slug, pdf_sheet(c, sheet))
    # First round, with the sheets and the sources: the numbered parts with placeholder numbers, to learn
    # their lengths.
    drafts = [[*pdf_parts(c, None), pdf_sources(c)] for c in compendiums]
    parts = rendering.layout([*sheets.values(), *(html for draft in drafts for html in draft)])
    laid_out = dict(zip(sheets, parts[:len(sheets)], strict=True))
    rest = iter(parts[len(sheets):])
    editions = []
    for c, draft in zip(compendiums, drafts, strict=True):
        *numbered, sources = (next(rest) for _ in draft)
        editions.append(_Edition(c, laid_out, numbered, sources))
    unsettled = list(editions)
    for _ in range(MAX_ROUNDS):
        documents = [pdf_parts(edition.compendium, edition.numbers()) for edition in unsettled]
        rendered = iter(rendering.layout([html for edition_documents in documents for html in edition_documents]))
        settling = []
        for edition, edition_documents in zip(unsettled, documents, strict=True):
            latest = [next(rendered) for _ in edition_documents]
            if [p.anchors for p in latest] != [p.anchors for p in edition.numbered]:
                settling.append(edition)  # lengths moved: the numbers they printed may be wrong
            edition.numbered = latest
        unsettled = settling
        if not unsettled:
            rendering.close()  # the workers' memory is free before the PDFs are assembled
            return [edition.render() for edition in editions]
    titles = ", ".join(edition.compendium.title for edition in unsettled)
    raise PdfError(f"les numéros de page de « {titles} » ne se stabilisent pas après {MAX_ROUNDS} mises en page")


@dataclass(frozen=True)
class Written:
    paths: list[Path]
    laid_out: int  # documents WeasyPrint laid out for this build
    reused: int  # documents taken from the cache

    def summary(self, seconds: float) -> str:
        return (f"{len(self.paths)} PDF du recueil écrits en {seconds:.1f} s ({self.laid_out} documents mis en page, "
                f"{self.reused} repris de {CACHE_FOLDER})")


def write_pdfs(index: Index, options: CompendiumOptions, directory: Path, *, cache: Path | None = None,
               workers: int | None = None, themes: bool = True) -> Written:
    """The whole compendium and one PDF per theme that has practices (`themes`), written into `directory`.

    `cache`: the folder that keeps laid-out documents between builds; `workers`: processes (default: one
    per CPU; 1 lays out in this process).
    """
    scopes: list[str | None] = [None, *(vocabularies()["themes"].ids if themes else ())]
    compendiums = [c for c in (build_compendium(index, options, theme=scope) for scope in scopes) if c.sheets]
    with renderer(cache, workers) as rendering:
        pdfs = render_pdfs(compendiums, rendering)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for compendium, pdf in zip(compendiums, pdfs, strict=True):
        path = directory / pdf_name(compendium.scope)
        path.write_bytes(pdf)
        paths.append(path)
    return Written(paths=paths, laid_out=rendering.laid_out, reused=rendering.reused)


def pdfs_from_folder(practices: Path, directory: Path, options: CompendiumOptions, *, cache: Path | None = None,
                     workers: int | None = None) -> Written:
    """Check the practices folder like the site build does, then write the PDFs."""
    collection = load_collection(practices, root=practices.parent)
    if collection.errors:
        raise PdfError("\n".join(str(e) for e in collection.errors)
                       + f"\n{len(collection.errors)} erreur(s) dans les fiches : pas de PDF.")
    return write_pdfs(build_index(collection), options, directory, cache=cache, workers=workers)
