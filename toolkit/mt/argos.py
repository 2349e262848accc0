"""The Argos engine: installed Argos packages run directly through CTranslate2, batched.

argostranslate's own ``translate()`` handles one string per call: it splits sentences with
stanza/MiniSBD (which try to download offline), builds a translator per call path and decodes
with a length bound that does not follow the input. Here every segment of a catalog is
tokenized with the package's SentencePiece model, sorted by length, and decoded in large
batches by one ``ctranslate2.Translator`` per package, with a decoding bound proportional to
the longest input of each batch. Decoding uses SentencePiece itself, so underscores survive
(argostranslate's decoder turns ``_`` into spaces).
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from ..errors import ModelError
from ..fsutil import interrupts_held
from .engines import MTOutput
from .models import InstalledModel

#: Segments per ``translate_batch`` call: big enough to batch well, small enough that the
#: progress bar moves and the translation memory is committed every few seconds.
CHUNK = 256

#: SentencePiece pieces per model input. Argos' models encode positions up to 512 (and decode
#: up to twice the input): a segment with no sentence break longer than this (a 1,200-character
#: paragraph) crashed the model ("No position encodings are defined for positions >= 512").
#: Longer inputs are translated in windows of at most this many pieces, cut at word starts.
MAX_INPUT_PIECES = 200


class ArgosEngine:
    """Translate through one package, or two (pivoting through English)."""

    name = "argos"
    copies_ok = False  # a neural model giving back its input has failed

    def __init__(self, chain: list[InstalledModel], beam_size: int = 4) -> None:
        if beam_size < 1:
            raise ModelError("--beam-size must be at least 1.")
        self.chain = chain
        self.beam_size = beam_size
        pair = "->".join([chain[0].from_code, *(m.to_code for m in chain)])
        versions = "+".join(m.version for m in chain)
        self.label = f"argos {pair} {versions}"
        prints = "+".join(m.fingerprint() for m in chain)
        self.memory_key = f"argos {pair} {versions} {prints} beam={beam_size}"
        self._loaded: list[tuple[Any, Any, str]] = []

    def _load(self) -> list[tuple[Any, Any, str]]:
        if self._loaded:
            return self._loaded
        try:
            with interrupts_held():  # pybind11 modules: see toolkit.lazy.import_holding_interrupts
                ctranslate2 = import_ctranslate2()
                sentencepiece = importlib.import_module("sentencepiece")
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ModelError(
                "ctranslate2 and sentencepiece are needed for the argos engine.",
                hint='Install the MT extra: pip install ".[mt]" (see the README).',
            ) from exc
        workers = decoding_workers()
        for model in self.chain:
            if not model.tokenizer_path.is_file():
                raise ModelError(
                    f"{model.path}: no sentencepiece.model; BPE packages are not supported.",
                    hint="Use a SentencePiece-based package (every current Argos package is).",
                )
            try:
                processor = sentencepiece.SentencePieceProcessor(
                    model_file=str(model.tokenizer_path)
                )
                translator = ctranslate2.Translator(
                    str(model.model_path),
                    device="cpu",
                    compute_type="auto",
                    inter_threads=workers,
                    intra_threads=1,
                )
            except (RuntimeError, OSError, ValueError) as exc:
                raise ModelError(
                    f"cannot load the model in {model.path}: {exc}.",
                    hint=f"Reinstall it: 'toolkit models remove {model.from_code}:"
                    f"{model.to_code}' then 'toolkit models install FILE'.",
                ) from exc
            self._loaded.append((processor, translator, _target_prefix(model)))
        return self._loaded

    def translate(self, segments: Sequence[str]) -> Iterator[tuple[list[int], list[MTOutput]]]:
        """Translate in length-sorted chunks; yield each chunk's indices and outputs."""
        if not segments:
            return
        stages = self._load()
        first_processor = stages[0][0]
        lengths = [len(first_processor.encode(s)) for s in segments]
        order = sorted(range(len(segments)), key=lambda i: lengths[i])
        for start in range(0, len(order), CHUNK):
            indices = order[start : start + CHUNK]
            texts = [segments[i] for i in indices]
            scores = [0.0] * len(texts)
            for processor, translator, prefix in stages:
                texts, hop_scores = self._translate_batch(processor, translator, prefix, texts)
                scores = [a + b for a, b in zip(scores, hop_scores, strict=True)]
            yield indices, [MTOutput(t, round(s, 4)) for t, s in zip(texts, scores, strict=True)]

    def _translate_batch(
        self, processor: Any, translator: Any, prefix: str, texts: list[str]
    ) -> tuple[list[str], list[float]]:
        owners: list[int] = []  # the text each model input is (a window of)
        tokens: list[list[str]] = []
        for index, text in enumerate(texts):
            for window in _windows(processor.encode(text, out_type=str)):
                owners.append(index)
                tokens.append(window)
        longest = max((len(t) for t in tokens), default=1)
        options: dict[str, Any] = {}
        if prefix:
            options["target_prefix"] = [[prefix]] * len(tokens)
        try:
            results = translator.translate_batch(
                tokens,
                beam_size=self.beam_size,
                max_decoding_length=2 * longest + 10,
                return_scores=True,
                max_batch_size=16,  # two workers: balanced, little padding
                batch_type="examples",
                **options,
            )
        except RuntimeError as exc:  # the model's own limits: no traceback
            raise ModelError(
                f"the model could not translate this batch: {exc}.",
                hint="Rerun with --dry-run to see the segments; report the model and segment.",
            ) from exc
        parts: list[list[str]] = [[] for _ in texts]
        totals = [0.0] * len(texts)
        for owner, result in zip(owners, results, strict=True):
            pieces = list(result.hypotheses[0])
            if prefix and pieces and pieces[0] == prefix:
                pieces = pieces[1:]
            parts[owner].append(processor.decode_pieces(pieces))
            totals[owner] += float(result.scores[0]) if result.scores else 0.0
        outputs = [" ".join(p for p in windows if p) for windows in parts]
        scores = [total / max(len(w), 1) for total, w in zip(totals, parts, strict=True)]
        return outputs, scores


