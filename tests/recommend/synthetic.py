"""A tiny synthetic company whose right answers are known, for recommender tests.

Skills: Programming > Python; Databases > SQL, PostgreSQL; Statistics (related to Data
visualisation); Machine learning (prerequisites: Statistics, Python); Communication (related to
Leadership); Cloud computing.

People (seniority of their role in brackets):

    hana   Engineering Manager [4]        manager of lena, eli, noor
    lena   Lead Data Scientist [4]        manager of ari, sam, jo, pia, zed, ole
    ari    Data Analyst [2]               manager of rui; the main mentee (target: scientist)
    sam    Data Scientist [3], UTC+5:30   the best one-on-one mentor for ari
    noor   Data Scientist [3], research   strong, but her offer is full (load 1 of 1)
    eli    Software Engineer [2], eng     a peer of ari, other department
    pia    Data Analyst [2]               a peer of ari
    jo     Junior Analyst [1]             Python expert: reverse mentor for hana
    rui    Junior Analyst [1]             strong, but ari's direct report
    zed    Junior Analyst [1]             no skills
    ole    Data Scientist [3]             inactive, with an offer

Ari against Data Scientist: Python 1 -> 4, Statistics 1.5 -> 4, Machine learning 0 -> 3,
SQL 2 -> 3. Learning items form a prerequisite chain: "Machine learning in practice" needs
Python 3 and Statistics 3, "Advanced Python" needs Python 2.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np

from skillgraph.config import Settings
from skillgraph.data.schema import (
    Employee,
    Feedback,
    FeedbackVerdict,
    LearningItem,
    MentorMode,
    MentorOffer,
    Modality,
    Records,
    RelationKind,
    Role,
    RoleSpell,
    Skill,
    SkillKind,
    SkillLevel,
    SkillRelation,
    SkillRequirement,
    SkillTaught,
    TargetKind,
)
from skillgraph.graph.ontology import SkillGraph
from skillgraph.recommend.base import EngineContext
from skillgraph.retrieval.encoder import Encoder
from skillgraph.retrieval.index import ExactIndex, VectorIndex
from skillgraph.retrieval.texts import employee_text, item_text, mentor_text, role_text, skill_text

ALL_MODES = (MentorMode.ONE_ON_ONE, MentorMode.PEER, MentorMode.REVERSE, MentorMode.GROUP)
FULL_OFFER = "m_noor"  # capacity 1, load 1

IndexFactory = Callable[[list[str], np.ndarray], VectorIndex]


def _skills() -> dict[str, Skill]:
    rows = [
        ("prog", "Programming", SkillKind.SKILL, "Writing software in any language."),
        ("python", "Python", SkillKind.TECHNOLOGY, "Programming in the Python language."),
        ("databases", "Databases", SkillKind.KNOWLEDGE, "Storing and querying data."),
        ("sql", "SQL", SkillKind.TECHNOLOGY, "Querying relational databases with SQL."),
        ("postgres", "PostgreSQL", SkillKind.TECHNOLOGY, "The PostgreSQL database."),
        ("stats", "Statistics", SkillKind.KNOWLEDGE, "Probability, inference and regression."),
        ("viz", "Data visualisation", SkillKind.SKILL, "Charts and dashboards."),
        ("ml", "Machine learning", SkillKind.KNOWLEDGE, "Training predictive models."),
        ("comm", "Communication", SkillKind.SKILL, "Explaining ideas clearly."),
        ("leadership", "Leadership", SkillKind.SKILL, "Leading people and teams."),
        ("cloud", "Cloud computing", SkillKind.TECHNOLOGY, "Running systems in the cloud."),
    ]
    return {i: Skill(i, label, kind=kind, description=d) for i, label, kind, d in rows}


def _relations() -> list[SkillRelation]:
    return [
        SkillRelation("python", "prog", RelationKind.BROADER),
        SkillRelation("sql", "databases", RelationKind.BROADER),
        SkillRelation("postgres", "databases", RelationKind.BROADER),
        SkillRelation("viz", "stats", RelationKind.RELATED),
        SkillRelation("comm", "leadership", RelationKind.RELATED),
        SkillRelation("stats", "ml", RelationKind.PREREQUISITE),
        SkillRelation("python", "ml", RelationKind.PREREQUISITE),
    ]


def _req(skill_id: str, level: float, importance: float = 1.0) -> SkillRequirement:
    return SkillRequirement(skill_id, level, importance)


def _roles() -> dict[str, Role]:
    roles = [
        Role("junior_analyst", "Junior Analyst", "Prepares reports.", "data", 1,
             (_req("sql", 2), _req("viz", 1, 0.6), _req("comm", 2, 0.5))),
        Role("analyst", "Data Analyst", "Analyses data for the business.", "data", 2,
             (_req("sql", 3), _req("stats", 3, 0.8), _req("viz", 2, 0.6), _req("python", 2, 0.5))),
        Role("scientist", "Data Scientist", "Builds predictive models.", "data", 3,
             (_req("python", 4), _req("stats", 4), _req("ml", 3), _req("sql", 3, 0.6))),
        Role("lead_scientist", "Lead Data Scientist", "Leads data science work.", "data", 4,
             (_req("ml", 4), _req("python", 4), _req("stats", 4), _req("leadership", 3, 0.7),
              _req("comm", 3, 0.7))),
        Role("engineer", "Software Engineer", "Builds software.", "eng", 2,
             (_req("python", 3), _req("prog", 3), _req("cloud", 2, 0.6),
              _req("databases", 2, 0.6))),
        Role("eng_manager", "Engineering Manager", "Manages engineering teams.", "eng", 4,
             (_req("leadership", 4), _req("comm", 4), _req("prog", 3, 0.6))),
    ]  # fmt: skip
    return {r.id: r for r in roles}


def _emp(
    id_: str,
    name: str,
    role_id: str,
    manager: str | None,
    skills: dict[str, float],
    *,
    department: str = "data",
    utc_offset: float = 0.0,
    history: tuple[tuple[str, int, int | None], ...] = (),
    active: bool = True,
) -> Employee:
    spells = tuple(
        RoleSpell(r, date(start, 1, 1), date(end, 1, 1) if end else None)
        for r, start, end in history
    )
    return Employee(
        id=id_,
        name=name,
        role_id=role_id,
        manager_id=manager,
        department=department,
        utc_offset=utc_offset,
        skills=tuple(SkillLevel(s, lv) for s, lv in skills.items()),
        history=spells,
        active=active,
        about=f"{name} works as {role_id.replace('_', ' ')}.",
    )


def _employees() -> dict[str, Employee]:
    people = [
        _emp("hana", "Hana Ito", "eng_manager", None,
             {"leadership": 5, "comm": 4, "python": 1, "cloud": 3, "sql": 4},
             department="eng"),
        _emp("lena", "Lena Berg", "lead_scientist", "hana",
             {"ml": 5, "python": 5, "stats": 5, "sql": 4, "leadership": 3, "comm": 3},
             utc_offset=1.0,
             history=(("analyst", 2012, 2015), ("scientist", 2015, 2019),
                      ("lead_scientist", 2019, None))),
        _emp("ari", "Ari Kim", "analyst", "lena",
             {"sql": 2, "viz": 2, "stats": 1.5, "python": 1, "comm": 3}),
        _emp("sam", "Sam Rao", "scientist", "lena",
             {"python": 4, "stats": 4, "ml": 3, "sql": 3}, utc_offset=5.5,
             history=(("junior_analyst", 2016, 2018), ("analyst", 2018, 2021),
                      ("scientist", 2021, None))),
        _emp("noor", "Noor Haddad", "scientist", "hana",
             {"python": 5, "stats": 5, "ml": 4, "sql": 4}, department="research",
             utc_offset=-8.0),
        _emp("eli", "Eli Novak", "engineer", "hana",
             {"python": 4, "cloud": 3, "databases": 3, "sql": 3, "prog": 3}, department="eng",
             history=(("junior_analyst", 2019, 2020), ("engineer", 2020, None))),
        _emp("pia", "Pia Lund", "analyst", "lena",
             {"sql": 4, "stats": 3, "viz": 4, "python": 2}, utc_offset=1.0,
             history=(("junior_analyst", 2020, 2022), ("analyst", 2022, None))),
        _emp("jo", "Jo Park", "junior_analyst", "lena", {"python": 5, "sql": 2, "viz": 1}),
        _emp("rui", "Rui Costa", "junior_analyst", "ari", {"stats": 4, "python": 4, "sql": 2}),
        _emp("zed", "Zed Mills", "junior_analyst", "lena", {}),
        _emp("ole", "Ole Sand", "scientist", "lena",
             {"python": 5, "stats": 5, "ml": 5, "sql": 5}, active=False),
    ]  # fmt: skip
    return {e.id: e for e in people}


def _mentors() -> dict[str, MentorOffer]:
    offers = [
        MentorOffer(
            "m_hana", "hana", 2, (MentorMode.ONE_ON_ONE, MentorMode.PEER, MentorMode.GROUP)
        ),
        MentorOffer("m_lena", "lena", 3, ALL_MODES),
        MentorOffer("m_sam", "sam", 2, (MentorMode.ONE_ON_ONE, MentorMode.PEER, MentorMode.GROUP)),
        MentorOffer(FULL_OFFER, "noor", 1, ALL_MODES),
        MentorOffer("m_eli", "eli", 1, (MentorMode.ONE_ON_ONE, MentorMode.PEER)),
        MentorOffer("m_pia", "pia", 2, (MentorMode.PEER,)),
        MentorOffer("m_jo", "jo", 2, (MentorMode.ONE_ON_ONE, MentorMode.PEER, MentorMode.REVERSE)),
        MentorOffer("m_rui", "rui", 2, ALL_MODES),
        MentorOffer("m_ole", "ole", 3, ALL_MODES),
    ]
    return {m.id: m for m in offers}


def _item(
    id_: str,
    title: str,
    modality: Modality,
    hours: float,
    level: float,
    teaches: dict[str, float],
    prerequisites: dict[str, float] | None = None,
    description: str = "",
) -> LearningItem:
    return LearningItem(
        id=id_,
        title=title,
        description=description or title,
        modality=modality,
        duration_hours=hours,
        level=level,
        skills=tuple(SkillTaught(s, lv) for s, lv in teaches.items()),
        prerequisites=tuple(SkillRequirement(s, lv) for s, lv in (prerequisites or {}).items()),
    )


def _items() -> dict[str, LearningItem]:
    c = Modality
    items = [
        _item("c_py_basics", "Python for beginners", c.COURSE, 10, 1, {"python": 2}),
        _item("c_py_adv", "Advanced Python", c.COURSE, 20, 3, {"python": 4}, {"python": 2}),
        _item("c_stats", "Statistics fundamentals", c.COURSE, 15, 1, {"stats": 3}),
        _item("c_stats_adv", "Applied statistics", c.COURSE, 20, 3, {"stats": 4}, {"stats": 3}),
        _item("c_ml", "Machine learning in practice", c.COURSE, 30, 3, {"ml": 3},
              {"python": 3, "stats": 3}),
        _item("p_ml", "Churn model project", c.PROJECT, 40, 3, {"ml": 3, "python": 4},
              {"stats": 2}),
        _item("v_sql1", "SQL queries video series part one", c.VIDEO, 3, 2, {"sql": 3},
              description="SQL queries video series: select, join, group by"),
        _item("v_sql2", "SQL queries video series part two", c.VIDEO, 3, 2, {"sql": 3},
              description="SQL queries video series: select, join, group by"),
        _item("b_db", "Relational database design book", c.BOOK, 12, 2, {"databases": 3, "sql": 2},
              description="A book on normal forms, indexes and transactions"),
        _item("a_sql", "SQL window functions", c.ARTICLE, 1, 3, {"sql": 4}),
        _item("w_viz", "Dashboards workshop", c.WORKSHOP, 4, 1, {"viz": 3}),
        _item("cm_data", "Data guild meetups", c.COMMUNITY, 10, 2, {"stats": 3, "ml": 2}),
        _item("s_lead", "Lead the team retrospective", c.STRETCH_ASSIGNMENT, 20, 2,
              {"leadership": 3, "comm": 4}),
        _item("pod_cloud", "Cloud podcast", c.PODCAST, 2, 1, {"cloud": 2}),
        _item("x_pg", "PostgreSQL tuning", c.COURSE, 8, 3, {"postgres": 4}),
        _item("u_ml_article", "Machine learning model evaluation explained", c.ARTICLE, 1, 2, {},
              description="Machine learning: cross validation, precision and recall"),
    ]  # fmt: skip
    return {i.id: i for i in items}


def _feedback() -> dict[str, Feedback]:
    rows = [
        ("f1", "ari", TargetKind.CONTENT, "v_sql1", FeedbackVerdict.ACCEPTED),
        ("f2", "pia", TargetKind.CONTENT, "v_sql1", FeedbackVerdict.USEFUL),
        ("f3", "sam", TargetKind.CONTENT, "c_ml", FeedbackVerdict.ACCEPTED),
        ("f4", "jo", TargetKind.CONTENT, "c_stats", FeedbackVerdict.NOT_USEFUL),
        ("f5", "ari", TargetKind.MENTOR, "m_sam", FeedbackVerdict.ACCEPTED),
    ]
    return {f[0]: Feedback(*f) for f in rows}


def tiny_records() -> Records:
    """The tiny company (a new object on every call, safe to change)."""
    return Records(
        skills=_skills(),
        relations=_relations(),
        roles=_roles(),
        employees=_employees(),
        mentors=_mentors(),
        items=_items(),
        feedback=_feedback(),
        sources=["tiny synthetic company"],
    )


def tiny_load() -> dict[str, int]:
    """Current mentees per offer: Noor's single seat is taken."""
    return {FULL_OFFER: 1, "m_sam": 1}


