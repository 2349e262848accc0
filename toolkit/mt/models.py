"""Argos Translate model packages: where they live, install (checked), list, remove, pick.

An ``.argosmodel`` is a zip holding one folder with ``metadata.json``, a CTranslate2 model in
``model/`` and a tokenizer (``sentencepiece.model`` or ``bpe.model``). argostranslate's own
installer extracts any zip without checking member paths; here every member is checked first
(no absolute paths, no ``..``, no links, one top-level folder, the required files present), the
package is extracted into a temporary folder next to its final place and renamed into place,
and argostranslate's ``Package`` must load it before it counts as installed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..config import ProjectConfig
from ..errors import ModelError

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
MAX_UNPACKED_BYTES = 4 * 1024**3
PIVOT = "en"
_OFFLINE_HINT = (
    "Offline? Download the package file (e.g. translate-en_da-1_9.argosmodel from "
    "https://www.argosopentech.com/argospm/index/) on a connected machine and run "
    "'toolkit models install PATH/TO/FILE.argosmodel'."
)


@dataclass(frozen=True)
class InstalledModel:
    """One installed translation package."""

    from_code: str
    to_code: str
    version: str
    path: Path
    size: int

    @property
    def pair(self) -> str:
        return f"{self.from_code}->{self.to_code}"

    @property
    def label(self) -> str:
        """``en->da 1.0``: pair and version, as provenance comments show them."""
        return f"{self.pair} {self.version}"

    @property
    def model_path(self) -> Path:
        return self.path / "model"

    @property
    def tokenizer_path(self) -> Path:
        return self.path / "sentencepiece.model"

    def fingerprint(self) -> str:
        """A short hash of the package's identity (metadata, tokenizer, model size)."""
        digest = hashlib.sha256()
        for name in ("metadata.json", "sentencepiece.model", "model/config.json"):
            file = self.path / name
            if file.is_file():
                digest.update(file.read_bytes())
        model_bin = self.path / "model" / "model.bin"
        if model_bin.is_file():
            digest.update(str(model_bin.stat().st_size).encode())
        return digest.hexdigest()[:12]


def models_dir(config: ProjectConfig | None = None) -> Path:
    """``TOOLKIT_MODELS_DIR``, else the project's ``models_dir``, else the user data folder."""
    configured = os.environ.get("TOOLKIT_MODELS_DIR")
    if configured:
        return Path(configured).expanduser().resolve()
    if config is not None and config.models_dir:
        path = Path(config.models_dir).expanduser()
        return (path if path.is_absolute() else config.root / path).resolve()
    from platformdirs import user_data_dir

    return Path(user_data_dir("toolkit")) / "models"


def prepare_argos(directory: Path) -> Any:
    """Import ``argostranslate.package`` with its settings pointed at ``directory``.

    argostranslate reads ``ARGOS_PACKAGES_DIR`` once, at its first import, and creates its
    folders then; set it before that import. Later calls pass paths explicitly.
    """
    directory.mkdir(parents=True, exist_ok=True)
    if "argostranslate.settings" not in sys.modules:
        os.environ.setdefault("ARGOS_PACKAGES_DIR", str(directory))
    try:
        import argostranslate.package as argos_package
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ModelError(
            "argostranslate is not installed.",
            hint='Install the MT extra: pip install ".[mt]" (see the README).',
        ) from exc
    return argos_package


class MissingModelError(ModelError):
    """No installed model (direct or through the pivot) translates the pair."""


