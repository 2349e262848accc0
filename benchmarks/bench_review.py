"""``toolkit review`` on a 5,000-entry catalog: the queue and a save, over HTTP, against the
plain alternative.

Generates a content project (the review test fixture's template, glossary and locales, with the
Danish catalog grown to ``--entries`` entries: a third fuzzy with MT provenance, a tenth
untranslated, plurals, SMS parts, about 1 % with findings), starts the real server (uvicorn in a
thread, on a free loopback port) and times, with an HTTP client:

- ``GET /api/da/entries?state=all`` (every entry with findings, glossary terms, MT provenance):
  the first request after start or after another program changed the file (parse, every
  check of ``toolkit check``, msgfmt included) and the following ones (cached per revision);
- ``POST /api/da/entries/<id>`` approving an entry: entry checks and msgfmt on the entry, the
  in-place edit, atomic write (fsync), the cache brought up to date;
- the plain alternative a script would use without the toolkit: polib to read the catalog and
  list the fuzzy/untranslated entries, and polib to change one entry and save the file (which
  rewrites the whole file, re-wrapped, with no checks).

    .venv/bin/python benchmarks/bench_review.py [--entries 5000] [--runs 15]

Not part of the test suite. Results go to docs/benchmarks.md (## review) by hand.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx2 as httpx  # noqa: E402
import polib  # noqa: E402

from tests.review.server import live_server  # noqa: E402
from toolkit.config import load_config  # noqa: E402
from toolkit.review.model import entry_id  # noqa: E402

FIXTURE = ROOT / "tests" / "data" / "review" / "project"


def build_project(folder: Path, count: int) -> Path:
    """A copy of the review fixture whose Danish catalog has ``count`` more entries."""
    project = folder / "project"
    shutil.copytree(FIXTURE, project)
    po = project / "locales" / "da" / "LC_MESSAGES" / "messages.po"
    blocks = []
    for n in range(count):
        msgid = f"Hi %(first_name)s, you have {n} points waiting in the app."
        text = f"Hej %(first_name)s, du har {n} bonuspoint, der venter i appen."
        comments, flags = [f"#. part: {'sms' if n % 4 == 0 else 'html'}", f"#: gen/m{n}.j2:1"], [
            "python-format"
        ]
        if n % 3 == 0:
            comments.insert(0, "# mt: argos en->da 1.0 score=-0.31")
            flags.insert(0, "fuzzy")
        if n % 10 == 1:
            text = ""
        if n % 100 == 7:
            text = text.replace("%(first_name)s", "%(first)s")  # a broken placeholder
        lines = [*comments, "#, " + ", ".join(flags), f'msgid "{msgid}"']
        if n % 25 == 5:
            lines += [
                f'msgid_plural "{msgid.replace("points", "points each")}"',
                f'msgstr[0] "{text}"',
                f'msgstr[1] "{text}"',
            ]
        else:
            lines.append(f'msgstr "{text}"')
        blocks.append("\n".join(lines) + "\n")
    po.write_text(po.read_text("utf-8") + "\n" + "\n".join(blocks), "utf-8")
    return project


CPU: list[float] = []  # CPU ms of the last timed() calls, same order


def cpu_seconds() -> float:
    """CPU time of this process (server and client threads) and its children (msgfmt)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(action) -> float:
    """Wall milliseconds of ``action``; its CPU milliseconds are appended to CPU."""
    cpu = cpu_seconds()
    start = time.perf_counter()
    action()
    CPU.append((cpu_seconds() - cpu) * 1000)
    return (time.perf_counter() - start) * 1000


def plain_queue(path: Path) -> int:
    catalog = polib.pofile(str(path), wrapwidth=76)
    return sum(1 for e in catalog if e.fuzzy or not e.translated())


def plain_save(path: Path, msgid: str, text: str) -> None:
    catalog = polib.pofile(str(path), wrapwidth=76)
    entry = catalog.find(msgid)
    entry.msgstr = text
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    catalog.save()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        project = build_project(Path(folder), args.entries)
        config = load_config(project)
        path = config.po_path("da")
        print(f"catalog: {path.stat().st_size / 1e6:.2f} MB, {args.entries + 7} entries")
        with live_server(config, reviewer="Bench") as url, httpx.Client(base_url=url) as client:
            csrf = client.get("/api/session").json()["csrf"]
            first = timed(lambda: client.get("/api/da/entries?state=all").raise_for_status())
            first_cpu = CPU[-1]
            CPU.clear()
            warm = [
                timed(lambda: client.get("/api/da/entries?state=all").raise_for_status())
                for _ in range(args.runs)
            ]
            warm_cpu = list(CPU)
            CPU.clear()
            review = [
                timed(lambda: client.get("/api/da/entries").raise_for_status())
                for _ in range(args.runs)
            ]
            review_cpu = list(CPU)
            body = client.get("/api/da/entries?state=all").json()
            revision = body["revision"]
            print(f"entries: {len(body['entries'])}, needing review: {body['counts']['review']}")
            saves: list[float] = []
            save_cpu: list[float] = []
            fuzzy_singular = [n for n in range(0, args.entries, 3) if n % 25 != 5]
            for n in fuzzy_singular[: args.runs]:  # fuzzy MT entries, one form
                msgid = f"Hi %(first_name)s, you have {n} points waiting in the app."
                payload = {
                    "msgstr": [f"Hej %(first_name)s, du har {n} bonuspoint, der venter."],
                    "approve": True,
                    "revision": revision,
                }
                key = entry_id(None, msgid)
                answers = []
                saves.append(
                    timed(
                        lambda key=key, payload=payload, answers=answers: answers.append(
                            client.post(
                                f"/api/da/entries/{key}",
                                json=payload,
                                headers={"X-CSRF-Token": csrf},
                            )
                        )
                    )
                )
                save_cpu.append(CPU[-1])
                answers[0].raise_for_status()
                revision = answers[0].json()["revision"]
            after_save = timed(lambda: client.get("/api/da/entries?state=all").raise_for_status())
            os.utime(path, None)
            path.write_bytes(path.read_bytes() + b"\n")  # another program changes the file
            changed = timed(lambda: client.get("/api/da/entries?state=all").raise_for_status())
            changed_cpu = CPU[-1]

        plain_reads = [timed(lambda: plain_queue(path)) for _ in range(5)]
        plain_saves = [
            timed(lambda n=n: plain_save(path, "Reply STOP to opt out.", f"Svar STOP {n}."))
            for n in range(5)
        ]

    median = statistics.median
    rows = [
        ("queue, first request (parse + all checks + msgfmt)", first, first_cpu, None),
        ("queue state=all, cached revision (median)", median(warm), median(warm_cpu),
         median(plain_reads)),
        ("queue state=review, cached revision (median)", median(review), median(review_cpu),
         median(plain_reads)),
        ("queue right after a save", after_save, None, None),
        ("queue after another program changed the file", changed, changed_cpu, None),
        ("save + approve (median)", median(saves), median(save_cpu), median(plain_saves)),
        ("save + approve (slowest)", max(saves), max(save_cpu), max(plain_saves)),
    ]
    print(f"{'':50} {'wall':>9} {'CPU':>9} {'plain polib':>12} {'ratio':>6}")
    for label, ours, cpu, plain in rows:
        shown_cpu = f"{cpu:6.1f} ms" if cpu is not None else " " * 9
        extra = f"{plain:9.1f} ms {plain / ours:5.1f}x" if plain else ""
        print(f"{label:50} {ours:6.1f} ms {shown_cpu} {extra}")
    print(f"load average: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
