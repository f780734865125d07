"""What a loader of a public release read, and what it skipped and why."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ProgressFn = Callable[[str, int, int], None]

MAX_EXAMPLES = 5


@dataclass(slots=True)
class LoadReport:
    """Rows read per file and rows skipped per reason, with a few examples of each.

    Public releases have known gaps (e.g. ESCO relations to an occupation that is not in the
    occupation file); a loader skips such rows but never silently: they are counted here.
    """

    source: str
    rows: dict[str, int] = field(default_factory=dict)  # file name -> records read
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> rows skipped
    examples: dict[str, list[str]] = field(default_factory=dict)  # reason -> first few cases
    notes: list[str] = field(default_factory=list)  # e.g. an optional file that is absent

    def read(self, file: str, count: int) -> None:
        self.rows[file] = self.rows.get(file, 0) + count

    def skip(self, reason: str, example: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1
        shown = self.examples.setdefault(reason, [])
        if len(shown) < MAX_EXAMPLES and example not in shown:
            shown.append(example)

    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    def lines(self) -> list[str]:
        """Human-readable summary, one line per file, skip reason and note."""
        out = [f"{self.source}: read {file}: {count:,} rows" for file, count in self.rows.items()]
        for reason, count in self.skipped.items():
            shown = "; ".join(self.examples.get(reason, []))
            out.append(f"{self.source}: skipped {count:,} ({reason}), e.g. {shown}")
        out.extend(f"{self.source}: {note}" for note in self.notes)
        return out
