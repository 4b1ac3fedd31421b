"""The glossary and the abbreviations: every acronym a reader meets is explained, and sheets link to the glossary."""

from __future__ import annotations

import re
from pathlib import Path

import frontmatter
import pytest

from conftest import ROOT, Build

ABBREVIATIONS = ROOT / "docs" / "includes" / "abreviations.md"
ACRONYM = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*(?![\w-])")
NOR_NUMBER = re.compile(r"^[A-Z]{4}\d{7}[A-Z]$")  # a NOR reference (JUSF1911811C) is an identifier, not a sigle
URL_OR_CODE = re.compile(r"https?://\S+|`[^`]*`|\]\([^)]*\)")


def _defined() -> set[str]:
    return set(re.findall(r"^\*\[([^\]]+)\]:", ABBREVIATIONS.read_text(encoding="utf-8"), flags=re.MULTILINE))


def _reader_text(path: Path) -> str:
    """What a reader sees of a file: title, summary and body of a sheet; the body of a page."""
    post = frontmatter.loads(path.read_text(encoding="utf-8"))
    parts = [str(post.get("titre", "")), str(post.get("resume", "")), post.content]
    return URL_OR_CODE.sub(" ", "\n".join(parts))


def _acronyms(path: Path) -> set[str]:
    return {word for word in ACRONYM.findall(_reader_text(path)) if not NOR_NUMBER.match(word)}


SOURCES = sorted((ROOT / "practices").glob("*.md")) + sorted((ROOT / "docs").glob("*.md"))


@pytest.mark.parametrize("path", SOURCES, ids=[p.relative_to(ROOT).as_posix() for p in SOURCES])
def test_every_acronym_is_defined_in_the_abbreviations(path: Path) -> None:
    missing = sorted(_acronyms(path) - _defined())
    assert missing == [], f"{path.relative_to(ROOT)}: add to {ABBREVIATIONS.relative_to(ROOT)}: {missing}"


def test_the_acronym_scan_finds_what_it_should() -> None:
    sample = ROOT / "practices" / "octroyer-la-protection-fonctionnelle-sans-delai.md"
    found = _acronyms(sample)
    assert {"DRH", "PHAROS", "PACS"} <= found
    assert not any(NOR_NUMBER.match(word) for word in found)


def test_abbreviations_are_unique_and_sorted() -> None:
    keys = re.findall(r"^\*\[([^\]]+)\]:", ABBREVIATIONS.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert len(keys) == len(set(keys))
    assert keys == sorted(keys, key=str.upper)


def test_glossary_entries_have_anchors_and_tooltips(fixture_site: Build) -> None:
    page = fixture_site.page("glossaire/")
    entries = page.select("article h2[id]")
    assert len(entries) >= 20
    ids = {h2["id"] for h2 in entries}
    assert {"protection-fonctionnelle", "duerp", "f3sct", "clspd", "dati", "article-40"} <= ids
    tooltip = page.find("abbr", string="DUERP")
    assert tooltip is not None and tooltip["title"] == "Document unique d'évaluation des risques professionnels"


def test_practice_pages_link_to_the_glossary(fixture_site: Build) -> None:
    page = fixture_site.page("pratiques/alpha-proteger/")
    link = page.select_one(".rc-fiche-pied a.rc-glossaire")
    assert link is not None and link["href"] == "../../glossaire/"
    assert (fixture_site.site / "glossaire" / "index.html").is_file()
