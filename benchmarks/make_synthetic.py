"""A seeded synthetic company at scale, as Records, for the recommendation benchmark.

    .venv/bin/python benchmarks/make_synthetic.py [--employees 100000] [--seed 7] [--out DIR]

`make_company()` returns Records in well under a minute for the default size: 100,000 employees,
20,000 learning items, 3,000 roles, about 3,000 skills under 14 domains (domain group -> area ->
skill, related skills, acyclic prerequisites inside an area), 5,000 mentor offers. With `--out`
the company is written in the company format (datasets/FORMAT.md) as well.

Structure, so that recommendations have something real to find:
- a role is a (family, track, ladder level): 14 families, 42-43 tracks each, levels 1..5; a
  track needs skills of its main area, some of a second area, and leadership and communication
  from level 3 up; levels and importances rise with the ladder; 1 % of roles carry only a
  description (their profile is inferred at build time);
- employees follow a seniority pyramid; their skills follow the role's profile with noise
  (some gaps, some strengths above the role), plus a few skills of their own; their histories
  are promotions up the track and some lateral moves inside the family, dated; managers are
  more senior people of the same department;
- mentor offers come from experienced people (capacity 1-4, modes, half with topics);
  `mentor_load` fills some offers;
- learning items teach 1-3 skills of one area, pitched near the levels they teach, in every
  modality, 12 % with a prerequisite; 1 % are untagged (tags inferred at build time).

Nothing here is real: names and titles are combinations of small word lists.
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from skillgraph.data.schema import (
    Employee,
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
)

TODAY = date(2025, 6, 30)
ACTIVITIES = (
    "design", "implementation", "testing", "automation", "troubleshooting", "governance",
    "reporting", "optimisation", "migration", "monitoring", "modelling", "integration",
    "security review", "documentation", "planning", "coaching",
)  # fmt: skip
DOMAINS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    # domain: (areas, objects, job noun)
    "Software engineering": (
        ("Backend development", "Frontend development", "Mobile development", "APIs",
         "Software architecture", "Testing and quality", "Developer tooling", "Databases",
         "Distributed systems", "Performance engineering", "Embedded software", "Open source"),
        ("Python", "Java", "Go", "Rust", "TypeScript", "React", "Kotlin", "Swift", "GraphQL",
         "REST API", "PostgreSQL", "Redis", "Kafka", "gRPC", "microservice", "unit test",
         "code review", "build pipeline", "compiler", "message queue"),
        "Engineer",
    ),
    "Data and analytics": (
        ("Data engineering", "Business intelligence", "Machine learning", "Statistics",
         "Data governance", "Experimentation", "Data visualisation", "MLOps",
         "Natural language processing", "Forecasting", "Data warehousing", "Analytics"),
        ("SQL", "Spark", "dbt", "Airflow", "Tableau", "Power BI", "pandas", "scikit-learn",
         "PyTorch", "A/B test", "regression model", "time series", "dashboard", "data quality",
         "feature store", "data catalog", "Bayesian model", "causal inference", "LLM",
         "recommender system"),
        "Analyst",
    ),
    "Cloud and infrastructure": (
        ("Cloud platforms", "Containers", "Networking", "Site reliability",
         "Infrastructure as code", "Observability", "Linux administration", "Storage",
         "Identity and access", "Cost management", "Edge computing", "Release engineering"),
        ("AWS", "Azure", "Google Cloud", "Kubernetes", "Docker", "Terraform", "Ansible",
         "Prometheus", "Grafana", "Linux", "load balancer", "DNS", "VPN", "object storage",
         "service mesh", "CI/CD", "incident", "SLO", "backup", "autoscaling"),
        "Engineer",
    ),
    "Security": (
        ("Application security", "Security operations", "Threat intelligence", "Cryptography",
         "Cloud security", "Identity security", "Risk assessment", "Penetration testing",
         "Security compliance", "Incident response", "Privacy engineering", "Fraud prevention"),
        ("SIEM", "firewall", "vulnerability", "OWASP", "encryption key", "PKI", "SOC 2",
         "ISO 27001", "phishing", "malware", "zero trust", "SAST", "DAST", "threat model",
         "access review", "GDPR", "audit log", "endpoint", "red team", "bug bounty"),
        "Specialist",
    ),
    "Product and design": (
        ("Product management", "User research", "Interaction design", "Visual design",
         "Product analytics", "Roadmapping", "Design systems", "Accessibility",
         "Content design", "Service design", "Prototyping", "Product discovery"),
        ("user interview", "persona", "wireframe", "Figma", "usability test", "roadmap",
         "OKR", "product metric", "journey map", "design token", "WCAG", "prototype",
         "copywriting", "backlog", "user story", "pricing", "onboarding flow", "survey",
         "information architecture", "design critique"),
        "Designer",
    ),
    "Finance": (
        ("Accounting", "Financial planning", "Treasury", "Tax", "Audit", "Procurement",
         "Payroll", "Investor relations", "Financial reporting", "Controlling",
         "Revenue operations", "Financial modelling"),
        ("general ledger", "IFRS", "budget", "cash flow", "VAT", "transfer pricing",
         "invoice", "accounts payable", "accounts receivable", "forecast model", "ERP",
         "month-end close", "variance analysis", "capital allocation", "hedging",
         "expense policy", "SAP", "cost centre", "board pack", "valuation"),
        "Accountant",
    ),
    "Sales": (
        ("Account management", "Business development", "Sales operations", "Solution selling",
         "Channel partnerships", "Negotiation", "Pipeline management", "Pre-sales",
         "Enterprise sales", "Inside sales", "Customer success", "Sales enablement"),
        ("CRM", "Salesforce", "lead", "quota", "proposal", "RFP", "demo", "contract",
         "territory", "partner", "pricing deal", "renewal", "upsell", "discovery call",
         "objection handling", "sales playbook", "forecast call", "key account",
         "cold outreach", "win-loss"),
        "Manager",
    ),
    "Marketing": (
        ("Brand", "Content marketing", "Performance marketing", "Marketing analytics",
         "Product marketing", "Events", "Public relations", "Social media", "SEO",
         "Email marketing", "Market research", "Community"),
        ("campaign", "brand guideline", "blog", "newsletter", "paid search", "SEO audit",
         "landing page", "attribution model", "press release", "webinar", "conference",
         "influencer", "social post", "segment", "marketing automation", "positioning",
         "launch plan", "competitive analysis", "customer story", "HubSpot"),
        "Marketer",
    ),
    "People and HR": (
        ("Recruiting", "Learning and development", "Compensation", "Employee relations",
         "HR operations", "Organisational design", "Diversity and inclusion", "Wellbeing",
         "Performance management", "Workforce planning", "HR analytics", "Onboarding"),
        ("job description", "interview", "offer letter", "salary band", "bonus plan",
         "training course", "coaching plan", "engagement survey", "performance review",
         "succession plan", "HRIS", "policy", "grievance", "headcount plan", "benefit",
         "competency model", "career ladder", "exit interview", "mentoring programme",
         "skills matrix"),
        "Partner",
    ),
    "Operations and supply chain": (
        ("Logistics", "Inventory", "Procurement operations", "Quality management",
         "Process improvement", "Facilities", "Vendor management", "Demand planning",
         "Manufacturing", "Warehouse", "Customs", "Business continuity"),
        ("Lean", "Six Sigma", "Kanban", "SLA", "purchase order", "stock level", "shipment",
         "warehouse layout", "supplier", "quality audit", "root cause", "capacity plan",
         "S&OP", "ERP workflow", "customs declaration", "risk register", "KPI",
         "process map", "safety check", "fleet"),
        "Coordinator",
    ),
    "Legal and compliance": (
        ("Contracts", "Corporate law", "Employment law", "Intellectual property",
         "Regulatory compliance", "Data protection", "Litigation", "Ethics",
         "Anti-money laundering", "Export control", "Policy management", "Licensing"),
        ("NDA", "master agreement", "patent", "trademark", "licence", "GDPR request",
         "compliance training", "AML check", "sanctions list", "whistleblowing",
         "board resolution", "dispute", "regulator", "policy review", "due diligence",
         "privacy notice", "open source licence", "code of conduct", "retention schedule",
         "export licence"),
        "Counsel",
    ),
    "Leadership and management": (
        ("People leadership", "Strategy", "Change management", "Communication",
         "Decision making", "Stakeholder management", "Program management",
         "Budget ownership", "Hiring", "Mentoring", "Facilitation", "Delegation"),
        ("1:1", "team meeting", "strategy document", "change plan", "presentation",
         "written update", "decision log", "stakeholder map", "program plan",
         "budget review", "hiring loop", "feedback", "workshop", "retrospective",
         "vision statement", "risk review", "escalation", "town hall", "coaching session",
         "delegation plan"),
        "Lead",
    ),
    "Customer support": (
        ("Technical support", "Customer service", "Support operations", "Knowledge management",
         "Escalation management", "Customer education", "Support tooling", "Quality assurance",
         "Field service", "Customer feedback", "Service desk", "Community support"),
        ("ticket", "Zendesk", "help article", "SLA policy", "escalation path", "chatbot",
         "call script", "CSAT", "NPS", "macro", "support queue", "troubleshooting guide",
         "training video", "customer call", "field visit", "service catalog", "ITIL",
         "incident ticket", "feedback loop", "forum"),
        "Agent",
    ),
    "Research and science": (
        ("Experimental design", "Scientific computing", "Biostatistics", "Lab operations",
         "Literature review", "Research ethics", "Simulation", "Optimisation research",
         "Computer vision", "Signal processing", "Materials science", "Research writing"),
        ("experiment", "hypothesis", "MATLAB", "R", "Julia", "simulation model",
         "clinical trial", "lab protocol", "paper", "grant proposal", "peer review",
         "image model", "signal filter", "solver", "dataset", "benchmark", "lab notebook",
         "ethics approval", "microscope", "spectrometer"),
        "Scientist",
    ),
}  # fmt: skip
LADDER = ("Junior", "", "Senior", "Lead", "Principal")
VARIANTS = (
    "", "Platform", "Product", "Enterprise", "Growth", "Core", "Applied", "Regional",
    "Strategic", "Internal", "Global", "Digital",
)  # fmt: skip
FIRST = (
    "Ada", "Ben", "Chloe", "Dev", "Elena", "Femi", "Gita", "Hugo", "Ines", "Jonas", "Kaito",
    "Lena", "Mateo", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara", "Uma", "Viktor",
    "Wen", "Ximena", "Yusuf", "Zoe",
)  # fmt: skip
LAST = (
    "Abara", "Berg", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova",
    "Jensen", "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Petrov", "Quispe", "Rossi",
    "Silva", "Tanaka", "Usman", "Varga", "Wagner", "Xu", "Yilmaz", "Zhang",
)  # fmt: skip
OFFICES = (
    ("Berlin", 1.0), ("London", 0.0), ("New York", -5.0), ("Bangalore", 5.5),
    ("Singapore", 8.0), ("Sao Paulo", -3.0), ("Toronto", -5.0), ("Sydney", 10.0),
)  # fmt: skip
PROVIDERS = ("Internal Academy", "LearnHub", "SkillForge", "OpenCourseware", "BookShelf")
TEXT_INTERESTS = (
    "machine learning", "people management", "public speaking", "cloud architecture",
    "product strategy", "working abroad", "data visualisation", "negotiation",
)  # fmt: skip
PYRAMID = (0.25, 0.30, 0.25, 0.13, 0.07)  # share of employees per ladder level 1..5


@dataclass(frozen=True)
class Size:
    employees: int = 100_000
    items: int = 20_000
    roles: int = 3_000
    skills_per_area: int = 17  # 14 domains x 12 areas x (1 + 17) = 3,024 skills and areas
    mentors: int = 5_000


@dataclass
class _Ontology:
    skills: dict[str, Skill]
    relations: list[SkillRelation]
    areas: list[tuple[str, list[str]]]  # (area id, its skill ids), areas of a domain adjacent
    domain_of_area: list[int]
    prerequisites: dict[str, list[str]]


def make_company(size: Size | None = None, seed: int = 7) -> Records:
    """The synthetic company (see the module docstring); the same seed gives the same Records."""
    size = size or Size()
    rng = random.Random(seed)
    onto = _ontology(rng, size)
    roles, tracks = _roles(rng, onto, size)
    employees = _employees(rng, onto, roles, tracks, size)
    mentors = _mentors(rng, employees, size)
    items = _items(rng, onto, size)
    return Records(
        skills=onto.skills,
        relations=onto.relations,
        roles=roles,
        employees=employees,
        mentors=mentors,
        items=items,
        sources=[f"synthetic company (seed {seed})"],
    )


def mentor_load(records: Records, seed: int = 7, share: float = 0.1) -> dict[str, int]:
    """Current mentees per offer: `share` of the offers are full, a few more partly taken."""
    rng = random.Random(seed + 1)
    load: dict[str, int] = {}
    for offer in records.mentors.values():
        draw = rng.random()
        if draw < share:
            load[offer.id] = offer.capacity
        elif draw < 3 * share and offer.capacity > 1:
            load[offer.id] = rng.randrange(1, offer.capacity)
    return load


# ontology -------------------------------------------------------------------------------------
def _ontology(rng: random.Random, size: Size) -> _Ontology:
    skills: dict[str, Skill] = {}
    relations: list[SkillRelation] = []
    areas: list[tuple[str, list[str]]] = []
    domain_of_area: list[int] = []
    prerequisites: dict[str, list[str]] = {}
    seen_labels: set[str] = set()
    for d, (domain, (area_names, objects, _)) in enumerate(DOMAINS.items()):
        domain_id = f"d{d:02d}"
        skills[domain_id] = Skill(domain_id, domain, kind=SkillKind.GROUP)
        pairs = [(o, a) for o in objects for a in ACTIVITIES]
        rng.shuffle(pairs)
        for a, area in enumerate(area_names):
            area_id = f"{domain_id}a{a:02d}"
            skills[area_id] = Skill(
                area_id, area, kind=SkillKind.KNOWLEDGE, description=f"{area} in {domain.lower()}."
            )
            relations.append(SkillRelation(area_id, domain_id, RelationKind.BROADER))
            members: list[str] = []
            for s in range(size.skills_per_area):
                obj, activity = pairs.pop()
                label = f"{obj} {activity}"
                if label in seen_labels:
                    label = f"{label} ({area.lower()})"
                seen_labels.add(label)
                skill_id = f"{area_id}s{s:02d}"
                kind = SkillKind.TECHNOLOGY if obj[:1].isupper() else SkillKind.SKILL
                skills[skill_id] = Skill(
                    skill_id,
                    label,
                    alt_labels=(f"{activity} of {obj}",),
                    description=f"{activity.capitalize()} of {obj} for {area.lower()}.",
                    kind=kind,
                )
                relations.append(SkillRelation(skill_id, area_id, RelationKind.BROADER))
                members.append(skill_id)
            for s, skill_id in enumerate(members):
                if s and rng.random() < 0.35:  # earlier skills of the area come first: acyclic
                    before = members[rng.randrange(s)]
                    relations.append(SkillRelation(before, skill_id, RelationKind.PREREQUISITE))
                    prerequisites.setdefault(skill_id, []).append(before)
                if rng.random() < 0.5:
                    other = rng.choice(members)
                    if other != skill_id:
                        relations.append(
                            SkillRelation(skill_id, other, RelationKind.RELATED, weight=0.7)
                        )
            areas.append((area_id, members))
            domain_of_area.append(d)
    for a in range(len(areas)):  # a few cross-area links
        if rng.random() < 0.5:
            b = rng.randrange(len(areas))
            if b != a:
                src, dst = rng.choice(areas[a][1]), rng.choice(areas[b][1])
                relations.append(SkillRelation(src, dst, RelationKind.RELATED, weight=0.5))
    return _Ontology(skills, relations, areas, domain_of_area, prerequisites)


# roles ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Track:
    family: int
    name: str
    roles: tuple[str, ...]  # ladder levels 1..5


def _roles(rng: random.Random, onto: _Ontology, size: Size) -> tuple[dict[str, Role], list[_Track]]:
    families = list(DOMAINS)
    n_tracks = max(1, size.roles // len(LADDER))
    per_family = max(1, -(-n_tracks // len(families)))
    leadership = _areas_of(onto, families.index("Leadership and management"))
    roles: dict[str, Role] = {}
    tracks: list[_Track] = []
    for t in range(n_tracks):
        f = t % len(families)
        local = t // len(families)
        area_names, _, noun = DOMAINS[families[f]]
        own = _areas_of(onto, f)
        main = own[local % len(own)]
        second = own[(local * 5 + 3) % len(own)]
        variant = VARIANTS[(local // len(own)) % len(VARIANTS)]
        base = f"{area_names[local % len(own)]} {noun}" + (f", {variant}" if variant else "")
        ids = []
        main_skills = rng.sample(onto.areas[main][1], 8)
        second_skills = rng.sample(onto.areas[second][1], 4)
        lead_skills = rng.sample(onto.areas[rng.choice(leadership)][1], 3)
        for level in range(1, len(LADDER) + 1):
            role_id = f"r{t:04d}l{level}"
            title = f"{LADDER[level - 1]} {base}".strip()
            requirements = _requirements(rng, level, main_skills, second_skills, lead_skills)
            bare = rng.random() < 0.01
            roles[role_id] = Role(
                role_id,
                title,
                description=f"{title} in the {families[f].lower()} family, level {level}: works "
                f"on {area_names[local % len(own)].lower()} with "
                f"{onto.skills[main_skills[0]].label} and {onto.skills[main_skills[1]].label}.",
                family=families[f],
                seniority=level,
                requirements=() if bare else requirements,
                group=f"{f + 1:02d}{local % per_family:02d}",
                tasks=(f"Deliver {onto.skills[main_skills[2]].label}.",),
            )
            ids.append(role_id)
        tracks.append(_Track(f, base, tuple(ids)))
    return roles, tracks


def _areas_of(onto: _Ontology, domain: int) -> list[int]:
    return [a for a, d in enumerate(onto.domain_of_area) if d == domain]


def _requirements(
    rng: random.Random,
    level: int,
    main: list[str],
    second: list[str],
    lead: list[str],
) -> tuple[SkillRequirement, ...]:
    reqs = []
    take_main = main[: 4 + min(level, 4)]
    for i, skill_id in enumerate(take_main):
        lv = min(5.0, max(1.0, float(round(1.0 + 0.6 * level + rng.uniform(-0.5, 0.5) - 0.1 * i))))
        reqs.append(SkillRequirement(skill_id, lv, round(rng.uniform(0.7, 1.0), 2)))
    for skill_id in second[: 1 + level // 2]:
        lv = min(5.0, max(1.0, float(round(0.5 + 0.5 * level + rng.uniform(-0.5, 0.5)))))
        reqs.append(SkillRequirement(skill_id, lv, round(rng.uniform(0.3, 0.7), 2)))
    if level >= 3:
        for skill_id in lead[: level - 2]:
            lv = min(5.0, float(level - 1))
            reqs.append(SkillRequirement(skill_id, lv, round(rng.uniform(0.4, 0.8), 2)))
    return tuple(reqs)


# employees ------------------------------------------------------------------------------------
def _employees(
    rng: random.Random,
    onto: _Ontology,
    roles: dict[str, Role],
    tracks: list[_Track],
    size: Size,
) -> dict[str, Employee]:
    families = list(DOMAINS)
    popularity = [1.0 / (1 + (i % 40)) ** 0.5 for i in range(len(tracks))]
    chosen = rng.choices(range(len(tracks)), weights=popularity, k=size.employees)
    levels = rng.choices(range(1, 6), weights=PYRAMID, k=size.employees)
    by_place: dict[tuple[int, int], list[str]] = {}  # (family, level) -> employee ids
    drafts: list[tuple[str, int, int, int]] = []
    for n in range(size.employees):
        emp_id = f"e{n:06d}"
        t, level = chosen[n], levels[n]
        drafts.append((emp_id, t, level, tracks[t].family))
        by_place.setdefault((tracks[t].family, level), []).append(emp_id)
    employees: dict[str, Employee] = {}
    for emp_id, t, level, family in drafts:
        track = tracks[t]
        role = roles[track.roles[level - 1]]
        office, offset = OFFICES[rng.randrange(len(OFFICES))]
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        manager = _manager(rng, by_place, family, level)
        employees[emp_id] = Employee(
            id=emp_id,
            name=name,
            role_id=role.id,
            manager_id=manager,
            department=families[family],
            location=office,
            utc_offset=offset,
            skills=_held(rng, onto, role),
            history=_history(rng, tracks, t, level),
            interests=_interests(rng, onto, track),
            about=f"{name.split()[0]} works as {role.title} in {office}.",
            active=rng.random() > 0.02,
        )
    return employees


def _manager(
    rng: random.Random, by_place: dict[tuple[int, int], list[str]], family: int, level: int
) -> str | None:
    for up in range(level + 1, 6):
        bosses = by_place.get((family, up))
        if bosses:
            return bosses[rng.randrange(len(bosses))]
    return None


def _held(rng: random.Random, onto: _Ontology, role: Role) -> tuple[SkillLevel, ...]:
    if rng.random() < 0.01:
        return ()  # known only by the about text
    held: dict[str, float] = {}
    for req in role.requirements:
        if rng.random() < 0.15:
            continue  # a gap
        level = req.level + rng.gauss(-0.4, 0.9)
        held[req.skill_id] = min(5.0, max(0.5, round(level * 2) / 2))
    for _ in range(rng.randrange(2, 6)):
        area = onto.areas[rng.randrange(len(onto.areas))][1]
        held.setdefault(area[rng.randrange(len(area))], float(rng.randrange(1, 6)))
    updated = TODAY - timedelta(days=rng.randrange(730))
    return tuple(SkillLevel(s, lv, updated=updated) for s, lv in held.items())


def _history(rng: random.Random, tracks: list[_Track], t: int, level: int) -> tuple[RoleSpell, ...]:
    spells: list[tuple[str, int]] = []  # (role id, years), most recent first
    current_track, current_level = t, level
    for _ in range(rng.randrange(0, 4)):
        draw = rng.random()
        if draw < 0.6 and current_level > 1:
            current_level -= 1  # a promotion led here
        elif draw < 0.9:
            same_family = range(tracks[current_track].family, len(tracks), len(DOMAINS))
            current_track = rng.choice(same_family[:40])
        else:
            current_track = rng.randrange(len(tracks))
        spells.append((tracks[current_track].roles[current_level - 1], rng.randrange(1, 5)))
    start = TODAY - timedelta(days=365 * rng.randrange(1, 4))
    out = [RoleSpell(tracks[t].roles[level - 1], start, None)]
    for role_id, years in spells:
        end = start
        start = end - timedelta(days=365 * years)
        out.append(RoleSpell(role_id, start, end))
    return tuple(reversed(out))


def _interests(rng: random.Random, onto: _Ontology, track: _Track) -> tuple[str, ...]:
    draw = rng.random()
    if draw < 0.1:
        return (track.roles[-1],)  # the top of the track
    if draw < 0.2:
        area = onto.areas[rng.randrange(len(onto.areas))][1]
        return tuple(rng.sample(area, 2))
    if draw < 0.3:
        return (rng.choice(TEXT_INTERESTS),)
    return ()


# mentors and items ----------------------------------------------------------------------------
def _mentors(
    rng: random.Random, employees: dict[str, Employee], size: Size
) -> dict[str, MentorOffer]:
    pool = [e for e in employees.values() if e.active and len(e.skills) >= 5]
    weights = [int(e.role_id[-1]) for e in pool]
    picked = {e.id: e for e in rng.choices(pool, weights=weights, k=2 * size.mentors)}
    offers: dict[str, MentorOffer] = {}
    for n, emp in enumerate(list(picked.values())[: size.mentors]):
        modes = [MentorMode.ONE_ON_ONE]
        if rng.random() < 0.4:
            modes.append(MentorMode.PEER)
        if rng.random() < 0.15:
            modes.append(MentorMode.GROUP)
        if int(emp.role_id[-1]) <= 2 and rng.random() < 0.3:
            modes.append(MentorMode.REVERSE)
        strong = sorted(emp.skills, key=lambda s: -s.level)
        topics = (
            tuple(s.skill_id for s in strong[: rng.randrange(2, 6)]) if rng.random() < 0.5 else ()
        )
        offers[f"m{n:05d}"] = MentorOffer(
            id=f"m{n:05d}",
            employee_id=emp.id,
            capacity=rng.randrange(1, 5),
            modes=tuple(modes),
            topics=topics,
            available=rng.random() > 0.05,
        )
    return offers


MODALITY_HOURS = {
    Modality.COURSE: (4, 40), Modality.ARTICLE: (0.2, 1), Modality.VIDEO: (0.3, 3),
    Modality.PODCAST: (0.5, 2), Modality.BOOK: (6, 20), Modality.WORKSHOP: (2, 16),
    Modality.STRETCH_ASSIGNMENT: (20, 120), Modality.PROJECT: (20, 200),
    Modality.COMMUNITY: (2, 30),
}  # fmt: skip
TITLE_FORMS = ("{} essentials", "Hands-on {}", "{} in practice", "Mastering {}", "{} deep dive",
               "Introduction to {}", "{} for teams", "Applied {}")  # fmt: skip


def _items(rng: random.Random, onto: _Ontology, size: Size) -> dict[str, LearningItem]:
    modalities = list(MODALITY_HOURS)
    shares = [30, 15, 20, 5, 8, 10, 5, 4, 3]
    items: dict[str, LearningItem] = {}
    for n in range(size.items):
        area_id, members = onto.areas[rng.randrange(len(onto.areas))]
        modality = rng.choices(modalities, weights=shares)[0]
        low, high = MODALITY_HOURS[modality]
        first = rng.choice(members)
        taught_ids = [first, *rng.sample(members, rng.randrange(0, 3))]
        top = float(rng.randrange(1, 6))
        taught = tuple(
            SkillTaught(s, max(1.0, top - i)) for i, s in enumerate(dict.fromkeys(taught_ids))
        )
        label = onto.skills[first].label
        prerequisites: tuple[SkillRequirement, ...] = ()
        befores = onto.prerequisites.get(first, [])
        if befores and top >= 3 and rng.random() < 0.6:
            prerequisites = (SkillRequirement(befores[0], min(3.0, top - 1)),)
        untagged = rng.random() < 0.01
        items[f"i{n:05d}"] = LearningItem(
            id=f"i{n:05d}",
            title=rng.choice(TITLE_FORMS).format(label),
            description=f"A {modality.value.replace('_', ' ')} on {label} "
            f"({onto.skills[area_id].label.lower()}).",
            provider=rng.choice(PROVIDERS),
            modality=modality,
            duration_hours=round(rng.uniform(low, high), 1),
            level=max(1.0, top - 1.0),
            skills=() if untagged else taught,
            prerequisites=prerequisites,
        )
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=Size.employees)
    parser.add_argument("--items", type=int, default=Size.items)
    parser.add_argument("--mentors", type=int, default=Size.mentors)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, help="also write the company format here")
    args = parser.parse_args()
    started = time.perf_counter()
    size = Size(employees=args.employees, items=args.items, mentors=args.mentors)
    records = make_company(size, seed=args.seed)
    print(f"generated in {time.perf_counter() - started:.1f} s: {records.counts()}")
    if args.out is not None:
        from skillgraph.data.company import write_company

        write_company(records, args.out)
        print(f"written to {args.out}")


if __name__ == "__main__":
    main()
