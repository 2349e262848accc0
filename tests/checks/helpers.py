"""Writing small catalogs for check tests and validating them with GNU msgfmt."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from toolkit.checks import CheckReport, check_files, select_checks
from toolkit.locales import plural_forms_header


def header(locale: str, plural_forms: str | None = None) -> str:
    """A complete PO header (msgfmt --check-header has nothing to say about it)."""
    plural = plural_forms if plural_forms is not None else plural_forms_header(locale)
    return (
        'msgid ""\n'
        'msgstr ""\n'
        '"Project-Id-Version: checks 1.0\\n"\n'
        '"Report-Msgid-Bugs-To: qa@example.com\\n"\n'
        '"POT-Creation-Date: 2025-01-01 00:00+0000\\n"\n'
        '"PO-Revision-Date: 2025-01-02 00:00+0000\\n"\n'
        '"Last-Translator: QA <qa@example.com>\\n"\n'
        f'"Language-Team: {locale} <qa@example.com>\\n"\n'
        f'"Language: {locale}\\n"\n'
        '"MIME-Version: 1.0\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Content-Transfer-Encoding: 8bit\\n"\n'
        f'"Plural-Forms: {plural}\\n"\n'
    )


def write_po(folder: Path, locale: str, *entries: str, plural_forms: str | None = None) -> Path:
    """A catalog with the given entry blocks; returns its path."""
    path = folder / locale / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([header(locale, plural_forms), *entries]) + "\n", "utf-8")
    return path


def run(path: Path, locale: str, *ids: str, use_fuzzy: bool = False) -> CheckReport:
    """Run the given checks (default: all) on one catalog."""
    checks = select_checks(list(ids)) if ids else None
    return check_files([(locale, path)], checks, use_fuzzy=use_fuzzy)


def msgfmt_accepts(path: Path) -> bool:
    """Whether GNU msgfmt --check accepts the catalog."""
    assert shutil.which("msgfmt"), "GNU gettext (msgfmt) must be installed: apt-get install gettext"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )
    return result.returncode == 0 and "warning" not in result.stderr
