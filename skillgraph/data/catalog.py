"""Learning items from a course catalog export (CSV), through a column mapping.

A catalog says nothing about skills: items come without skill tags, and the retrieval layer
infers what they teach from their text. Levels and durations are read from the free-form cells
catalogs use (see skillgraph.data.catalog_values).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from skillgraph.data.catalog_values import parse_duration, parse_level
from skillgraph.data.schema import LearningItem, Modality, Records
from skillgraph.data.tables import iter_rows
from skillgraph.errors import DatasetError, ValidationError

# Cells that mean "nothing here" in scraped catalogs.
PLACEHOLDERS = {"", "pending", "n/a", "na", "none", "null", "-", "tbd", "tba"}
_DEFAULT_ITEM = LearningItem(id="", title="")  # the defaults of fields a catalog leaves blank
MODALITY_SYNONYMS: dict[str, Modality] = {
    "mooc": Modality.COURSE,
    "online course": Modality.COURSE,
    "self-paced": Modality.COURSE,
    "class": Modality.COURSE,
    "ebook": Modality.BOOK,
    "e-book": Modality.BOOK,
    "blog": Modality.ARTICLE,
    "blog post": Modality.ARTICLE,
    "paper": Modality.ARTICLE,
    "talk": Modality.VIDEO,
    "webinar": Modality.VIDEO,
    "episode": Modality.PODCAST,
    "training": Modality.WORKSHOP,
    "bootcamp": Modality.WORKSHOP,
    "assignment": Modality.STRETCH_ASSIGNMENT,
    "stretch assignment": Modality.STRETCH_ASSIGNMENT,
    "meetup": Modality.COMMUNITY,
    "guild": Modality.COMMUNITY,
}


def read_modality(text: str) -> Modality:
    word = " ".join(text.strip().lower().replace("_", " ").split())
    for candidate in (word.replace(" ", "_"), word):
        try:
            return Modality(candidate)
        except ValueError:
            pass
    if word in MODALITY_SYNONYMS:
        return MODALITY_SYNONYMS[word]
    allowed = ", ".join(m.value for m in Modality)
    raise ValueError(f"unknown modality {text.strip()!r}; allowed: {allowed}")


@dataclass(frozen=True, slots=True)
class Constant:
    """A fixed value for every row, instead of a column (written `=value` in `key=value` form)."""

    value: str


ColumnOrConstant = str | Constant


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Which catalog column fills which field of a LearningItem.

    `id`: a column of stable ids; without one, the id is a hash of title, provider and url.
    `text_columns`: extra text (summary, subject, syllabus) joined into the item's syllabus.
    `duration`: one or more columns read together ("2–3 hours per week" and "6 Weeks").
    `modality` and `provider`: a column or a Constant.
    """

    title: str
    id: str | None = None
    description: str | None = None
    text_columns: tuple[str, ...] = ()
    level: str | None = None
    duration: tuple[str, ...] = ()
    modality: ColumnOrConstant = Constant(Modality.COURSE.value)
    provider: ColumnOrConstant | None = None
    url: str | None = None
    id_prefix: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.modality, Constant):
            read_modality(self.modality.value)  # fail early on a bad constant

    def columns(self) -> list[str]:
        """Every column this mapping reads."""
        named = [self.title, self.id, self.description, self.level, self.url]
        named += [*self.text_columns, *self.duration]
        named += [c for c in (self.modality, self.provider) if isinstance(c, str)]
        return list(dict.fromkeys(c for c in named if c))

    @classmethod
    def parse(cls, pairs: Iterable[str], *, base: ColumnMapping | None = None) -> ColumnMapping:
        """A mapping from `key=column` strings, e.g. ["id=course_id", "title=course_title",
        "provider==Udemy"] (a value starting with '=' is a constant). `text` and `duration`
        may repeat or list columns separated by commas; `base` supplies the keys not given."""
        changes: dict[str, Any] = {}
        for pair in pairs:
            key, sep, value = pair.partition("=")
            key, value = key.strip().lower(), value.strip()
            if not sep or not key:
                raise ValidationError(f"mapping {pair!r} is not key=column")
            _apply_pair(changes, key, value)
        if base is not None:
            return replace(base, **changes)
        if "title" not in changes:
            raise ValidationError("a mapping needs title=<column>")
        return cls(**changes)


_LIST_KEYS = {"text": "text_columns", "text_columns": "text_columns", "duration": "duration"}
_CONSTANT_KEYS = {"modality", "provider"}
_KEYS = [f.name for f in fields(ColumnMapping)]


def _apply_pair(changes: dict[str, Any], key: str, value: str) -> None:
    if key in _LIST_KEYS:
        name = _LIST_KEYS[key]
        columns = tuple(c.strip() for c in value.split(",") if c.strip())
        changes[name] = (*changes.get(name, ()), *columns)
    elif key in _CONSTANT_KEYS:
        changes[key] = Constant(value[1:].strip()) if value.startswith("=") else (value or None)
    elif key == "id_prefix":
        changes[key] = value
    elif key in _KEYS:
        if value.startswith("="):
            raise ValidationError(
                f"{key} must name a column; only modality and provider take =constant"
            )
        changes[key] = value or None
    else:
        allowed = ", ".join(sorted({*_KEYS, "text", "duration"} - {"text_columns"}))
        raise ValidationError(f"unknown mapping key {key!r}; allowed: {allowed}")


