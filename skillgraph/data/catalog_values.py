"""Reading the free-form level and duration cells of course catalogs.

Levels: the level a learner should have to start, on the 0-5 proficiency scale.

| words in the cell                                        | level |
|----------------------------------------------------------|-------|
| introductory, beginner, basic, novice, foundational, ... | 1.0   |
| all levels, all, any, mixed                              | 1.5   |
| intermediate, medium                                     | 2.5   |
| advanced                                                 | 3.5   |
| expert                                                   | 4.5   |
| a number 0-5                                             | as is |

A trailing "level" / "levels" is ignored ("Beginner Level", "All Levels").

Durations: total hours of effort from one or more cells. A cell holds quantities like "1.5"
(hours), "45 minutes", "2h 30m", "2 days" (8 hours a day), "2–3 hours per week" (a rate; a range
counts as its middle) or "6 Weeks" / "3 months" (a length). A rate times a length is the total
("2–3 hours per week" and "6 Weeks": 15 hours); a rate alone assumes 4 weeks; a length alone
assumes 3 hours a week.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from skillgraph.data.schema import MAX_LEVEL, MIN_LEVEL

LEVEL_WORDS: dict[str, float] = {
    **dict.fromkeys(
        ("introductory", "introduction", "beginner", "beginners", "basic", "novice",
         "foundational", "foundation", "fundamentals", "elementary", "entry", "starter"),
        1.0,
    ),
    **dict.fromkeys(("all", "any", "mixed", "everyone", "general"), 1.5),
    **dict.fromkeys(("intermediate", "medium", "middle"), 2.5),
    **dict.fromkeys(("advanced", "proficient"), 3.5),
    **dict.fromkeys(("expert", "mastery", "master"), 4.5),
}  # fmt: skip

HOURS_PER_DAY = 8.0
WEEKS_PER_MONTH = 4.345
DEFAULT_WEEKS = 4.0  # a rate with no length
DEFAULT_HOURS_PER_WEEK = 3.0  # a length with no rate

_HOUR_UNITS = {
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 1.0),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 1 / 60),
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), 1 / 3600),
    **dict.fromkeys(("d", "day", "days"), HOURS_PER_DAY),
}
_WEEK_UNITS = {
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), 1.0),
    **dict.fromkeys(("mo", "month", "months"), WEEKS_PER_MONTH),
}
_FILLER = {"about", "approx", "approximately", "around", "roughly", "total", "of", "and", "in",
           "content", "video", "on", "demand", "self", "paced", "estimated", "effort",
           "~", "+"}  # fmt: skip
_QUANTITY = re.compile(
    r"(?P<low>\d+(?:\.\d+)?)\s*"
    r"(?:(?:–|—|-|to)\s*(?P<high>\d+(?:\.\d+)?)\s*)?"
    r"(?P<unit>[a-z]+)?"
    r"(?:\s*(?:per\b|/|a\b|an\b|each\b)\s*(?P<per>[a-z]+))?"
)


def parse_level(text: str) -> float | None:
    """The level a cell names, None when blank; ValueError naming the words it knows."""
    try:
        number = float(text)
    except ValueError:
        pass
    else:
        if MIN_LEVEL <= number <= MAX_LEVEL:
            return number
        raise ValueError(f"level {number:g} is outside {MIN_LEVEL:g}-{MAX_LEVEL:g}")
    words = text.strip().lower().replace("-", " ").replace("_", " ").split()
    while words and words[-1] in ("level", "levels"):
        words.pop()
    if not words:
        return None
    phrase = " ".join(words)
    if phrase in LEVEL_WORDS:
        return LEVEL_WORDS[phrase]
    if words[0] in LEVEL_WORDS and len(words) <= 2:  # "beginner friendly", "advanced topics"
        return LEVEL_WORDS[words[0]]
    known = "Introductory, Beginner, All Levels, Intermediate, Advanced, Expert"
    raise ValueError(f"unknown level {text.strip()!r}; use one of {known} or a number 0-5")


def parse_duration(cells: Iterable[str]) -> float | None:
    """Total hours from the duration cells, None when all are blank; ValueError if unreadable."""
    hours, rate, weeks = 0.0, 0.0, 0.0
    seen = False
    for cell in cells:
        for kind, amount in _quantities(cell):
            seen = True
            if kind == "hours":
                hours += amount
            elif kind == "rate":
                rate += amount
            else:
                weeks += amount
    if not seen:
        return None
    if rate and weeks:
        hours += rate * weeks
    elif rate:
        hours += rate * DEFAULT_WEEKS
    elif weeks:
        hours += weeks * DEFAULT_HOURS_PER_WEEK
    return round(hours, 2)


def _quantities(cell: str) -> list[tuple[str, float]]:
    text = cell.strip().lower()
    found: list[tuple[str, float]] = []
    rest = text
    for match in _QUANTITY.finditer(text):
        found.append(_quantity(match))
        rest = rest.replace(match.group(0), " ", 1)
    leftover = [w for w in re.split(r"[\s,;().:]+", rest) if w and w not in _FILLER]
    if leftover:
        raise ValueError(
            f"cannot read duration {cell.strip()!r} (did not understand {leftover[0]!r})"
        )
    return found


def _quantity(match: re.Match[str]) -> tuple[str, float]:
    low = float(match["low"])
    amount = (low + float(match["high"])) / 2 if match["high"] else low
    unit, per = match["unit"] or "h", match["per"]
    if unit in _HOUR_UNITS:
        amount *= _HOUR_UNITS[unit]
        if per is None:
            return "hours", amount
        if per in _WEEK_UNITS:
            return "rate", amount / _WEEK_UNITS[per]
        if per in ("day", "days", "d"):
            return "rate", amount * 5  # working days a week
        raise ValueError(f"unknown period {per!r} in {match.group(0)!r}")
    if unit in _WEEK_UNITS and per is None:
        return "weeks", amount * _WEEK_UNITS[unit]
    raise ValueError(f"unknown unit {unit!r} in {match.group(0)!r}")
