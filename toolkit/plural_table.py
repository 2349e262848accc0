"""``python -m toolkit.plural_table``: write ``toolkit/data/plural_forms.json``.

The Plural-Forms of every locale Babel knows, as :func:`toolkit.locales.computed_plural_forms`
derives them from CLDR, for the installed Babel version (the table is ignored under any other
version: see :data:`toolkit.locales.PLURAL_TABLE`). Rerun it after upgrading Babel; a test
checks that the shipped table matches the computation whenever the versions agree.
"""

from __future__ import annotations

import json
from pathlib import Path

import babel
from babel.core import get_cldr_version
from babel.localedata import locale_identifiers

from .locales import PLURAL_TABLE, computed_plural_forms


def build_table() -> dict[str, object]:
    """The table's content: distinct rules once, each locale pointing at its rule."""
    forms: list[tuple[int, str]] = []
    index: dict[tuple[int, str], int] = {}
    locales: dict[str, int] = {}
    for name in sorted(locale_identifiers()):
        rule = computed_plural_forms(name)
        locales[name] = index.setdefault(rule, len(index))
        if len(forms) < len(index):
            forms.append(rule)
    return {
        "babel": babel.__version__,
        "cldr": get_cldr_version(),
        "forms": [list(f) for f in forms],
        "locales": locales,
    }


def main() -> None:
    path = Path(__file__).parent / PLURAL_TABLE
    table = build_table()
    path.write_text(json.dumps(table, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"wrote {path} ({len(table['locales'])} locales, Babel {table['babel']})")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
