"""Fit the scorer's weights on gold, and measure them honestly by grouped cross-validation.

Every gold passage or document is run through the pipeline in collect mode:
every candidate with its named evidence and its fields, nothing decided. A
candidate is a positive when it overlaps a required gold target (one to one,
largest overlap first, as the scorer matches); one that overlaps an optional
gold target is left out of the fit; the rest are negatives.

The weights are an L2-regularised logistic regression (scikit-learn) over the
binary features. ``klimamaal train`` writes them, with the digest of the gold
they were fit on and the thresholds of the two bands, to
``extractors/model/weights.json``; fitting is deterministic, so refitting the
same gold with the same rules reproduces the file byte for byte.

Figures for a fitted model come only from out-of-fold scores: each candidate is
scored by a model that never saw its group. A group is a written passage (or
the seed document it was cut from) or an agenda case
(``tests/gold/real/cases.csv``): the same case in committee and in the
council is one group, so it never sits on both sides of a fold.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractors import docgold
from extractors.evaluate import Report, pair_targets, score
from extractors.evidence import Evidence

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = ROOT / "tests" / "gold"
TRAINING_FILE = Path(__file__).resolve().parent / "model" / "training.json"


@dataclass
class GoldDoc:
    """A gold passage or a stand-off document, with its text, gold targets (spans resolved) and grouping."""

    id: str
    text: str
    targets: list[dict[str, Any]]
    source: str
    #: (offset, group) pairs in order: a candidate at offset x belongs to the last group starting <= x
    groups: list[tuple[int, str]] = field(default_factory=list)

    def group_at(self, offset: int) -> str:
        current = self.groups[0][1] if self.groups else self.id
        for start, group in self.groups:
            if start > offset:
                break
            current = group
        return current


def _passage_group(passage: dict[str, Any]) -> str:
    """Passages cut from one seed document share a group ("seed-002-014" -> "seed-002")."""
    m = re.match(r"(seed-\d{3})-", passage["id"])
    return m.group(1) if m else passage["id"]


def load_cases(path: Path) -> dict[str, list[tuple[str, str]]]:
    """file -> [(item title, case)] in document order, from ``cases.csv``."""
    cases: dict[str, list[tuple[str, str]]] = {}
    if not path.is_file():
        return cases
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            cases.setdefault(row["file"], []).append((row["item"], row["case"]))
    return cases


def case_starts(text: str, items: list[tuple[str, str]], name: str) -> list[tuple[int, str]]:
    """Where each listed item starts in the text (found in order), with its case; front matter is ``name``."""
    out = [(0, name)]
    pos = 0
    for title, case in items:
        span = docgold.locate(text[pos:], title)
        if span is None:
            continue
        out.append((pos + span[0], case))
        pos += span[1]
    return out


def load_gold(paths: Sequence[Path]) -> list[GoldDoc]:
    """The gold of ``paths``: written passages and stand-off documents (read through the readers)."""
    docs: list[GoldDoc] = []
    for path in paths:
        cases = load_cases(path.parent / "cases.csv")
        for passage in docgold.load(path):
            if "file" in passage:
                name = passage["file"]
                groups = case_starts(passage["text"], cases.get(name, []), name)
                docs.append(GoldDoc(name, passage["text"], passage["targets"], str(path), groups))
            else:
                group = _passage_group(passage)
                docs.append(
                    GoldDoc(
                        passage["id"], passage["text"], passage.get("targets") or [], str(path), [(0, group)]
                    )
                )
    return docs


def gold_digest(paths: Sequence[Path]) -> str:
    """sha256 over the gold files and the documents they name (so a changed document changes it too)."""
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        data = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + data)
        for line in data.decode("utf-8").splitlines():
            if line.strip() and '"file"' in line:
                name = json.loads(line).get("file")
                if name:
                    digest.update(docgold.resolve_path(name).read_bytes())
        cases = path.parent / "cases.csv"
        if cases.is_file() and any(p.parent == cases.parent for p in paths):
            digest.update(b"cases\0" + cases.read_bytes())
    return digest.hexdigest()


@dataclass
class Candidates:
    """The candidates of all gold documents, with labels (1, 0, or None for optional) and groups."""

    docs: list[GoldDoc]
    #: per document, its candidates (pipeline dicts with "features")
    by_doc: list[list[dict[str, Any]]]
    labels: list[list[int | None]]
    groups: list[list[str]]

    def flat(self) -> list[tuple[int, int]]:
        return [(d, i) for d, cands in enumerate(self.by_doc) for i in range(len(cands))]


def collect(docs: list[GoldDoc]) -> Candidates:
    """Run every gold text through the pipeline in collect mode and label its candidates.

    A candidate's group is its passage or agenda case; groups that hold a statement of the
    same gold target (``extractors.same_target``: the plan's goal restated in another case)
    are one group, so no target is ever on both sides of a fold.
    """
    from extractors.pipeline import collect_candidates

    joined = _joined_groups(docs)
    by_doc, labels, groups = [], [], []
    for doc in docs:
        cands = collect_candidates(doc.text)
        by_doc.append(cands)
        labels.append(label_candidates(doc, cands))
        groups.append([joined.get(g, g) for g in (doc.group_at(c["start"]) for c in cands)])
    return Candidates(docs, by_doc, labels, groups)


def _joined_groups(docs: list[GoldDoc]) -> dict[str, str]:
    """group -> the group it is one with, through gold targets that are the same target."""
    from extractors.evaluate import _gold_span
    from extractors.same_target import same_target_key

    parent: dict[str, str] = {}

    def find(g: str) -> str:
        while parent.get(g, g) != g:
            g = parent[g]
        return g

    first_group: dict[str, str] = {}
    for doc in docs:
        for gold in doc.targets:
            span = _gold_span(doc.text, gold)
            if span is None:
                continue
            group = doc.group_at(span[0])
            key = same_target_key(gold.get("quote") or "", gold)
            other = first_group.setdefault(key, group)
            a, b = find(group), find(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {g: find(g) for g in parent}


def label_candidates(doc: GoldDoc, cands: list[dict[str, Any]]) -> list[int | None]:
    """1 for the candidate matched to a required gold target, None to an optional one, else 0 (matched
    as the scorer matches, :func:`~extractors.evaluate.pair_targets`)."""
    out: list[int | None] = [0] * len(cands)
    for gi, pi in pair_targets(doc.text, doc.targets, cands):
        out[pi] = None if doc.targets[gi].get("optional") else 1
    return out


def candidate_recall(data: Candidates) -> tuple[int, int]:
    """(required gold targets overlapped by some candidate, required gold targets)."""
    from extractors.evaluate import _gold_span

    hit = total = 0
    for doc, cands in zip(data.docs, data.by_doc, strict=True):
        spans = [(c["start"], c["end"]) for c in cands]
        for g in doc.targets:
            if g.get("optional"):
                continue
            total += 1
            gs = _gold_span(doc.text, g)
            if gs and any(min(gs[1], e) > max(gs[0], s) for s, e in spans):
                hit += 1
    return hit, total


def feature_names(features: list[Evidence]) -> list[str]:
    return sorted({e.feature for e in features})


def _matrix(rows: list[list[str]], vocab: dict[str, int]):
    from scipy.sparse import csr_matrix

    indptr, indices = [0], []
    for names in rows:
        indices.extend(sorted(vocab[n] for n in names if n in vocab))
        indptr.append(len(indices))
    return csr_matrix(([1.0] * len(indices), indices, indptr), shape=(len(rows), len(vocab)))


@dataclass(frozen=True)
class FitSettings:
    c: float = 1.0
    folds: int = 5
    #: Splits into folds that out-of-fold scores are averaged over (see :func:`out_of_fold`).
    repeats: int = 1
    min_count: int = 2
    suggestion_recall: float = 0.97
    #: Out-of-fold detection precision the target band keeps on the agenda gold (the files named in
    #: ``agenda_gold``): thresholds below it are not chosen, whatever their F1. The issue asks for
    #: 0.80 on agendas nobody has seen; written agenda probes nobody had fit on scored 0.05-0.13
    #: lower than out of fold (BENCHMARKS.md).
    agenda_precision: float = 0.0
    agenda_gold: tuple[str, ...] = ()
    #: Kinds of text the target threshold weighs equally (each a tuple of gold file names): pooled,
    #: the written passages' 500 targets outweigh the real agendas' 55 tenfold, so a refit chose its
    #: threshold on one plateau of the plans' F1 or the other (0.36 or 0.49), and real agendas' recall
    #: swung with it (0.84 or 0.71). Gold in no kind forms one more. Empty: all gold pooled.
    kinds: tuple[tuple[str, ...], ...] = ()


def _tuples(value: list) -> tuple:
    return tuple(_tuples(v) if isinstance(v, list) else v for v in value)


def load_settings(path: Path = TRAINING_FILE) -> tuple[FitSettings, list[Path]]:
    """The regularisation, folds, band goals and gold files of ``model/training.json``."""
    data = json.loads(path.read_text(encoding="utf-8"))
    values = data.get("settings", {})
    settings = FitSettings(**{k: _tuples(v) if isinstance(v, list) else v for k, v in values.items()})
    gold = [ROOT / p for p in data["gold"]]
    return settings, gold


def fit(
    rows: list[list[str]], y: list[int], settings: FitSettings, sample_weight: list[float] | None = None
) -> tuple[float, dict[str, float]]:
    """(bias, weights by feature) of a logistic regression on binary features seen ``min_count`` times."""
    from collections import Counter

    from sklearn.linear_model import LogisticRegression

    counts = Counter(n for names in rows for n in names)
    vocab = {n: i for i, n in enumerate(sorted(n for n, k in counts.items() if k >= settings.min_count))}
    model = LogisticRegression(C=settings.c, solver="lbfgs", max_iter=5000, tol=1e-8)
    model.fit(_matrix(rows, vocab), y, sample_weight=sample_weight)
    weights = {n: float(model.coef_[0][i]) for n, i in vocab.items()}
    return float(model.intercept_[0]), weights


def _logit_score(bias: float, weights: dict[str, float], names: list[str]) -> float:
    import math

    x = bias + sum(weights.get(n, 0.0) for n in names)
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def _training_rows(data: Candidates, keep) -> tuple[list[list[str]], list[int], list[float]]:
    """Feature names, labels and sample weights of the labelled candidates ``keep`` admits.

    A candidate weighs 1/sqrt(its group's candidates), scaled to a mean of 1: a long agenda
    case with hundreds of budget figures, or a plan restated in three meetings, counts for
    more than a short passage, but not hundreds of times more.
    """
    from collections import Counter

    sizes = Counter(g for groups in data.groups for g in groups)
    rows, y, w = [], [], []
    for d, i in data.flat():
        label = data.labels[d][i]
        if label is None or not keep(d, i):
            continue
        rows.append(feature_names(data.by_doc[d][i]["features"]))
        y.append(label)
        w.append(sizes[data.groups[d][i]] ** -0.5)
    mean = sum(w) / len(w) if w else 1.0
    return rows, y, [x / mean for x in w]


def fold_of_groups(groups: Sequence[str], folds: int, salt: int = 0) -> dict[str, int]:
    """Each group's fold, from a hash of its name and ``salt``: no group spans two folds, and a group's
    fold depends on nothing else. (Folds balanced by size moved every group after one that grew: a
    single new candidate redrew the whole split, and the out-of-fold figures with it.)"""
    return {
        g: int.from_bytes(hashlib.sha256(f"{salt}:{g}".encode()).digest()[:8], "big") % folds
        for g in sorted(set(groups))
    }


def fold_plan(
    data: Candidates, settings: FitSettings, salt: int = 0
) -> list[tuple[frozenset[str], frozenset[str]]]:
    """(groups fit on, groups scored) for each fold of split ``salt``: every group is scored in exactly one
    fold, by a model that saw none of it."""
    flat_groups = [data.groups[d][i] for d, i in data.flat()]
    folds = fold_of_groups(flat_groups, settings.folds, salt)
    plan = []
    for k in range(settings.folds):
        held = frozenset(g for g, f in folds.items() if f == k)
        plan.append((frozenset(folds) - held, held))
    return plan


def out_of_fold(data: Candidates, settings: FitSettings) -> list[list[float]]:
    """Each candidate's score, the mean over ``settings.repeats`` splits (:func:`fold_plan`) of the score
    by a model fit without its group's fold. One split's figures turn on which cases share a fold
    (Greve's agenda cases are few and large); the mean over several is what a fit is judged by."""
    scores = [[0.0] * len(c) for c in data.by_doc]
    for salt in range(settings.repeats):
        for fitted, held in fold_plan(data, settings, salt):
            rows, y, w = _training_rows(data, lambda d, i, fitted=fitted: data.groups[d][i] in fitted)
            bias, weights = fit(rows, y, settings, w)
            for d, i in data.flat():
                if data.groups[d][i] in held:
                    names = feature_names(data.by_doc[d][i]["features"])
                    scores[d][i] += _logit_score(bias, weights, names) / settings.repeats
    return scores


def banded_predictions(
    data: Candidates, scores: list[list[float]], target: float, suggestion: float
) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    """(targets, targets and suggestions) per document at these thresholds, as extraction would give them."""
    from extractors.pipeline import continue_years

    targets: dict[str, list[dict]] = {}
    both: dict[str, list[dict]] = {}
    for doc, cands, doc_scores in zip(data.docs, data.by_doc, scores, strict=True):
        banded = []
        for cand, s in zip(cands, doc_scores, strict=True):
            band = "target" if s >= target else "suggestion" if s >= suggestion else None
            if band is not None:
                item = {k: v for k, v in cand.items() if k != "features"}
                banded.append({**item, "band": band, "confidence": s})
        finished = list(continue_years(banded))
        targets[doc.id] = [t for t in finished if t["band"] == "target"]
        both[doc.id] = finished
    return targets, both


def passages_of(docs: list[GoldDoc]) -> list[dict[str, Any]]:
    return [{"id": d.id, "text": d.text, "targets": d.targets} for d in docs]


def distinct_f1(passages: list[dict[str, Any]], predictions: dict[str, list[dict[str, Any]]]) -> float:
    """Detection F1 with every distinct target counted once.

    A gold target stated n times (``extractors.same_target``: the same quote and fields) weighs 1/n
    in each statement, found or missed; a false target stated n times weighs 1/n likewise. Matching
    is :func:`~extractors.evaluate.score`'s; optional gold neither counts nor makes a prediction false.
    """
    from extractors.same_target import same_target_key

    gold_n: dict[str, int] = {}
    false_n: dict[str, int] = {}
    found: list[tuple[str, bool]] = []  # (gold key, matched) of every required gold target
    false: list[str] = []  # key of every false prediction
    for passage in passages:
        text, gold = passage["text"], passage.get("targets") or []
        pred = predictions.get(passage["id"], [])
        pairs = pair_targets(text, gold, pred)
        matched_g = {gi for gi, _ in pairs}
        matched_p = {pi for _, pi in pairs}
        for gi, g in enumerate(gold):
            if not g.get("optional"):
                key = same_target_key(g.get("quote") or "", g)
                gold_n[key] = gold_n.get(key, 0) + 1
                found.append((key, gi in matched_g))
        for pi, p in enumerate(pred):
            if pi not in matched_p:
                key = same_target_key(p.get("quote") or "", p)
                false_n[key] = false_n.get(key, 0) + 1
                false.append(key)
    tp = sum(1 / gold_n[k] for k, hit in found if hit)
    fn = sum(1 / gold_n[k] for k, hit in found if not hit)
    fp = sum(1 / false_n[k] for k in false)
    return 2 * tp / (2 * tp + fn + fp) if tp else 0.0


def passages_by_kind(data: Candidates, settings: FitSettings) -> list[list[dict[str, Any]]]:
    """The gold passages split by the kinds of text in ``settings.kinds`` (gold files in none of them
    are one kind more); with no kinds named, all gold is one kind."""
    named = {name: k for k, names in enumerate(settings.kinds) for name in names}
    parts: dict[int, list[dict[str, Any]]] = {}
    for passage, doc in zip(passages_of(data.docs), data.docs, strict=True):
        parts.setdefault(named.get(Path(doc.source).name, -1), []).append(passage)
    return list(parts.values())


def kinds_f1(kinds: list[list[dict[str, Any]]], predictions: dict[str, list[dict[str, Any]]]) -> float:
    """The mean of :func:`distinct_f1` over the kinds of text (:func:`passages_by_kind`)."""
    return sum(distinct_f1(part, predictions) for part in kinds) / len(kinds)


def choose_thresholds(
    data: Candidates, scores: list[list[float]], settings: FitSettings
) -> tuple[float, float]:
    """The two band thresholds, chosen on out-of-fold scores.

    ``target``: the threshold with the best detection F1, every target counted once
    (:func:`distinct_f1`: a target the agendas restate in committee, finance committee and council
    weighs as one, as cross-validation groups it as one; counted per statement, one case of 18
    statements decided the threshold) and every kind of text (``settings.kinds``: written passages,
    agenda items, real agendas) weighing the same (:func:`kinds_f1`), among those that keep
    detection precision on agendas at ``agenda_precision`` or more (all thresholds, if none does).
    The F1 curve is flat over a wide range, so F1 alone lets one refit land anywhere on it; agendas
    are where a low threshold costs a reviewer most (budget lines that look like targets).
    ``suggestion``: the highest threshold below it at which targets and suggestions together
    reach ``suggestion_recall`` over all gold, as long as no gold file gets more suggestions than
    it has gold targets (else the lowest threshold that keeps every file to that count).
    """
    passages = passages_of(data.docs)
    grid = [round(x * 0.01, 2) for x in range(5, 96)]
    agendas = [
        p for p, d in zip(passages, data.docs, strict=True) if Path(d.source).name in settings.agenda_gold
    ]
    best: tuple[bool, float] = (False, -1.0)  # (agenda precision kept, F1)
    target = 0.5
    kinds = passages_by_kind(data, settings)
    for t in grid:
        preds, _ = banded_predictions(data, scores, t, t)
        kept = score(agendas, preds).figures()["detection"]["precision"] >= settings.agenda_precision
        if (kept, f1 := kinds_f1(kinds, preds)) > best:
            best, target = (kept, f1), t
    suggestion = target
    sources = sorted({d.source for d in data.docs})
    for t in sorted((g for g in grid if g < target), reverse=True):
        targets, both = banded_predictions(data, scores, target, t)
        too_many = False
        for source in sources:
            ids = [d.id for d in data.docs if d.source == source]
            gold = sum(1 for d in data.docs if d.source == source for g in d.targets if not g.get("optional"))
            if sum(len(both[i]) - len(targets[i]) for i in ids) > gold:
                too_many = True
        if too_many:
            break
        suggestion = t
        if score(passages, both).figures()["detection"]["recall"] >= settings.suggestion_recall:
            break
    return target, suggestion


@dataclass
class Evaluation:
    """Out-of-fold figures of a fit: per band, per source and per kind, and calibration."""

    figures: dict[str, Any]

    def as_text(self) -> str:
        from extractors.evaluate import format_report

        f = self.figures
        lines = [
            f"candidates {f['candidates']} (positives {f['positives']}), "
            f"candidate recall {f['candidate_recall'][0]}/{f['candidate_recall'][1]} = "
            f"{f['candidate_recall'][0] / max(1, f['candidate_recall'][1]):.3f}",
            f"thresholds: target >= {f['thresholds']['target']}, suggestion >= {f['thresholds']['suggestion']}",
            f"detection F1 over all gold, each distinct target once: {f['distinct_f1']:.4f}",
            f"the same, each kind of text weighing the same (the threshold's choice): {f['kinds_f1']:.4f}",
        ]
        for name, part in f["sources"].items():
            lines.append(format_report(part["targets"], f"{name} [targets]"))
            both = part["targets_and_suggestions"]
            lines.append(
                f"  targets+suggestions: recall {both['detection']['recall']:.3f}, "
                f"suggestions {part['suggestions']} (gold {both['gold_targets']})"
            )
            for kind, kf in part["kinds"].items():
                d = kf["detection"]
                lines.append(
                    f"  kind {kind}: gold {kf['gold_targets']} predicted {kf['predicted_targets']} "
                    f"P={d['precision']:.3f} R={d['recall']:.3f}"
                )
        cal = f["calibration"]
        lines.append(f"calibration: Brier {cal['brier']:.4f} over {cal['n']} candidates")
        lines.append("  score bin      n   mean score   positives")
        for row in cal["table"]:
            lines.append(
                f"  {row['bin']:<10} {row['n']:>6}   {row['mean_score']:.3f}       {row['rate']:.3f}"
            )
        return "\n".join(lines)


def _kind_split(passages: list[dict], preds: dict[str, list[dict]], kind: str) -> Report:
    part = [
        {**p, "targets": [t for t in p["targets"] if (t.get("kind") or "outcome") == kind]} for p in passages
    ]
    kept = {k: [t for t in v if (t.get("kind") or "outcome") == kind] for k, v in preds.items()}
    return score(part, kept)


def evaluate_scores(
    data: Candidates,
    scores: list[list[float]],
    target: float,
    suggestion: float,
    settings: FitSettings,
) -> Evaluation:
    passages = passages_of(data.docs)
    targets, both = banded_predictions(data, scores, target, suggestion)
    sources: dict[str, Any] = {}
    for source in sorted({d.source for d in data.docs}):
        part = [p for p, d in zip(passages, data.docs, strict=True) if d.source == source]
        ids = {p["id"] for p in part}
        t = score(part, targets).figures()
        b = score(part, both).figures()
        kinds = {
            k: _kind_split(part, {i: targets[i] for i in ids}, k).figures() for k in ("outcome", "resource")
        }
        sources[Path(source).name] = {
            "targets": t,
            "targets_and_suggestions": b,
            "suggestions": sum(len(both[i]) - len(targets[i]) for i in ids),
            "kinds": kinds,
        }
    flat = [(scores[d][i], data.labels[d][i]) for d, i in data.flat() if data.labels[d][i] is not None]
    hit, total = candidate_recall(data)
    return Evaluation(
        {
            "candidates": len(flat),
            "positives": sum(y for _, y in flat),
            "candidate_recall": [hit, total],
            "thresholds": {"target": target, "suggestion": suggestion},
            # the figure the target threshold is chosen by (choose_thresholds)
            "distinct_f1": round(distinct_f1(passages, targets), 4),
            "kinds_f1": round(kinds_f1(passages_by_kind(data, settings), targets), 4),
            "sources": sources,
            "calibration": calibration(flat),
        }
    )


def calibration(pairs: list[tuple[float, int]], bins: int = 10) -> dict[str, Any]:
    """Brier score and a reliability table (mean score vs. share of positives per score bin)."""
    n = len(pairs)
    brier = sum((s - y) ** 2 for s, y in pairs) / n if n else 0.0
    table = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(s, y) for s, y in pairs if lo <= s < hi or (b == bins - 1 and s == 1.0)]
        if inside:
            table.append(
                {
                    "bin": f"{lo:.1f}-{hi:.1f}",
                    "n": len(inside),
                    "mean_score": sum(s for s, _ in inside) / len(inside),
                    "rate": sum(y for _, y in inside) / len(inside),
                }
            )
    return {"n": n, "brier": brier, "table": table}


def train(gold: Sequence[Path], settings: FitSettings) -> tuple[dict[str, Any], Evaluation]:
    """Fit on all of ``gold``; thresholds and figures from grouped cross-validation. Returns the weights file's
    content and the evaluation."""
    docs = load_gold(gold)
    data = collect(docs)
    scores = out_of_fold(data, settings)
    target, suggestion = choose_thresholds(data, scores, settings)
    evaluation = evaluate_scores(data, scores, target, suggestion, settings)
    rows, y, w = _training_rows(data, lambda d, i: True)
    bias, weights = fit(rows, y, settings, w)
    content = {
        "model": "logistic regression over binary evidence features (extractors.evidence)",
        "gold_digest": gold_digest(gold),
        "gold_files": [str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p) for p in gold],
        "settings": settings.__dict__,
        "training": {"candidates": len(y), "positives": sum(y)},
        "thresholds": {"target": target, "suggestion": suggestion},
        "bias": round(bias, 4),
        "weights": {n: round(w, 4) for n, w in sorted(weights.items()) if round(w, 4) != 0.0},
    }
    return content, evaluation


def write_weights(content: dict[str, Any], path: Path) -> None:
    path.write_text(
        json.dumps(content, ensure_ascii=False, indent=1, sort_keys=False) + "\n", encoding="utf-8"
    )
