"""French spell check of what readers read: the sheets' title, summary and body, and the pages of docs/.

Debian hunspell with hunspell-fr checks the prose offline; tests/mots-du-projet.txt lists the proper
names, acronyms and terms it does not know. Code, URLs, link targets, HTML tags and front matter keys
are left out, and so are source titles, which keep their published spelling.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORD_LIST = ROOT / "tests" / "mots-du-projet.txt"
DICTIONARY = "fr_FR"
INSTALL = "sudo apt-get install -y --no-install-recommends hunspell hunspell-fr"

_FENCE = re.compile(r"^\s*(```|~~~)")
_NOISE = re.compile(
    r"`[^`]*`"  # inline code
    r"|<code>.*?</code>"  # inline code written in HTML
    r"|\]\([^)]*\)"  # link targets
    r"|https?://\S+"  # bare URLs
    r"|<[^>]+>"  # HTML tags
    r"|\{:[^}]*\}"  # attribute lists
    r"|&\w+;"  # HTML entities
    r"|\*\[[^\]]*\]:.*"  # abbreviation definitions
    r"|\b[\w.-]+\.(?:fr|com|org|net|eu)\b"  # domain names written as text
)
# « l'INET », « d'Eurométropole » : the elided article is fine; the name behind it is checked alone.
_ELISION = re.compile(r"\b(?i:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’](?=[A-ZÀ-Ý])")
# Numbers, article ids (L134-5, R4121-1), ordinals (27e) and punctuation runs (---) are not words.
_NOT_WORDS = re.compile(r"\S*\d\S*|(?<!\S)[^\w\s]+(?!\S)")
# hunspell keeps a final dot on unknown words (its word characters include '.'): drop sentence dots.
_FINAL_DOT = re.compile(r"(?<=\w)\.(?=\s|$|[)»,;:])")


@dataclass(frozen=True)
class ProseLine:
    path: str
    line: int
    text: str


def _front_matter_end(lines: list[str]) -> int:
    """Index of the line after the closing '---', or 0 if there is no front matter."""
    if not lines or lines[0].strip() != "---":
        return 0
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return index + 1
    return 0


def _front_matter_prose(lines: list[str], end: int, keys: tuple[str, ...]) -> list[tuple[int, str]]:
    """(line, text) of the top-level prose keys, read through PyYAML's node marks."""
    if end == 0:
        return []
    node = yaml.compose("\n".join(lines[1 : end - 1]))
    found = []
    for key, value in getattr(node, "value", []):
        if key.value in keys and isinstance(value, yaml.ScalarNode):
            found.append((key.start_mark.line + 2, value.value))
    return found


def prose_lines(path: Path, keys: tuple[str, ...], shown: str | None = None) -> list[ProseLine]:
    """The lines of `path` a reader reads: the front matter's prose `keys`, then the body without code."""
    shown = shown or path.relative_to(ROOT).as_posix()
    lines = path.read_text(encoding="utf-8").splitlines()
    end = _front_matter_end(lines)
    result = [ProseLine(shown, line, _clean(text)) for line, text in _front_matter_prose(lines, end, keys)]
    in_code = False
    for index in range(end, len(lines)):
        if _FENCE.match(lines[index]):
            in_code = not in_code
            continue
        text = _clean(lines[index])
        if not in_code and text.strip():
            result.append(ProseLine(shown, index + 1, text))
    return result


def _clean(text: str) -> str:
    text = _NOISE.sub(" ", text)
    text = _ELISION.sub("", text)
    text = _NOT_WORDS.sub(" ", text)
    return _FINAL_DOT.sub(" ", text)


def unknown_words(lines: list[ProseLine]) -> list[str]:
    """`path:line: word (suggestion)` for every word hunspell does not know, in file order."""
    command = ["hunspell", "-a", "-i", "utf-8", "-d", DICTIONARY, "-p", str(WORD_LIST)]
    # '^' makes hunspell read each line as text, never as a command.
    feed = "".join("^" + line.text.replace("\n", " ") + "\n" for line in lines)
    output = subprocess.run(command, input=feed, capture_output=True, text=True, check=True).stdout
    results = output.split("\n")[1:]  # the first line is hunspell's banner
    found: list[str] = []
    position = 0
    for line in lines:
        while position < len(results) and results[position] != "":
            entry = results[position]
            if entry[:1] in "&#":
                parts = entry.split(" ")
                hint = entry.split(": ", 1)[1].split(", ")[0] if entry.startswith("&") else "?"
                found.append(f"{line.path}:{line.line}: {parts[1]} (→ {hint})")
            position += 1
        position += 1  # the blank line that closes each input line
    return found


