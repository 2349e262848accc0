"""Every malformed catalog of a run is reported, not only the first: ``update``, ``status``,
``check`` and ``compile`` read the others on, then stop with all of them (file:line each),
exit 2, and nothing written. One catalog reads exactly as before."""

from __future__ import annotations

import pytest

from toolkit.errors import CatalogError, UnreadableCatalogs

BROKEN = {
    "da": ('msgid "x"\nmsgstr "unterminated\n', "unterminated or badly escaped string"),
    "lt": ('msgid "y"\nmsgstrx "b"\n', "unknown keyword 'msgstrx'"),
}


@pytest.fixture(params=["one core", "two cores"])
def cores(request, monkeypatch):
    """Each command in one process, or with a forked child reading about half the catalogs
    (the test project is below the sizes from which the commands fork on their own)."""
    import toolkit.catalogs.merge as merge
    import toolkit.checks.runner as runner
    import toolkit.compile as compile_module
    import toolkit.forked as forked

    least = 0 if request.param == "two cores" else 10**12
    for module in (merge, runner, compile_module):
        monkeypatch.setattr(module, "PARALLEL_MIN_BYTES", least)
    if request.param == "two cores":
        monkeypatch.setattr(forked, "cores", lambda: 2)
        monkeypatch.setattr(forked, "_may_fork", lambda: True)  # other tests' threads
    return request.param


@pytest.fixture
def broken(cli, project_dir):
    """The project with da and lt malformed (nb is fine); the bytes of every file before."""
    assert cli("extract").exit_code == 0
    assert cli("update").exit_code == 0
    assert cli("compile").exit_code == 0
    for locale, (text, _) in BROKEN.items():
        po = project_dir / f"locales/{locale}/LC_MESSAGES/messages.po"
        po.write_text(po.read_text("utf-8") + "\n" + text, "utf-8")
    return {p: p.read_bytes() for p in sorted((project_dir / "locales").rglob("*.[pm]o"))}


@pytest.mark.parametrize(
    ("command", "nothing"),
    [
        ("update", "no catalog was updated"),
        ("status", "no status shown"),
        ("check", "nothing was checked"),
        ("compile", "nothing was compiled"),
    ],
)
def test_every_malformed_catalog_is_named(cli, broken, cores, command, nothing):
    result = cli(command)
    assert result.exit_code == 2, result.output
    assert f"2 catalogs cannot be read; {nothing}:" in result.stderr
    for locale, (_, why) in BROKEN.items():
        assert f"locales/{locale}/LC_MESSAGES/messages.po:" in result.stderr
        assert why in result.stderr
    assert "locales/nb/" not in result.stderr
    assert result.stderr.count("Fix the line") == 1  # one hint for both
    assert {p: p.read_bytes() for p in broken} == broken  # nothing written


def test_one_malformed_catalog_reads_as_before(cli, broken, project_dir):
    po = project_dir / "locales/lt/LC_MESSAGES/messages.po"
    po.write_bytes(po.read_bytes().replace(b"msgstrx", b"msgstr"))
    result = cli("check")
    assert result.exit_code == 2
    assert "cannot be read" not in result.stderr
    assert "locales/da/LC_MESSAGES/messages.po:" in result.stderr
    assert "unterminated or badly escaped string" in result.stderr


def test_the_error_keeps_the_first_catalogs_place(broken, project_dir):
    from toolkit.catalogs import read_po_entries
    from toolkit.errors import Unreadable

    failures = []
    for locale in BROKEN:
        po = project_dir / f"locales/{locale}/LC_MESSAGES/messages.po"
        with pytest.raises(CatalogError) as info:
            read_po_entries(po)
        failures.append(Unreadable.of(info.value))
    error = UnreadableCatalogs(failures, nothing="nothing was checked")
    assert error.path == project_dir / "locales/da/LC_MESSAGES/messages.po"
    assert error.line == failures[0].line is not None
    alone = UnreadableCatalogs(failures[:1], nothing="nothing was checked")
    assert str(alone) == failures[0].message + ". " + (failures[0].hint or "")


def test_a_catalog_that_is_a_folder_and_malformed_ones_are_all_named(cli, broken, project_dir):
    """compile reads every catalog's bytes before parsing any: a folder where the nb catalog
    belongs is named with the malformed ones, each with its own fix."""
    nb = project_dir / "locales/nb/LC_MESSAGES/messages.po"
    nb.unlink()
    nb.mkdir()
    for command in ("compile", "check", "status"):
        result = cli(command)
        assert result.exit_code == 2, (command, result.output)
        assert "3 catalogs cannot be read" in result.stderr, command
        places = [result.stderr.find(f"locales/{loc}/LC_MESSAGES/messages.po") for loc in
                  ("da", "nb", "lt")]  # fmt: skip
        assert -1 not in places and places == sorted(places), command  # in catalog order
        # Two different fixes: each catalog's line is followed by its own.
        assert result.stderr.count("Fix the line") == 2, command


def test_a_broken_glossary_after_a_malformed_catalog_names_the_catalog(cli, broken, project_dir):
    """The first problem in catalog order is reported, as before: da's catalog is malformed,
    lt's glossary (read when lt is checked) too."""
    glossaries = project_dir / "glossaries"
    glossaries.mkdir(exist_ok=True)
    (glossaries / "lt.csv").write_text("source,target,rule\npoint,taškai,requried\n", "utf-8")
    lt = project_dir / "locales/lt/LC_MESSAGES/messages.po"
    lt.write_bytes(lt.read_bytes().replace(b"msgstrx", b"msgstr"))
    result = cli("check", "--no-cache")
    assert result.exit_code == 2
    assert "locales/da/LC_MESSAGES/messages.po:" in result.stderr
    assert "glossaries/lt.csv" not in result.stderr
