"""How much the strict loader costs over PyYAML's own C loader, on a catalogue-sized workload (300 files of ~15 KB).

Run: ``python bench/yaml_load.py``. The goal is a ratio of at most 2; both loaders parse the same texts in the same run.
"""

import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

# Run as a script, the repository is not on the path: put it there before importing the engine.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.yaml_source import load_yaml

FILES = 300
ROUNDS = 5
WORDS = (
    "demande aide bourse revenu foyer enfant scolarité montant justificatif pièce adresse commune province "
    "situation familiale logement étudiant établissement formation année ressources plafond versement"
).split()


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def _field(rng: random.Random, page: int, index: int) -> list[str]:
    kind = rng.choice(["texte", "nombre", "date", "choix", "oui_non", "montant"])
    lines = [
        f"      - id: champ_{page}_{index}",
        f"        type: {kind}",
        f"        libelle: {_sentence(rng, 5)}",
        f'        aide: "{_sentence(rng, 8)}"',
        f"        obligatoire: {rng.choice(['oui', 'non'])}",
    ]
    if kind in ("nombre", "montant"):
        lines += [f"        min: {rng.randint(0, 10)}", f"        max: {rng.randint(1000, 5_000_000)}"]
    if kind == "date":
        lines += [f"        apres: 20{rng.randint(10, 30)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"]
    if kind == "choix":
        lines += ["        options:"] + [
            f"          - {{code: '0{n}', libelle: {_sentence(rng, 3)}}}" for n in range(4)
        ]
    if rng.random() < 0.3:
        lines += [f"        visible_si: champ_{page}_{max(index - 1, 0)} == oui and revenu > {rng.randint(1, 9)}00"]
    if rng.random() < 0.15:
        lines += ["        explication: |"] + [f"          {_sentence(rng, 10)}" for _ in range(3)]
    return lines


def document(seed: int) -> str:
    """A fictional dispositif of about 400 lines: nested mappings and lists, texts, numbers, dates, oui/non."""
    rng = random.Random(seed)
    lines = [
        "format: 1",
        f"id: dispositif_{seed}",
        f"titre: {_sentence(rng, 5)}",
        "version: 3",
        "campagne:",
        "  ouverture: 2025-01-15",
        "  cloture: 2025-03-31",
        "fiche:",
        "  resume: >",
        *(f"    {_sentence(rng, 12)}" for _ in range(4)),
        "pages:",
    ]
    page = 0
    while len(lines) < 390:
        lines += [f"  - id: page_{page}", f"    titre: {_sentence(rng, 4)}", "    champs:"]
        for index in range(rng.randint(3, 6)):
            lines += _field(rng, page, index)
        page += 1
    return "\n".join(lines) + "\n"


def _best(load: Callable[[str], object], texts: list[str]) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for text in texts:
            load(text)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    texts = [document(seed) for seed in range(FILES)]
    size = sum(len(text.encode()) for text in texts) / len(texts) / 1024
    lines = sum(text.count("\n") for text in texts) / len(texts)
    print(f"{FILES} fichiers, {lines:.0f} lignes et {size:.1f} Ko en moyenne, meilleur de {ROUNDS} passes")
    pyyaml = _best(lambda text: yaml.load(text, Loader=yaml.CSafeLoader), texts)
    strict = _best(lambda text: load_yaml(text, "bench.yaml"), texts)
    print(f"yaml.load(CSafeLoader) : {pyyaml * 1000:8.1f} ms")
    print(f"load_yaml (strict)     : {strict * 1000:8.1f} ms")
    print(f"rapport                : {strict / pyyaml:8.2f}")


if __name__ == "__main__":
    main()