_JINJA = re.compile(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
# What is left of markup once Jinja is blanked: attributes written outside a tag (macros), YAML keys.
_MARKUP_LEFTOVERS = re.compile(r'[\w-]+="[^"]*"|^[a-z_]+:(?=\s)')


def template_lines(path: Path) -> list[ProseLine]:
    """The French text of a page template, Jinja tags and comments blanked out (line numbers kept)."""
    text = _JINJA.sub(lambda match: "\n" * match.group(0).count("\n"), path.read_text(encoding="utf-8"))
    shown = path.relative_to(ROOT).as_posix()
    raw = text.splitlines()
    fences = [index for index, line in enumerate(raw) if line.strip() == "---"][:2]
    if len(fences) == 2 and not any(line.strip() for line in raw[: fences[0]]):
        raw[fences[0] : fences[1] + 1] = [""] * (fences[1] + 1 - fences[0])  # page metadata, not prose
    lines = [_clean(_MARKUP_LEFTOVERS.sub(" ", line)) for line in raw]
    return [ProseLine(shown, index + 1, line) for index, line in enumerate(lines) if line.strip()]


def yaml_lines(path: Path, keys: tuple[str, ...]) -> list[ProseLine]:
    """The prose of a YAML data file: the texts (or lists of texts) under `keys`, not the sources' titles."""
    shown = path.relative_to(ROOT).as_posix()
    found: list[ProseLine] = []

    def walk(node: yaml.Node) -> None:
        if isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                texts = value.value if isinstance(value, yaml.SequenceNode) else [value]
                if key.value in keys and all(isinstance(text, yaml.ScalarNode) for text in texts):
                    found.extend(ProseLine(shown, text.start_mark.line + 1, _clean(text.value)) for text in texts)
                elif key.value != "source":
                    walk(value)

    walk(yaml.compose(path.read_text(encoding="utf-8")))
    return found


def _sources() -> list[tuple[Path, tuple[str, ...]]]:
    practices = [(path, ("titre", "resume")) for path in sorted((ROOT / "practices").glob("*.md"))]
    pages = [(path, ("title", "description")) for path in sorted((ROOT / "docs").glob("*.md"))]
    return practices + pages


needs_hunspell = pytest.mark.skipif(
    shutil.which("hunspell") is None or not Path(f"/usr/share/hunspell/{DICTIONARY}.dic").exists(),
    reason=f"hunspell and its French dictionary are missing: {INSTALL}",
)


def _prose(folder: str) -> list[ProseLine]:
    if folder == "templates":
        return [
            line
            for path in sorted((ROOT / "hooks" / "recueil" / "templates").rglob("*.md.j2"))
            for line in template_lines(path)
        ]
    lines = [line for path, keys in _sources() if path.parent.name == folder for line in prose_lines(path, keys)]
    data_files = {
        "chiffres.yml": ("titre", "description", "libelle"),
        "recommandations.yml": ("titre", "texte", "indicateurs"),
    }
    for name, keys in data_files.items():
        if folder == "practices" and (ROOT / "practices" / name).exists():
            lines += yaml_lines(ROOT / "practices" / name, keys)
    return lines


@needs_hunspell
@pytest.mark.parametrize("folder", ["practices", "docs", "templates"])
def test_french_spelling(folder: str) -> None:
    lines = _prose(folder)
    assert lines
    unknown = unknown_words(lines)
    assert unknown == [], (
        "Mots inconnus (corrigez-les, ou ajoutez un nom propre ou un sigle à "
        f"{WORD_LIST.relative_to(ROOT)}) :\n" + "\n".join(unknown)
    )


@needs_hunspell
def test_the_spell_check_catches_a_misspelling(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "---\ntitle: Une pagge\n---\n\n# Titre\n\nUne frase avec `un_code` et "
        "[un lien](https://exemple.fr/motinconnu).\n\n```\nkodeinconnu\n```\n",
        encoding="utf-8",
    )
    lines = prose_lines(page, ("title",), shown="page.md")
    assert unknown_words(lines) == ["page.md:2: pagge (→ page)", "page.md:7: frase (→ phrase)"]


def test_word_list_is_sorted_and_unique() -> None:
    words = [w for w in WORD_LIST.read_text(encoding="utf-8").splitlines() if w and not w.startswith("#")]
    assert words == sorted(set(words), key=lambda word: (word.casefold(), word))
