"""A Flask app keeps pybabel's POT of its Python code and templates at the path extract writes
(Flask-Security: ``flask_security/translations/flask_security.pot``, 257 messages). Extract
replaced it with the templates' 106 messages, exit 0, and the next update made the other 151
obsolete in every catalog (QA pass 15). Now extract refuses to drop messages of files it does
not read, ``pot_file`` gives the toolkit a POT of its own, and an update from a templates-only
POT refuses to make the app's translated messages obsolete."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from typer.testing import CliRunner

from toolkit.catalogs import read_catalog
from toolkit.cli import app


def write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog)


def app_project(tmp_path: Path, settings: str = "") -> Path:
    root = tmp_path / "shop"
    (root / "templates").mkdir(parents=True)
    (root / "templates" / "login.html").write_text('{{ _("Sign in") }}\n', "utf-8")
    (root / "toolkit.toml").write_text('locales = ["da"]\n' + settings, "utf-8")
    pot = Catalog(domain="messages")  # what 'pybabel extract -F babel.cfg .' wrote
    pot.add("Sign in", locations=[("templates/login.html", 1)])
    pot.add("Invalid password", locations=[("shop/forms.py", 40)])
    write(root / "locales" / "messages.pot", pot)
    da = Catalog(locale="da")
    da.add("Sign in", "Log ind", locations=[("templates/login.html", 1)])
    da.add("Invalid password", "Forkert adgangskode", locations=[("shop/forms.py", 40)])
    write(root / "locales" / "da" / "LC_MESSAGES" / "messages.po", da)
    return root


def run(root: Path, *args: str):
    return CliRunner().invoke(app, ["--project", str(root), *args])


def test_extract_refuses_to_drop_the_apps_messages(tmp_path):
    root = app_project(tmp_path)
    pot = root / "locales" / "messages.pot"
    before = pot.read_bytes()
    result = run(root, "extract")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "Error: locales/messages.pot has 1 messages from files extract does not read "
        "(shop/forms.py:40, ...)")  # fmt: skip
    assert "pot_file" in result.stderr and pot.read_bytes() == before


def test_pot_file_gives_the_toolkit_its_own_template(tmp_path):
    root = app_project(tmp_path, 'pot_file = "locales/templates.pot"\n')
    before = (root / "locales" / "messages.pot").read_bytes()
    result = run(root, "extract")
    assert result.exit_code == 0, result.stderr
    assert "locales/templates.pot (1 message from 1 file)" in result.stdout
    assert [m.id for m in read_catalog(root / "locales" / "templates.pot") if m.id] == ["Sign in"]
    assert (root / "locales" / "messages.pot").read_bytes() == before
    # An update from it alone would make the app's translation obsolete: refused.
    po = root / "locales" / "da" / "LC_MESSAGES" / "messages.po"
    kept = po.read_bytes()
    refused = run(root, "update")
    assert refused.exit_code == 2 and "(shop/forms.py:40, ...)" in refused.stderr
    assert po.read_bytes() == kept
    # With the app's POT (it has both), the update goes through and keeps it.
    merged = run(root, "update", "--pot", str(root / "locales" / "messages.pot"))
    assert merged.exit_code == 0, merged.stderr
    assert read_catalog(po).get("Invalid password").string == "Forkert adgangskode"


def test_pot_file_must_be_a_pot_inside_the_project(tmp_path):
    for value in ("../elsewhere.pot", "locales/messages.po", "locales"):
        root = app_project(tmp_path / value.replace("/", "_"), f'pot_file = "{value}"\n')
        result = run(root, "extract")
        assert result.exit_code == 2, value
        assert "'pot_file' must be a .pot file inside the project" in result.stderr


def test_a_catalog_without_references_is_guarded_too(tmp_path):
    """Weblate writes catalogs without '#:' lines (noggin's fr_FR, de, ko): nothing tied the
    app's entries to its Python code, and a plain update from the templates' POT made them
    obsolete with exit 0 (QA pass 16). Without references, a translated entry the POT lacks
    stops the update; naming the POT with --pot goes through."""
    root = app_project(tmp_path, 'pot_file = "locales/templates.pot"\n')
    po = root / "locales" / "da" / "LC_MESSAGES" / "messages.po"
    da = Catalog(locale="da")
    da.add("Sign in", "Log ind")
    da.add("Invalid password", "Forkert adgangskode")
    write(po, da)
    assert run(root, "extract").exit_code == 0
    kept = po.read_bytes()
    refused = run(root, "update")
    assert refused.exit_code == 2
    assert "1 translated entries obsolete in 1 catalog" in refused.stderr
    assert "('Invalid password', ...)" in refused.stderr and po.read_bytes() == kept
    named = run(root, "update", "--pot", str(root / "locales" / "templates.pot"))
    assert named.exit_code == 0, named.stderr
    assert read_catalog(po).get("Invalid password") is None  # obsolete, as asked


def test_a_reworded_string_carried_by_fuzzy_matching_is_not_lost(tmp_path):
    """In a catalog without references, rewording a template string made the update refuse
    "would make 1 translated entries obsolete", although fuzzy matching carries the
    translation over to the new msgid (QA pass 17)."""
    root = tmp_path / "shop"
    (root / "templates").mkdir(parents=True)
    template = root / "templates" / "mail.j2"
    template.write_text('{{ _("We miss you, come back soon") }}\n', "utf-8")
    (root / "toolkit.toml").write_text('locales = ["da"]\n', "utf-8")
    assert run(root, "extract").exit_code == 0
    da = Catalog(locale="da")
    da.add("We miss you, come back soon", "Vi savner dig, kom snart tilbage")
    write(root / "locales" / "da" / "LC_MESSAGES" / "messages.po", da)  # no #: lines
    template.write_text('{{ _("We miss you, come back soon!") }}\n', "utf-8")
    assert run(root, "extract").exit_code == 0
    result = run(root, "update")
    assert result.exit_code == 0, result.stderr
    entry = read_catalog(root / "locales" / "da" / "LC_MESSAGES" / "messages.po").get(
        "We miss you, come back soon!")
    assert entry.fuzzy and entry.string == "Vi savner dig, kom snart tilbage"


def test_extract_refuses_to_drop_messages_of_a_pot_without_locations(tmp_path):
    """ihatemoney's pybabel POT is written without locations (--no-location): extract took
    its 95 Python-code messages for nobody's and replaced the POT with the templates' 199
    (found trying the real project, session 17). A POT without any location may hold
    anyone's messages."""
    root = app_project(tmp_path)
    pot = root / "locales" / "messages.pot"
    catalog = read_catalog(pot)
    for message in catalog:
        message.locations = []
    write(pot, catalog)
    before = pot.read_bytes()
    result = run(root, "extract")
    assert result.exit_code == 2
    assert "has 1 messages from files extract does not read (no location: 'Invalid password'" \
        in result.stderr  # fmt: skip
    assert pot.read_bytes() == before
    # A POT of the toolkit's own (every message located) is replaced as before.
    own = app_project(tmp_path / "own", 'pot_file = "locales/templates.pot"\n')
    assert run(own, "extract").exit_code == 0
    (own / "templates" / "login.html").write_text('{{ _("Log in") }}\n', "utf-8")
    assert run(own, "extract").exit_code == 0


def test_a_location_without_a_line_number_is_named_without_one(tmp_path):
    """pybabel writes '#: searx/searxng.msg' for a file without lines; the refusals named it
    'searx/searxng.msg:None' (QA pass 59, SearXNG)."""
    root = app_project(tmp_path)
    for path in (root / "locales" / "messages.pot", root / "locales/da/LC_MESSAGES/messages.po"):
        path.write_text(path.read_text("utf-8").replace("#: shop/forms.py:40", "#: shop/forms.msg"),
                        "utf-8")  # fmt: skip
    refused = run(root, "extract")
    assert refused.exit_code == 2 and "(shop/forms.msg, ...)" in refused.stderr
    assert ":None" not in refused.stderr
    own = app_project(tmp_path / "own", 'pot_file = "locales/templates.pot"\n')
    po = own / "locales/da/LC_MESSAGES/messages.po"
    po.write_text(po.read_text("utf-8").replace("#: shop/forms.py:40", "#: shop/forms.msg"),
                  "utf-8")  # fmt: skip
    assert run(own, "extract").exit_code == 0
    update = run(own, "update")
    assert update.exit_code == 2 and "(shop/forms.msg, ...)" in update.stderr
