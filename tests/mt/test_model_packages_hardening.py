"""Issue 18: model packages that are bombs, corrupt, encrypted, deeply nested or of another
type are refused with one line (exit 2) and leave nothing installed."""

from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path

import pytest

from toolkit.errors import ModelError
from toolkit.mt.models import install_from_file, list_models

META = {"from_code": "en", "to_code": "da", "package_version": "1.0"}


def _package(path: Path, *, meta: bytes | None = None, model: bytes = b"x" * 100,
             compression: int = zipfile.ZIP_STORED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        archive.writestr("p/metadata.json", meta if meta is not None else json.dumps(META))
        archive.writestr("p/model/model.bin", model)
        archive.writestr("p/sentencepiece.model", b"x")
    return path


def _corrupt_crc(path: Path) -> Path:
    data = bytearray(path.read_bytes())
    index = data.find(b"x" * 100)  # the stored model.bin bytes
    data[index] = ord("y")
    path.write_bytes(bytes(data))
    return path


def _encrypted(path: Path) -> Path:
    _package(path)
    data = bytearray(path.read_bytes())
    # Set the "encrypted" flag bit in every local and central directory header.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            flags = struct.unpack_from("<H", data, start + offset)[0]
            struct.pack_into("<H", data, start + offset, flags | 1)
            start += 4
    path.write_bytes(bytes(data))
    return path


CASES = {
    "zip-bomb": (lambda p: _package(p, model=b"\0" * (64 * 1024**2),
                                    compression=zipfile.ZIP_DEFLATED), "zip bomb"),
    "crc-corrupt": (lambda p: _corrupt_crc(_package(p)), "damaged zip archive"),
    "encrypted": (_encrypted, "encrypted"),
    "nested-metadata": (lambda p: _package(p, meta=b"[" * 100_000 + b"]" * 100_000),
                        "nested too deeply"),
    "other-type": (lambda p: _package(p, meta=json.dumps(META | {"type": "sbd"}).encode()),
                   "not a translation model"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_package_is_one_line_and_not_installed(tmp_path, mt_env, run, case):
    build, message = CASES[case]
    bad = build(tmp_path / "bad.argosmodel")
    with pytest.raises(ModelError, match=message):
        install_from_file(bad, mt_env["models"])
    result = run(None, "models", "install", str(bad))
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert list_models(mt_env["models"]) == []
    assert not mt_env["models"].exists() or list(mt_env["models"].iterdir()) == []


def test_models_list_when_the_folder_cannot_be_created(tmp_path, run, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TOOLKIT_MODELS_DIR", str(blocker / "models"))
    for args in (("models", "list"), ("models", "install", str(tmp_path / "x.argosmodel"))):
        (tmp_path / "x.argosmodel").write_text("x")
        result = run(None, *args)
        assert result.exit_code in (0, 2), result.stderr
        assert "Traceback" not in result.stderr
    result = run(None, "models", "install", str(_package(tmp_path / "ok.argosmodel")))
    assert result.exit_code == 2
    assert "cannot create the models folder" in result.stderr
