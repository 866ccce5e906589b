"""Extraction speed: words/s of ``extract_targets`` beside bare ``spacy.blank("da")`` tokenisation.

Two texts, each measured in the same run with both:
- the stored corpus (``corpus/`` read with ``extractors.readers``; the seed .txt files if readers are missing);
- a generated plan of about 2 million words: headings, target lists, tables, statistics
  and prose in the proportions of a municipal climate plan.
Bare tokenisation runs ``nlp.make_doc`` over every block of the same text (blocks, so
spaCy's length limit never applies). Goal: extraction at least 25 % of bare speed. Both
keep their word-level caches across repeats (spaCy's tokenizer cache, the cue word cache, and
the extractor's memory of what a sequence of evidence implies and scores, which recurs across
documents as words do);
the extractor's caches of whole units, clauses and heading lines are cleared before every
document (``pipeline.clear_unit_cache``), so they only serve repeats within a document
(running headers, scraped duplicate sections).

    .venv/bin/python benchmarks/bench_extract.py [--words 2000000] [--repeat 3] [--json] [--per-document]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PROSE = [
    "Klimaforandringerne er en af de største udfordringer, vi står overfor, og det kalder på løsninger i fællesskab.",
    "Kommunen arbejder sammen med borgere, foreninger og virksomheder om den grønne omstilling af hele kommunen.",
    "Indsatsen gennemføres i samarbejde med forsyningsselskaberne og de lokale virksomheder i erhvervsnetværket.",
    "Erfaringerne fra projektet viser, at borgerne gerne vil være med til at spare på energien i hverdagen.",
    "Der er fortsat et betydeligt potentiale for energibesparelser i både private boliger og offentlige bygninger.",
    "Vi vil inddrage skoler, institutioner og foreninger i arbejdet med at formidle viden om klima og natur.",
    "Klimatilpasning og naturpleje skal skabe de bedste muligheder for et rigt plante- og dyreliv i byen.",
    "Handleplanen evalueres hvert år, og resultaterne offentliggøres i det grønne regnskab på hjemmesiden.",
]
TARGETS = [
    "Senest i {y} er CO₂-udledningen fra kommunens bygninger reduceret med {p} % i forhold til {b}.",
    "Andelen af elbiler i den kommunale flåde skal udgøre mindst {p} % i {y}.",
    "Vi vil plante {n} hektar ny skov frem mod {y}.",
    "Kommunen skal være klimaneutral senest i {y}.",
    "I {y} er olie- og naturgas til opvarmning udfaset i hele kommunen.",
]
STATS = [
    "I {b} var den samlede udledning {n}.{m} tons CO₂e, hvoraf transport stod for {p} %.",
    "Transport står for {p} % af udledningen i kommunen.",
    "Projektet er støttet af EU og foregår fra 2023 til 2026.",
]
HEADINGS = ["Energi", "Transport", "Affald og cirkulær økonomi", "Natur og biodiversitet", "DET VI GØR SELV"]


def generate_plan(words: int, seed: int = 11) -> str:
    """A plan-like text of about ``words`` words (pages joined as the readers join them)."""
    rng = random.Random(seed)

    def fill(template: str) -> str:
        return template.format(
            y=rng.choice([2025, 2030, 2035, 2050]),
            p=rng.randint(5, 90),
            b=rng.choice([1990, 2010, 2019]),
            n=rng.randint(1, 400),
            m=rng.randint(100, 999),
        )

    blocks: list[str] = []
    count = 0
    while count < words:
        kind = rng.random()
        if kind < 0.08:
            block = rng.choice(HEADINGS)
        elif kind < 0.18:
            block = "Delmål:\n\n" + "\n".join(
                "- " + fill(rng.choice(TARGETS)) for _ in range(rng.randint(2, 5))
            )
        elif kind < 0.22:
            rows = [f"{h} | {rng.randint(5, 90)} % | {rng.randint(5, 90)} %" for h in HEADINGS[:3]]
            block = "Sektor | 2025 | 2030\n" + "\n".join(rows)
        elif kind < 0.35:
            block = " ".join(fill(rng.choice(STATS)) for _ in range(rng.randint(1, 3)))
        else:
            block = " ".join(rng.choice(PROSE) for _ in range(rng.randint(2, 6)))
            if rng.random() < 0.2:
                block += " " + fill(rng.choice(TARGETS))
        blocks.append(block)
        count += len(block.split())
        if rng.random() < 0.02:
            blocks.append("\f")
    return "\n\n".join(blocks)


def corpus_texts() -> list[str]:
    texts = []
    corpus = ROOT / "corpus"
    try:
        from extractors.readers import read_document
    except ImportError:
        read_document = None
    for path in sorted(corpus.glob("*")) if corpus.is_dir() else []:
        if path.suffix.lower() not in (".txt", ".html", ".htm", ".pdf"):
            continue
        if read_document is not None:
            try:
                texts.append(read_document(path.read_bytes(), path.name).text)
                continue
            except Exception as exc:  # a broken corpus file must not stop the benchmark
                print(f"  (skipping {path.name}: {exc})", file=sys.stderr)
                continue
        if path.suffix == ".txt":
            texts.append(path.read_text(encoding="utf-8"))
    if not texts:
        seeds = ROOT.parent / "shared" / "seeds"
        texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    return texts


def measure(texts: list[str], repeat: int) -> dict[str, float]:
    import spacy

    from extractors.pipeline import build_pipeline, clear_unit_cache, extract_targets

    bare = spacy.blank("da")
    build_pipeline()
    extract_targets("Senest i 2030 er udledningen reduceret med 70 %.")  # warm caches
    words = sum(len(t.split()) for t in texts)
    best_bare = best_extract = float("inf")
    targets = 0
    for _ in range(repeat):
        started = time.perf_counter()
        for text in texts:
            for block in text.split("\n\n"):
                bare.make_doc(block)
        best_bare = min(best_bare, time.perf_counter() - started)
        # the unit cache may serve repeats within a document, not a second copy of it or a second run
        started = time.perf_counter()
        targets = 0
        for text in texts:
            clear_unit_cache()
            targets += len(extract_targets(text))
        best_extract = min(best_extract, time.perf_counter() - started)
    return {
        "words": words,
        "targets": targets,
        "bare_words_per_s": round(words / best_bare),
        "extract_words_per_s": round(words / best_extract),
        "ratio": round(best_bare / best_extract, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--per-document", action="store_true", help="also each corpus document on its own (where time goes)"
    )
    args = parser.parse_args()
    if args.per_document:
        for text in corpus_texts():
            r = measure([text], args.repeat)
            title = " ".join(text.split())[:40]
            print(f"  {title:40s} words={r['words']:>6,} ratio={r['ratio']:.1%}")
    results = {
        "corpus": measure(corpus_texts(), args.repeat),
        "generated": measure([generate_plan(args.words)], max(1, args.repeat - 2)),
    }
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for name, r in results.items():
        print(
            f"{name:10s} words={r['words']:>9,} targets={r['targets']:>7,} "
            f"extract={r['extract_words_per_s']:>9,} w/s  bare tokenise={r['bare_words_per_s']:>9,} w/s  "
            f"ratio={r['ratio']:.1%} (goal >= 25%)"
        )


if __name__ == "__main__":
    main()