EDX_MAPPING = ColumnMapping(
    title="title",
    description="summary",
    text_columns=("subject", "course_description", "course_syllabus"),
    level="Level",
    duration=("course_effort", "course_length"),
    provider="institution",
    url="course_url",
    id_prefix="edx-",
)
UDEMY_MAPPING = ColumnMapping(
    title="course_title",
    id="course_id",
    text_columns=("subject",),
    level="level",
    duration=("content_duration",),
    provider=Constant("Udemy"),
    url="url",
    id_prefix="udemy-",
)
MAPPINGS: Mapping[str, ColumnMapping] = {"edx": EDX_MAPPING, "udemy": UDEMY_MAPPING}


def stable_id(prefix: str, *parts: str) -> str:
    """A short id from the normalised text of `parts`; the same row gives the same id."""
    key = "\n".join(" ".join(p.casefold().split()) for p in parts)
    return prefix + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def load_catalog(path: Path, mapping: ColumnMapping, *, base: Records) -> Records:
    """The catalog's rows as LearningItems (only `items` filled); ids already in `base` are an
    error naming the row. Items carry no skill tags."""
    file = str(path)
    id_field = mapping.id or mapping.title
    first_row: dict[str, int] = {}
    items: dict[str, LearningItem] = {}
    for row, cells in iter_rows(Path(path), required=mapping.columns()):
        item = _item(mapping, cells, file=file, row=row)
        if item.id in base.items:
            raise DatasetError(
                f"learning item id {item.id!r} is already loaded",
                file=file,
                row=row,
                field=id_field,
            )
        if item.id in first_row:
            raise DatasetError(
                f"duplicate learning item id {item.id!r} (first at row {first_row[item.id]})",
                file=file,
                row=row,
                field=id_field,
            )
        first_row[item.id] = row
        items[item.id] = item
    return Records(items=items, sources=[f"catalog {Path(path).name}"])


def _cell(cells: Mapping[str, str], column: str | None) -> str:
    value = cells.get(column, "").strip() if column else ""
    return "" if value.lower() in PLACEHOLDERS else value


def _constant_or_cell(cells: Mapping[str, str], source: ColumnOrConstant | None) -> str:
    if isinstance(source, Constant):
        return source.value
    return _cell(cells, source)


def _item(mapping: ColumnMapping, cells: Mapping[str, str], *, file: str, row: int) -> LearningItem:
    title = _cell(cells, mapping.title)
    if not title:
        raise DatasetError("empty title", file=file, row=row, field=mapping.title)
    provider = _constant_or_cell(cells, mapping.provider)
    url = _cell(cells, mapping.url)
    if mapping.id:
        raw_id = _cell(cells, mapping.id)
        if not raw_id:
            raise DatasetError("empty id", file=file, row=row, field=mapping.id)
        item_id = mapping.id_prefix + raw_id
    else:
        item_id = stable_id(mapping.id_prefix, title, provider, url)
    return LearningItem(
        id=item_id,
        title=title,
        description=_cell(cells, mapping.description),
        provider=provider,
        modality=_modality(mapping, cells, file=file, row=row),
        duration_hours=_duration(mapping, cells, file=file, row=row),
        level=_level(mapping, cells, file=file, row=row),
        syllabus=" ".join(
            _sentence(_cell(cells, c)) for c in mapping.text_columns if _cell(cells, c)
        ),
        url=url,
    )


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text[-1] in ".!?:;" else text + "."


def _modality(mapping: ColumnMapping, cells: Mapping[str, str], *, file: str, row: int) -> Modality:
    value = _constant_or_cell(cells, mapping.modality)
    if not value:
        return _DEFAULT_ITEM.modality
    try:
        return read_modality(value)
    except ValueError as exc:
        field = mapping.modality if isinstance(mapping.modality, str) else "modality"
        raise DatasetError(str(exc), file=file, row=row, field=field) from None


def _level(mapping: ColumnMapping, cells: Mapping[str, str], *, file: str, row: int) -> float:
    default = _DEFAULT_ITEM.level
    try:
        level = parse_level(_cell(cells, mapping.level))
    except ValueError as exc:
        raise DatasetError(str(exc), file=file, row=row, field=mapping.level) from None
    return default if level is None else level


def _duration(mapping: ColumnMapping, cells: Mapping[str, str], *, file: str, row: int) -> float:
    default = _DEFAULT_ITEM.duration_hours
    try:
        hours = parse_duration(_cell(cells, c) for c in mapping.duration)
    except ValueError as exc:
        raise DatasetError(str(exc), file=file, row=row, field=",".join(mapping.duration)) from None
    return default if hours is None or hours <= 0 else hours  # 0: the catalog does not know
