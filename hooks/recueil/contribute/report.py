"""The maintainer's summary of the collection (`recueil report`), as Markdown for an issue or a terminal.

It answers the review questions: where the collection is thin (theme × moment), which sheets lack a
documented example or a source link, and which have not been reviewed for three years.
"""

from __future__ import annotations

import datetime as dt

from recueil.format.vocabulary import vocabularies
from recueil.model import STALE_AFTER, Collection, Practice


def _cell(text: str) -> str:
    """Contributor text inside a Markdown table or list: no pipe or newline may break it."""
    return " ".join(text.replace("|", "\\|").split())


def _item(practice: Practice, detail: str = "") -> str:
    return f"- {_cell(practice.titre)} (`{practice.path}`){detail}"


def stale(collection: Collection, today: dt.date) -> list[Practice]:
    """Published practices whose last review is older than three years, oldest first."""
    return sorted(
        (p for p in collection.published if today - p.last_change > STALE_AFTER), key=lambda p: (p.last_change, p.slug)
    )


def maintainer_report(collection: Collection, today: dt.date) -> str:
    published = collection.published
    vocab = vocabularies()
    themes, moments = vocab["themes"].terms, vocab["moments"].terms
    drafts = len(collection.practices) - len(published)
    lines = [
        f"# Rapport du recueil au {today.isoformat()}",
        "",
        f"{len(published)} fiche(s) publiée(s), {drafts} brouillon(s), "
        f"{len(collection.errors)} erreur(s) et {len(collection.warnings)} avertissement(s) "
        "(détail : `recueil check`).",
        "",
        "## Fiches par thème et par moment",
        "",
        "| Thème | " + " | ".join(m.libelle for m in moments) + " | Total |",
        "|---|" + "---:|" * (len(moments) + 1),
    ]
    for theme in themes:
        in_theme = [p for p in published if theme.id in p.themes]
        counts = [sum(moment.id in p.moments for p in in_theme) for moment in moments]
        lines.append(f"| {theme.libelle} | " + " | ".join(map(str, counts)) + f" | {len(in_theme)} |")
    totals = [sum(moment.id in p.moments for p in published) for moment in moments]
    lines.append("| **Total** | " + " | ".join(map(str, totals)) + f" | {len(published)} |")
    lines.append("")
    lines.append("Une fiche compte dans chacun de ses thèmes et de ses moments.")

    without_examples = [p for p in published if not p.exemples]
    lines += ["", f"## Fiches sans exemple documenté ({len(without_examples)})", ""]
    lines += [_item(p) for p in without_examples] or ["Aucune."]

    missing_urls = [(p, s) for p in published for s in p.sources if not s.url]
    lines += ["", f"## Sources sans adresse ({len(missing_urls)})", ""]
    lines += [_item(p, f" : « {_cell(s.titre)} », {_cell(s.editeur)}") for p, s in missing_urls] or ["Aucune."]

    old = stale(collection, today)
    lines += ["", f"## Fiches non relues depuis plus de trois ans ({len(old)})", ""]
    lines += [_item(p, f" : dernière relecture le {p.last_change.isoformat()}") for p in old] or ["Aucune."]
    return "\n".join(lines) + "\n"
