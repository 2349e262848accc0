"""Issue 18: translate never loses work saved while it ran; catalogs are locked."""

from __future__ import annotations

import threading
import time

import pytest
from babel.messages.catalog import Message

from toolkit.catalogs import catalog_lock, edit_catalog, read_catalog, write_catalog
from toolkit.config import load_config
from toolkit.errors import CatalogError
from toolkit.mt.argos import ArgosEngine
from toolkit.mt.models import list_models
from toolkit.mt.translate import translate_catalog

DA = "locales/da/LC_MESSAGES/messages.po"


def _engine_that_lets_a_reviewer_save(model, po, edit):
    class ReviewerSavesMeanwhile(ArgosEngine):
        def translate(self, segments):
            edit_catalog(po, "da", edit)  # a review save while MT runs
            yield from super().translate(segments)

    return ReviewerSavesMeanwhile([model])


def test_translate_keeps_a_review_saved_during_the_run(installed, mt_project, mt_env):
    config = load_config(mt_project)
    model = next(m for m in list_models(mt_env["models"]) if m.to_code == "da")
    po = mt_project / DA

    def reviewer(catalog):
        catalog["Welcome back!"].string = "Velkommen tilbage, kære kunde!"
        catalog.add("Added by update meanwhile", "")

    result = translate_catalog(
        config, "da", engine=_engine_that_lets_a_reviewer_save(model, po, reviewer)
    )
    after = read_catalog(po, "da")
    assert after["Welcome back!"].string == "Velkommen tilbage, kære kunde!"
    assert "fuzzy" not in after["Welcome back!"].flags
    assert after.get("Added by update meanwhile") is not None
    assert after["Hi {name}, your order is ready."].string  # its own work is kept too
    assert result.superseded == 1
    assert "Welcome back!" not in {c.msgid for c in result.changes}


def test_translate_waits_for_the_lock(installed, mt_project, mt_env):
    config = load_config(mt_project)
    model = next(m for m in list_models(mt_env["models"]) if m.to_code == "da")
    po = mt_project / DA
    released = threading.Event()

    def holder():
        with catalog_lock(po):
            time.sleep(0.5)
            catalog = read_catalog(po, "da")
            catalog["Good morning"].string = "God morgen"
            write_catalog(po, catalog)
            released.set()

    thread = threading.Thread(target=holder)
    thread.start()
    time.sleep(0.1)
    translate_catalog(config, "da", engine=ArgosEngine([model]))
    thread.join()
    assert released.is_set()
    assert read_catalog(po, "da")["Good morning"].string == "God morgen"


def test_lock_times_out_with_a_clear_error(mt_project):
    po = mt_project / DA
    with catalog_lock(po):
        result: list[BaseException] = []

        def second():
            try:
                with catalog_lock(po, timeout=0.2):
                    pass
            except CatalogError as exc:
                result.append(exc)

        thread = threading.Thread(target=second)
        thread.start()
        thread.join()
    assert result and "another toolkit command" in str(result[0])


def test_edit_catalog_is_the_api_for_other_writers(mt_project):
    po = mt_project / DA
    _, written = edit_catalog(po, "da", lambda c: c.add("New", "Ny"))
    assert written
    assert read_catalog(po, "da")["New"].string == "Ny"
    _, again = edit_catalog(po, "da", lambda c: None)
    assert not again


@pytest.mark.parametrize("command", [("update",), ("translate", "--locale", "da")])
def test_read_only_catalog_is_refused_not_replaced(installed, mt_project, run, command):
    po = mt_project / DA
    if command[0] == "update":
        pot = mt_project / "locales" / "messages.pot"
        catalog = read_catalog(po, "da")
        catalog[Message("Brand new source").id] = Message("Brand new source")
        template = read_catalog(po, "da")
        template.add("Brand new source")
        write_catalog(pot, template)
    before = po.read_bytes()
    po.chmod(0o444)
    result = run(mt_project, *command)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "read-only" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert po.read_bytes() == before
    assert po.stat().st_mode & 0o777 == 0o444
