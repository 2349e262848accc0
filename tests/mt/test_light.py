"""MT on the light install: no argostranslate, no torch, and no model load when nothing is new.

Each scenario runs in a subprocess so the modules it imports can be read from ``sys.modules``;
argostranslate and torch are made unimportable there (``sys.modules[name] = None``), which is
what a ``pip install ".[mt]"`` venv without them looks like to the toolkit.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.argos_package import EN_DA, build_package
from tests.mt.conftest import DATA

DA = "locales/da/LC_MESSAGES/messages.po"

_RUNNER = """
import json, sys
for name in ("argostranslate", "torch", "stanza", "spacy"):
    sys.modules[name] = None  # an import of any of them now fails, as on a light install
from typer.testing import CliRunner
from toolkit.cli import app
from toolkit.cli import commands  # noqa: F401
outputs = []
for args in json.loads(sys.argv[1]):
    result = CliRunner().invoke(app, args)
    outputs.append({"code": result.exit_code, "out": result.stdout, "err": result.stderr})
loaded = {k.split(".")[0] for k, v in sys.modules.items() if v is not None}  # ctranslate2._ext
heavy = [m for m in ("ctranslate2", "sentencepiece") if m in loaded]
glossary = sorted(m for m in sys.modules if m.startswith("toolkit.glossary."))
print(json.dumps({"runs": outputs, "heavy": heavy, "glossary": glossary}))
"""


def _run_light(*commands: list[str]) -> dict:
    env = dict(os.environ)
    done = subprocess.run(
        [sys.executable, "-c", _RUNNER, json.dumps(list(commands))],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _project(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copytree(DATA / "project", target)
    return target


def test_install_list_and_translate_without_argostranslate(packages, mt_env, tmp_path):
    project = _project(tmp_path, "light")
    outcome = _run_light(
        ["models", "install", str(packages["en_da"])],
        ["models", "list", "--format", "json"],
        ["--project", str(project), "translate", "--locale", "da"],
    )
    install, listing, translate = outcome["runs"]
    assert install["code"] == 0, install["err"]
    assert json.loads(listing["out"])["models"][0]["pair"] == "en->da"
    assert translate["code"] == 0, translate["err"]
    assert "da: 11 translated" in translate["out"]
    with (project / DA).open("rb") as handle:
        po = read_po(handle, locale="da")
    assert po.get("Welcome back!").string == "Velkommen tilbage!"
    assert sorted(outcome["heavy"]) == ["ctranslate2", "sentencepiece"]


def test_rerun_from_memory_loads_no_model(packages, mt_env, tmp_path):
    first, second = _project(tmp_path, "first"), _project(tmp_path, "second")
    warm = _run_light(
        ["models", "install", str(packages["en_da"])],
        ["--project", str(first), "translate", "--locale", "da"],
    )
    assert [r["code"] for r in warm["runs"]] == [0, 0]
    # Same untranslated entries in another project: every segment is in the memory.
    rerun = _run_light(["--project", str(second), "translate", "--locale", "da"])
    [result] = rerun["runs"]
    assert result["code"] == 0, result["err"]
    assert "0 translated, 11 from memory" in result["out"]
    assert rerun["heavy"] == []
    # The project has no glossary file: only the module that says where they would be.
    assert rerun["glossary"] == ["toolkit.glossary.paths"]
    with (first / DA).open("rb") as a, (second / DA).open("rb") as b:
        assert [(m.id, m.string) for m in read_po(a)] == [(m.id, m.string) for m in read_po(b)]


def test_nothing_to_translate_needs_no_model(mt_env, tmp_path):
    project = _project(tmp_path, "done")
    po_path = project / DA
    with po_path.open("rb") as handle:
        po = read_po(handle, locale="da")
    for message in po:
        if message.id:
            message.string = (
                tuple("x" for _ in message.string)
                if isinstance(message.string, tuple)
                else "x"
            )
    from babel.messages.pofile import write_po

    with po_path.open("wb") as handle:
        write_po(handle, po)
    before = po_path.read_bytes()
    outcome = _run_light(["--project", str(project), "translate", "--locale", "da"])
    [result] = outcome["runs"]
    assert result["code"] == 0, result["err"]
    assert "0 translated, 0 from memory" in result["out"]
    assert outcome["heavy"] == []
    assert po_path.read_bytes() == before


_PARITY = """
import json, os, sys
from pathlib import Path
import argostranslate.package, argostranslate.translate
from toolkit.mt.argos import ArgosEngine
from toolkit.mt.models import install_from_file, list_models

package, directory = Path(sys.argv[1]), Path(sys.argv[2])
texts = json.loads(sys.argv[3])
argostranslate.package.install_from_path(package)
theirs = [argostranslate.translate.translate(t, "en", "da") for t in texts]
model = install_from_file(package, directory / "ours")
ours = [""] * len(texts)
for indices, outputs in ArgosEngine(list_models(directory / "ours"), beam_size=4).translate(texts):
    for i, out in zip(indices, outputs):
        ours[i] = out.text
print(json.dumps({"theirs": theirs, "ours": ours}))
"""


def test_same_output_as_argostranslate_where_it_is_installed(tmp_path, argos_home):
    """Our CTranslate2 path gives argostranslate's own output for plain sentences."""
    pytest.importorskip("argostranslate", reason="the [argos] extra is not installed")
    pytest.importorskip("spacy", reason="argostranslate's spaCy splitter is not installed")
    package = build_package(tmp_path / "pkg", EN_DA, spacy_sbd=True)
    texts = ["Welcome back!", "Hi, your order is ready.", "You have new points."]
    env = dict(os.environ, ARGOS_CHUNK_TYPE="SPACY", ARGOS_PACKAGES_DIR=str(tmp_path / "argos"))
    done = subprocess.run(
        [sys.executable, "-c", _PARITY, str(package), str(tmp_path), json.dumps(texts)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    outputs = json.loads(done.stdout.strip().splitlines()[-1])
    assert outputs["ours"] == outputs["theirs"]
    assert outputs["ours"][0] == "Velkommen tilbage!"
