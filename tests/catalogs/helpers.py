"""Small helpers for catalog tests: edit a PO through Babel, validate with the real clients."""

from __future__ import annotations

import pathlib
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from toolkit.catalogs import read_catalog, write_catalog


def translate(path: Path, locale: str, strings: dict[object, object], fuzzy: bool = False) -> None:
    """Set translations in a PO file (keys are msgid or (msgid, context))."""
    catalog = read_catalog(path, locale)
    for key, value in strings.items():
        msgid, context = key if isinstance(key, tuple) else (key, None)
        message = catalog.get(msgid, context)
        assert message is not None, key
        message.string = value
        if fuzzy:
            message.flags.add("fuzzy")
        else:
            message.flags.discard("fuzzy")
    write_catalog(path, catalog)


def msgfmt_check(path: Path) -> None:
    """GNU msgfmt --check accepts the file (the reference validator)."""
    assert shutil.which("msgfmt"), "GNU gettext (msgfmt) must be installed: apt-get install gettext"
    subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True, capture_output=True
    )


def load(path: Path, locale: str) -> Catalog:
    return read_catalog(path, locale)


def count_po_reads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """From now on, count whole reads of ``.po`` files by locale folder: the toolkit's
    (``toolkit.fsutil.read_regular_file``, which refuses FIFOs) and ``Path.read_bytes`` /
    ``read_text``."""
    import toolkit.fsutil as fsutil

    reads: Counter[str] = Counter()

    def counted(real):
        def read(self, *args, **kwargs):
            if Path(self).suffix == ".po":
                reads[Path(self).parent.parent.name] += 1
            return real(self, *args, **kwargs)

        return read

    for name in ("read_bytes", "read_text"):
        monkeypatch.setattr(pathlib.Path, name, counted(getattr(pathlib.Path, name)))
    monkeypatch.setattr(fsutil, "read_regular_file", counted(fsutil.read_regular_file))
    return reads


def catalogs_behind_a_new_string(project) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    """Extract and update the project, then add a template string and extract again, so the
    next ``update`` changes every catalog; returns each locale's catalog bytes before it."""
    from toolkit.catalogs import update_catalogs
    from toolkit.extract import extract_messages

    extract_messages(project)
    update_catalogs(project)
    (project.templates_path / "email" / "new.j2").write_text(
        '{% block subject %}{{ _("A new subject") }}{% endblock %}', "utf-8"
    )
    extract_messages(project)
    return {loc: project.po_path(loc).read_bytes() for loc in project.locales}
