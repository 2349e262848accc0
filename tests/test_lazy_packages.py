"""The packages that load their submodules on first use keep the API of eager ones: every
public name resolves to its submodule's object, a submodule is an attribute of the package,
an unknown name is an AttributeError. Each case runs in a fresh interpreter, where nothing
is imported yet."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

_PROBE = """
import importlib, json, sys
package = importlib.import_module(sys.argv[1])
submodule = getattr(package, sys.argv[2])  # first: no name has imported it yet
names = {}
for name in package.__all__:
    value = getattr(package, name)
    names[name] = getattr(value, "__module__", None) or type(value).__name__
try:
    getattr(package, "no_such_name")
    unknown = "no error"
except AttributeError as exc:
    unknown = str(exc)
print(json.dumps({"names": names, "submodule": submodule.__name__, "unknown": unknown,
                  "dunder": hasattr(package, "__wrapped__")}))
"""


def _probe(package: str, submodule: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, package, submodule],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    ("package", "submodule"),
    [("toolkit.catalogs", "reader"), ("toolkit.checks", "runner"),
     ("toolkit.glossary", "matching")],
)
def test_lazy_package_behaves_like_an_eager_one(package, submodule):
    found = _probe(package, submodule)
    assert found["names"], package  # every name of __all__ resolved
    assert found["submodule"] == f"{package}.{submodule}"
    assert found["unknown"] == f"module {package!r} has no attribute 'no_such_name'"
    assert found["dunder"] is False


def test_glossary_names_come_from_their_modules():
    names = _probe("toolkit.glossary", "files")["names"]
    assert names["load_glossary"] == "toolkit.glossary.files"
    assert names["has_glossary"] == "toolkit.glossary.paths"
    assert names["Glossary"] == "toolkit.glossary.glossary"
