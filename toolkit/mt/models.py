"""Argos Translate model packages: where they live, install (checked), list, remove, pick.

An ``.argosmodel`` is a zip holding one folder with ``metadata.json``, a CTranslate2 model in
``model/`` and a tokenizer (``sentencepiece.model`` or ``bpe.model``). argostranslate's own
installer extracts any zip without checking member paths; here every member is checked first
(no absolute paths, no ``..``, no links, one top-level folder, the required files present), the
package is extracted into a temporary folder next to its final place and renamed into place,
and its metadata must read as a translate package before it counts as installed.

Packages are read by the toolkit itself (``metadata.json`` in the format argostranslate's
``Package`` reads), so listing, installing and translating need neither argostranslate nor
torch: the MT extra is CTranslate2 + SentencePiece. The online index (``en:da``) is plain JSON
fetched with urllib.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from ..errors import MissingModelError as MissingModelError  # raised and caught as models'
from ..errors import ModelError
from .locations import models_dir as models_dir  # importable from here as before

if TYPE_CHECKING:
    import zipfile

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
#: Largest total unpacked size of a package (real Argos packages unpack to 100-600 MB).
MAX_UNPACKED_BYTES = 2 * 1024**3
#: Largest compression ratio of a member over 1 MB (model weights barely compress; a
#: "zip bomb" member of zeros compresses about 1,000:1).
MAX_COMPRESSION_RATIO = 50
_RATIO_MIN_BYTES = 1024**2
#: Largest metadata.json read.
MAX_METADATA_BYTES = 1024**2
PIVOT = "en"
#: An Argos language code: ISO 639 ("en", "da", "nb", "zt"), optionally with a script or
#: region part ("zh_Hant", "pt-BR").
#: A package's language code, as the Argos index writes them ("en", "da", "zt", "pb"): a
#: regional code ("pt-BR") installed but could be neither chosen for a locale nor removed
#: (QA pass 80).
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")
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


@dataclass(frozen=True)
class PackageMetadata:
    """What ``metadata.json`` says about a package (the fields argostranslate reads)."""

    type: str
    from_code: str
    to_code: str
    version: str


def read_metadata(path: Path) -> PackageMetadata:
    """The metadata of the package folder ``path`` (errors say what is wrong and the fix)."""
    file = path / "metadata.json"
    try:
        data = json.loads(file.read_bytes())
    except OSError as exc:
        raise ModelError(
            f"installed package {path} is unreadable: {exc.strerror or exc}.",
            hint="Remove the folder and install the package again.",
        ) from exc
    except (ValueError, RecursionError) as exc:
        raise ModelError(
            f"{file} is not valid JSON.",
            hint="Remove the folder and install the package again.",
        ) from exc
    return _metadata_from(data, file)


def _metadata_from(data: Any, where: Path) -> PackageMetadata:
    if not isinstance(data, dict):
        raise ModelError(f"{where}: metadata must be a JSON object.")
    kind = data.get("type", "translate")
    from_code, to_code = data.get("from_code"), data.get("to_code")
    version = data.get("package_version", "0")
    return PackageMetadata(
        type=kind if isinstance(kind, str) else "",
        from_code=from_code if isinstance(from_code, str) else "",
        to_code=to_code if isinstance(to_code, str) else "",
        version=str(version) if isinstance(version, (str, int, float)) and version != "" else "0",
    )


def list_models(
    directory: Path, *, unreadable: list[ModelError] | None = None
) -> list[InstalledModel]:
    """Installed translation packages in ``directory``, sorted by pair and version. A folder
    whose metadata cannot be read raises its ModelError (``models list`` names it), or, with
    an ``unreadable`` list, is added to it and passed over: one broken folder stopped
    ``translate`` for every other pair (QA pass 80)."""
    if not directory.is_dir():
        return []
    found = []
    for path in sorted(directory.iterdir()):
        if not path.is_dir() or path.name.startswith(".") or not (path / "metadata.json").is_file():
            continue
        try:
            metadata = read_metadata(path)
        except ModelError as exc:
            if unreadable is None:
                raise
            unreadable.append(exc)
            continue
        if metadata.type != "translate" or not metadata.from_code or not metadata.to_code:
            continue
        found.append(
            InstalledModel(
                from_code=metadata.from_code,
                to_code=metadata.to_code,
                version=metadata.version,
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
    if source.endswith(".argosmodel") or "/" in source or os.sep in source:
        raise ModelError(
            f"{source}: no such file.",
            hint="Check the path of the .argosmodel file, or pass a pair such as 'en:da'.",
        )
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
    import stat
    import zipfile  # here: opening an installed package for translation needs none

    try:
        mode = path.stat().st_mode
    except OSError:
        mode = stat.S_IFREG  # missing or unreadable: said below, as before
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):  # a FIFO would block the read
        raise ModelError(
            f"{path} is not an Argos package: not a regular file (a device or FIFO).",
            hint="Give the path of the downloaded .argosmodel file.",
        )
    if stat.S_ISDIR(mode):
        raise ModelError(
            f"{path} is a folder, not an Argos package.",
            hint="Give the path of the downloaded .argosmodel file (one zip file per language "
            "pair).",
        )
    if not zipfile.is_zipfile(path):
        raise ModelError(
            f"{path} is not an Argos package: not a zip archive.",
            hint="Argos packages are .argosmodel zip files; download it again.",
        )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            tops = set()
            total = packed = 0
            for info in infos:
                _check_member(path, info)
                tops.add(PurePosixPath(info.filename).parts[0])
                total += info.file_size
                packed += info.compress_size
            if len(tops) != 1:
                raise ModelError(
                    f"{path}: a package holds exactly one top-level folder, found "
                    f"{len(tops)} entries ({', '.join(sorted(tops)[:3])}).",
                    hint="Use a package built by argos-train or downloaded from the Argos index.",
                )
            if total > _RATIO_MIN_BYTES * 64 and total > MAX_COMPRESSION_RATIO * max(packed, 1):
                # Many members of 1 MiB each pass the per-member test: 2.7 MB unpacked to
                # 2 GB (QA pass 80). A real package's weights barely compress.
                raise ModelError(
                    f"{path}: unpacks to {total:,} bytes from {packed:,} "
                    f"({total // max(packed, 1):,} times, limit {MAX_COMPRESSION_RATIO}); this "
                    "looks like a zip bomb.",
                    hint="Do not install this file; get the package from a trusted source.",
                )
            if total > MAX_UNPACKED_BYTES:
                raise ModelError(
                    f"{path}: unpacks to {total:,} bytes, over the {MAX_UNPACKED_BYTES:,}-byte "
                    "limit for a package.",
                    hint="Real Argos packages unpack to a few hundred MB; do not install this.",
                )
            top = tops.pop()
            if top.startswith("."):
                # Hidden: models list and remove never see it (the installer's own staging
                # folders are .installing-*), so it could not be used or removed (QA pass 80).
                raise ModelError(
                    f"{path}: the package's folder '{top}' starts with a dot.",
                    hint="Use a package built by argos-train or downloaded from the Argos index.",
                )
            names = {info.filename.rstrip("/") for info in infos}
            missing = []
            if f"{top}/metadata.json" not in names:
                missing.append("metadata.json")
            if f"{top}/model/model.bin" not in names:
                # Any file under model/ passed: a package without the model's weights
                # replaced a working one (QA pass 80).
                missing.append("model/model.bin (the CTranslate2 model)")
            if not names & {f"{top}/sentencepiece.model", f"{top}/bpe.model"}:
                missing.append("a tokenizer (sentencepiece.model or bpe.model)")
            if missing:
                raise ModelError(
                    f"{path} is not a usable Argos package: no {', no '.join(missing)}.",
                    hint="Rebuild or download the package again.",
                )
            if archive.getinfo(f"{top}/metadata.json").file_size > MAX_METADATA_BYTES:
                raise ModelError(f"{path}: metadata.json is over {MAX_METADATA_BYTES:,} bytes.")
            try:
                metadata = json.loads(archive.read(f"{top}/metadata.json"))
            except (ValueError, UnicodeDecodeError) as exc:
                raise ModelError(f"{path}: metadata.json is not valid JSON: {exc}.") from exc
            except RecursionError as exc:
                raise ModelError(f"{path}: metadata.json is nested too deeply.") from exc
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise ModelError(f"{path} is a damaged zip archive: {exc}.") from exc
    except NotImplementedError as exc:
        raise ModelError(f"{path}: unsupported zip compression: {exc}.") from exc
    if not isinstance(metadata, dict) or not metadata.get("from_code") or not metadata.get(
        "to_code"
    ):
        raise ModelError(
            f"{path}: metadata.json lacks 'from_code' and 'to_code'.",
            hint="It must name the languages the package translates between.",
        )
    for key in ("from_code", "to_code"):
        code = metadata[key]
        if not isinstance(code, str) or not _LANGUAGE_CODE.fullmatch(code):
            raise ModelError(
                f"{path}: metadata.json has {key} {code!r}, which is no language code.",
                hint="Argos packages name their languages with codes such as 'en' and 'da'; "
                "do not install this file.",
            )
    kind = metadata.get("type", "translate")
    if kind != "translate":
        raise ModelError(
            f"{path} is an Argos package of type {kind!r}, not a translation model.",
            hint="Install a translate-<from>_<to>.argosmodel package.",
        )
    return top, metadata


def _check_member(path: Path, info: zipfile.ZipInfo) -> None:
    name = info.filename
    pure = PurePosixPath(name)
    mode = info.external_attr >> 16
    if (
        not name
        or not pure.parts  # "./" (an IndexError traceback, QA pass 80)
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
    if info.flag_bits & 0x1:
        raise ModelError(
            f"{path}: member '{name}' is encrypted; packages are not.",
            hint="Use a package built by argos-train or downloaded from the Argos index.",
        )
    if (
        info.file_size > _RATIO_MIN_BYTES
        and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
    ):
        raise ModelError(
            f"{path}: member '{name}' expands {info.file_size // max(info.compress_size, 1):,} "
            f"times (limit {MAX_COMPRESSION_RATIO}); this looks like a zip bomb.",
            hint="Do not install this file; get the package from a trusted source.",
        )


def install_from_file(path: Path, directory: Path) -> InstalledModel:
    """Validate and install one package file; replaces an installed copy of the same folder."""
    import shutil
    import tempfile
    import zipfile

    top, metadata = validate_package(path)
    pair = f"{metadata['from_code']}->{metadata['to_code']}"
    target = directory / top
    held = _installed_pair(target)  # the same folder name: an update of that pair
    if held is not None and held != pair:
        raise ModelError(
            f"{path} unpacks to {top}/, where the installed {held} model is, but it translates "
            f"{pair}; nothing was changed.",
            hint=f"Remove the installed one first ('toolkit models remove "
            f"{held.replace('->', ':')}') if you mean to replace it.",
        )
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(
            f"cannot create the models folder {directory}: {exc.strerror or exc}.",
            hint="Set TOOLKIT_MODELS_DIR to a writable folder.",
        ) from exc
    _sweep_stale_installs(directory)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".installing-{os.getpid()}-", dir=directory))
    except OSError as exc:
        raise ModelError(f"cannot write to the models folder {directory}: {exc.strerror}.") from exc
    try:
        try:
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    archive.extract(info, staging)
        except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError) as exc:
            # CRC mismatch, truncated data, or a password-protected member.
            raise ModelError(f"{path} is a damaged zip archive: {exc}.") from exc
        except OSError as exc:
            raise ModelError(
                f"cannot unpack {path.name} into {directory}: {exc.strerror}.",
                hint="Free some disk space or choose another folder with TOOLKIT_MODELS_DIR.",
            ) from exc
        unpacked = staging / top
        listed = read_metadata(unpacked)  # as list_models will read it: checked before any swap
        if listed.type != "translate" or f"{listed.from_code}->{listed.to_code}" != pair:
            raise ModelError(f"{path}: the unpacked metadata.json does not read as {pair}.")
        # An installed copy is moved aside, not deleted, until the new one is in place (under
        # its own name, so that an install killed meanwhile can be undone by the next one).
        previous = staging / f".previous-{top}"
        if target.exists():
            os.replace(target, previous)
        try:
            os.replace(unpacked, target)
        except OSError as exc:
            if previous.exists():
                os.replace(previous, target)
            raise ModelError(
                f"cannot install {path.name} into {directory}: {exc.strerror or exc}."
            ) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return InstalledModel(
        from_code=listed.from_code,
        to_code=listed.to_code,
        version=listed.version,
        path=target,
        size=_folder_size(target),
    )


_STALE_INSTALL = re.compile(r"^\.installing-(\d+)-")


def _sweep_stale_installs(directory: Path) -> None:
    """Remove the staging folders of installs whose process is gone (``kill -9``: 250 MB left
    in a folder no command lists, QA pass 80), first putting back an installed copy one of
    them had moved aside and not yet replaced."""
    import shutil

    from ..fsutil import _alive

    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        match = _STALE_INSTALL.match(name)
        if match is None or _alive(int(match.group(1))):
            continue
        staging = directory / name
        try:
            for moved in staging.glob(".previous-*"):
                home = directory / moved.name.removeprefix(".previous-")
                if not home.exists():
                    os.replace(moved, home)
        except OSError:
            continue
        shutil.rmtree(staging, ignore_errors=True)


def _installed_pair(folder: Path) -> str | None:
    """``from->to`` of the translation package installed in ``folder``; None when there is
    none, or a broken one (installing again is how it is mended)."""
    if not (folder / "metadata.json").is_file():
        return None
    try:
        held = read_metadata(folder)
    except ModelError:
        return None
    return f"{held.from_code}->{held.to_code}" if held.from_code and held.to_code else None


def install_from_index(from_code: str, to_code: str, directory: Path) -> InstalledModel:
    """Download a pair from the Argos package index (online) and install it."""
    import shutil
    import tempfile
    import urllib.error
    import urllib.request

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
        entry
        for entry in (index if isinstance(index, list) else [])
        if isinstance(entry, dict)
        and entry.get("from_code") == from_code
        and entry.get("to_code") == to_code
        and entry.get("type", "translate") == "translate"
        and isinstance(entry.get("links"), list)
    ]
    if not candidates:
        pivot = (
            f"Install {from_code}->{PIVOT} and {PIVOT}->{to_code}: the toolkit pivots through "
            "English."
            if PIVOT not in (from_code, to_code)
            else "Check the language codes (Argos uses codes such as 'en', 'da', 'nb'), or "
            "install a package file you have: 'toolkit models install FILE.argosmodel'."
        )
        raise ModelError(f"the Argos index has no {from_code}->{to_code} package.", hint=pivot)
    links = [link for link in candidates[-1]["links"] if isinstance(link, str)]
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / f"translate-{from_code}_{to_code}.argosmodel"
        errors = []
        for link in links:
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
    import shutil

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


#: Where Chinese is written in Traditional characters unless the locale names a script.
TRADITIONAL_CHINESE_REGIONS = frozenset({"TW", "HK", "MO"})


def language_code(locale: str) -> str:
    """The Argos language code of a locale: ``da_DK`` -> ``da``, ``no`` -> ``nb``; Chinese in
    Traditional characters (``zh_Hant``, ``zh_TW``, ``zh-HK``) -> ``zt``, Argos's code for it,
    and in Simplified characters (``zh_CN``, ``zh_Hans_HK``) -> ``zh``.

    >>> [language_code(x) for x in ("da_DK", "no", "zh_TW", "zh_Hant", "zh_Hans_HK", "zh")]
    ['da', 'nb', 'zt', 'zt', 'zh', 'zh']
    """
    code, *rest = locale.replace("-", "_").split("_")
    code = code.lower()
    if code == "zh" and rest:
        script = next((part.title() for part in rest if len(part) == 4), None)
        region = next((part.upper() for part in rest if len(part) == 2), None)
        if script == "Hant" or (script is None and region in TRADITIONAL_CHINESE_REGIONS):
            return "zt"
    return {"no": "nb"}.get(code, code)


def find_chain(models: list[InstalledModel], source: str, target: str) -> list[InstalledModel]:
    """The packages that translate ``source`` to ``target``: direct, else through English."""
    src, tgt = language_code(source), language_code(target)
    if src == tgt:  # en_GB from an en source: no model translates a language into itself
        raise MissingModelError(
            f"{target} is in the source language ({src}): there is nothing to "
            "machine-translate.",
            hint="Edit its entries by hand (a catalog in the source language holds "
            "corrections of the source text), or translate another locale.",
        )

    def best(a: str, b: str) -> InstalledModel | None:
        matches = [m for m in models if (m.from_code, m.to_code) == (a, b)]
        return max(matches, key=lambda m: _version_key(m.version)) if matches else None

    direct = best(src, tgt)
    if direct is not None:
        return [direct]
    first, second = best(src, PIVOT), best(PIVOT, tgt)
    if src != PIVOT and tgt != PIVOT and first is not None and second is not None:
        return [first, second]
    installed = ", ".join(dict.fromkeys(m.pair for m in models)) or "none"  # (two versions)
    pivot = f"; {src}->{PIVOT} plus {PIVOT}->{tgt} also works" if PIVOT not in (src, tgt) else ""
    raise MissingModelError(
        f"no Argos model translates {src}->{tgt} (installed: {installed}).",
        hint=f"Run 'toolkit models install {src}:{tgt}' (online) or "
        f"'toolkit models install PATH/TO/FILE.argosmodel'{pivot}.",
    )


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in version.split("."))


def _folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
