"""``toolkit check`` imports only what its work needs (issue 13: start-up is most of a small run).

Measured in a fresh interpreter: the command runs on a small project whose catalogs have the
plain header every tool writes and no Jinja2 markup, its report goes to a pipe.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .helpers import write_po

#: Modules a check run like this must not import, with why they would be there.
NOT_NEEDED = {
    "jinja2": "only the jinja-syntax check parses templates, and only for markup",
    "rich": "only a terminal gets colors",
    "multiprocessing": "small projects are checked in this process",
    "email.parser": "a plain catalog header is read without Babel's e-mail parser",
    "_strptime": "header dates of the plain shape are checked without strptime",
    "toolkit.glossary.glossary": "a project without glossary files has no glossary to load",
    "toolkit.glossary.model": "a project without glossary files has no terms",
}

SCRIPT = """
import json, sys
from toolkit.cli import main
try:
    main()
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def test_check_imports_only_what_it_needs(tmp_path: Path):
    locales = tmp_path / "locales"
    for locale in ("da", "lt"):
        write_po(
            locales,
            locale,
            '#: templates/email/welcome.j2:3\n#, python-format\n'
            'msgid "Hi %(name)s, see <b>https://shop.example.dk/a</b>"\n'
            'msgstr "Hej %(name)s, se <b>https://shop.example.dk/a</b>"\n',
            'msgid "Day"\nmsgid_plural "Days"\n'
            + "".join(f'msgstr[{n}] "Dag {n}"\n' for n in range(3 if locale == "lt" else 2)),
        )
        folder = locales / locale / "LC_MESSAGES"
        folder.mkdir()
        (locales / locale / "messages.po").rename(folder / "messages.po")
    (tmp_path / "toolkit.toml").write_text('locales = ["da", "lt"]\n', "utf-8")
    colors = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")
    env = {k: v for k, v in os.environ.items() if k not in colors}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, "--project", str(tmp_path), "check"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    result = json.loads(done.stderr.strip().splitlines()[-1])
    assert result["code"] in (None, 0), done.stdout + done.stderr
    assert "2 catalogs (4 entries)" in done.stdout
    imported = {name: why for name, why in NOT_NEEDED.items() if name in result["modules"]}
    assert imported == {}
