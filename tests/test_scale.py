"""The site at scale: a large collection is linked rather than inlined, cards get compact, search
indexes headings rather than body text, and `mkdocs serve` rebuilds reuse unchanged pages.

Real builds of the real configuration (synthetic corpora from scripts/synthetic_corpus.py); times are
measured by `make bench`, never here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from material.plugins.search.plugin import Parser

from conftest import CORPUS, ROOT, Build, mkdocs_build, write_config
from recueil.format import sanitize
from recueil.printing.compendium import INLINE_LIMIT
from recueil.site.islands import Islands
from recueil.site.pages import COMPACT_FROM
from recueil.site.searchindex import headings_only

sys.path.insert(0, str(ROOT / "scripts"))
from synthetic_corpus import generate

COUNT = max(INLINE_LIMIT, COMPACT_FROM) + 20


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    tmp = tmp_path_factory.mktemp("large")
    generate(tmp / "practices", COUNT)
    build = mkdocs_build(tmp, tmp / "practices")
    assert build.returncode == 0, build.output
    return build


def test_large_compendium_page_links_every_sheet_by_theme_and_moment(large_site: Build) -> None:
    page = large_site.page("recueil/")
    content = page.select_one("article.md-content__inner")
    assert content is not None
    assert not content.select(".rc-fiche-imprimable"), "sheets must not be inlined above the limit"
    sections = content.select("section.rc-chapitre-liens")
    assert sections and all(s.select("h2") and s.select("h3") for s in sections)
    linked = {a["href"].split("/")[-2] for a in content.select("section.rc-chapitre-liens a")}
    assert linked == {f"pratique-synthetique-{n:05d}" for n in range(1, COUNT + 1)}
    for href in list(linked)[:5]:
        assert (large_site.site / "pratiques" / href / "index.html").exists()


def test_large_listing_cards_are_compact_and_complete(large_site: Build) -> None:
    page = large_site.page("themes/politique-rh/")
    cards = page.select("article.rc-carte")
    assert cards and not page.select(".rc-carte .rc-badges")
    assert all(c.select_one(".rc-carte__titre a") and c.select_one(".rc-carte__resume") for c in cards)


def test_practice_page_keeps_toc_permalinks_and_body(large_site: Build) -> None:
    page = large_site.page("pratiques/pratique-synthetique-00007/")
    toc = [a.get_text(strip=True) for a in page.select("nav.md-nav--secondary a")]
    assert toc[:2] == ["Contexte", "Description"] and "Sources" in toc
    assert page.select("h2#contexte a.headerlink")
    assert page.select_one(".rc-fiche-entete h1") and page.select_one("dl.rc-meta")
    assert len(page.select("article.md-content__inner p")) > 5
    assert "ilot-" not in str(page), "every prepared block is put back"


def test_headings_only_keeps_headings_in_material_search() -> None:
    body = sanitize.clean(
        '<h2 id="contexte">Contexte</h2><p>mot-secret un</p><ul><li>mot-secret deux</li></ul>'
        '<h2 id="suite">Suite</h2><table><tr><td>mot-secret trois</td></tr></table>'
    )
    parser = Parser()
    parser.feed(headings_only(body))
    parser.close()
    sections = [s for s in parser.data if not s.is_excluded()]
    assert [s.id for s in sections if s.id] == ["contexte", "suite"]  # after the page's preface
    assert "mot-secret" not in "".join("".join(s.text) + "".join(s.title) for s in sections)
    assert headings_only(body).count("data-search-exclude") == 3


def test_islands_restore_nested_blocks_and_nothing_else() -> None:
    islands = Islands("secret")
    inner = islands.put("<b>dedans</b>")
    outer = islands.put(f"<div>{inner}</div>")
    html = f"<p>avant</p>{outer}<!--autre-ilot-00-->"
    assert islands.restore(html) == "<p>avant</p>\n\n<div>\n\n<b>dedans</b>\n\n</div>\n\n<!--autre-ilot-00-->"


# Builds as `mkdocs serve` does: one process, one `serve` startup, then a build after each edit.
REBUILD = """
import json, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
import re
config_file, site, *edits = sys.argv[1:]
reused = []
for run in range(len(edits) + 1):
    config = load_config(config_file=config_file, site_dir=site)
    if run == 0:
        config.plugins.on_startup(command="serve", dirty=False)
    build(config)
    cache = sys.modules["recueil.site.pagecache"]
    reused.append({"converted": cache.PAGES.hits, "rendered": cache.OUTPUTS.hits})
    if run < len(edits):
        sheet = Path(edits[run])
        title = "titre: Pratique révisée n° " + str(run) + " pendant la prévisualisation"
        text = re.sub("(?m)^titre: .*$", title, sheet.read_text(encoding="utf-8"), count=1)
        added = "\\nPhrase ajoutée pendant la prévisualisation n° " + str(run) + ".\\n"
        sheet.write_text(text + added, encoding="utf-8")
print(json.dumps(reused))
"""


def _serve_builds(config: Path, site: Path, *edits: Path) -> list[dict[str, int]]:
    result = subprocess.run(
        [sys.executable, "-c", REBUILD, str(config), str(site), *map(str, edits)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "RECUEIL_PDF": "0"},
    )
    assert result.returncode == 0, result.stderr
    return list(json.loads(result.stdout))


def _site_files(site: Path) -> dict[str, bytes]:
    # The sitemap's gzip copy carries its own time stamp; its plain copy is compared.
    return {
        p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file() and p.suffix != ".gz"
    }


def test_serve_rebuilds_reuse_unchanged_pages_and_equal_a_fresh_build(tmp_path: Path) -> None:
    practices = tmp_path / "practices"
    subprocess.run(["cp", "-r", str(CORPUS / "valid"), str(practices)], check=True)
    config = write_config(tmp_path, practices)
    # Three edits, the first sheet twice: its title changes the listings, its body its own page.
    first, second = sorted(practices.glob("*.md"))[:2]
    reused = _serve_builds(config, tmp_path / "serve", first, second, first)
    assert reused[0] == {"converted": 0, "rendered": 0}
    assert all(r["converted"] > 5 and r["rendered"] > 5 for r in reused[1:]), reused
    # The same collection built by a process that never built it before: every file the same.
    assert _serve_builds(config, tmp_path / "fresh") == [{"converted": 0, "rendered": 0}]
    served, fresh = _site_files(tmp_path / "serve"), _site_files(tmp_path / "fresh")
    assert served.keys() == fresh.keys()
    assert [name for name in served if served[name] != fresh[name]] == []
    page = (tmp_path / "serve" / "pratiques" / first.stem / "index.html").read_text(encoding="utf-8")
    assert "Pratique révisée n° 2" in page and "prévisualisation n° 2." in page
    search = json.loads(served["search/search_index.json"])
    assert any("Pratique révisée n° 2" in doc["title"] for doc in search["docs"])
    listing = (tmp_path / "serve" / "pratiques" / "index.html").read_text(encoding="utf-8")
    assert "Pratique révisée n° 1" in listing and "Pratique révisée n° 0" not in listing


def test_island_names_do_not_depend_on_the_build_marker() -> None:
    # A page's Markdown must stay the same from one rebuild to the next (the serve cache keys on it).
    names = []
    for marker in ("premier-secret", "second-secret"):
        islands = Islands(marker)
        outer = islands.put(f"<div>{islands.put('<b>dedans</b>')}</div>")
        names.append(str(outer).replace(marker, ""))
    assert names[0] == names[1]
