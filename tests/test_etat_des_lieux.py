"""The « état des lieux » page: charts drawn as accessible inline SVG from practices/chiffres.yml."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import CORPUS, ROOT, Build, mkdocs_build
from recueil.load.collection import load_collection
from recueil.model import Chart, Figure, Source
from recueil.site.charts import french_number, layout, scale_max

FIGURES = ROOT / "practices" / "chiffres.yml"
# Read with plain PyYAML, independently of the loader under test.
DATA: list[dict[str, object]] = yaml.safe_load(FIGURES.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> BeautifulSoup:
    """The page as built from the real collection."""
    build: Build = mkdocs_build(tmp_path_factory.mktemp("etat-des-lieux"), ROOT / "practices")
    assert build.returncode == 0, build.output
    return build.page("etat-des-lieux/")


def _number(text: str) -> float:
    """« 35 000 faits » → 35000.0, « 23,5 % » → 23.5."""
    match = re.match(r"[\d\s\u202f\u00a0]+(,\d+)?", text.strip())
    assert match, text
    return float(re.sub(r"\s", "", match.group(0)).replace(",", "."))


@pytest.mark.parametrize("chart", DATA, ids=[str(c["id"]) for c in DATA])
def test_each_chart_is_an_accessible_svg_with_its_data_table(page: BeautifulSoup, chart: dict) -> None:
    figure = page.find(id=f"graphique-{chart['id']}")
    assert figure is not None and figure.name == "figure"
    svg = figure.find("svg")
    if chart["type"] == "reperes":
        assert svg is None  # figures of different units are listed, never drawn on one scale
    else:
        assert svg["role"] == "img"
        title_id, desc_id = svg["aria-labelledby"].split()
        assert svg.find("title", id=title_id).get_text() == chart["titre"]
        description = svg.find("desc", id=desc_id).get_text()
        for item in chart["chiffres"]:
            assert f"{item['libelle']} ({item['annee']})" in description
        assert len(svg.find_all("rect")) == len(chart["chiffres"])
    table = page.find("table", attrs={"data-graphique": chart["id"]})
    rows = table.select("tbody tr")
    assert len(rows) == len(chart["chiffres"])
    for row, item in zip(rows, chart["chiffres"], strict=True):
        label, year, value, source = row.find_all(["th", "td"])
        assert label.get_text() == item["libelle"]
        assert int(year.get_text()) == item["annee"]
        assert _number(value.get_text()) == pytest.approx(item["valeur"])
        assert value.get_text().endswith(item["unite"])
        link = source.find("a")
        assert link["href"] == item["source"]["url"] and link["href"].startswith("https://")
        assert link.get_text() == item["source"]["titre"]
        assert item["source"]["editeur"] in source.get_text()


def test_the_page_explains_what_the_figures_do_not_say(page: BeautifulSoup) -> None:
    heading = page.find(id="limites")
    assert heading is not None and heading.name == "h2"
    points = heading.find_next("ul").find_all("li", recursive=False)
    assert len(points) >= 4
    assert page.find("a", href="#limites") is not None


def test_the_page_is_in_the_navigation(page: BeautifulSoup) -> None:
    nav = [a.get_text(strip=True) for a in page.select("nav.md-nav--primary a.md-nav__link")]
    assert "État des lieux" in nav and "Glossaire" in nav


def test_without_figures_file_the_page_says_so(fixture_site: Build) -> None:
    page = fixture_site.page("etat-des-lieux/")
    assert page.select_one(".rc-vide") is not None
    assert page.find("svg", attrs={"role": "img"}) is None


def test_rules_beyond_the_schema_are_reported_at_their_line(tmp_path: Path) -> None:
    folder = tmp_path / "practices"
    shutil.copytree(CORPUS / "valid", folder)
    text = FIGURES.read_text(encoding="utf-8")
    broken = text.replace("- id: faits-declares-ville-de-rennes", "- id: signalements-brest-metropole", 1)
    broken = broken.replace('      unite: "faits"\n      annee: 2023', '      unite: "incidents"\n      annee: 2023', 1)
    (folder / "chiffres.yml").write_text(broken, encoding="utf-8")
    problems = [(p.path, p.line, p.message) for p in load_collection(folder, root=tmp_path).problems]
    lines = broken.splitlines()
    duplicate = lines.index("- id: signalements-brest-metropole", lines.index("- id: signalements-brest-metropole") + 1)
    assert (
        "practices/chiffres.yml",
        duplicate + 1,
        "identifiant de graphique « signalements-brest-metropole » en double (déjà ligne "
        f"{lines.index('- id: signalements-brest-metropole') + 1})",
    ) in problems
    units = [message for path, _, message in problems if "même unité" in message]
    assert units == ["les chiffres d'un même graphique doivent avoir la même unité (reçu : faits, incidents)"]


def test_the_real_figures_file_is_clean() -> None:
    collection = load_collection(ROOT / "practices", root=ROOT)
    assert [str(p) for p in collection.problems if p.path.endswith("chiffres.yml")] == []
    assert [c.id for c in collection.charts] == [c["id"] for c in DATA]


def _chart(*values: float, unit: str = "%", kind: str = "barres") -> Chart:
    source = Source(titre="Source", editeur="Éditeur", url="https://exemple.fr")
    return Chart(
        id="c",
        titre="Titre du graphique",
        description="Description du graphique.",
        type=kind,  # type: ignore[arg-type]
        chiffres=tuple(
            Figure(libelle=f"Chiffre {i}", valeur=v, unite=unit, annee=2020 + i, source=source)
            for i, v in enumerate(values)
        ),
    )


def test_scale_and_bar_lengths() -> None:
    assert scale_max(_chart(14, 12)) == 100  # percentages always on 0–100
    assert scale_max(_chart(110, 8, unit="agressions")) == 200
    assert scale_max(_chart(189, 125, unit="faits")) == 200
    assert scale_max(_chart(54, 75, unit="signalements")) == 100
    bars = layout(_chart(50, 25)).bars
    assert bars[0].width == pytest.approx(2 * bars[1].width)
    columns = layout(_chart(54, 75, unit="signalements", kind="avant-apres")).bars
    assert columns[1].height / columns[0].height == pytest.approx(75 / 54, rel=1e-2)


def test_french_numbers() -> None:
    assert french_number(23.5) == "23,5"
    assert french_number(35000) == "35\u202f000"
    assert french_number(14.0) == "14"
