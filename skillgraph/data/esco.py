"""ESCO v1.1.1 (English CSV release) into Records.

Skills, knowledge and skill groups become Skills (conceptUri as id); the skill pillar's broader
relations become BROADER relations (narrower -> broader); skill-to-skill relations become RELATED
(essential 1.0, optional 0.5); occupations become Roles whose requirements come from the
occupation-skill relations (schema.ESCO_ESSENTIAL / ESCO_OPTIONAL). ESCO has no prerequisites.

Known gaps of the release are skipped and counted in a LoadReport (never silently): relation rows
naming an occupation or skill absent from the concept files, and broader relations to groups
that only the hierarchy file lists (those groups are recovered from skillsHierarchy_en.csv).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from skillgraph.data.load_report import LoadReport, ProgressFn
from skillgraph.data.schema import (
    ESCO_ESSENTIAL,
    ESCO_OPTIONAL,
    Provenance,
    Records,
    RelationKind,
    Role,
    Skill,
    SkillKind,
    SkillRelation,
    SkillRequirement,
)
from skillgraph.data.tables import iter_rows
from skillgraph.errors import DatasetError

log = logging.getLogger(__name__)

ESCO_SOURCE = "ESCO v1.1.1"
ESCO_ATTRIBUTION = "This service uses the ESCO classification of the European Commission."
RELATED_WEIGHT = {"essential": 1.0, "optional": 0.5}
REQUIREMENT = {"essential": ESCO_ESSENTIAL, "optional": ESCO_OPTIONAL}
SKILL_TYPES = {
    "skill/competence": SkillKind.SKILL,
    "skill": SkillKind.SKILL,
    "knowledge": SkillKind.KNOWLEDGE,
    "language": SkillKind.LANGUAGE,
    "": SkillKind.OTHER,
}


@dataclass(frozen=True, slots=True)
class EscoFile:
    stem: str  # e.g. "skills": accepted as skills_en.csv or skills.csv
    columns: tuple[str, ...]
    required: bool = True

    def candidates(self) -> tuple[str, str]:
        return f"{self.stem}_en.csv", f"{self.stem}.csv"


SKILLS = EscoFile(
    "skills", ("conceptUri", "skillType", "preferredLabel", "altLabels", "description")
)
GROUPS = EscoFile("skillGroups", ("conceptUri", "preferredLabel"))
OCCUPATIONS = EscoFile(
    "occupations", ("conceptUri", "iscoGroup", "preferredLabel", "altLabels", "description")
)
OCCUPATION_SKILLS = EscoFile(
    "occupationSkillRelations", ("occupationUri", "relationType", "skillUri")
)
SKILL_BROADER = EscoFile("broaderRelationsSkillPillar", ("conceptUri", "broaderUri"))
SKILL_SKILL = EscoFile(
    "skillSkillRelations", ("originalSkillUri", "relationType", "relatedSkillUri")
)
ISCO_GROUPS = EscoFile("ISCOGroups", ("code", "preferredLabel"), required=False)
LANGUAGE_SKILLS = EscoFile("languageSkillsCollection", ("conceptUri",), required=False)
HIERARCHY = EscoFile("skillsHierarchy", ("Level 0 URI", "Level 0 preferred term"), required=False)
ALL_FILES = (
    SKILLS,
    GROUPS,
    OCCUPATIONS,
    OCCUPATION_SKILLS,
    SKILL_BROADER,
    SKILL_SKILL,
    ISCO_GROUPS,
    LANGUAGE_SKILLS,
    HIERARCHY,
)


def load_esco(path: Path, *, progress: ProgressFn | None = None) -> Records:
    """Records of an ESCO CSV folder; skipped rows are logged (see `load_esco_report`)."""
    records, report = load_esco_report(path, progress=progress)
    for line in report.lines():
        log.info(line)
    return records


def load_esco_report(
    path: Path, *, progress: ProgressFn | None = None
) -> tuple[Records, LoadReport]:
    """Records of an ESCO CSV folder and the report of what was read and skipped.

    `progress(stage, done, total)` is called after each file, and once per skip reason.
    Raises DatasetError for a missing folder, required file or column, or a malformed row.
    """
    if not path.is_dir():
        raise DatasetError("ESCO folder not found", file=str(path))
    loader = _EscoLoader(path, LoadReport(ESCO_SOURCE), progress)
    return loader.load(), loader.report


def find_file(folder: Path, spec: EscoFile) -> Path | None:
    """The file of `spec` in `folder`, with or without the `_en` suffix."""
    for name in spec.candidates():
        candidate = folder / name
        if candidate.is_file():
            return candidate
    if spec.required:
        raise DatasetError(
            f"required ESCO file missing (expected {' or '.join(spec.candidates())})",
            file=str(folder / spec.candidates()[0]),
        )
    return None


def split_labels(value: str, exclude: str = "") -> tuple[str, ...]:
    """Alternative labels (one per line), without blanks, repeats or the preferred label."""
    seen = {exclude.strip().casefold()} if exclude else set()
    labels: list[str] = []
    for raw in value.splitlines():
        label = raw.strip()
        key = label.casefold()
        if label and key not in seen:
            seen.add(key)
            labels.append(label)
    return tuple(labels)


class _EscoLoader:
    """One pass over the files of a release; keeps the report while it reads."""

    def __init__(self, folder: Path, report: LoadReport, progress: ProgressFn | None) -> None:
        self.folder = folder
        self.report = report
        self.progress = progress
        self.paths = {spec.stem: find_file(folder, spec) for spec in ALL_FILES}
        self.stage = 0

    def load(self) -> Records:
        records = Records(sources=[ESCO_SOURCE], attributions=[ESCO_ATTRIBUTION])
        languages = self._language_uris()
        records.skills.update(self._skills(languages))
        records.skills.update(self._groups(records.skills))
        records.relations.extend(self._broader(records.skills))
        records.relations.extend(self._related(records.skills))
        records.roles.update(self._occupations(records.skills))
        self._announce_skips()
        return records

    # -- reading -------------------------------------------------------------------------------

    def _rows(self, spec: EscoFile) -> Iterator[tuple[int, dict[str, str], str]]:
        path = self.paths[spec.stem]
        if path is None:
            self.report.notes.append(f"optional file {spec.candidates()[0]} not found")
            self.stage += 1
            return
        count = 0
        for row_no, row in iter_rows(path, required=spec.columns):
            count += 1
            yield row_no, row, str(path)
        self.report.read(path.name, count)
        self.stage += 1
        if self.progress:
            self.progress(path.name, self.stage, len(ALL_FILES))

    @staticmethod
    def _need(row: dict[str, str], column: str, file: str, row_no: int) -> str:
        value = row[column].strip()
        if not value:
            raise DatasetError("empty value", file=file, row=row_no, field=column)
        return value

    def _relation_type(self, row: dict[str, str], file: str, row_no: int) -> str:
        kind = self._need(row, "relationType", file, row_no).lower()
        if kind not in REQUIREMENT:
            raise DatasetError(
                f"relationType must be essential or optional, got {kind!r}",
                file=file,
                row=row_no,
                field="relationType",
            )
        return kind

    # -- skills --------------------------------------------------------------------------------

    def _language_uris(self) -> set[str]:
        return {row["conceptUri"].strip() for _, row, _ in self._rows(LANGUAGE_SKILLS)}

    def _skills(self, languages: set[str]) -> dict[str, Skill]:
        skills: dict[str, Skill] = {}
        first_row: dict[str, int] = {}
        for row_no, row, file in self._rows(SKILLS):
            uri = self._need(row, "conceptUri", file, row_no)
            if uri in skills:
                raise DatasetError(
                    f"duplicate skill {uri!r} (first at row {first_row[uri]})",
                    file=file,
                    row=row_no,
                    field="conceptUri",
                )
            first_row[uri] = row_no
            label = self._need(row, "preferredLabel", file, row_no)
            skills[uri] = Skill(
                id=uri,
                label=label,
                alt_labels=split_labels(row["altLabels"], exclude=label),
                description=(row["description"] or row.get("definition", "")).strip(),
                kind=self._skill_kind(row["skillType"], uri, uri in languages),
                source="esco",
                source_uri=uri,
            )
        return skills

    def _skill_kind(self, skill_type: str, uri: str, is_language: bool) -> SkillKind:
        if is_language:
            return SkillKind.LANGUAGE
        kind = SKILL_TYPES.get(skill_type.strip().lower())
        if kind is None:
            self.report.skip("unknown skillType, kept as kind other", f"{uri}: {skill_type!r}")
            return SkillKind.OTHER
        return kind

    def _groups(self, skills: dict[str, Skill]) -> dict[str, Skill]:
        groups: dict[str, Skill] = {}
        for row_no, row, file in self._rows(GROUPS):
            uri = self._need(row, "conceptUri", file, row_no)
            if uri in skills or uri in groups:
                raise DatasetError(
                    f"duplicate concept {uri!r}", file=file, row=row_no, field="conceptUri"
                )
            label = self._need(row, "preferredLabel", file, row_no)
            groups[uri] = Skill(
                id=uri,
                label=label,
                alt_labels=split_labels(row.get("altLabels", ""), exclude=label),
                description=row.get("description", "").strip(),
                kind=SkillKind.GROUP,
                source="esco",
                source_uri=uri,
            )
        recovered = [
            group
            for uri, group in self._hierarchy_groups().items()
            if uri not in skills and uri not in groups
        ]
        groups.update((group.id, group) for group in recovered)
        if recovered:
            self.report.notes.append(
                f"{len(recovered)} group(s) absent from skillGroups taken from skillsHierarchy, "
                f"e.g. {recovered[0].id} ({recovered[0].label})"
            )
        return groups

    def _hierarchy_groups(self) -> dict[str, Skill]:
        """Groups named in skillsHierarchy_en.csv (a few are absent from skillGroups_en.csv)."""
        found: dict[str, Skill] = {}
        for _, row, _ in self._rows(HIERARCHY):
            for level in range(4):
                uri = row.get(f"Level {level} URI", "").strip()
                label = row.get(f"Level {level} preferred term", "").strip()
                if uri and label and uri not in found:
                    found[uri] = Skill(
                        id=uri, label=label, kind=SkillKind.GROUP, source="esco", source_uri=uri
                    )
        return found

    def _broader(self, skills: dict[str, Skill]) -> list[SkillRelation]:
        relations: list[SkillRelation] = []
        for row_no, row, file in self._rows(SKILL_BROADER):
            narrower = self._need(row, "conceptUri", file, row_no)
            broader = self._need(row, "broaderUri", file, row_no)
            unknown = _first_unknown(skills, (narrower, broader))
            if unknown:
                self.report.skip(
                    "broader relation to an unknown concept", f"row {row_no}: {unknown}"
                )
                continue
            relations.append(SkillRelation(narrower, broader, RelationKind.BROADER))
        return relations

    def _related(self, skills: dict[str, Skill]) -> list[SkillRelation]:
        relations: list[SkillRelation] = []
        for row_no, row, file in self._rows(SKILL_SKILL):
            source = self._need(row, "originalSkillUri", file, row_no)
            target = self._need(row, "relatedSkillUri", file, row_no)
            kind = self._relation_type(row, file, row_no)
            unknown = _first_unknown(skills, (source, target))
            if unknown:
                self.report.skip("skill relation to an unknown skill", unknown)
                continue
            relations.append(
                SkillRelation(source, target, RelationKind.RELATED, RELATED_WEIGHT[kind])
            )
        return relations

    # -- occupations ---------------------------------------------------------------------------

    def _isco_labels(self) -> dict[str, str]:
        return {
            row["code"].strip(): row["preferredLabel"].strip()
            for _, row, _ in self._rows(ISCO_GROUPS)
            if row["code"].strip()
        }

    def _occupations(self, skills: dict[str, Skill]) -> dict[str, Role]:
        isco = self._isco_labels()
        roles: dict[str, Role] = {}
        for row_no, row, file in self._rows(OCCUPATIONS):
            uri = self._need(row, "conceptUri", file, row_no)
            if uri in roles:
                raise DatasetError(
                    f"duplicate occupation {uri!r}", file=file, row=row_no, field="conceptUri"
                )
            title = self._need(row, "preferredLabel", file, row_no)
            code = row["iscoGroup"].strip()
            roles[uri] = Role(
                id=uri,
                title=title,
                description=row["description"].strip(),
                family=isco_family(code, isco),
                alt_titles=split_labels(row["altLabels"], exclude=title),
                group=code,
                source="esco",
                source_uri=uri,
            )
        profiles = self._profiles(roles, skills)
        for uri, requirements in profiles.items():
            roles[uri] = _with_requirements(roles[uri], requirements)
        empty = [uri for uri in roles if uri not in profiles]
        if empty:
            self.report.notes.append(
                f"{len(empty)} occupation(s) have no skill relations (empty profile), "
                f"e.g. {empty[0]}"
            )
        return roles

    def _profiles(
        self, roles: dict[str, Role], skills: dict[str, Skill]
    ) -> dict[str, dict[str, SkillRequirement]]:
        profiles: dict[str, dict[str, SkillRequirement]] = {}
        shared: dict[tuple[str, str], SkillRequirement] = {}  # one frozen object per skill and kind
        for row_no, row, file in self._rows(OCCUPATION_SKILLS):
            occupation = self._need(row, "occupationUri", file, row_no)
            skill = self._need(row, "skillUri", file, row_no)
            kind = self._relation_type(row, file, row_no)
            if occupation not in roles:
                self.report.skip(
                    "relation to an occupation missing from occupations",
                    occupation,
                )
                continue
            if skill not in skills:
                self.report.skip("relation to a skill missing from skills", skill)
                continue
            requirement = shared.get((skill, kind))
            if requirement is None:
                level, importance = REQUIREMENT[kind]
                requirement = SkillRequirement(skill, level, importance, Provenance.DECLARED)
                shared[skill, kind] = requirement
            profile = profiles.setdefault(occupation, {})
            known = profile.get(skill)
            if known is None or known.importance < requirement.importance:
                profile[skill] = requirement
        return profiles

    def _announce_skips(self) -> None:
        for reason, count in self.report.skipped.items():
            log.warning("%s: skipped %d row(s): %s", ESCO_SOURCE, count, reason)
            if self.progress:
                self.progress(f"skipped: {reason}", count, count)


def isco_family(code: str, labels: dict[str, str]) -> str:
    """'ISCO 25 <label>' from a unit group code like '2512'; '' if the code is not ISCO."""
    if len(code) < 2 or not code.isdigit():
        return ""
    sub_major = code[:2]
    label = labels.get(sub_major, "")
    return f"ISCO {sub_major} {label}".strip()


def _first_unknown(skills: dict[str, Skill], ids: Sequence[str]) -> str | None:
    return next((id_ for id_ in ids if id_ not in skills), None)


def _with_requirements(role: Role, requirements: dict[str, SkillRequirement]) -> Role:
    ordered = sorted(
        requirements.values(), key=lambda r: -r.importance
    )  # stable: file order within
    return replace(role, requirements=tuple(ordered))
