"""One text recipe per entity kind: what the embedding model reads for it.

all-MiniLM-L6-v2 reads at most 256 word pieces and truncates the rest, so each recipe puts the
most identifying words first (name or title, then what it is about, then lists) and every text is
clipped to MAX_WORDS words (about 200 word pieces of ordinary English, leaving room for long
technical words that split into several pieces).

| kind          | order of parts                                                             |
|---------------|----------------------------------------------------------------------------|
| skill         | label; up to 5 alternative labels; description                              |
| role          | title; up to 3 alternative titles; description; key skills (top 10 by       |
|               | importance, then level); up to 3 tasks                                     |
| employee      | role title; skills with level names, strongest first (top 15); interests; about |
| mentor offer  | "mentor in" topics (or the mentor's skills at level 3+); modes; about        |
| learning item | title; description; skills taught (with target level); syllabus              |

Labels of skill ids come from `skill_labels`; an id without a label is left out (an interest that
is not a known id is kept as free text).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from skillgraph.data.schema import Employee, LearningItem, MentorOffer, Role, Skill, level_name

MAX_WORDS = 180
MAX_ALT_LABELS = 5
MAX_ALT_TITLES = 3
MAX_ROLE_SKILLS = 10
MAX_ROLE_TASKS = 3
MAX_EMPLOYEE_SKILLS = 15
MAX_ITEM_SKILLS = 10


def clip_words(text: str, max_words: int = MAX_WORDS) -> str:
    """Whitespace-normalised text cut to `max_words` words."""
    words = text.split()
    return " ".join(words[:max_words])


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        return ""
    return text if text[-1] in ".!?:;" else text + "."


def _join(parts: Iterable[str]) -> str:
    return clip_words(" ".join(p for p in (_sentence(x) for x in parts) if p))


def _listing(prefix: str, values: Iterable[str]) -> str:
    values = [v for v in values if v]
    return f"{prefix}: {', '.join(values)}" if values else ""


def skill_text(skill: Skill) -> str:
    """Label, alternative labels, description."""
    alts = [a for a in skill.alt_labels if a.lower() != skill.label.lower()][:MAX_ALT_LABELS]
    return _join([skill.label, _listing("Also called", alts), skill.description])


def role_text(
    role: Role, skill_labels: Mapping[str, str], *, max_skills: int = MAX_ROLE_SKILLS
) -> str:
    """Title, alternative titles, description, key skills; `max_skills=0` leaves skills out
    (to compare a role known only by its description with others on equal terms)."""
    ranked = sorted(role.requirements, key=lambda r: (-r.importance, -r.level, r.skill_id))
    skills = [skill_labels.get(r.skill_id, "") for r in ranked][:max_skills] if max_skills else []
    return _join(
        [
            role.title,
            _listing("Also known as", role.alt_titles[:MAX_ALT_TITLES]),
            role.description,
            _listing("Key skills", skills),
            _listing("Tasks", role.tasks[:MAX_ROLE_TASKS]),
        ]
    )


def employee_text(emp: Employee, role_title: str, skill_labels: Mapping[str, str]) -> str:
    """Role title, skills with level names (strongest first), interests, about."""
    ranked = sorted(emp.skills, key=lambda s: (-s.level, s.skill_id))[:MAX_EMPLOYEE_SKILLS]
    skills = [
        f"{skill_labels[s.skill_id]} ({level_name(s.level)})"
        for s in ranked
        if s.skill_id in skill_labels
    ]
    interests = [skill_labels.get(i, i) for i in emp.interests]
    return _join(
        [role_title, _listing("Skills", skills), _listing("Interests", interests), emp.about]
    )


def mentor_text(offer: MentorOffer, emp: Employee, skill_labels: Mapping[str, str]) -> str:
    """What the mentor offers (topics, else their skills at level 3 and above), modes, about."""
    if offer.topics:
        topic_ids = list(offer.topics)
    else:
        strong = sorted((s for s in emp.skills if s.level >= 3), key=lambda s: -s.level)
        topic_ids = [s.skill_id for s in strong][:MAX_EMPLOYEE_SKILLS]
    topics = [skill_labels[t] for t in topic_ids if t in skill_labels]
    modes = [m.value.replace("_", "-") for m in offer.modes]
    return _join([_listing("Mentor in", topics), _listing("Mentoring modes", modes), emp.about])


def item_text(item: LearningItem, skill_labels: Mapping[str, str]) -> str:
    """Title, description, skills taught with target level, syllabus."""
    skills = [
        f"{skill_labels[s.skill_id]} ({level_name(s.level)})"
        for s in item.skills[:MAX_ITEM_SKILLS]
        if s.skill_id in skill_labels
    ]
    return _join([item.title, item.description, _listing("Teaches", skills), item.syllabus])