def exact_index(ids: list[str], vectors: np.ndarray) -> VectorIndex:
    return ExactIndex.from_arrays(ids, vectors)


def build_indexes(
    records: Records, graph: SkillGraph, encoder: Encoder, index_factory: IndexFactory | None = None
) -> dict[str, VectorIndex]:
    """The five indexes over the records, built with `index_factory(ids, vectors)`."""
    factory = index_factory or exact_index
    labels = {s.id: s.label for s in records.skills.values()}
    role_titles = {r.id: r.title for r in records.roles.values()}
    texts: dict[str, dict[str, str]] = {
        "skills": {s.id: skill_text(s) for s in records.skills.values()},
        "roles": {r.id: role_text(r, labels) for r in records.roles.values()},
        "employees": {
            e.id: employee_text(e, role_titles[e.role_id], labels)
            for e in records.employees.values()
        },
        "mentors": {
            m.id: mentor_text(m, records.employees[m.employee_id], labels)
            for m in records.mentors.values()
        },
        "items": {i.id: item_text(i, labels) for i in records.items.values()},
    }
    indexes: dict[str, VectorIndex] = {}
    for name, by_id in texts.items():
        ids = sorted(by_id)
        vectors = encoder.encode([by_id[i] for i in ids]) if ids else np.zeros((0, encoder.dim))
        indexes[name] = factory(ids, vectors)
    return indexes


def context_for(
    records: Records,
    encoder: Encoder,
    *,
    settings: Settings | None = None,
    load: dict[str, int] | None = None,
    index_factory: IndexFactory | None = None,
) -> EngineContext:
    graph = SkillGraph.build(records)
    return EngineContext(
        graph=graph,
        encoder=encoder,
        indexes=build_indexes(records, graph, encoder, index_factory),
        settings=settings or Settings(),
        mentor_load=dict(load or {}),
    )


def tiny_context(
    encoder: Encoder,
    *,
    settings: Settings | None = None,
    index_factory: IndexFactory | None = None,
) -> EngineContext:
    """SkillGraph + one ExactIndex per entity kind over `tiny_records()`, with `tiny_load()`.
    `index_factory(ids, vectors) -> VectorIndex` swaps the index (e.g. a FaissIndex)."""
    return context_for(
        tiny_records(), encoder, settings=settings, load=tiny_load(), index_factory=index_factory
    )
