"""Fixtures for interchange tests: a small project with da/lt catalogs, schemas, a memory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.config import ProjectConfig, load_config

DATA = Path(__file__).parents[1] / "data"
SCHEMAS = DATA / "schemas"


@pytest.fixture
def vendor_dir(tmp_path: Path) -> Path:
    """A copy of tests/data/interchange/project (da and lt catalogs, glossaries)."""
    target = tmp_path / "project"
    shutil.copytree(DATA / "interchange" / "project", target)
    return target


@pytest.fixture
def vendor(vendor_dir: Path) -> ProjectConfig:
    return load_config(vendor_dir)


@pytest.fixture
def memory_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty translation memory path (TOOLKIT_MEMORY points there too)."""
    path = tmp_path / "cache" / "memory.sqlite"
    monkeypatch.setenv("TOOLKIT_MEMORY", str(path))
    return path


@pytest.fixture
def run(vendor_dir: Path, memory_file: Path):
    """``run("xliff", "export", ...)`` against the copied project -> click Result."""
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, ["--project", str(vendor_dir), *args])

    return invoke


class _LocalSchemas(etree.Resolver):
    """Serve the W3C xml.xsd that XLIFF 1.2 imports by URL from the shipped copy."""

    def resolve(self, url, pubid, context):  # noqa: ANN001 - lxml's signature
        if url and url.endswith("xml.xsd") and url.startswith("http"):
            return self.resolve_filename(str(SCHEMAS / "xml.xsd"), context)
        return None


def _schema(path: Path) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_LocalSchemas())
    return etree.XMLSchema(etree.parse(str(path), parser))


_WITH_MODULES = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="urn:oasis:names:tc:xliff:document:2.0"
      schemaLocation="{(SCHEMAS / "xliff_core_2.0.xsd").as_uri()}"/>
  <xs:import namespace="urn:oasis:names:tc:xliff:matches:2.0"
      schemaLocation="{(SCHEMAS / "matches.xsd").as_uri()}"/>
  <xs:import namespace="urn:oasis:names:tc:xliff:sizerestriction:2.0"
      schemaLocation="{(SCHEMAS / "size_restriction.xsd").as_uri()}"/>
</xs:schema>"""


@pytest.fixture(scope="session")
def xliff_schemas() -> dict[str, etree.XMLSchema]:
    """The official schemas: XLIFF 1.2 strict, XLIFF 2 core, XLIFF 2 core + modules used."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    modules = etree.XMLSchema(etree.fromstring(_WITH_MODULES.encode(), parser))
    return {
        "1.2": _schema(SCHEMAS / "xliff-core-1.2-strict.xsd"),
        "2.1": _schema(SCHEMAS / "xliff_core_2.0.xsd"),
        "2.1+modules": modules,
    }


@pytest.fixture(scope="session")
def tmx_dtd() -> etree.DTD:
    return etree.DTD(str(SCHEMAS / "tmx14.dtd"))


def po_path(project: Path, locale: str) -> Path:
    return project / "locales" / locale / "LC_MESSAGES" / "messages.po"
