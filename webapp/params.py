"""Numbers from addresses and forms, checked before they reach the database.

An id in a URL must look like one the database could have stored: ASCII digits
without sign, spaces or leading zeros, within the range of an ``Integer``
column on PostgreSQL (int4). Anything else is answered with 404 at the route
(FastAPI's own ``int`` would accept "+5", " 5" and "1_0", and pass 2⁶³ on to a
driver that overflows). Counters in forms and query strings get the same check.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BeforeValidator

#: The largest value of an ``Integer`` column on PostgreSQL (SQLite's is larger).
MAX_STORED_INT = 2**31 - 1
_DIGITS = re.compile(r"0|[1-9][0-9]{0,9}")


def parse_count(raw: object, *, minimum: int = 0) -> int | None:
    """A non-negative whole number written plainly ("0", "17"), at least ``minimum``; else None."""
    if not isinstance(raw, str) or not _DIGITS.fullmatch(raw):
        return None
    value = int(raw)
    return value if minimum <= value <= MAX_STORED_INT else None


def _stored_id(raw: object) -> int:
    value = parse_count(raw, minimum=1)
    if value is None:
        raise ValueError("not an id")
    return value


def _stored_count(raw: object) -> int:
    value = parse_count(raw)
    if value is None:
        raise ValueError("not a number")
    return value


#: A route parameter holding a row id (validation errors are answered with 404).
StoredId = Annotated[int, BeforeValidator(_stored_id)]
#: A route parameter holding a non-negative counter (a page number, ``before=``).
StoredCount = Annotated[int, BeforeValidator(_stored_count)]
