"""Small helpers for catalog tests: edit a PO through Babel, validate with the real clients."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

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