def import_ctranslate2() -> ModuleType:
    """CTranslate2's compiled core (``Translator``), without the Python package around it.

    ``import ctranslate2`` also imports the package's model converters, which import NumPy
    and, where it is installed (the ``[argos]`` extra), torch: 0.3 s, or 2.6 s with torch,
    in every process that translates (docs/benchmarks.md, seventeenth round). Translating
    needs only the compiled extension ``ctranslate2._ext`` (12 ms), which is loaded from the
    installed package's folder. Where that is not possible (another layout, Windows, whose
    package sets DLL folders first), the package is imported, with torch kept out.
    """
    loaded = sys.modules.get("ctranslate2", ModuleType("unset"))
    if loaded is None:  # marked as not importable
        raise ImportError("No module named 'ctranslate2'", name="ctranslate2")
    if hasattr(loaded, "Translator"):
        return loaded
    ext = sys.modules.get("ctranslate2._ext")
    if ext is not None and hasattr(ext, "Translator"):
        return ext
    spec = importlib.util.find_spec("ctranslate2")
    if spec is None:
        raise ImportError("No module named 'ctranslate2'", name="ctranslate2")
    if sys.platform != "win32":
        for folder in spec.submodule_search_locations or ():
            for suffix in importlib.machinery.EXTENSION_SUFFIXES:
                candidate = Path(folder) / f"_ext{suffix}"
                if not candidate.is_file():
                    continue
                ext_spec = importlib.util.spec_from_file_location("ctranslate2._ext", candidate)
                if ext_spec is None or ext_spec.loader is None:
                    continue
                try:
                    ext = importlib.util.module_from_spec(ext_spec)
                    ext_spec.loader.exec_module(ext)
                except ImportError:
                    break  # the package's own import may know better
                if hasattr(ext, "Translator"):
                    sys.modules.setdefault("ctranslate2._ext", ext)
                    return ext
    keep_out = "torch" not in sys.modules
    if keep_out:
        sys.modules["torch"] = None  # type: ignore[assignment]  # ImportError for ctranslate2
    try:
        return importlib.import_module("ctranslate2")
    finally:
        if keep_out and "torch" in sys.modules and sys.modules["torch"] is None:
            del sys.modules["torch"]


def _windows(pieces: list[str]) -> list[list[str]]:
    """``pieces`` in windows of at most :data:`MAX_INPUT_PIECES`, each cut before a piece that
    starts a word (``▁``) where one is in the window's second half.

    >>> [len(w) for w in _windows(["▁a"] * 450)], _windows(["▁a", "b"])
    ([200, 200, 50], [['▁a', 'b']])
    """
    if len(pieces) <= MAX_INPUT_PIECES:
        return [pieces]
    windows = []
    start = 0
    while start < len(pieces):
        end = min(start + MAX_INPUT_PIECES, len(pieces))
        if end < len(pieces):
            cut = end
            while cut > start + MAX_INPUT_PIECES // 2 and not pieces[cut].startswith("\u2581"):
                cut -= 1
            if cut > start + MAX_INPUT_PIECES // 2:
                end = cut
        windows.append(pieces[start:end])
        start = end
    return windows


def _target_prefix(model: InstalledModel) -> str:
    """Multilingual packages name the target language with a first target token."""
    try:
        metadata = json.loads((model.path / "metadata.json").read_text("utf-8"))
    except (OSError, ValueError):
        return ""
    prefix = metadata.get("target_prefix", "") if isinstance(metadata, dict) else ""
    return prefix if isinstance(prefix, str) else ""


def decoding_workers() -> int:
    """Batches CTranslate2 decodes at once, one thread each (its ``inter_threads``): one per
    CPU this process may use, at most 4, or ``TOOLKIT_MT_THREADS``. On two cores this is
    1.8x (tiny model) and 1.2x (base-size model) the throughput of one batch at a time on
    two intra-op threads (docs/benchmarks.md); the outputs are the same."""
    setting = os.environ.get("TOOLKIT_MT_THREADS", "").strip()
    if setting and setting != "0":
        if not setting.isdigit():
            raise ModelError(
                f"TOOLKIT_MT_THREADS={setting!r} is not a number of threads.",
                hint="Set it to 1 or more (0 or unset: one per CPU, at most 4).",
            )
        return int(setting)
    try:
        count = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS
        count = os.cpu_count() or 1
    return max(1, min(4, count))
