"""The import rules of ARCHITECTURE.md, checked by walking every module's imports with ast."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = {"app", "campaigns", "data", "connectors", "streamlit_app"}
# Third-party packages that may only be imported in certain places.
FRAMEWORKS = {"streamlit", "sqlmodel", "sqlalchemy", "alembic", "tweepy", "schedule", "requests", "httpx", "psycopg"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def _area(path: Path) -> str:
    rel = path.relative_to(ROOT)
    if rel.parts[0] == "app" and len(rel.parts) > 2:
        return f"app.{rel.parts[1]}"  # app.services, app.ui, app.pages
    return "app" if rel.parts[0] == "app" else rel.parts[0].removesuffix(".py")


def allowed(area: str, module: str) -> bool:
    top = module.split(".")[0]
    if top == "streamlit":
        return area in ("app.ui", "app.pages", "streamlit_app")
    if top == "schedule":
        return area == "app.worker"
    if area == "campaigns":
        return top not in PROJECT - {"campaigns"} and top not in FRAMEWORKS
    if area == "data":
        return top not in {"app", "connectors", "streamlit_app", "tweepy", "schedule"}
    if area == "connectors":
        return top not in {"app", "data", "streamlit_app", "sqlmodel", "sqlalchemy", "alembic", "schedule"}
    if area in ("app.pages", "app.ui", "streamlit_app"):
        return top not in {"connectors", "data", "sqlmodel", "sqlalchemy", "alembic"}
    return top != "streamlit_app"  # app, app.services


def _modules():
    for folder in ("app", "campaigns", "data", "connectors"):
        yield from sorted((ROOT / folder).rglob("*.py"))
    yield ROOT / "streamlit_app.py"


@pytest.mark.parametrize("path", list(_modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_follows_import_rules(path):
    area = _area(path)
    if area == "app" and path.name == "worker.py":
        area = "app.worker"
    bad = sorted(m for m in _imports(path) if not allowed(area, m))
    assert not bad, f"{path.relative_to(ROOT)} ({area}) may not import {bad}"


@pytest.mark.parametrize(
    "area, module, ok",
    [
        ("campaigns", "sqlalchemy", False),
        ("campaigns", "data.models", False),
        ("campaigns", "babel.numbers", True),
        ("data", "app.config", False),
        ("data", "connectors.base", False),
        ("data", "campaigns.metrics", True),
        ("connectors", "data.models", False),
        ("app.pages", "data.models", False),
        ("app.pages", "connectors.x", False),
        ("app.pages", "app.services.overview", True),
        ("app.services", "streamlit", False),
        ("app", "schedule", False),
        ("app.worker", "schedule", True),
        ("app.ui", "streamlit", True),
    ],
)
def test_rules_refuse_what_architecture_forbids(area, module, ok):
    assert allowed(area, module) is ok
