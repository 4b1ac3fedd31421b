"""Generate a valid synthetic corpus of N practices (realistic French text, every field used).

Used by the benchmarks and the scale tests: `python scripts/synthetic_corpus.py OUT_DIR --count 5000`.
The output passes `recueil check`; it is deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

import yaml

from recueil.format.vocabulary import vocabularies

VERBS = [
    "Organiser",
    "Former",
    "Accompagner",
    "Prévenir",
    "Sécuriser",
    "Mesurer",
    "Coordonner",
    "Informer",
    "Protéger",
    "Évaluer",
    "Aménager",
    "Signaler",
    "Outiller",
    "Associer",
    "Suivre",
    "Réduire",
]
OBJECTS = [
    "l'accueil du public",
    "les agents exposés",
    "le retour d'expérience",
    "les encadrants de proximité",
    "la déclaration des incidents",
    "le dépôt de plainte",
    "les sites isolés",
    "la médiation sociale",
    "le document unique",
    "le soutien psychologique",
    "les usagers en attente",
    "la coopération avec le parquet",
    "les équipes de collecte",
    "les agents de la voirie",
    "le guichet social",
    "la police municipale",
]
CONTEXTS = [
    "en mairie",
    "en intercommunalité",
    "au département",
    "dans les équipements sportifs",
    "dans les bibliothèques",
    "en déchetterie",
    "au centre communal d'action sociale",
    "sur la voie publique",
    "pendant les permanences",
    "lors des pics d'affluence",
    "avec les partenaires",
    "au quotidien",
]
WORDS = (
    "agent service public usager accueil sécurité prévention incident tension collectivité encadrement "
    "procédure protection signalement formation équipe partenaire parquet police médiation écoute délai "
    "registre document analyse risque organisation soutien victime témoin responsable plainte suivi "
    "dispositif convention diagnostic bilan priorité moyens confiance dialogue règle respect"
).split()
KEYWORDS = [
    "accueil",
    "formation",
    "plainte",
    "signalement",
    "protection fonctionnelle",
    "médiation",
    "prévention",
    "partenariat",
    "vidéoprotection",
    "travail isolé",
    "soutien psychologique",
    "document unique",
    "retour d'expérience",
    "usagers",
    "encadrement",
    "parquet",
    "forces de l'ordre",
]
EDITORS = ["Légifrance", "DGAFP", "INRS", "CNFPT", "Centre de gestion", "Ministère de l'Intérieur"]


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng, rng.randint(8, 16)) for _ in range(sentences))


def _pick(rng: random.Random, ids: tuple[str, ...], low: int, high: int) -> list[str]:
    return rng.sample(list(ids), rng.randint(low, min(high, len(ids))))


def practice(rng: random.Random, index: int, count: int) -> tuple[str, str]:
    """(slug, file text) of synthetic practice number `index`."""
    vocab = {name: v.ids for name, v in vocabularies().items()}
    title = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(CONTEXTS)} (n° {index + 1})"
    slug = f"pratique-synthetique-{index + 1:05d}"
    published = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 600))
    data: dict[str, object] = {
        "titre": title,
        "resume": _paragraph(rng, 2)[:390],
        "themes": _pick(rng, vocab["themes"], 1, 2),
        "moments": _pick(rng, vocab["moments"], 1, 2),
        "nature": rng.choice(vocab["nature"]),
        "roles": _pick(rng, vocab["roles"], 1, 3),
        "effort": rng.choice(vocab["effort"]),
        "collectivites": _pick(rng, vocab["collectivites"], 1, 3),
        "services": _pick(rng, vocab["services"], 1, 3),
        "partenaires": _pick(rng, vocab["partenaires"], 1, 3),
        "exemples": [
            {
                "collectivite": f"Commune exemple {rng.randint(1, 900)}",
                "type": "commune",
                "departement": f"{rng.randint(10, 89)}",
                "annee": rng.randint(2015, 2024),
                "source": f"https://exemple.test/source/{index}",
            }
        ],
        "sources": [
            {
                "titre": f"Guide de référence n° {rng.randint(1, 99)}",
                "editeur": rng.choice(EDITORS),
                "url": f"https://exemple.test/guide/{index}-{n}",
                "date": str(rng.randint(2010, 2024)),
            }
            for n in range(rng.randint(1, 3))
        ],
        "liens": sorted({f"pratique-synthetique-{rng.randrange(count) + 1:05d}" for _ in range(3)} - {slug}),
        "mots_cles": rng.sample(KEYWORDS, 3),
        "publie_le": published,
        "revise_le": published + dt.timedelta(days=rng.randint(0, 200)),
    }
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    body = "\n\n".join(
        [
            "## Contexte",
            _paragraph(rng, 4),
            "## Description",
            _paragraph(rng, 4),
            "## Mise en œuvre",
            "\n".join(f"{n}. {_sentence(rng, 12)}" for n in range(1, 6)),
            "## Points de vigilance",
            _paragraph(rng, 3),
            "## Résultats",
            _paragraph(rng, 2),
        ]
    )
    return slug, f"---\n{front}---\n\n{body}\n"


def recommendations(rng: random.Random, count: int) -> str:
    vocab = vocabularies()
    themes = vocab["themes"].ids
    items = [
        {
            "id": f"r{n:02d}",
            "theme": themes[n % len(themes)],
            "titre": f"Recommandation de synthèse numéro {n}",
            "texte": _paragraph(rng, 3),
            "porteurs": _pick(rng, vocab["roles"].ids, 1, 3),
            "echeance": rng.choice(vocab["echeance"].ids),
            "indicateurs": [_paragraph(rng, 1)[:190] for _ in range(rng.randint(1, 4))],
            "pratiques": sorted({f"pratique-synthetique-{rng.randrange(count) + 1:05d}" for _ in range(4)}),
        }
        for n in range(1, 13)
    ]
    return yaml.safe_dump(items, allow_unicode=True, sort_keys=False, width=1000)


def generate(out: Path, count: int, seed: int = 2026) -> None:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        slug, text = practice(rng, index, count)
        (out / f"{slug}.md").write_text(text, encoding="utf-8")
    (out / "recommandations.yml").write_text(recommendations(rng, count), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path, help="folder to create (must not hold practices already)")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if args.out.exists() and any(args.out.glob("*.md")):
        parser.error(f"{args.out} already holds .md files; choose an empty folder")
    generate(args.out, args.count, args.seed)
    print(f"{args.count} practices written to {args.out}")


if __name__ == "__main__":
    main()
