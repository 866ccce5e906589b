"""The source scanner the rule compilers share: escapes and classes are not structure."""

from __future__ import annotations

import pytest

from extractors.regex_source import group_end, top_level_alternatives, top_level_groups


def test_alternatives_split_only_at_the_top_level() -> None:
    assert top_level_alternatives(r"a(?:b|c)|d\|e|[|]f") == ["a(?:b|c)", r"d\|e", "[|]f"]
    assert top_level_alternatives("abc") == ["abc"]


def test_a_bracket_first_in_a_class_is_a_member() -> None:
    assert top_level_alternatives(r"a[]|]b") == [r"a[]|]b"]
    assert top_level_alternatives(r"a[^]|]b|c") == [r"a[^]|]b", "c"]
    assert top_level_groups(r"[](](x)") == ["(x)"]


def test_group_end_finds_the_closing_parenthesis_of_that_group() -> None:
    source = r"\b(?:a(b)|[)]c)\s+(d)"
    assert group_end(source, 2) == source.index(r"\s") - 1
    assert group_end(source, source.index("(b")) == source.index("b)") + 1
    with pytest.raises(ValueError):
        group_end("(a", 0)
