"""The results of ``toolkit check``: findings, catalog summaries, the report.

Kept apart from the checks' machinery so that a report can be built (from cached findings,
:mod:`.cache`) without importing the checks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ..config import ProjectConfig

Severity = Literal["error", "warning"]
#: Severities from least to most severe.
SEVERITIES: tuple[Severity, ...] = ("warning", "error")


@dataclass(frozen=True)
class Finding:
    """One problem in one catalog entry (or in the catalog header)."""

    check: str
    severity: Severity
    locale: str
    path: Path
    line: int | None
    msgid: str
    msgctxt: str | None
    message: str


#: Version of the JSON report schema (docs/checks.md); bumped on incompatible changes.
REPORT_VERSION = 1


@dataclass(frozen=True)
class CatalogSummary:
    """One checked catalog."""

    locale: str
    path: Path
    entries: int
    errors: int
    warnings: int

    @classmethod
    def of(cls, locale: str, path: Path, entries: int, found: Sequence[Finding]) -> CatalogSummary:
        """The summary of a catalog's ``found`` findings."""
        errors = sum(1 for f in found if f.severity == "error")
        return cls(locale, path, entries, errors, len(found) - errors)


@dataclass(frozen=True)
class CheckReport:
    """Findings of one ``toolkit check`` run, sorted by file, line and check."""

    findings: tuple[Finding, ...]
    catalogs: tuple[CatalogSummary, ...]
    checks: tuple[str, ...]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    def failed(self, fail_on: Severity = "error") -> bool:
        """True when a finding is at or above ``fail_on``."""
        floor = SEVERITIES.index(fail_on)
        return any(SEVERITIES.index(f.severity) >= floor for f in self.findings)

    def as_dict(self, relative: ProjectConfig | None = None) -> dict[str, object]:
        """The JSON report (schema version :data:`REPORT_VERSION`, see docs/checks.md)."""

        names: dict[Path, str] = {}  # one path resolution per catalog, not per finding

        def shown(path: Path) -> str:
            if path not in names:
                names[path] = relative.relative(path) if relative is not None else str(path)
            return names[path]

        return {
            "version": REPORT_VERSION,
            "checks": list(self.checks),
            "catalogs": [
                {
                    "locale": c.locale,
                    "path": shown(c.path),
                    "entries": c.entries,
                    "errors": c.errors,
                    "warnings": c.warnings,
                }
                for c in self.catalogs
            ],
            "findings": [
                {
                    "check": f.check,
                    "severity": f.severity,
                    "locale": f.locale,
                    "path": shown(f.path),
                    "line": f.line,
                    "msgctxt": f.msgctxt,
                    "msgid": f.msgid,
                    "message": f.message,
                }
                for f in self.findings
            ],
            "summary": {
                "catalogs": len(self.catalogs),
                "entries": sum(c.entries for c in self.catalogs),
                "errors": self.errors,
                "warnings": self.warnings,
                "by_check": dict(sorted(Counter(f.check for f in self.findings).items())),
            },
        }
