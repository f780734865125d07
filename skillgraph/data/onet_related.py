"""O*NET "Related Occupations": the occupations O*NET's analysts judge related to each one.

The file (O*NET 28.0 and later) lists, per occupation, up to 20 related occupations with a
relatedness tier: "Primary-Short" (the closest few), "Primary-Long", then "Supplemental".
Tiers become graded judgements, closer is higher: TIER_GRADES. An `Index` column, when present,
must be a whole number >= 1 (O*NET's order within the list).

It is ground truth for evaluating role recommendations, not an input of the engine: `load_onet`
does not read it. Rows naming codes absent from the occupation list are kept and reported by
`RelatedOccupations.unknown_codes`, never dropped silently.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from skillgraph.data.onet import CODE, SOC_CODE, OnetFile
from skillgraph.data.tables import iter_rows
from skillgraph.errors import DatasetError

RELATED_CODE = "Related O*NET-SOC Code"
TIER = "Relatedness Tier"
INDEX = "Index"
RELATED_OCCUPATIONS = OnetFile("Related Occupations.txt", (CODE, RELATED_CODE, TIER), False)
TIER_GRADES = {"Primary-Short": 3, "Primary-Long": 2, "Supplemental": 1}


@dataclass(frozen=True)
class RelatedOccupations:
    """Graded pairs `pairs[code][related code] = grade` read from one file."""

    source: str  # the file read
    pairs: dict[str, dict[str, int]] = field(default_factory=dict)
    rows: int = 0

    def count(self) -> int:
        return sum(len(related) for related in self.pairs.values())

    def unknown_codes(self, known: Collection[str]) -> dict[str, list[str]]:
        """Codes absent from `known` (the occupation list), by column, sorted."""
        queries = sorted(code for code in self.pairs if code not in known)
        related = sorted({r for items in self.pairs.values() for r in items if r not in known})
        return {name: ids for name, ids in ((CODE, queries), (RELATED_CODE, related)) if ids}


def related_occupations_path(folder: Path) -> Path:
    return folder / RELATED_OCCUPATIONS.name


def has_related_occupations(folder: Path) -> bool:
    return related_occupations_path(folder).is_file()


def read_related_occupations(path: Path) -> RelatedOccupations:
    """Read "Related Occupations.txt" (a folder holding it, or the file itself).

    DatasetError names the file, row and field of a malformed code, an unknown tier, a bad
    index, an occupation related to itself, or one pair given twice with different tiers.
    """
    file = related_occupations_path(path) if path.is_dir() else path
    if not file.is_file():
        raise DatasetError("O*NET Related Occupations file not found", file=str(file))
    pairs: dict[str, dict[str, int]] = {}
    first_row: dict[tuple[str, str], int] = {}
    rows = 0
    for row_no, row in iter_rows(file, required=RELATED_OCCUPATIONS.columns, delimiter="\t"):
        rows += 1
        code = _code(row, CODE, file, row_no)
        related = _code(row, RELATED_CODE, file, row_no)
        if related == code:
            raise DatasetError(
                f"occupation {code!r} is listed as related to itself",
                file=str(file),
                row=row_no,
                field=RELATED_CODE,
            )
        grade = _grade(row, file, row_no)
        _check_index(row, file, row_no)
        known = pairs.get(code, {}).get(related)
        if known is not None and known != grade:
            raise DatasetError(
                f"pair ({code}, {related}) has another tier in row {first_row[(code, related)]}",
                file=str(file),
                row=row_no,
                field=TIER,
            )
        if known is None:
            first_row[(code, related)] = row_no
            pairs.setdefault(code, {})[related] = grade
    if not pairs:
        raise DatasetError("no related occupations in the file", file=str(file))
    return RelatedOccupations(source=str(file), pairs=pairs, rows=rows)


def _code(row: dict[str, str], column: str, file: Path, row_no: int) -> str:
    value = row[column].strip()
    if not SOC_CODE.match(value):
        raise DatasetError(
            f"expected an O*NET-SOC code like 15-1252.00, got {value!r}",
            file=str(file),
            row=row_no,
            field=column,
        )
    return value


def _grade(row: dict[str, str], file: Path, row_no: int) -> int:
    tier = row[TIER].strip()
    if tier not in TIER_GRADES:
        raise DatasetError(
            f"unknown relatedness tier {tier!r}; expected one of {', '.join(TIER_GRADES)}",
            file=str(file),
            row=row_no,
            field=TIER,
        )
    return TIER_GRADES[tier]


def _check_index(row: dict[str, str], file: Path, row_no: int) -> None:
    value = row.get(INDEX, "").strip()
    if value and not (value.isdigit() and int(value) >= 1):
        raise DatasetError(
            f"expected a whole number >= 1, got {value!r}", file=str(file), row=row_no, field=INDEX
        )
