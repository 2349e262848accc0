"""``toolkit translate`` with the project glossary, end to end through a real (tiny) Argos
package: dnt masking, forbidden-word replacement, flagged problems, glossary comments.

The CLI runs in a subprocess so argostranslate's import-time settings stay out of this test
session (tests/mt owns them).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.argos_package import build_package

DICTIONARY = {
    "You": "Du",
    "have": "har",
    "points": "point",
    "at": "hos",
    "Nordlys": "Nordlyset",
    "Use": "Brug",
    "your": "din",
    "Your": "Din",
    "coupon": "kupon",
    "receipt": "bon",
    "is": "er",
    "ready": "klar",
}

PO = """\
msgid ""
msgstr ""
"Project-Id-Version: glossary-mt 1.0\\n"
"Language: da\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#, python-format
msgid "You have %(count)s points at Nordlys."
msgstr ""

msgid "Use your coupon."
msgstr ""

msgid "Your receipt is ready."
msgstr ""

# A human translation: never touched.
msgid "Your coupon is ready."
msgstr "Din kupon er klar."
"""


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_package(tmp_path_factory.mktemp("glossary-package"), DICTIONARY)


def toolkit(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        env[name] = str(home / name.lower())
    env.update(
        ARGOS_PACKAGES_DIR=str(home / "argos-packages"),
        ARGOS_PACKAGE_INDEX="http://127.0.0.1:9/",
        TOOLKIT_MODELS_DIR=str(home / "models"),
        TOOLKIT_MEMORY=str(home / "memory.sqlite"),
    )
    return subprocess.run(
        [sys.executable, "-c", "from toolkit.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_translate_enforces_the_glossary(package: Path, gproject_dir: Path, tmp_path: Path):
    po_path = gproject_dir / "locales/da/LC_MESSAGES/messages.po"
    po_path.write_text(PO, "utf-8")
    home = tmp_path / "home"
    installed = toolkit(home, "models", "install", str(package))
    assert installed.returncode == 0, installed.stderr
    result = toolkit(home, "--project", str(gproject_dir), "translate", "--locale", "da")
    assert result.returncode == 0, result.stderr
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale="da")

    points = catalog.get("You have %(count)s points at Nordlys.")
    # "Nordlys" was masked (the model would say "Nordlyset"); bare "point" was replaced.
    assert points.string == "Du har %(count)s bonuspoint hos Nordlys."
    assert points.fuzzy
    assert points.user_comments == [
        "glossary: point -> bonuspoint (required; not point)",
        "glossary: Nordlys (do not translate)",
        "mt: argos en->da 1.0 score=0.00",
    ]

    coupon = catalog.get("Use your coupon.")
    assert coupon.string == "Brug din rabatkode."
    assert coupon.user_comments[0] == "glossary: coupon -> rabatkode (required; not kupon)"

    receipt = catalog.get("Your receipt is ready.")
    assert receipt.string == "Din bon er klar."  # kept, but flagged for a human
    assert receipt.fuzzy
    problem = "'receipt' needs 'kvittering' (da.csv:8)"
    assert receipt.user_comments == [
        "glossary: receipt -> kvittering (required)",
        "mt: argos en->da 1.0 score=0.00",
        f"mt: glossary: {problem}",
    ]
    assert f"'Your receipt is ready.': {problem}" in result.stderr

    human = catalog.get("Your coupon is ready.")
    assert (human.string, human.fuzzy) == ("Din kupon er klar.", False)
    assert subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po_path)]).returncode == 0

    # A second run (--include-fuzzy) rewrites the glossary comments instead of piling them up.
    again = toolkit(
        home, "--project", str(gproject_dir), "translate", "--locale", "da", "--include-fuzzy"
    )
    assert again.returncode == 0, again.stderr
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale="da")
    assert catalog.get("You have %(count)s points at Nordlys.").user_comments == (
        points.user_comments
    )
