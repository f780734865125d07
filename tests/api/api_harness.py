"""Test harness for the API: a small synthetic company, app starters, a live uvicorn."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.auth import mint_token
from skillgraph.config import ApiSettings, Settings
from skillgraph.data.schema import (
    Employee,
    Evidence,
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
    SkillLevel,
    SkillRelation,
    SkillRequirement,
    SkillTaught,
    TargetKind,
)
from skillgraph.store import Store

TEST_SECRET = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
READY_TIMEOUT_S = 120.0


def api_company() -> Records:
    """Org: boss <- mgr <- (ann, bob); boss <- (cat, dan). cat and dan offer mentoring."""
    skills = [
        Skill("python", "Python programming", alt_labels=("python3",)),
        Skill("sql", "SQL databases"),
        Skill("stats", "Statistics"),
        Skill("ml", "Machine learning"),
        Skill("spark", "Apache Spark"),
        Skill("lead", "People leadership"),
    ]
    relations = [
        SkillRelation("python", "ml", RelationKind.PREREQUISITE),
        SkillRelation("stats", "ml", RelationKind.PREREQUISITE),
        SkillRelation("sql", "spark", RelationKind.RELATED, 0.5),
    ]
    req = SkillRequirement
    roles = [
        Role(
            "analyst",
            "Data analyst",
            family="data",
            seniority=2,
            requirements=(req("sql", 3.0), req("python", 2.0, 0.6), req("stats", 2.0, 0.6)),
        ),
        Role(
            "ds",
            "Data scientist",
            family="data",
            seniority=3,
            requirements=(
                req("python", 3.0),
                req("stats", 3.0),
                req("ml", 3.0),
                req("sql", 2.0, 0.5),
            ),
        ),
        Role(
            "mle",
            "Machine learning engineer",
            family="data",
            seniority=4,
            requirements=(req("python", 4.0), req("ml", 4.0), req("spark", 3.0, 0.8)),
        ),
        Role(
            "head",
            "Head of data",
            family="data",
            seniority=5,
            requirements=(req("lead", 4.0), req("ml", 3.0, 0.5)),
        ),
    ]
    lv = SkillLevel
    employees = [
        Employee("boss", "Bea Boss", "head", skills=(lv("lead", 5.0), lv("ml", 4.0))),
        Employee(
            "mgr",
            "Max Manager",
            "ds",
            manager_id="boss",
            skills=(lv("python", 3.0), lv("stats", 4.0), lv("ml", 3.0), lv("lead", 3.0)),
        ),
        Employee(
            "ann",
            "Ann Analyst",
            "analyst",
            manager_id="mgr",
            department="BI",
            skills=(lv("sql", 4.0), lv("python", 2.0), lv("stats", 2.0)),
            history=(RoleSpell("analyst", date(2021, 1, 1)),),
        ),
        Employee(
            "bob",
            "Bob Builder",
            "analyst",
            manager_id="mgr",
            department="BI",
            skills=(lv("sql", 3.0), lv("python", 1.0)),
        ),
        Employee(
            "cat",
            "Cat Coder",
            "mle",
            manager_id="boss",
            department="ML",
            skills=(
                lv("python", 5.0),
                lv("ml", 5.0),
                lv("spark", 4.0),
                lv("stats", 4.0),
                lv("sql", 3.0, Evidence.ASSESSMENT),
            ),
        ),
        Employee(
            "dan",
            "Dan Data",
            "ds",
            manager_id="boss",
            department="ML",
            skills=(lv("python", 4.0), lv("stats", 5.0), lv("ml", 3.0), lv("sql", 4.0)),
        ),
    ]
    mentors = [
        MentorOffer(
            "m-cat",
            "cat",
            capacity=2,
            modes=(MentorMode.ONE_ON_ONE, MentorMode.GROUP),
            topics=("ml", "spark", "python"),
        ),
        MentorOffer("m-dan", "dan", capacity=1, topics=("stats", "python", "sql")),
    ]
    teach = SkillTaught
    items = [
        LearningItem(
            "c-python",
            "Python for data work",
            skills=(teach("python", 3.0),),
            duration_hours=20,
            level=1.0,
        ),
        LearningItem(
            "c-stats",
            "Applied statistics",
            skills=(teach("stats", 3.0),),
            duration_hours=15,
            level=2.0,
        ),
        LearningItem(
            "c-ml",
            "Machine learning foundations",
            skills=(teach("ml", 3.0),),
            prerequisites=(req("python", 2.0), req("stats", 2.0)),
            duration_hours=30,
        ),
        LearningItem(
            "c-spark",
            "Spark at scale",
            skills=(teach("spark", 3.0),),
            duration_hours=12,
            level=2.0,
            modality=Modality.WORKSHOP,
        ),
        LearningItem(
            "p-ml",
            "Ship a churn model",
            skills=(teach("ml", 3.5),),
            modality=Modality.STRETCH_ASSIGNMENT,
            duration_hours=40,
            level=3.0,
        ),
    ]
    feedback = [
        Feedback("f-ann", "ann", TargetKind.MENTOR, "m-dan", FeedbackVerdict.USEFUL, rating=5),
        Feedback("f-bob", "bob", TargetKind.CONTENT, "c-python", FeedbackVerdict.ACCEPTED),
    ]
    return Records(
        skills={s.id: s for s in skills},
        relations=relations,
        roles={r.id: r for r in roles},
        employees={e.id: e for e in employees},
        mentors={m.id: m for m in mentors},
        items={i.id: i for i in items},
        feedback={f.id: f for f in feedback},
        sources=["api test company"],
    )


def api_settings(data_dir: Path, database_url: str | None = None, **api: object) -> Settings:
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        api=ApiSettings(jwt_secret=TEST_SECRET, **api),  # type: ignore[arg-type]
    )


def seed(settings: Settings, records: Records | None = None) -> None:
    store = Store.open(settings)
    store.replace_records(records or api_company())
    store.close()


def wait_ready(client: TestClient | httpx.Client, timeout: float = READY_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = client.get("/ready")
        if last.status_code == 200:
            return
        if last.json().get("phase") in ("failed", "empty"):
            break
        time.sleep(0.05)
    raise AssertionError(f"service not ready: {last.json() if last is not None else None}")


@dataclass
class Api:
    """A TestClient over the app plus token helpers."""

    client: TestClient
    settings: Settings
    app: FastAPI

    def token(self, subject: str, role: str = "employee", ttl: timedelta | None = None) -> str:
        return mint_token(self.settings, subject, role, ttl)

    def auth(self, subject: str, role: str = "employee") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(subject, role)}"}

    @property
    def admin(self) -> dict[str, str]:
        return self.auth("admin", "ld_admin")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    settings: Settings
    server: uvicorn.Server
    thread: threading.Thread

    def auth(self, subject: str, role: str = "employee") -> dict[str, str]:
        return {"Authorization": f"Bearer {mint_token(self.settings, subject, role)}"}

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def start_live_server(app: FastAPI, settings: Settings) -> LiveServer:
    """uvicorn on 127.0.0.1 and a free port, in a thread of this process."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise AssertionError("uvicorn did not start")
        time.sleep(0.02)
    with httpx.Client(base_url=url) as client:
        wait_ready(client)
    return LiveServer(url, settings, server, thread)
