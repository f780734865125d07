"""Finding and removing a person's id inside JSON documents (plans, rounds) on erasure.

Rule: an element of a list that names the person anywhere inside it (a pairing, a suggested
mentor, a log line with the id as a word) is removed as a whole, since it is about them; an
object key equal to the id is removed; any other string equal to the id becomes None.
"""

from __future__ import annotations

import re
from typing import Any


def names(value: Any, person_id: str, *, words: bool = True) -> bool:
    """Whether the id appears anywhere: as a whole string, a key, or (words=True) a word of a
    longer string."""
    if isinstance(value, str):
        return value == person_id or (words and _word(person_id).search(value) is not None)
    if isinstance(value, dict):
        return any(k == person_id or names(v, person_id, words=words) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(names(v, person_id, words=words) for v in value)
    return False


def scrub(value: Any, person_id: str) -> Any:
    """A copy of the document without the parts that name the person."""
    if isinstance(value, dict):
        return {
            k: (None if v == person_id else scrub(v, person_id))
            for k, v in value.items()
            if k != person_id
        }
    if isinstance(value, list | tuple):
        return [scrub(v, person_id) for v in value if not names(v, person_id)]
    if isinstance(value, str) and names(value, person_id):
        return _word(person_id).sub("[erased]", value)
    return value


def _word(person_id: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(person_id)}(?![\w-])")
