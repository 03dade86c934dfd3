"""How fast the whole catalogue loads and checks, against the bare PyYAML C parse of the same files (the ceiling).

Generates 300 dispositifs as varied copies of catalogue/*.yaml (new ids, titles and amounts, so no two files are
the same), then in the same run times: the bare ``yaml.load(CSafeLoader)`` of every file, and Guichet's full load
(strict YAML with positions, models, every check, every cas_de_test). Also the cost of evaluating a typical
condition. Run: ``python bench/catalogue_load.py``."""

import re
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.catalogue import catalogue_files, load_catalogue  # noqa: E402
from forms.evaluation import evaluate  # noqa: E402
from forms.expressions import Context  # noqa: E402

COUNT = 300
TODAY = date(2026, 6, 1)


def generate(folder: Path) -> list[Path]:
    """COUNT files: each a catalogue file with its id, title and amounts changed."""
    sources = [(p.stem, p.read_text(encoding="utf-8")) for p in catalogue_files([ROOT / "catalogue"])]
    paths = []
    for number in range(COUNT):
        stem, text = sources[number % len(sources)]
        slug = f"{stem[:30]}_{number:03d}"
        text = re.sub(rf"^(  id: ){stem}$", rf"\g<1>{slug}", text, count=1, flags=re.M)
        text = re.sub(r"^(  titre: )(.*)$", rf"\g<1>\g<2> (variante {number})", text, count=1, flags=re.M)
        path = folder / f"{slug}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def best_of(runs: int, work: "object") -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        paths = generate(folder)
        texts = [p.read_text(encoding="utf-8") for p in paths]
        size = sum(len(t) for t in texts) / len(texts)

        def bare() -> None:
            for text in texts:
                yaml.load(text, Loader=yaml.CSafeLoader)

        catalogue_holder = []

        def full() -> None:
            catalogue_holder.append(load_catalogue([folder], today=TODAY))

        ceiling = best_of(3, bare)
        ours = best_of(3, full)
        catalogue = catalogue_holder[-1]
        assert catalogue.ok and len(catalogue) == COUNT, [d for d in catalogue.diagnostics if d.severity == "erreur"]

    print(f"{COUNT} dispositifs générés ({size / 1024:.1f} Ko en moyenne)")
    print(f"  analyse YAML nue (CSafeLoader)      : {ceiling * 1000:7.1f} ms   (plafond)")
    print(f"  chargement + vérification complète : {ours * 1000:7.1f} ms")
    print(f"  rapport Guichet / analyse nue      : {ours / ceiling:7.2f}   (objectif ≤ 4, et < 1 s au total)")

    entry = catalogue[next(iter(catalogue))]
    rules = entry.rules
    field, condition = next(iter(rules.field_visible.items()))
    situation = evaluate(rules, {}, today=TODAY)
    context = Context(values=situation.values, today=TODAY)
    rounds = 200_000
    samples = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(rounds):
            condition.evaluate(context)
        samples.append((time.perf_counter() - start) / rounds)
    print(
        f"  condition typique « {condition.source} » ({field}) : {statistics.median(samples) * 1e6:.2f} µs "
        "(objectif ≤ 2 µs)"
    )


if __name__ == "__main__":
    main()
