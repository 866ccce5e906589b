"""Registered spaCy components of the klimamaal rule pipeline.

Each module registers one component under a versioned name
(``klimamaal_<what>_v<n>``); importing this package registers them all. The
rules they run live as data (JSON/JSONL with ids) in ``extractors/patterns``,
so every target can name the patterns that produced it.
"""

from extractors.components import cues, quantities, targets, years

__all__ = ["cues", "quantities", "targets", "years"]
