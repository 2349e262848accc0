"""Benchmark: ``toolkit translate`` against a naive ``argostranslate.translate.translate`` loop.

Both translate the same 500+ catalog strings with the same installed Argos package: a model
of Argos's real architecture size (Transformer base: 6+6 layers, d_model 512, 8 heads, FFN
2048, a 50,000-token vocabulary, int8) built by ``tests/argos_package.py`` with hand-set
weights that end each sentence the way a trained model does (random weights would decode to
the length limit and inflate the comparison). No internet needed.

    python benchmarks/bench_translate.py            # base-size model, 520 strings (about 5 minutes)
    python benchmarks/bench_translate.py --quick    # tiny model, 150 strings (seconds)

Prints wall time, segments/s and the speed-up for a first run and a rerun served from the
translation memory. Everything happens in a temporary folder (models, memory, XDG dirs).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.argos_package import BASE, EN_DA, ModelShape, build_package  # noqa: E402

GREETINGS = ["Hi {name},", "Hello {name},", "Good morning {name},", "Welcome back {name}!", ""]
SINGLE_WORDS = [w for w, t in EN_DA.items() if " " not in t]


def catalog_strings(count: int, seed: int = 0) -> list[str]:
    """``count`` distinct customer-message strings; sentences recur across them, as in life."""
    rng = random.Random(seed)
    sentences = []
    for _ in range(max(60, count // 3)):
        words = rng.choices(SINGLE_WORDS, k=rng.randint(4, 14))
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words)), rng.choice(["%(points)s", "{amount}", "<b>"]))
            if "<b>" in words:
                words.append("</b>")
        sentence = " ".join(words)
        sentences.append(sentence[0].upper() + sentence[1:] + rng.choice([".", "!", "?"]))
    strings: dict[str, None] = {}
    while len(strings) < count:
        body = " ".join(rng.sample(sentences, rng.choice([1, 1, 2, 3])))
        strings[f"{rng.choice(GREETINGS)} {body}".strip()] = None
    return list(strings)


def write_project(folder: Path, strings: list[str]) -> Path:
    from babel.messages.catalog import Catalog

    from toolkit.catalogs import write_catalog

    (folder / "toolkit.toml").write_text('source_locale = "en"\nlocales = ["da"]\n')
    catalog = Catalog(locale="da", fuzzy=False)
    for text in strings:
        catalog.add(text, "")
    po = folder / "locales" / "da" / "LC_MESSAGES" / "messages.po"
    write_catalog(po, catalog)
    return po


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny model, 150 strings")
    parser.add_argument("--strings", type=int, help="number of catalog strings")
    parser.add_argument("--beam-size", type=int, default=4)
    args = parser.parse_args()
    count = args.strings or (150 if args.quick else 520)
    shape = ModelShape() if args.quick else BASE

    work = Path(tempfile.mkdtemp(prefix="bench-translate-"))
    try:
        for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            os.environ[name] = str(work / name.lower())
        os.environ["ARGOS_PACKAGES_DIR"] = os.environ["TOOLKIT_MODELS_DIR"] = str(work / "models")
        os.environ["TOOLKIT_MEMORY"] = str(work / "memory.sqlite")
        os.environ["ARGOS_CHUNK_TYPE"] = "SPACY"  # offline sentence splitting for the loop
        run(work, count, shape, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


_NAIVE_SCRIPT = """
import json, sys
import argostranslate.translate
strings = json.loads(open(sys.argv[1], encoding="utf-8").read())
outputs = [argostranslate.translate.translate(text, "en", "da") for text in strings]
"""


def whole_processes(
    project: Path, po: Path, original: bytes, strings: list[str], runs: int
) -> tuple[float, float]:
    """Median seconds of a first ``toolkit translate`` (a new process, an empty memory) and
    of a new Python process running the naive loop, alternating: what a user waits for,
    each side with its own imports (the in-process rows count neither side's)."""
    listing = project / "strings.json"
    listing.write_text(json.dumps(strings), encoding="utf-8")
    toolkit = [sys.executable, "-m", "toolkit", "--project", str(project), "translate",
               "--locale", "da"]  # fmt: skip
    ours, naive = [], []
    for _ in range(runs):
        Path(os.environ["TOOLKIT_MEMORY"]).unlink(missing_ok=True)
        po.write_bytes(original)
        started = time.perf_counter()
        subprocess.run(toolkit, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", _NAIVE_SCRIPT, str(listing)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        naive.append(time.perf_counter() - started)
    po.write_bytes(original)
    return statistics.median(ours), statistics.median(naive)


def run(
    work: Path, count: int, shape: ModelShape, args: argparse.Namespace
) -> tuple[float, float, float, tuple[float, float]]:
    """Print the comparison; return (naive loop s, first run s, rerun s, (toolkit process s,
    naive process s)), medians."""
    from toolkit.config import load_config
    from toolkit.mt import TranslateResult, translate_catalog
    from toolkit.mt.models import install_from_file

    strings = catalog_strings(count)
    started = time.perf_counter()
    package = build_package(
        work / "build",
        EN_DA,
        shape=shape,
        quantization=None if args.quick else "int8",
        noise=0.0 if args.quick else 0.002,
        corpus=strings,
        spacy_sbd=True,
    )
    install_from_file(package, work / "models")
    print(
        f"model: {shape.layers[0]}+{shape.layers[1]} layers, d_model {shape.d_model}, "
        f"vocab {max(shape.vocab_size, 0) or 'SentencePiece size'}, "
        f"{package.stat().st_size / 1e6:.0f} MB package (built in "
        f"{time.perf_counter() - started:.0f} s)"
    )
    project = work / "project"
    project.mkdir()
    po = write_project(project, strings)
    original = po.read_bytes()
    config = load_config(project)

    firsts: list[float] = []
    reruns: list[float] = []

    def toolkit_run() -> TranslateResult:
        Path(os.environ["TOOLKIT_MEMORY"]).unlink(missing_ok=True)
        po.write_bytes(original)
        started = time.perf_counter()
        result = translate_catalog(config, "da", beam_size=args.beam_size)
        firsts.append(time.perf_counter() - started)
        po.write_bytes(original)
        started = time.perf_counter()
        rerun = translate_catalog(config, "da", beam_size=args.beam_size)
        reruns.append(time.perf_counter() - started)
        assert rerun.segments_translated == 0, "rerun must come from memory"
        return result

    # "Imports not counted" holds for both sides: the naive loop's argostranslate import is
    # timed apart below, and so are the toolkit's MT imports (CTranslate2's core and
    # SentencePiece, which its first run imported inside the timing).
    started = time.perf_counter()
    import sentencepiece  # noqa: F401

    from toolkit.mt.argos import import_ctranslate2

    import_ctranslate2()
    toolkit_import = time.perf_counter() - started
    # Toolkit runs before and after the naive loop: load from other jobs on a shared machine
    # drifts over minutes, and this keeps the drift from favouring either side.
    result = toolkit_run()
    started = time.perf_counter()
    import argostranslate.translate

    import_time = time.perf_counter() - started
    started = time.perf_counter()
    naive_outputs = [argostranslate.translate.translate(text, "en", "da") for text in strings]
    naive = time.perf_counter() - started
    toolkit_run()
    first, again = statistics.median(firsts), statistics.median(reruns)
    processes = whole_processes(project, po, original, strings, getattr(args, "processes", 3))
    ours = {c.msgid: c.strings[0] for c in result.changes}
    same = sum(ours.get(text) == out for text, out in zip(strings, naive_outputs, strict=True))

    n = len(strings)
    print(
        f"{n} strings, {result.segments_translated} unique segments sent to MT, "
        f"{result.translated} entries written, {len(result.flagged)} flagged; "
        f"beam {args.beam_size}; {os.cpu_count()} CPUs"
    )
    rows = [
        ("naive argostranslate loop", naive, 1.0),
        ("toolkit translate, first run", first, naive / first),
        ("toolkit translate, rerun (memory)", again, naive / again),
    ]
    print(f"{'':36} {'wall s':>8} {'strings/s':>10} {'speed-up':>9}")
    for label, seconds, ratio in rows:
        print(f"{label:36} {seconds:8.2f} {n / seconds:10.1f} {ratio:8.1f}x")
    print(f"(argostranslate.translate import, not counted: {import_time:.1f} s; the toolkit's "
          f"MT imports, not counted either: {toolkit_import:.2f} s)")
    print("toolkit first runs: " + ", ".join(f"{t:.2f} s" for t in firsts) + " (median shown)")
    print(f"identical output for {same} of {n} strings (same model, both paths)")
    print(
        f"whole processes, imports included: toolkit translate {processes[0]:.2f} s, naive "
        f"script {processes[1]:.2f} s: {processes[1] / processes[0]:.1f}x"
    )
    return naive, first, again, processes


if __name__ == "__main__":
    main()
