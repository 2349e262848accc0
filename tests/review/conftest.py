"""Review fixtures: a small Danish/Lithuanian project with fuzzy and MT entries."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from toolkit.config import ProjectConfig, load_config
from toolkit.review import ReviewWorkspace
from toolkit.review.app import create_app
from toolkit.review.model import entry_id

DATA = Path(__file__).parent.parent / "data" / "review" / "project"
CSRF = "test-csrf-token"

PLURAL = "You have %(num)s point waiting for you."
CHANGED = "Come back for %(discount)s off your next order."
SMS = "Nordlys: Hi %(first_name)s, we miss you! Get %(discount)s off with code %(code)s: %(url)s"
STOP = "Reply STOP to opt out."
SUBJECT = "We miss you, %(first_name)s"


def eid(msgid: str) -> str:
    return entry_id(None, msgid)


@pytest.fixture
def review_dir(tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def review_config(review_dir: Path) -> ProjectConfig:
    return load_config(review_dir)


@pytest.fixture
def workspace(review_config: ProjectConfig) -> ReviewWorkspace:
    return ReviewWorkspace(review_config, reviewer="Tester")


@pytest.fixture
def client(workspace: ReviewWorkspace) -> TestClient:
    return TestClient(create_app(workspace, csrf=CSRF))


def po_path(config: ProjectConfig, locale: str = "da") -> Path:
    return config.po_path(locale)
