"""The built site, parsed: practice pages, groups, keywords, home counts, links both ways, drafts."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup

from conftest import CORPUS, ROOT, Build, mkdocs_build, write_config
from recueil.load.collection import load_collection

VALID = load_collection(CORPUS / "valid")
PUBLISHED = {p.slug: p for p in VALID.published}


def _card_titles(node: BeautifulSoup) -> list[str]:
    return [a.get_text(strip=True) for a in node.select(".rc-carte__titre a")]


def _section(page: BeautifulSoup, anchor: str) -> BeautifulSoup:
    """The elements between a heading and the next heading of the same level, as one soup."""
    heading = page.find(id=anchor)
    assert heading is not None, anchor
    parts = []
    for sibling in heading.find_next_siblings():
        if sibling.name == heading.name:
            break
        parts.append(str(sibling))
    return BeautifulSoup("".join(parts), "html.parser")


@pytest.mark.parametrize("slug", sorted(PUBLISHED))
def test_practice_page(fixture_site: Build, slug: str) -> None:
    practice = PUBLISHED[slug]
    page = fixture_site.page(f"pratiques/{slug}/")
    article = page.select_one("article.md-content__inner")
    assert page.title.get_text().startswith(practice.titre)
    assert article.h1.get_text(strip=True) == practice.titre
    assert article.select_one(".rc-resume").get_text(strip=True) == practice.resume
    badges = [a.get_text(strip=True) for a in article.select(".rc-meta a.rc-badge")]
    assert (
        badges[0]
        == {
            "politique-rh": "Politique RH",
            "relation-usagers": "Relation aux usagers",
            "continuum-securite": "Continuum de sécurité",
        }[practice.themes[0]]
    )
    assert [h.get_text(strip=True).rstrip("¶") for h in article.select("h2")][:4] == [
        "Contexte",
        "Description",
        "Mise en œuvre",
        "Points de vigilance",
    ]
    sources = article.select("ol.rc-sources > li")
    assert [li.cite.get_text() for li in sources] == [s.titre for s in practice.sources]
    assert sources[0].a["href"] == practice.sources[0].url
    assert article.select_one(".rc-fiche-pied time")["datetime"] == practice.publie_le.isoformat()
    edit = article.select_one("a.rc-modifier")["href"]
    assert "/edit/main/" in edit and edit.endswith(f"/{slug}.md")
    assert page.select_one("a.md-content__button")["href"] == edit


def test_related_practices_in_both_directions(fixture_site: Build) -> None:
    # alpha → beta is declared in alpha only; gamma → alpha in gamma only.
    alpha = _card_titles(_section(fixture_site.page("pratiques/alpha-proteger/"), "pratiques-liees"))
    beta = _card_titles(_section(fixture_site.page("pratiques/beta-accueillir/"), "pratiques-liees"))
    assert alpha == [PUBLISHED["beta-accueillir"].titre, PUBLISHED["gamma-cooperer"].titre]
    assert beta == [PUBLISHED["alpha-proteger"].titre]
    assert fixture_site.page("pratiques/delta-soutenir/").find(id="pratiques-liees") is None


def test_recommendations_listed_on_the_practices_they_cite(fixture_site: Build) -> None:
    cited = fixture_site.page("pratiques/alpha-proteger/").select(".rc-recommandations a")
    assert [a.get_text() for a in cited] == [
        "Protéger les agents dès le premier incident",
        "Coopérer avec la justice et la police",
    ]
    assert cited[0]["href"] == "../../recommandations/#r01-proteger"
    page = fixture_site.page("recommandations/")
    section = page.find(id="r02-cooperer")
    assert [a.get_text() for a in section.select("li a")] == [
        PUBLISHED["gamma-cooperer"].titre,
        PUBLISHED["alpha-proteger"].titre,
    ]


def test_recommendations_page_shows_who_carries_each_by_when_and_how_to_check_it(fixture_site: Build) -> None:
    page = fixture_site.page("recommandations/")
    commitments = {
        r.id: (
            {
                div.dt.get_text(strip=True): div.dd.get_text(strip=True)
                for div in page.find(id=r.id).select(".rc-engagement > div")
            },
            [li.get_text(strip=True) for li in page.find(id=r.id).select(".rc-indicateurs li")],
        )
        for r in VALID.recommendations
    }
    assert commitments == {
        "r01-proteger": (
            {"Portée par": "Direction générale, Ressources humaines", "Échéance": "Immédiat"},
            ["Procédure écrite diffusée à tous les encadrants", "Délai de réponse aux demandes suivi chaque trimestre"],
        ),
        "r02-cooperer": ({"Portée par": "Élus", "Échéance": "Pluriannuel"}, ["Convention signée avec le parquet"]),
    }
    # The horizons are explained once, with the vocabulary's labels.
    assert [li.strong.get_text() for li in page.select(".rc-echeances li")] == [
        "Immédiat",
        "Dans l'année",
        "Pluriannuel",
    ]


def test_theme_page_groups_practices_by_moment(fixture_site: Build) -> None:
    page = fixture_site.page("themes/politique-rh/")
    expected = {
        moment: sorted(
            (p.titre for p in PUBLISHED.values() if "politique-rh" in p.themes and moment in p.moments),
            key=str.casefold,
        )
        for moment in ("prevenir", "faire-face", "accompagner")
    }
    assert expected["accompagner"]  # the fixture exercises every group
    for moment, titles in expected.items():
        assert sorted(_card_titles(_section(page, moment)), key=str.casefold) == titles


def test_keyword_pages(fixture_site: Build) -> None:
    page = fixture_site.page("mots-cles/accueil/")
    # epsilon-brouillon also carries « accueil » but is a draft.
    assert _card_titles(page) == [PUBLISHED["alpha-proteger"].titre, PUBLISHED["beta-accueillir"].titre]
    index = fixture_site.page("mots-cles/")
    labels = [a.get_text() for a in index.select(".rc-nuage a")]
    assert labels == ["accueil", "parquet", "plainte", "protection fonctionnelle", "soutien psychologique"]
    link = fixture_site.page("pratiques/alpha-proteger/").select_one("a.rc-mot-cle")
    assert link["href"] == "../../mots-cles/protection-fonctionnelle/"


def test_home_counts_per_theme_and_moment(fixture_site: Build) -> None:
    page = fixture_site.page("")
    for cell in page.select("td a[data-moment]"):
        theme, moment = cell["data-theme"], cell["data-moment"]
        count = sum(theme in p.themes and moment in p.moments for p in PUBLISHED.values())
        assert int(cell.get_text()) == count, (theme, moment)
    totals = {td["data-theme"]: int(td.get_text()) for td in page.select("td[data-theme]:not(:has(a))")}
    assert totals == {"politique-rh": 3, "relation-usagers": 1, "continuum-securite": 1}
    latest = _card_titles(_section(page, "nouveautes"))
    assert latest[0] == PUBLISHED["beta-accueillir"].titre  # revised most recently


def test_a_to_z_index_lists_every_published_practice(fixture_site: Build) -> None:
    page = fixture_site.page("index-a-z/")
    titles = [a.get_text() for a in page.select(".rc-index a")]
    assert sorted(titles) == sorted(p.titre for p in PUBLISHED.values())
    assert [a.get_text() for a in page.select(".rc-lettres a")] == ["A", "B", "D", "G"]


def test_drafts_are_validated_but_not_published(fixture_site: Build) -> None:
    assert "epsilon-brouillon" in {p.slug for p in VALID.practices}
    assert not (fixture_site.site / "pratiques" / "epsilon-brouillon").exists()
    for file in fixture_site.site.rglob("*"):
        if file.suffix in {".html", ".json", ".xml"}:
            assert "Epsilon" not in file.read_text(encoding="utf-8"), file


def test_pages_every_public_site_carries(fixture_site: Build) -> None:
    for path in ("a-propos/", "contribuer/", "accessibilite/", "mentions-legales/"):
        assert fixture_site.page(path).h1 is not None
    footer = [a.get_text() for a in fixture_site.page("").select(".rc-pied__liens a")]
    assert footer == ["Accessibilité : non conforme", "Mentions légales", "Contribuer"]
    assert fixture_site.page("").html["lang"] == "fr"


def test_practice_pages_stay_out_of_the_navigation(fixture_site: Build) -> None:
    nav_links = [a["href"] for a in fixture_site.page("").select("nav.md-nav--primary a.md-nav__link[href]")]
    assert nav_links and not any("pratiques/alpha" in href for href in nav_links)


_RESOURCE_ATTRIBUTES = {
    "script": "src",
    "img": "src",
    "iframe": "src",
    "source": "src",
    "video": "src",
    "audio": "src",
    "embed": "src",
    "object": "data",
    "link": "href",
}


def _is_remote(url: str) -> bool:
    parsed = urlparse(url)
    return bool(parsed.netloc) or parsed.scheme not in ("", "data")


def test_no_page_loads_a_resource_from_another_host(fixture_site: Build) -> None:
    pages = list(fixture_site.site.rglob("*.html"))
    assert len(pages) > 20
    for file in pages:
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        for tag, attribute in _RESOURCE_ATTRIBUTES.items():
            for element in soup.find_all(tag):
                url = element.get(attribute)
                if tag == "link" and not {"stylesheet", "icon", "preload", "manifest", "modulepreload"} & set(
                    element.get("rel", [])
                ):
                    continue
                assert not (url and _is_remote(url)), (file, str(element)[:200])
        for style in soup.find_all(style=True):
            assert "url(http" not in style["style"].replace(" ", ""), file
    for css in fixture_site.site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8")), css
        assert "@import" not in css.read_text(encoding="utf-8"), css


def test_the_build_writes_nothing_into_sources(tmp_path: Path) -> None:
    def listing(folder: Path) -> dict[str, float]:
        return {str(p): p.stat().st_mtime for p in folder.rglob("*")}

    docs, corpus = listing(ROOT / "docs"), listing(CORPUS / "valid")
    build = mkdocs_build(tmp_path, CORPUS / "valid")
    assert build.returncode == 0, build.output
    assert listing(ROOT / "docs") == docs
    assert listing(CORPUS / "valid") == corpus


def test_a_generated_page_never_silently_replaces_a_docs_file(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    (docs / "index-a-z.md").write_text("# Une page écrite à la main\n", encoding="utf-8")
    config = write_config(tmp_path, CORPUS / "valid", docs_dir=str(docs))
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "ne doivent pas exister" in result.stdout + result.stderr
    assert "index-a-z.md" in result.stdout + result.stderr


def test_search_indexes_the_sheets_not_the_listings_that_repeat_them(fixture_site: Build) -> None:
    import json

    index = json.loads((fixture_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert {f"pratiques/{slug}/" for slug in PUBLISHED} <= locations
    for listing in (
        "themes/politique-rh/",
        "moments/prevenir/",
        "roles/rh/",
        "mots-cles/accueil/",
        "index-a-z/",
        "pratiques/",
    ):
        assert listing not in locations, listing
