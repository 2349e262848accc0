"""The collector is paused while update, extract and check build their objects, and always
comes back as it was, also when the stage fails."""

from __future__ import annotations

import gc

import pytest

from toolkit.catalogs import update_catalogs
from toolkit.errors import ToolkitError
from toolkit.extract import extract_messages
from toolkit.gcpause import gc_paused


def test_gc_paused_restores_the_state_it_found():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # it was off: it stays off
    finally:
        gc.enable()


def test_update_and_extract_leave_the_collector_on_also_after_an_error(project):
    extract_messages(project)
    update_catalogs(project)
    assert gc.isenabled()
    po = project.po_path("lt")
    po.write_text(po.read_text("utf-8") + '\nmsgid "broken\n', "utf-8")
    with pytest.raises(ToolkitError):
        update_catalogs(project)
    assert gc.isenabled()
    (project.templates_path / "bad.j2").write_text("{% if %}", "utf-8")
    with pytest.raises(ToolkitError):
        extract_messages(project)
    assert gc.isenabled()
