"""Scoring of predicted targets against gold passages, exactly as ``shared/docs/gold-format.md`` says.

1. The gold span of a target is the first occurrence of its quote in the
   passage text (whitespace-insensitive when the exact string is absent), or the
   span stand-off gold resolved (``start``/``end``, see ``extractors.docgold``); the
   predicted span is ``start:end`` (or, failing that, its quote found the same way).
   An ``optional`` gold target is neither required nor penalised: unmatched it is
   no miss, and a prediction matched to it counts nowhere.
2. A prediction matches a gold target of the same passage when the spans
   overlap; pairs are matched one to one, largest overlap first.
3. Detection P/R/F1 over matches; 4. strict P/R/F1 counts a match only when
   value (±0.05), target_year and baseline_year are all right (null = null);
5. field accuracy over matched pairs; 6. passage accuracy on "has a target".

Pure: no extraction happens here, so the scorer can judge any predictions file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

FIELDS = ("value", "target_year", "baseline_year", "direction", "unit")
STRICT_FIELDS = ("value", "target_year", "baseline_year")
VALUE_TOLERANCE = 0.05


def find_span(text: str, quote: str) -> tuple[int, int] | None:
    """First occurrence of ``quote`` in ``text``; whitespace-insensitive when the exact string is absent."""
    if not quote:
        return None
    i = text.find(quote)
    if i >= 0:
        return i, i + len(quote)
    parts = quote.split()
    if not parts:
        return None
    m = re.search(r"\s*".join(re.escape(p) for p in parts), text)
    return (m.start(), m.end()) if m else None


def _gold_span(text: str, gold: dict[str, Any]) -> tuple[int, int] | None:
    s, e = gold.get("start"), gold.get("end")
    if isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text):
        return s, e
    return find_span(text, gold.get("quote") or "")


def _pred_span(text: str, pred: dict[str, Any]) -> tuple[int, int] | None:
    s, e = pred.get("start"), pred.get("end")
    if isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text):
        return s, e
    return find_span(text, pred.get("quote") or "")


def field_ok(name: str, gold: Any, pred: Any) -> bool:
    """Equality of one field; values within ±0.05, null only equals null."""
    if name == "value":
        if gold is None or pred is None:
            return gold is None and pred is None
        try:
            return abs(float(gold) - float(pred)) <= VALUE_TOLERANCE
        except (TypeError, ValueError):
            return False
    return gold == pred


def match_spans(
    gold: list[tuple[int, int] | None], pred: list[tuple[int, int] | None]
) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs of overlapping spans, largest overlap first."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if g is None or p is None:
                continue
            overlap = min(g[1], p[1]) - max(g[0], p[0])
            if overlap > 0:
                pairs.append((overlap, gi, pi))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _overlap, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gi, pi))
    return sorted(out)


def _prf(hit: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = hit / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = hit / n_gold if n_gold else (1.0 if not n_pred else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


@dataclass
class Report:
    """The figures of one evaluation, and the errors behind them."""

    passages: int = 0
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    strict: int = 0
    passage_right: int = 0
    field_right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    errors: list[dict[str, Any]] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        return {
            "passages": self.passages,
            "gold_targets": self.gold,
            "predicted_targets": self.predicted,
            "matched": self.matched,
            "detection": _prf(self.matched, self.predicted, self.gold),
            "strict": _prf(self.strict, self.predicted, self.gold),
            "fields": {
                k: round(v / self.matched, 4) if self.matched else 0.0 for k, v in self.field_right.items()
            },
            "passage_accuracy": round(self.passage_right / self.passages, 4) if self.passages else 0.0,
        }


def pair_targets(text: str, gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """(gold index, prediction index) of the gold and predicted targets of ``text`` that match
    (:func:`match_spans` over their spans): the one matching every figure of the gold is read by."""
    return match_spans([_gold_span(text, g) for g in gold], [_pred_span(text, p) for p in pred])


def score(passages: list[dict[str, Any]], predictions: dict[str, list[dict[str, Any]]]) -> Report:
    """Score ``predictions`` (passage id -> predicted targets) against gold ``passages``."""
    report = Report()
    for passage in passages:
        pid, text = passage["id"], passage["text"]
        gold = passage.get("targets") or []
        pred = predictions.get(pid, [])
        pairs = pair_targets(text, gold, pred)
        optional = {gi for gi, g in enumerate(gold) if g.get("optional")}
        on_optional = {pi for gi, pi in pairs if gi in optional}
        required = len(gold) - len(optional)
        counted = len(pred) - len(on_optional)
        report.passages += 1
        report.gold += required
        report.predicted += counted
        if bool(required) == bool(counted):
            report.passage_right += 1
        matched_g = {gi for gi, _ in pairs}
        matched_p = {pi for _, pi in pairs}
        for gi, pi in pairs:
            if gi in optional:
                continue
            g, p = gold[gi], pred[pi]
            report.matched += 1
            wrong = [k for k in FIELDS if not field_ok(k, g.get(k), p.get(k))]
            for k in FIELDS:
                if k not in wrong:
                    report.field_right[k] += 1
            if not any(k in wrong for k in STRICT_FIELDS):
                report.strict += 1
            if wrong:
                report.errors.append(
                    {
                        "id": pid,
                        "kind": "wrong_fields",
                        "quote": g.get("quote"),
                        "predicted_quote": p.get("quote"),
                        "fields": {k: {"gold": g.get(k), "predicted": p.get(k)} for k in wrong},
                    }
                )
        for gi, g in enumerate(gold):
            if gi not in matched_g and gi not in optional:
                report.errors.append({"id": pid, "kind": "missed", "quote": g.get("quote")})
        for pi, p in enumerate(pred):
            if pi not in matched_p:
                report.errors.append(
                    {
                        "id": pid,
                        "kind": "spurious",
                        "quote": p.get("quote"),
                        "rule_ids": p.get("rule_ids"),
                        "confidence": p.get("confidence"),
                    }
                )
    return report


def format_report(figures: dict[str, Any], name: str = "") -> str:
    """A few aligned lines for the terminal."""
    d, s = figures["detection"], figures["strict"]
    lines = [
        f"{name}  passages={figures['passages']} gold={figures['gold_targets']} "
        f"predicted={figures['predicted_targets']} matched={figures['matched']}".strip(),
        f"  detection  P={d['precision']:.3f} R={d['recall']:.3f} F1={d['f1']:.3f}",
        f"  strict     P={s['precision']:.3f} R={s['recall']:.3f} F1={s['f1']:.3f}",
        "  fields     " + " ".join(f"{k}={v:.3f}" for k, v in figures["fields"].items()),
        f"  passage accuracy {figures['passage_accuracy']:.3f}",
    ]
    return "\n".join(lines)


def format_errors(errors: list[dict[str, Any]]) -> str:
    out = []
    for e in errors:
        if e["kind"] == "wrong_fields":
            detail = "; ".join(
                f"{k}: gold={v['gold']!r} pred={v['predicted']!r}" for k, v in e["fields"].items()
            )
            out.append(f"[{e['id']}] WRONG   {e['quote']!r}\n    {detail}")
        elif e["kind"] == "missed":
            out.append(f"[{e['id']}] MISSED  {e['quote']!r}")
        else:
            out.append(f"[{e['id']}] SPURIOUS {e['quote']!r} {e.get('rule_ids') or ''}")
    return "\n".join(out)
