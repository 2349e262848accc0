"""Content projects made from the real open-source excerpts in tests/data/real/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REAL = Path(__file__).parents[1] / "data" / "real"
#: CKAN's custom Jinja2 tags (ckan/lib/jinja_extensions.py) used by its core templates.
CKAN_TAGS = ("snippet", "url_for", "link_for", "asset")


@pytest.fixture
def ckan_project(tmp_path: Path) -> Path:
    """CKAN's templates excerpt as a content project, without any Jinja2 configuration."""
    root = tmp_path / "ckan"
    shutil.copytree(REAL / "ckan" / "templates", root / "templates")
    (root / "locales").mkdir()
    (root / "toolkit.toml").write_text('locales = ["da_DK", "lt", "fr", "pl"]\n', "utf-8")
    return root


def configure_tags(root: Path) -> None:
    with (root / "toolkit.toml").open("a", encoding="utf-8") as handle:
        handle.write(f"jinja_opaque_tags = {list(CKAN_TAGS)!r}\n".replace("'", '"'))
