"""The contribution form page: built HTML, published schema, and the real form driven in Chromium."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from conftest import CORPUS, ROOT, Build
from recueil.format import body
from recueil.format.slugs import slugify
from recueil.format.vocabulary import VOCABULARY_FIELDS, practice_schema, vocabularies
from recueil.load.collection import load_collection

FORM = "contribuer/proposer/"


def test_form_page_lists_the_vocabularies_from_the_source_of_truth(fixture_site: Build) -> None:
    page = fixture_site.page(FORM)
    assert page.h1.get_text(strip=True).rstrip("¶") == "Proposer une pratique"
    for field in VOCABULARY_FIELDS:  # the practice's fields (vocabularies() also holds the recommendations')
        vocabulary = vocabularies()[field]
        inputs = page.select(f'input[name="{field}"]')
        assert [i["value"] for i in inputs] == list(vocabulary.ids), field
        labels = [page.find("label", attrs={"for": i["id"]}).get_text(strip=True) for i in inputs]
        assert labels == [term.libelle for term in vocabulary.terms], field
    for name in ("titre", "resume"):
        field = page.find(id=f"champ-{name}")
        assert f"erreur-{name}" in field["aria-describedby"].split()
        assert page.find(id=f"erreur-{name}").has_attr("hidden")
    text = page.select_one("article").get_text(" ", strip=True)
    assert "Aucune donnée personnelle" in text and "Ce qui fait une bonne fiche" in text
    data = json.loads(page.find(id="rc-proposer-donnees").string)
    assert [s["titre"] for s in data["sections"]] == [title for title, _ in body.SECTIONS]
    assert data["nouvelleFiche"].endswith("/new/main")
    scripts = [s["src"] for s in page.select("script[src]") if "proposer" in s["src"] or "ajv" in s["src"]]
    assert scripts == ["../../assets/vendor/ajv2020.min.js", "../../assets/proposer.js"]
    for src in scripts:
        assert (fixture_site.site / FORM / src).resolve().is_file(), src
    assert not page.find(attrs={"class": "md-nav__link--active", "href": "../"}), "the form is its own page"


def test_schema_is_published_unchanged(fixture_site: Build) -> None:
    published = json.loads((fixture_site.site / "donnees" / "pratique.schema.json").read_text(encoding="utf-8"))
    assert published == practice_schema()


def test_vendored_ajv_is_the_npm_package_file() -> None:
    packaged = ROOT / "node_modules" / "ajv-dist" / "dist" / "ajv2020.min.js"
    if not packaged.exists():
        pytest.skip("node_modules missing: run `make npm`")
    assert (ROOT / "docs" / "assets" / "vendor" / "ajv2020.min.js").read_bytes() == packaged.read_bytes()
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/ajv-dist"]["version"] in packaged.read_text(encoding="utf-8")[:80]


# --- In the browser -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site_url(fixture_server: Any) -> str:
    return str(fixture_server.url)


@pytest.fixture
def form(browser: Any, site_url: str) -> Iterator[Any]:
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(site_url + FORM)
    page.wait_for_selector("#rc-proposer[data-pret=oui]", state="attached")
    yield page
    context.close()
    assert errors == []


TITLE = "Former les agents d’accueil à la désescalade verbale"


def _fill_valid(page: Any) -> None:
    page.fill("#champ-titre", TITLE)
    page.fill(
        "#champ-resume",
        "Une formation courte et pratique pour reconnaître la montée de la tension "
        "et la faire redescendre, avec des mises en situation.",
    )
    for selector in (
        "#champ-themes-politique-rh",
        "#champ-themes-relation-usagers",
        "#champ-moments-prevenir",
        "#champ-nature-recommandation-officielle",
        "#champ-roles-rh",
        "#champ-roles-agents",
        "#champ-effort-moyen",
    ):
        page.check(selector)
    page.fill("#champ-sources-0-titre", "Prévenir et gérer les incivilités : « le guide » de l'agent")
    page.fill("#champ-sources-0-editeur", "CNFPT")
    page.fill("#champ-sources-0-url", "https://www.cnfpt.fr/exemple?a=1&b=2")
    page.fill("#champ-sources-0-date", "2023")
    page.click("summary")
    page.fill("#champ-mots_cles", "Désescalade, formation")
    page.fill("#champ-exemples-0-collectivite", "Ville d'Exemple")
    page.fill("#champ-exemples-0-source", "https://exemple.test/article")
    page.fill("#champ-exemples-0-departement", "2A")
    for index, text in enumerate(
        (
            "Les agents d'accueil font face à des usagers tendus.",
            "Deux jours de formation avec un organisme spécialisé.",
            "1. Recenser les besoins.\n2. Choisir l'organisme.\n3. Former par groupes.",
            "Prévoir un rappel un an plus tard : « sinon, l'effet s'estompe ».",
        )
    ):
        page.fill(f"#champ-section-{index}", text)


@pytest.mark.browser
def test_filled_form_gives_a_file_that_passes_check(form: Any, tmp_path: Path) -> None:
    _fill_valid(form)
    text = form.input_value("#rc-fichier")
    slug = slugify(TITLE)
    assert form.text_content("#rc-nom-fichier") == f"valid/{slug}.md"  # the fixture's practices folder
    with form.expect_download() as download_info:
        form.click("#rc-telecharger")
    download = download_info.value
    assert download.suggested_filename == f"{slug}.md"
    assert Path(download.path()).read_text(encoding="utf-8") == text
    assert form.locator(".rc-erreur:not([hidden])").count() == 0
    # The generated file, beside a valid corpus, passes `recueil check`.
    practices = tmp_path / "practices"
    shutil.copytree(CORPUS / "valid", practices)
    (practices / f"{slug}.md").write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "recueil.cli", "check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "GITHUB_ACTIONS": ""},
    )
    assert result.returncode == 0, result.stdout + text
    practice = next(p for p in load_collection(practices).practices if p.slug == slug)
    assert practice.titre == TITLE
    assert practice.themes == ("politique-rh", "relation-usagers") and practice.effort == "moyen"
    assert practice.sources[0].url == "https://www.cnfpt.fr/exemple?a=1&b=2"
    assert practice.exemples[0].departement == "2A"
    assert practice.mots_cles == ("désescalade", "formation")
    assert "« sinon, l'effet s'estompe »" in practice.body
    # The repository's "new file" page, prefilled with the same file.
    href = form.get_attribute("#rc-ouvrir", "href")
    query = parse_qs(urlparse(href).query)
    assert href.startswith("https://github.com/recueil-collectivites/recueil/new/main?")
    assert query["filename"] == [f"valid/{slug}.md"] and query["value"] == [text]


@pytest.mark.browser
def test_missing_title_and_theme_are_refused_next_to_the_fields(form: Any) -> None:
    downloads: list[Any] = []
    form.on("download", lambda download: downloads.append(download))
    form.fill("#champ-resume", "Un résumé assez long pour respecter la longueur minimale du format.")
    form.click("#rc-telecharger")
    for key, fields in (
        ("titre", ["#champ-titre"]),
        ("themes", [f"#champ-themes-{t}" for t in vocabularies()["themes"].ids]),
    ):
        message = form.locator(f"#erreur-{key}")
        assert message.is_visible()
        assert message.text_content() in ("Ce champ est obligatoire.", "Choisissez au moins une valeur.")
        for field in fields:
            assert form.get_attribute(field, "aria-invalid") == "true"
            assert f"erreur-{key}" in form.get_attribute(field, "aria-describedby").split()
    assert form.locator("#erreur-resume").is_hidden()
    assert "à corriger" in form.text_content("#rc-etat")
    assert form.evaluate("document.activeElement.id") == "champ-titre"
    # Live: the messages go away as soon as the fields are corrected.
    form.fill("#champ-titre", "Un titre assez long")
    form.check("#champ-themes-continuum-securite")
    assert form.locator("#erreur-titre").is_hidden() and form.locator("#erreur-themes").is_hidden()
    assert form.get_attribute("#champ-titre", "aria-invalid") is None
    form.wait_for_timeout(300)
    assert downloads == []


@pytest.mark.browser
def test_live_validation_against_the_schema(form: Any) -> None:
    form.fill("#champ-titre", "Court")
    form.locator("#champ-titre").blur()
    assert form.text_content("#erreur-titre") == "Trop court : au moins 10 caractères."
    form.fill("#champ-sources-0-url", "http://exemple.test/page")
    form.locator("#champ-sources-0-url").blur()
    assert "https://" in form.text_content("#erreur-sources-0-url")
    assert form.get_attribute("#champ-sources-0-url", "aria-invalid") == "true"
    # Untouched fields stay quiet until an action is attempted.
    assert form.locator("#erreur-moments").is_hidden()


@pytest.mark.browser
def test_browser_slug_matches_the_python_slug(form: Any) -> None:
    titles = [
        "Former les agents d'accueil à la désescalade",
        "Mise en œuvre : l’État & les élus !",
        "ŒUVRER « ensemble » — Noël, Ça, Île-de-France",
        "Étape 2 : 100 % des agents formés",
        "Élaborer " + "un très long titre de fiche " * 5,
        "   ",
        "fiﬁ ligature",
    ]
    for title in titles:
        assert form.evaluate("title => window.recueilSlugify(title)", title) == slugify(title), title


@pytest.mark.browser
def test_copy_puts_the_file_on_the_clipboard(form: Any) -> None:
    form.context.grant_permissions(["clipboard-read", "clipboard-write"])
    form.click("#rc-copier")
    assert form.evaluate("navigator.clipboard.readText()") != form.input_value("#rc-fichier")  # refused: invalid
    _fill_valid(form)
    form.click("#rc-copier")
    form.wait_for_function("document.getElementById('rc-etat').textContent.startsWith('Contenu copié')")
    assert form.evaluate("navigator.clipboard.readText()") == form.input_value("#rc-fichier")


@pytest.mark.browser
def test_personal_data_is_refused_with_the_checker_rules(form: Any) -> None:
    _fill_valid(form)
    form.fill("#champ-section-0", "Écrire à prenom.nom@ville-exemple.fr ou au 06 12 34 56 78.")
    form.locator("#champ-section-0").blur()
    assert "prenom.nom@ville-exemple.fr" in form.text_content("#erreur-section-0")
    assert form.get_attribute("#champ-section-0", "aria-invalid") == "true"
    form.fill("#champ-section-0", "Appeler le 06 12 34 56 78.")
    assert "portable" in form.text_content("#erreur-section-0")
    form.fill("#champ-section-0", "Écrire à contact@ville-exemple.fr ou appeler le 01 23 45 67 89.")
    assert form.locator("#erreur-section-0").is_hidden()


@pytest.mark.browser
def test_the_browser_enforces_the_schema_lengths(form: Any) -> None:
    # The limits come from the schema; typing past them is stopped by the browser itself.
    properties = json.loads(
        (ROOT / "hooks" / "recueil" / "schema" / "pratique.schema.json").read_text(encoding="utf-8")
    )["properties"]
    form.locator("#champ-titre").press_sequentially("a" * (properties["titre"]["maxLength"] + 7))
    assert len(form.input_value("#champ-titre")) == properties["titre"]["maxLength"]
    form.locator("#champ-resume").focus()
    form.keyboard.insert_text("b" * (properties["resume"]["maxLength"] + 9))
    assert len(form.input_value("#champ-resume")) == properties["resume"]["maxLength"]
