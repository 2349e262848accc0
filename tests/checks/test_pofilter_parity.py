"""Every placeholder, tag, URL and e-mail error translate-toolkit's pofilter finds, we find too.

The catalogs hold correct translations and translations damaged in the ways MT and hurried
editing damage them; pofilter runs on the same files as a subprocess.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from toolkit.checks import check_files

from .helpers import write_po

POFILTER_TESTS = ("variables", "printf", "pythonbraceformat", "xmltags", "urls", "emails")
OUR_CHECKS = {"placeholders", "html-tags", "urls", "jinja-syntax"}
#: Found, as warnings: formatting pairs swapped, added or dropped, the markup still nested
#: (``<strong>`` -> ``<b>``), which pofilter's xmltags reports too.
OUR_WARNINGS = {"html-formatting"}

# (flags, msgid, good translation, damaged translations...)
SOURCES: list[tuple[str, str, str, list[str]]] = [
    ("python-format", "Hi %(name)s,", "Hej %(name)s,", ["Hej %(navn)s,", "Hej,", "Hej %(name),"]),
    (
        "python-format",
        "You have %(count)d points.",
        "Du har %(count)d point.",
        ["Du har %(count)s point.", "Du har point.", "Du har %(count)d %(count)d point."],
    ),
    ("python-format", "%s of %s", "%s af %s", ["%s af", "%s af %d", "af"]),
    ("python-format", "Save 20%% now", "Spar 20%% nu", ["Spar 20% nu", "Spar 20 % nu"]),
    (
        "python-brace-format",
        "Redeem at {url} by {date}.",
        "Indløs på {url} senest {date}.",
        ["Indløs på {link} senest {date}.", "Indløs senest {date}.", "Indløs på {url} {dato}."],
    ),
    ("python-brace-format", "{0} of {1}", "{0} af {1}", ["{0} af {2}", "{0} af", "{1} af {1}"]),
    (
        "",
        'Visit <a href="https://example.com/rewards">your rewards</a>.',
        'Besøg <a href="https://example.com/rewards">dine bonusser</a>.',
        [
            "Besøg dine bonusser.",
            'Besøg <a href="https://example.com/rewards">dine bonusser.',
            'Besøg <a href="https://example.dk/bonus">dine bonusser</a>.',
            'Besøg <a href="https://example.com/rewards" class="x">dine bonusser</a>.',
            "Besøg <b>dine bonusser</b>.",
        ],
    ),
    (
        "",
        "<p><strong>Free</strong> shipping</p>",
        "<p><strong>Gratis</strong> fragt</p>",
        [
            "<p><b>Gratis</b> fragt</p>",
            "<p><strong>Gratis fragt</p>",
            "<strong>Gratis</strong> fragt",
        ],
    ),
    (
        "",
        "Questions? Write to help@nordlys.dk or see https://nordlys.dk/faq",
        "Spørgsmål? Skriv til help@nordlys.dk eller se https://nordlys.dk/faq",
        [
            "Spørgsmål? Skriv til hjaelp@nordlys.dk eller se https://nordlys.dk/faq",
            "Spørgsmål? Skriv til help@nordlys.dk eller se https://nordlys.dk/da/faq",
            "Spørgsmål? Skriv til os.",
        ],
    ),
    (
        "",
        "See [your account](https://example.com/account) for your balance.",
        "Se [din konto](https://example.com/account) for din saldo.",
        ["Se [din konto](https://example.com/konto) for din saldo.", "Se din konto for din saldo."],
    ),
    (
        "",
        "Hi {{ name }}, welcome!",
        "Hej {{ name }}, velkommen!",
        ["Hej {{ navn }}, velkommen!", "Hej, velkommen!"],
    ),
    ("", "Plain text, nothing to keep.", "Almindelig tekst.", ["Almindelig tekst med <b>fed</b>."]),
]


def _entries() -> list[str]:
    blocks = []
    for number, (flags, msgid, good, bad) in enumerate(SOURCES):
        for variant, translation in enumerate([good, *bad]):
            lines = [f"#, {flags}"] if flags else []
            lines += [
                f'msgctxt "case {number}.{variant}"',
                f"msgid {_quote(msgid)}",
                f"msgstr {_quote(translation)}",
            ]
            blocks.append("\n".join(lines))
    blocks.append(
        "#, python-format\n"
        'msgid "%(num)d day left"\nmsgid_plural "%(num)d days left"\n'
        'msgstr[0] "%(num)d dag tilbage"\nmsgstr[1] "%(num)d dage tilbage"'
    )
    blocks.append(
        "#, python-format\n"
        'msgctxt "bad plural"\n'
        'msgid "%(num)d day left"\nmsgid_plural "%(num)d days left"\n'
        'msgstr[0] "%(num)d dag tilbage"\nmsgstr[1] "dage tilbage"'
    )
    return blocks


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\r", "\\r") + '"'


def _pofilter() -> str:
    found = shutil.which("pofilter", path=str(Path(sys.executable).parent)) or shutil.which(
        "pofilter"
    )
    assert found, "translate-toolkit (pofilter) is a dev dependency: pip install -e '.[dev]'"
    return found


def pofilter_findings(path: Path, output: Path) -> dict[tuple[str | None, str], list[str]]:
    """``{(msgctxt, msgid): [pofilter notes]}`` for the chosen pofilter tests."""
    command = [_pofilter(), "--progress=none"]
    for test in POFILTER_TESTS:
        command += ["-t", test]
    subprocess.run([*command, str(path), str(output)], check=True, capture_output=True)
    found: dict[tuple[str | None, str], list[str]] = {}
    for entry in polib.pofile(str(output)):
        notes = [n for n in entry.tcomment.splitlines() if n.startswith("(pofilter)")]
        if notes:
            found[(entry.msgctxt, entry.msgid)] = notes
    return found


@pytest.mark.parametrize("locale", ["da", "lt"])
def test_we_find_every_error_pofilter_finds(tmp_path, locale):
    path = write_po(tmp_path, locale, *_entries())
    theirs = pofilter_findings(path, tmp_path / "pofilter.po")
    report = check_files([(locale, path)])
    ours: dict[tuple[str | None, str], list[str]] = {}
    for finding in report.findings:
        if (finding.check in OUR_CHECKS and finding.severity == "error") or (
            finding.check in OUR_WARNINGS
        ):
            ours.setdefault((finding.msgctxt, finding.msgid), []).append(finding.check)
    assert len(theirs) >= 20  # pofilter does see the damage
    missed = {key: notes for key, notes in theirs.items() if key not in ours}
    assert not missed, missed
    # and the good translations pass both
    for key in ours:
        assert not (key[0] or "").endswith(".0"), (key, ours[key])


#: (msgid, good translation, damaged translations...) for pofilter's newlines and escapes:
#: line breaks added, lost or doubled, a carriage return, a backslash typed for \n, and Trac's
#: French "... Python \"\n\"ou un « egg »" (Trac, BSD licence; QA pass 31).
LINE_SOURCES: list[tuple[str, str, list[str]]] = [
    (
        "Uploaded file is not a Python source file or egg",
        "Le fichier envoyé n'est pas un fichier source Python ou un « egg »",
        ['Le fichier émis n\'est pas un fichier source Python "\n"ou un « egg » (paquet)'],
    ),
    (
        "Name:\nE-mail:\n",
        "Navn:\nE-mail:\n",
        ["Navn: E-mail:\n", "Navn:\n\nE-mail:\n", "Navn:\r\nE-mail:\n", "Navn:\nE-mail:"],
    ),
    ("\nTotal: 3", "\nI alt: 3", ["I alt: 3", "\nI alt:\n3"]),
    (
        "This information is used to automatically populate some forms\n on this site.",
        "Denne informasjonen benyttes til å fylle\n inn noen skjema.",
        ["Denne informasjonen benyttes til å fylle\\ inn noen skjema."],
    ),
]


def test_we_find_every_line_break_and_escape_pofilter_finds(tmp_path):
    blocks = []
    for number, (msgid, good, bad) in enumerate(LINE_SOURCES):
        for variant, translation in enumerate([good, *bad]):
            blocks.append(
                f'msgctxt "case {number}.{variant}"\nmsgid {_quote(msgid)}\n'
                f"msgstr {_quote(translation)}"
            )
    path = write_po(tmp_path, "da", *blocks)
    command = [_pofilter(), "--progress=none", "-t", "newlines", "-t", "escapes"]
    subprocess.run([*command, str(path), str(tmp_path / "pofilter.po")], check=True)
    theirs = {
        entry.msgctxt
        for entry in polib.pofile(str(tmp_path / "pofilter.po"))
        if "(pofilter)" in entry.tcomment
    }
    report = check_files([("da", path)])
    ours = {
        f.msgctxt for f in report.findings if f.check in {"newlines", "line-breaks", "escapes"}
    }
    assert len(theirs) == sum(len(bad) for _, _, bad in LINE_SOURCES)  # pofilter sees them
    assert theirs <= ours, sorted(theirs - ours)
    assert not any((c or "").endswith(".0") for c in ours), sorted(ours)
