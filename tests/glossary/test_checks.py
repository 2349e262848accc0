"""``toolkit check`` glossary checks on human translations in da, nb and lt catalogs."""

from __future__ import annotations

import json
from pathlib import Path

from toolkit.checks import available_checks, check_catalogs
from toolkit.config import ProjectConfig

GLOSSARY_CHECKS = ["glossary-dnt", "glossary-forbidden", "glossary-required"]


def msgid_line(project: Path, locale: str, msgid: str) -> int:
    lines = (project / f"locales/{locale}/LC_MESSAGES/messages.po").read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith(f'msgid "{msgid}'))


def test_checks_are_registered_with_severities() -> None:
    checks = {c.id: c.severity for c in available_checks()}
    assert {k: checks[k] for k in GLOSSARY_CHECKS} == {
        "glossary-dnt": "error",
        "glossary-forbidden": "error",
        "glossary-required": "warning",
    }


def test_findings_in_all_locales(gproject: ProjectConfig, gproject_dir: Path) -> None:
    report = check_catalogs(gproject, select=GLOSSARY_CHECKS)
    found = {(f.locale, f.check, f.msgid, f.severity, f.line, f.message) for f in report.findings}
    da = gproject_dir / "locales/da/LC_MESSAGES/messages.po"
    expected = {
        (
            "da",
            "glossary-forbidden",
            "Use your discount code at checkout.",
            "error",
            msgid_line(gproject_dir, "da", "Use your discount code"),
            "msgstr: 'kupon' is forbidden; use 'rabatkode' (glossaries/da.csv:7).",
        ),
        (
            "da",
            "glossary-dnt",
            "Join Nordlys Plus today.",
            "error",
            msgid_line(gproject_dir, "da", "Join Nordlys Plus"),
            "msgstr: 'Nordlys Plus' must stay as written (do not translate), but the "
            "translation lacks it (glossaries/_global.csv:3).",
        ),
        (
            "da",
            "glossary-forbidden",
            "Your coupon is ready.",
            "warning",  # fuzzy: compile leaves it out
            msgid_line(gproject_dir, "da", "Your coupon is ready"),
            "msgstr: 'kupon' is forbidden; use 'rabatkode' (glossaries/da.csv:7). (fuzzy entry: "
            "compile leaves it out until it is reviewed)",
        ),
        (
            "da",
            "glossary-forbidden",
            "You have %(num)d loyalty point",
            "error",
            msgid_line(gproject_dir, "da", "You have %(num)d loyalty point"),
            "msgstr[1]: 'point' is forbidden; use 'bonuspoint' (glossaries/da.csv:4).",
        ),
        (
            "nb",
            "glossary-forbidden",
            "Your order is on its way.",
            "error",
            msgid_line(gproject_dir, "nb", "Your order"),
            "msgstr: 'Ordren' is forbidden; use 'bestilling' (glossaries/nb.csv:7).",
        ),
        (
            "nb",
            "glossary-dnt",
            "Reply STOP to unsubscribe.",
            "error",
            msgid_line(gproject_dir, "nb", "Reply STOP to unsubscribe"),
            "msgstr: 'STOP' must stay as written (do not translate), but the translation "
            "lacks it (glossaries/_global.csv:6).",
        ),
        (
            "lt",
            "glossary-forbidden",
            "Your receipt is attached.",
            "error",
            msgid_line(gproject_dir, "lt", "Your receipt"),
            "msgstr: 'čekis' is forbidden; use 'kvitas' (glossaries/lt.csv:4).",
        ),
        (
            "lt",
            "glossary-required",
            "Log in to your account.",
            "warning",
            msgid_line(gproject_dir, "lt", "Log in"),
            "msgstr: 'account' must be translated as 'paskyra' or one of its 8 listed forms "
            "(glossaries/lt.csv:5).",
        ),
    }
    assert found == expected
    assert all(f.path == da for f in report.findings if f.locale == "da")
    # Passing entries: inflected Lithuanian forms, brands among placeholders, capitals,
    # "appointment"/"pointen", compounds, the suppressed entry, the untranslated one.


def test_json_report_for_ci(gcli) -> None:
    result = gcli("check", "--format", "json", "--select", ",".join(GLOSSARY_CHECKS))
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["summary"]["by_check"] == {
        "glossary-dnt": 2,
        "glossary-forbidden": 5,
        "glossary-required": 1,
    }
    finding = next(f for f in data["findings"] if f["msgid"] == "Your receipt is attached.")
    assert finding["path"] == "locales/lt/LC_MESSAGES/messages.po"
    assert finding["locale"] == "lt"
    assert "glossaries/lt.csv:4" in finding["message"]


def test_without_glossary_files_nothing_is_reported(gproject: ProjectConfig) -> None:
    for path in gproject.glossaries_path.iterdir():
        path.unlink()
    assert check_catalogs(gproject, select=GLOSSARY_CHECKS).findings == ()


def test_dnt_terms_feed_the_identical_check(gproject: ProjectConfig, gproject_dir: Path) -> None:
    po = gproject_dir / "locales/nb/LC_MESSAGES/messages.po"
    po.write_text(
        po.read_text("utf-8")
        + '\nmsgid "Nordlys Plus MobilePay"\nmsgstr "Nordlys Plus MobilePay"\n',
        "utf-8",
    )
    report = check_catalogs(gproject, ["nb"], select=["identical"])
    assert report.findings == ()
    (gproject.glossaries_path / "_global.csv").unlink()
    report = check_catalogs(gproject, ["nb"], select=["identical"])
    assert [f.msgid for f in report.findings] == ["Nordlys Plus MobilePay"]