class _Metadata:
    """The fields of a package's ``metadata.json`` that listing needs: what
    ``argostranslate.package.Package`` reads, for installs without argostranslate."""

    def __init__(self, path: Path) -> None:
        try:
            data = json.loads((path / "metadata.json").read_text("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"metadata.json: {exc}") from exc
        if not isinstance(data, dict):
            raise ValueError("metadata.json is not a JSON object")
        self.type = data.get("type", "translate")
        self.from_code = data.get("from_code")
        self.to_code = data.get("to_code")
        self.package_version = data.get("package_version")


def list_models(directory: Path) -> list[InstalledModel]:
    """Installed translation packages in ``directory``, sorted by pair and version.

    Works on a core install too (without the MT extra): the package metadata is then read
    directly instead of through argostranslate.
    """
    if not directory.is_dir():
        return []
    try:
        reader: Any = prepare_argos(directory).Package
    except ModelError:  # no argostranslate: listing needs only the metadata
        reader = _Metadata
    found = []
    for path in sorted(directory.iterdir()):
        if not path.is_dir() or path.name.startswith(".") or not (path / "metadata.json").is_file():
            continue
        try:
            package = reader(path)
        except (OSError, ValueError) as exc:
            raise ModelError(
                f"installed package {path} is unreadable: {exc}.",
                hint="Remove the folder and install the package again.",
            ) from exc
        if package.type != "translate" or not package.from_code or not package.to_code:
            continue
        found.append(
            InstalledModel(
                from_code=package.from_code,
                to_code=package.to_code,
                version=str(package.package_version or "0"),
                path=path,
                size=_folder_size(path),
            )
        )
    return sorted(found, key=lambda m: (m.from_code, m.to_code, m.version))


def install_model(source: str, directory: Path) -> InstalledModel:
    """Install from a ``.argosmodel`` file, or from the Argos index for a pair like ``en:da``."""
    path = Path(source).expanduser()
    if path.exists():
        return install_from_file(path, directory)
    pair = parse_pair(source, strict=False)
    if pair is not None:
        return install_from_index(*pair, directory)
    raise ModelError(
        f"'{source}' is neither a package file nor a language pair.",
        hint="Pass a .argosmodel file or a pair such as 'en:da'.",
    )


def parse_pair(text: str, *, strict: bool = True) -> tuple[str, str] | None:
    """``en:da``, ``en-da``, ``en->da`` or ``en_da`` -> ``("en", "da")``."""
    for separator in ("->", ":", "-", "_"):
        if separator in text:
            left, _, right = text.partition(separator)
            left, right = left.strip().lower(), right.strip().lower()
            if left.isalpha() and right.isalpha() and 2 <= len(left) <= 3 and 2 <= len(right) <= 3:
                return left, right
    if strict:
        raise ModelError(f"'{text}' is not a language pair.", hint="Use the form 'en:da'.")
    return None


def validate_package(path: Path) -> tuple[str, dict[str, Any]]:
    """Check an ``.argosmodel`` before extracting it: its top folder name and metadata."""
    if not zipfile.is_zipfile(path):
        raise ModelError(
            f"{path} is not an Argos package: not a zip archive.",
            hint="Argos packages are .argosmodel zip files; download it again.",
        )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            tops = set()
            total = 0
            for info in infos:
                _check_member(path, info)
                tops.add(PurePosixPath(info.filename).parts[0])
                total += info.file_size
            if len(tops) != 1:
                raise ModelError(
                    f"{path}: a package holds exactly one top-level folder, found "
                    f"{len(tops)} entries ({', '.join(sorted(tops)[:3])}).",
                    hint="Use a package built by argos-train or downloaded from the Argos index.",
                )
            if total > MAX_UNPACKED_BYTES:
                raise ModelError(f"{path}: unpacks to {total} bytes, more than any real package.")
            top = tops.pop()
            names = {info.filename.rstrip("/") for info in infos}
            missing = []
            if f"{top}/metadata.json" not in names:
                missing.append("metadata.json")
            if not any(n.startswith(f"{top}/model/") for n in names):
                missing.append("model/ (the CTranslate2 model)")
            if not names & {f"{top}/sentencepiece.model", f"{top}/bpe.model"}:
                missing.append("a tokenizer (sentencepiece.model or bpe.model)")
            if missing:
                raise ModelError(
                    f"{path} is not a usable Argos package: no {', no '.join(missing)}.",
                    hint="Rebuild or download the package again.",
                )
            try:
                metadata = json.loads(archive.read(f"{top}/metadata.json"))
            except (ValueError, UnicodeDecodeError) as exc:
                raise ModelError(f"{path}: metadata.json is not valid JSON: {exc}.") from exc
    except zipfile.BadZipFile as exc:
        raise ModelError(f"{path} is a damaged zip archive: {exc}.") from exc
    if not isinstance(metadata, dict) or not metadata.get("from_code") or not metadata.get(
        "to_code"
    ):
        raise ModelError(
            f"{path}: metadata.json lacks 'from_code' and 'to_code'.",
            hint="It must name the languages the package translates between.",
        )
    return top, metadata


def _check_member(path: Path, info: zipfile.ZipInfo) -> None:
    name = info.filename
    pure = PurePosixPath(name)
    mode = info.external_attr >> 16
    if (
        not name
        or "\\" in name
        or pure.is_absolute()
        or ".." in pure.parts
        or (len(name) > 1 and name[1] == ":")
    ):
        raise ModelError(
            f"{path}: unsafe member path '{name}' would land outside the models folder.",
            hint="Do not install this file; get the package from a trusted source.",
        )
    if stat.S_ISLNK(mode):
        raise ModelError(f"{path}: member '{name}' is a symbolic link; packages hold plain files.")


def install_from_file(path: Path, directory: Path) -> InstalledModel:
    """Validate and install one package file; replaces an installed copy of the same folder."""
    top, _metadata = validate_package(path)
    argos_package = prepare_argos(directory)
    staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=directory))
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                archive.extract(info, staging)
        unpacked = staging / top
        try:
            argos_package.Package(unpacked)
        except (OSError, ValueError) as exc:
            raise ModelError(f"{path}: argostranslate cannot load the package: {exc}.") from exc
        target = directory / top
        if target.exists():
            shutil.rmtree(target)
        os.replace(unpacked, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return next(m for m in list_models(directory) if m.path == target)


def install_from_index(from_code: str, to_code: str, directory: Path) -> InstalledModel:
    """Download a pair from the Argos package index (online) and install it."""
    import urllib.error
    import urllib.request

    prepare_argos(directory)
    from argostranslate.package import AvailablePackage

    url = os.environ.get("ARGOS_PACKAGE_INDEX", DEFAULT_INDEX).rstrip("/") + "/index.json"
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            index = json.loads(response.read())
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ModelError(
            f"cannot reach the Argos package index at {url}: {reason}.", hint=_OFFLINE_HINT
        ) from exc
    candidates = [
        AvailablePackage(entry)
        for entry in index
        if isinstance(entry, dict)
        and entry.get("from_code") == from_code
        and entry.get("to_code") == to_code
        and entry.get("type", "translate") == "translate"
    ]
    if not candidates:
        raise ModelError(
            f"the Argos index has no {from_code}->{to_code} package.",
            hint=f"Install {from_code}->{PIVOT} and {PIVOT}->{to_code}: the toolkit pivots "
            "through English.",
        )
    package = candidates[-1]
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / f"translate-{from_code}_{to_code}.argosmodel"
        errors = []
        for link in package.links:
            try:
                with urllib.request.urlopen(link, timeout=60) as response, file.open("wb") as out:
                    shutil.copyfileobj(response, out)
                break
            except (urllib.error.URLError, OSError) as exc:
                errors.append(f"{link}: {getattr(exc, 'reason', exc)}")
        else:
            raise ModelError(
                f"cannot download the {from_code}->{to_code} package ({'; '.join(errors)}).",
                hint=_OFFLINE_HINT,
            )
        return install_from_file(file, directory)


def remove_model(pair: str, directory: Path) -> list[InstalledModel]:
    """Remove every installed package of ``pair`` (``en:da``); return what was removed."""
    from_code, to_code = parse_pair(pair) or ("", "")
    doomed = [m for m in list_models(directory) if (m.from_code, m.to_code) == (from_code, to_code)]
    if not doomed:
        raise ModelError(
            f"no {from_code}->{to_code} model is installed in {directory}.",
            hint="See 'toolkit models list'.",
        )
    for model in doomed:
        shutil.rmtree(model.path)
    return doomed


def language_code(locale: str) -> str:
    """The Argos language code of a locale: ``da_DK`` -> ``da``, ``no`` -> ``nb``."""
    code = locale.replace("-", "_").split("_")[0].lower()
    return {"no": "nb"}.get(code, code)


def find_chain(models: list[InstalledModel], source: str, target: str) -> list[InstalledModel]:
    """The packages that translate ``source`` to ``target``: direct, else through English."""
    src, tgt = language_code(source), language_code(target)

    def best(a: str, b: str) -> InstalledModel | None:
        matches = [m for m in models if (m.from_code, m.to_code) == (a, b)]
        return max(matches, key=lambda m: _version_key(m.version)) if matches else None

    direct = best(src, tgt)
    if direct is not None:
        return [direct]
    first, second = best(src, PIVOT), best(PIVOT, tgt)
    if src != PIVOT and tgt != PIVOT and first is not None and second is not None:
        return [first, second]
    installed = ", ".join(m.pair for m in models) or "none"
    pivot = (
        f"; {src}->{PIVOT} plus {PIVOT}->{tgt} also works" if PIVOT not in (src, tgt) else ""
    )
    raise MissingModelError(
        f"no Argos model translates {src}->{tgt} (installed: {installed}).",
        hint=f"Run 'toolkit models install {src}:{tgt}' (online) or "
        f"'toolkit models install PATH/TO/FILE.argosmodel'{pivot}.",
    )


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in version.split("."))


def _folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
