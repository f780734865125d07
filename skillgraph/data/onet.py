"""O*NET 29.3 (tab-separated text release) into Records.

- Occupations (O*NET-SOC code as id) become Roles: family = SOC major group ("SOC 15 Computer and
  Mathematical"), group = SOC minor group ("15-1200"), seniority = job zone (1-5, 0 unknown),
  tasks (core first), alternate titles (the best-attested MAX_ALT_TITLES).
- Skills and Knowledge elements (element id as skill id, e.g. "2.A.1.a") become Skills; the
  Content Model Reference gives descriptions and the element groups (2.A -> 2.A.1 -> 2.A.1.a)
  become GROUP skills linked by BROADER relations.
- A requirement pairs the importance (IM) and level (LV) ratings of an occupation and element,
  mapped with schema.onet_importance / onet_level; pairs with a row marked Recommend Suppress or
  Not Relevant are skipped, and pairs below ONET_MIN_IMPORTANCE are not requirements.
- Technology Skills: each UNSPSC commodity is a TECHNOLOGY skill ("onet:tech:<code>") under the
  "onet:tech" group, its product examples are alternative labels; a role requires it at
  TECH_LEVEL with TECH_IMPORTANCE, raised for hot and in-demand technologies.
- Related Occupations is not read here: it is ground truth for evaluating role recommendations
  (onet_related.py), kept out of what the engine learns from.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from skillgraph.data.load_report import LoadReport, ProgressFn
from skillgraph.data.schema import (
    ONET_MIN_IMPORTANCE,
    Provenance,
    Records,
    RelationKind,
    Role,
    Skill,
    SkillKind,
    SkillRelation,
    SkillRequirement,
    onet_importance,
    onet_level,
)
from skillgraph.data.tables import iter_rows, parse_float
from skillgraph.errors import DatasetError

log = logging.getLogger(__name__)

ONET_SOURCE = "O*NET 29.3"
ONET_ATTRIBUTION = (
    "O*NET 29.3 Database by the U.S. Department of Labor, Employment and Training "
    "Administration (USDOL/ETA), used under CC BY 4.0."
)
TECH_GROUP_ID = "onet:tech"
TECH_PREFIX = "onet:tech:"
TECH_LEVEL = 3.0
# Commodities are broad ("Operating system software") and numerous per occupation, so they weigh
# less than a rated skill of average importance unless postings ask for them.
TECH_IMPORTANCE = ONET_MIN_IMPORTANCE  # counted, as a rated element at IM 2.5 would be
HOT_TECH_BOOST = 0.125  # "Hot Technology": frequent in employer job postings overall
IN_DEMAND_BOOST = 0.125  # "In Demand": frequent in job postings for this occupation
MAX_ALT_TITLES = 20
MAX_TECH_EXAMPLES = 25
ROLE_URL = "https://www.onetonline.org/link/summary/{code}"
ELEMENT_URL = "https://www.onetonline.org/find/descriptor/result/{element}"
SOC_CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
TASK_ORDER = {"Core": 0, "Supplemental": 1}

# The 23 major groups of the 2018 Standard Occupational Classification.
SOC_MAJOR_GROUPS = {
    "11": "Management",
    "13": "Business and Financial Operations",
    "15": "Computer and Mathematical",
    "17": "Architecture and Engineering",
    "19": "Life, Physical, and Social Science",
    "21": "Community and Social Service",
    "23": "Legal",
    "25": "Educational Instruction and Library",
    "27": "Arts, Design, Entertainment, Sports, and Media",
    "29": "Healthcare Practitioners and Technical",
    "31": "Healthcare Support",
    "33": "Protective Service",
    "35": "Food Preparation and Serving Related",
    "37": "Building and Grounds Cleaning and Maintenance",
    "39": "Personal Care and Service",
    "41": "Sales and Related",
    "43": "Office and Administrative Support",
    "45": "Farming, Fishing, and Forestry",
    "47": "Construction and Extraction",
    "49": "Installation, Maintenance, and Repair",
    "51": "Production",
    "53": "Transportation and Material Moving",
    "55": "Military Specific",
}

CODE = "O*NET-SOC Code"
RATING_COLUMNS = (CODE, "Element ID", "Element Name", "Scale ID", "Data Value")
SCALE_RANGE = {"IM": (1.0, 5.0), "LV": (0.0, 7.0)}


@dataclass(frozen=True, slots=True)
class OnetFile:
    name: str
    columns: tuple[str, ...]
    required: bool = True


OCCUPATIONS = OnetFile("Occupation Data.txt", (CODE, "Title", "Description"))
SKILLS = OnetFile("Skills.txt", RATING_COLUMNS)
KNOWLEDGE = OnetFile("Knowledge.txt", RATING_COLUMNS)
CONTENT_MODEL = OnetFile(
    "Content Model Reference.txt", ("Element ID", "Element Name", "Description")
)
TECHNOLOGY = OnetFile(
    "Technology Skills.txt",
    (CODE, "Example", "Commodity Code", "Commodity Title", "Hot Technology"),
    required=False,
)
TASKS = OnetFile("Task Statements.txt", (CODE, "Task"), required=False)
JOB_ZONES = OnetFile("Job Zones.txt", (CODE, "Job Zone"), required=False)
ALT_TITLES = OnetFile("Alternate Titles.txt", (CODE, "Alternate Title"), required=False)
ALL_FILES = (
    OCCUPATIONS,
    CONTENT_MODEL,
    SKILLS,
    KNOWLEDGE,
    TECHNOLOGY,
    TASKS,
    JOB_ZONES,
    ALT_TITLES,
)


def load_onet(path: Path, *, progress: ProgressFn | None = None) -> Records:
    """Records of an O*NET text folder; skipped rows are logged (see `load_onet_report`)."""
    records, report = load_onet_report(path, progress=progress)
    for line in report.lines():
        log.info(line)
    return records


def load_onet_report(
    path: Path, *, progress: ProgressFn | None = None
) -> tuple[Records, LoadReport]:
    """Records of an O*NET text folder and the report of what was read and skipped.

    Raises DatasetError for a missing folder, required file or column, or a malformed value.
    """
    if not path.is_dir():
        raise DatasetError("O*NET folder not found", file=str(path))
    for spec in ALL_FILES:
        if spec.required and not (path / spec.name).is_file():
            raise DatasetError("required O*NET file missing", file=str(path / spec.name))
    loader = _OnetLoader(path, LoadReport(ONET_SOURCE), progress)
    return loader.load(), loader.report


def soc_family(code: str) -> str:
    """'SOC 15 Computer and Mathematical' from '15-1252.00'."""
    major = code[:2]
    return f"SOC {major} {SOC_MAJOR_GROUPS.get(major, '')}".strip()


def soc_minor_group(code: str) -> str:
    """'15-1200' from '15-1252.00'."""
    return f"{code[:5]}00"


def element_parents(element_id: str) -> list[str]:
    """Enclosing element groups, nearest first, down to two segments: 2.A.1.a -> [2.A.1, 2.A]."""
    parts = element_id.split(".")
    return [".".join(parts[:end]) for end in range(len(parts) - 1, 1, -1)]


@dataclass(slots=True)
class _Rating:
    """The IM and LV rows of one occupation and element."""

    values: dict[str, float] = field(default_factory=dict)
    suppressed: bool = False


@dataclass(slots=True)
class _Tech:
    title: str
    examples: Counter[str] = field(default_factory=Counter)  # example -> occupations using it
    hot: set[str] = field(default_factory=set)  # hot examples


class _OnetLoader:
    def __init__(self, folder: Path, report: LoadReport, progress: ProgressFn | None) -> None:
        self.folder = folder
        self.report = report
        self.progress = progress
        self.stage = 0
        self.roles: dict[str, Role] = {}
        self.requirements: dict[str, dict[str, SkillRequirement]] = {}
        self.below_threshold = 0
        self.rated: set[str] = set()  # occupations with Skills or Knowledge ratings
        self.shared: dict[tuple[str, float, float], SkillRequirement] = {}  # equal ones, one object

    def load(self) -> Records:
        records = Records(sources=[ONET_SOURCE], attributions=[ONET_ATTRIBUTION])
        self.roles = self._occupations()
        content = self._content_model()
        elements: dict[str, Skill] = {}
        for spec, kind in ((SKILLS, SkillKind.SKILL), (KNOWLEDGE, SkillKind.KNOWLEDGE)):
            elements.update(self._ratings(spec, kind, content))
        records.skills.update(elements)
        groups, broader = _element_groups(elements, content)
        records.skills.update(groups)
        records.relations.extend(broader)
        tech_skills, tech_broader = self._technology()
        records.skills.update(tech_skills)
        records.relations.extend(tech_broader)
        zones = self._job_zones()
        tasks = self._tasks()
        alt_titles = self._alt_titles()
        for code, role in self.roles.items():
            requirements = sorted(
                self.requirements.get(code, {}).values(), key=lambda r: -r.importance
            )
            records.roles[code] = replace(
                role,
                seniority=zones.get(code, 0),
                requirements=tuple(requirements),
                alt_titles=alt_titles.get(code, ()),
                tasks=tasks.get(code, ()),
            )
        unrated = [code for code in self.roles if code not in self.rated]
        if unrated:
            self.report.notes.append(
                f"{len(unrated)} occupation(s) have no Skills/Knowledge ratings "
                f"(technology skills at most), e.g. {unrated[0]}"
            )
        if self.below_threshold:
            self.report.notes.append(
                f"{self.below_threshold:,} rated skill/knowledge pairs below importance "
                f"{ONET_MIN_IMPORTANCE} (IM 2.5) are not requirements"
            )
        self._announce_skips()
        return records

    # -- reading -------------------------------------------------------------------------------

    def _rows(self, spec: OnetFile) -> Iterator[tuple[int, dict[str, str], str]]:
        path = self.folder / spec.name
        self.stage += 1
        if not path.is_file():
            self.report.notes.append(f"optional file {spec.name} not found")
            return
        count = 0
        for row_no, row in iter_rows(path, required=spec.columns, delimiter="\t"):
            count += 1
            yield row_no, row, str(path)
        self.report.read(spec.name, count)
        if self.progress:
            self.progress(spec.name, self.stage, len(ALL_FILES))

    @staticmethod
    def _need(row: dict[str, str], column: str, file: str, row_no: int) -> str:
        value = row[column].strip()
        if not value:
            raise DatasetError("empty value", file=file, row=row_no, field=column)
        return value

    def _known_role(self, row: dict[str, str], file: str, row_no: int) -> str | None:
        code = self._need(row, CODE, file, row_no)
        if code in self.roles:
            return code
        self.report.skip(f"{Path(file).name} row for an occupation not in {OCCUPATIONS.name}", code)
        return None

    # -- occupations ---------------------------------------------------------------------------

    def _occupations(self) -> dict[str, Role]:
        roles: dict[str, Role] = {}
        for row_no, row, file in self._rows(OCCUPATIONS):
            code = self._need(row, CODE, file, row_no)
            if not SOC_CODE.match(code):
                raise DatasetError(
                    f"expected an O*NET-SOC code like 15-1252.00, got {code!r}",
                    file=file,
                    row=row_no,
                    field=CODE,
                )
            if code in roles:
                raise DatasetError(
                    f"duplicate occupation {code!r}", file=file, row=row_no, field=CODE
                )
            roles[code] = Role(
                id=code,
                title=self._need(row, "Title", file, row_no),
                description=row["Description"].strip(),
                family=soc_family(code),
                group=soc_minor_group(code),
                source="onet",
                source_uri=ROLE_URL.format(code=code),
            )
        return roles

    def _job_zones(self) -> dict[str, int]:
        zones: dict[str, int] = {}
        for row_no, row, file in self._rows(JOB_ZONES):
            code = self._known_role(row, file, row_no)
            if code is None:
                continue
            zone = parse_float(
                row["Job Zone"], file=file, row=row_no, field="Job Zone", low=1, high=5
            )
            zones[code] = int(zone)
        return zones

    def _tasks(self) -> dict[str, tuple[str, ...]]:
        found: dict[str, list[tuple[int, str]]] = {}
        for row_no, row, file in self._rows(TASKS):
            code = self._known_role(row, file, row_no)
            task = row["Task"].strip()
            if code is not None and task:
                rank = TASK_ORDER.get(row.get("Task Type", "").strip(), len(TASK_ORDER))
                found.setdefault(code, []).append((rank, task))
        return {
            code: tuple(task for _, task in sorted(tasks, key=lambda t: t[0]))
            for code, tasks in found.items()
        }

    def _alt_titles(self) -> dict[str, tuple[str, ...]]:
        """The titles reported by the most sources first, with their short forms."""
        found: dict[str, list[tuple[int, str, str]]] = {}
        for row_no, row, file in self._rows(ALT_TITLES):
            code = self._known_role(row, file, row_no)
            title = row["Alternate Title"].strip()
            if code is None or not title:
                continue
            sources = len([s for s in row.get("Source(s)", "").split(",") if s.strip()])
            found.setdefault(code, []).append((sources, title, row.get("Short Title", "").strip()))
        out: dict[str, tuple[str, ...]] = {}
        for code, entries in found.items():
            seen = {self.roles[code].title.casefold()}
            titles: list[str] = []
            for _, title, short in sorted(entries, key=lambda e: -e[0]):
                for name in (title, short):
                    if name and name.casefold() not in seen and len(titles) < MAX_ALT_TITLES:
                        seen.add(name.casefold())
                        titles.append(name)
            out[code] = tuple(titles)
        return out

    # -- skills and knowledge -------------------------------------------------------------------

    def _content_model(self) -> dict[str, tuple[str, str]]:
        return {
            self._need(row, "Element ID", file, row_no): (
                row["Element Name"].strip(),
                row["Description"].strip(),
            )
            for row_no, row, file in self._rows(CONTENT_MODEL)
        }

    def _ratings(
        self, spec: OnetFile, kind: SkillKind, content: dict[str, tuple[str, str]]
    ) -> dict[str, Skill]:
        elements: dict[str, Skill] = {}
        ratings: dict[tuple[str, str], _Rating] = {}
        for row_no, row, file in self._rows(spec):
            code = self._known_role(row, file, row_no)
            element = self._need(row, "Element ID", file, row_no)
            if element not in elements:
                label = self._need(row, "Element Name", file, row_no)
                elements[element] = Skill(
                    id=element,
                    label=label,
                    description=content.get(element, ("", ""))[1],
                    kind=kind,
                    source="onet",
                    source_uri=ELEMENT_URL.format(element=element),
                )
            scale = row["Scale ID"].strip()
            if code is None or scale not in SCALE_RANGE:
                continue
            low, high = SCALE_RANGE[scale]
            value = parse_float(
                row["Data Value"], file=file, row=row_no, field="Data Value", low=low, high=high
            )
            rating = ratings.setdefault((code, element), _Rating())
            rating.values[scale] = value
            if "Y" in (
                row.get("Recommend Suppress", "").strip(),
                row.get("Not Relevant", "").strip(),
            ):
                rating.suppressed = True
        for (code, element), rating in ratings.items():
            self._add_requirement(code, element, rating, spec.name)
        return elements

    def _add_requirement(self, code: str, element: str, rating: _Rating, file: str) -> None:
        self.rated.add(code)
        if rating.suppressed:
            self.report.skip(
                f"{file} rating marked Recommend Suppress or Not Relevant", f"{code} {element}"
            )
            return
        if "IM" not in rating.values or "LV" not in rating.values:
            self.report.skip(f"{file} rating without both IM and LV", f"{code} {element}")
            return
        importance = onet_importance(rating.values["IM"])
        if importance < ONET_MIN_IMPORTANCE:
            self.below_threshold += 1
            return
        level = onet_level(rating.values["LV"])
        self.requirements.setdefault(code, {})[element] = self._requirement(
            element, level, importance
        )

    def _requirement(self, skill_id: str, level: float, importance: float) -> SkillRequirement:
        key = (skill_id, level, importance)
        found = self.shared.get(key)
        if found is None:
            found = self.shared[key] = SkillRequirement(
                skill_id, level, importance, Provenance.DECLARED
            )
        return found

    # -- technology ----------------------------------------------------------------------------

    def _technology(self) -> tuple[dict[str, Skill], list[SkillRelation]]:
        techs: dict[str, _Tech] = {}
        flags: dict[tuple[str, str], tuple[bool, bool]] = {}  # (role, skill) -> (hot, in demand)
        for row_no, row, file in self._rows(TECHNOLOGY):
            code = self._known_role(row, file, row_no)
            commodity = self._need(row, "Commodity Code", file, row_no)
            tech = techs.setdefault(
                commodity, _Tech(self._need(row, "Commodity Title", file, row_no))
            )
            example = row["Example"].strip()
            hot = row["Hot Technology"].strip() == "Y"
            if example:
                tech.examples[example] += 1
                if hot:
                    tech.hot.add(example)
            if code is None:
                continue
            key = (code, TECH_PREFIX + commodity)
            was_hot, was_demanded = flags.get(key, (False, False))
            flags[key] = (was_hot or hot, was_demanded or row.get("In Demand", "").strip() == "Y")
        for (code, skill_id), (hot, demanded) in flags.items():
            importance = round(
                TECH_IMPORTANCE + HOT_TECH_BOOST * hot + IN_DEMAND_BOOST * demanded, 3
            )
            self.requirements.setdefault(code, {})[skill_id] = self._requirement(
                skill_id, TECH_LEVEL, importance
            )
        if not techs:
            return {}, []
        skills = {TECH_GROUP_ID: _tech_group()}
        relations: list[SkillRelation] = []
        for commodity, tech in techs.items():
            skill = _tech_skill(commodity, tech)
            skills[skill.id] = skill
            relations.append(SkillRelation(skill.id, TECH_GROUP_ID, RelationKind.BROADER))
        return skills, relations

    def _announce_skips(self) -> None:
        for reason, count in self.report.skipped.items():
            log.warning("%s: skipped %d row(s): %s", ONET_SOURCE, count, reason)
            if self.progress:
                self.progress(f"skipped: {reason}", count, count)


def _element_groups(
    elements: dict[str, Skill], content: dict[str, tuple[str, str]]
) -> tuple[dict[str, Skill], list[SkillRelation]]:
    """GROUP skills for the content-model groups above the rated elements, and their links."""
    groups: dict[str, Skill] = {}
    relations: list[SkillRelation] = []
    linked: set[str] = set()
    for element in list(elements):
        child = element
        for parent in element_parents(element):
            if parent not in content:
                continue  # a gap in the content model: link to the next enclosing group
            if child in linked:
                break
            linked.add(child)
            relations.append(SkillRelation(child, parent, RelationKind.BROADER))
            if parent not in elements and parent not in groups:
                name, description = content[parent]
                groups[parent] = Skill(
                    id=parent,
                    label=name,
                    description=description,
                    kind=SkillKind.GROUP,
                    source="onet",
                    source_uri=ELEMENT_URL.format(element=parent),
                )
            child = parent
    return groups, relations


def _tech_group() -> Skill:
    return Skill(
        id=TECH_GROUP_ID,
        label="Technology skills",
        description="Software and technology used at work, by UNSPSC commodity "
        "(O*NET Technology Skills).",
        kind=SkillKind.GROUP,
        source="onet",
    )


def _tech_skill(commodity: str, tech: _Tech) -> Skill:
    ranked = sorted(
        tech.examples, key=lambda e: (-tech.examples[e], e not in tech.hot, e.casefold())
    )
    examples = tuple(e for e in ranked if e.casefold() != tech.title.casefold())[:MAX_TECH_EXAMPLES]
    description = f"{tech.title} (UNSPSC {commodity})"
    if examples:
        description += ", for example " + ", ".join(examples[:8])
    return Skill(
        id=TECH_PREFIX + commodity,
        label=tech.title,
        alt_labels=examples,
        description=description + ".",
        kind=SkillKind.TECHNOLOGY,
        source="onet",
    )
