"""Registered spaCy components of the klimamaal rule pipeline.

Each module registers one component under a versioned name
(``klimamaal_<what>_v<n>``) when it is imported; ``extractors.pipeline`` imports
all four. The package itself imports nothing, so the rule modules the
components use (``extractors.anchors``, ``extractors.decide``) can be imported
on their own without a cycle through the components. The rules they run live
as data (JSON/JSONL with ids) in ``extractors/patterns``, so every target can
name the patterns that produced it.
"""
