"""Benchmark ``toolkit check``: 20 catalogs x 5,000 entries, against translate-toolkit's pofilter.

Generates a content project in a temporary folder (20 locales, each catalog 5,000 entries:
plain text, python-format, brace-format, HTML, URLs, plurals, SMS/push parts, about 1% damaged),
then times:

- ``check_catalogs`` with every check (msgfmt included, run once per catalog);
- the same without msgfmt;
- ``pofilter`` with the placeholder/markup tests (variables, printf, pythonbraceformat, xmltags,
  urls, emails) on the same files, the plain alternative.

Run: ``.venv/bin/python benchmarks/bench_check.py [--catalogs 20] [--entries 5000]``.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LOCALES = "da nb lt de fr es it pl ru sv fi nl pt cs sk uk ro hu et lv ja ko tr el bg".split()

SOURCES = [
    ("python-format", "sms", "Hi %(first_name)s, you have %(points)s points. Use them at {n}."),
    ("python-format", "", "Your order %(order_id)s has shipped and arrives %(date)s."),
    ("python-brace-format", "", "Redeem your {reward} at {url} before {date}."),
    ("", "html", 'Visit <a href="https://example.com/r{n}">your rewards</a> today.'),
    ("", "push_title", "Points waiting {n}"),
    ("", "push_body", "You are close to your next reward. Open the app to see it."),
    ("", "subject", "Your monthly points summary {n}"),
    ("", "", "Questions? Write to help@example.com or visit https://example.com/faq."),
    ("", "", "See [your account](https://example.com/account) for your balance."),
    ("", "", "Thank you for being a member of the Points Club since {n}."),
]
TRANSLATED = {
    "Hi %(first_name)s, you have %(points)s points. Use them at {n}.": (
        "Hej %(first_name)s, du har %(points)s point. Brug dem hos {n}."
    ),
    "Your order %(order_id)s has shipped and arrives %(date)s.": (
        "Din ordre %(order_id)s er sendt og ankommer %(date)s."
    ),
    "Redeem your {reward} at {url} before {date}.": "Indløs din {reward} på {url} før {date}.",
    'Visit <a href="https://example.com/r{n}">your rewards</a> today.': (
        'Besøg <a href="https://example.com/r{n}">dine bonusser</a> i dag.'
    ),
    "Points waiting {n}": "Point venter {n}",
    "You are close to your next reward. Open the app to see it.": (
        "Du er tæt på din næste belønning. Åbn appen for at se den."
    ),
    "Your monthly points summary {n}": "Din månedlige pointoversigt {n}",
    "Questions? Write to help@example.com or visit https://example.com/faq.": (
        "Spørgsmål? Skriv til help@example.com eller besøg https://example.com/faq."
    ),
    "See [your account](https://example.com/account) for your balance.": (
        "Se [din konto](https://example.com/account) for din saldo."
    ),
    "Thank you for being a member of the Points Club since {n}.": (
        "Tak fordi du har været medlem af Pointklubben siden {n}."
    ),
}
DAMAGE = [
    lambda s: s.replace("%(first_name)s", "%(fornavn)s"),
    lambda s: s.replace("{url}", "{link}"),
    lambda s: s.replace("</a>", ""),
    lambda s: s.replace("https://example.com", "https://example.dk"),
    lambda s: s.replace("%(date)s", ""),
    lambda s: s.rstrip("."),
]


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_catalog(path: Path, locale: str, entries: int, rng: random.Random) -> None:
    from toolkit.locales import plural_forms, plural_forms_header

    nplurals = plural_forms(locale)[0]
    out = [
        'msgid ""\nmsgstr ""\n'
        '"Project-Id-Version: bench 1.0\\n"\n"Report-Msgid-Bugs-To: qa@example.com\\n"\n'
        '"POT-Creation-Date: 2025-01-01 00:00+0000\\n"\n'
        '"PO-Revision-Date: 2025-01-02 00:00+0000\\n"\n'
        '"Last-Translator: QA <qa@example.com>\\n"\n'
        f'"Language-Team: {locale} <qa@example.com>\\n"\n"Language: {locale}\\n"\n'
        '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Content-Transfer-Encoding: 8bit\\n"\n'
        f'"Plural-Forms: {plural_forms_header(locale)}\\n"\n'
    ]
    for n in range(entries):
        head = f"#: templates/email/message{n % 300}.j2:{n % 97 + 1}\n"
        context = f'msgctxt "m{n}"\n'
        if n % 10 == 9:
            forms = "\n".join(
                f'msgstr[{i}] "%(num)d point{"er" * i} tilbage {n}"' for i in range(nplurals)
            )
            out.append(
                head + "#, python-format\n"
                f'msgid "%(num)d point left {n}"\nmsgid_plural "%(num)d points left {n}"\n'
                + forms
                + "\n"
            )
            continue
        flags, part, template = SOURCES[n % len(SOURCES)]
        source = template.replace("{n}", str(n))
        translation = TRANSLATED[template].replace("{n}", str(n))
        if rng.random() < 0.01:
            translation = rng.choice(DAMAGE)(translation)
        if rng.random() < 0.05:
            translation = ""
        block = head + (f"#. part: {part}\n" if part else "") + (f"#, {flags}\n" if flags else "")
        out.append(block + context + f"msgid {_quote(source)}\nmsgstr {_quote(translation)}\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out), "utf-8")


def make_project(root: Path, catalogs: int, entries: int) -> list[str]:
    locales = list(LOCALES[:catalogs])
    (root / "toolkit.toml").write_text(
        '[tool.toolkit]\nsource_locale = "en"\nlocales = ['
        + ", ".join(f'"{loc}"' for loc in locales)
        + "]\n",
        "utf-8",
    )
    rng = random.Random(7)
    for locale in locales:
        write_catalog(
            root / "locales" / locale / "LC_MESSAGES" / "messages.po", locale, entries, rng
        )
    return locales


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def timed(label: str, func):  # type: ignore[no-untyped-def]
    """Wall time (returned) and CPU time of this process and its children (printed too):
    on a busy machine the CPU figure is the steadier one."""
    start, cpu = time.perf_counter(), _cpu()
    result = func()
    seconds = time.perf_counter() - start
    print(f"{label:<52} {seconds:6.2f} s wall {_cpu() - cpu:6.2f} s CPU")
    return seconds, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalogs", type=int, default=20)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--no-pofilter", action="store_true", help="skip the pofilter run")
    args = parser.parse_args()

    from toolkit.checks import check_catalogs
    from toolkit.config import load_config

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        locales = make_project(root, args.catalogs, args.entries)
        config = load_config(root)
        total = args.catalogs * args.entries
        print(f"{args.catalogs} catalogs x {args.entries} entries = {total} entries")
        msgfmt = "msgfmt" if shutil.which("msgfmt") else "msgfmt (not installed: 1 warning)"
        all_seconds, report = timed(
            f"toolkit check, all checks incl. {msgfmt}", lambda: check_catalogs(config)
        )
        print(f"  {report.errors} errors, {report.warnings} warnings")
        timed(
            "toolkit check, all checks, one process",
            lambda: check_catalogs(config, jobs=1),
        )
        fast_seconds, _ = timed(
            "toolkit check --ignore msgfmt", lambda: check_catalogs(config, ignore=["msgfmt"])
        )
        select = ["placeholders", "html-tags", "urls"]
        same_seconds, _ = timed(
            "toolkit check --select placeholders,html-tags,urls",
            lambda: check_catalogs(config, select=select),
        )
        print(f"  {total / all_seconds:,.0f} entries/s with every check")
        pofilter = Path(sys.executable).parent / "pofilter"
        if args.no_pofilter or not pofilter.exists():
            print("pofilter: skipped")
            return
        command = [str(pofilter), "--progress=none"]
        for test in ("variables", "printf", "pythonbraceformat", "xmltags", "urls", "emails"):
            command += ["-t", test]
        paths = [config.po_path(loc) for loc in locales]
        out = root / "pofilter-out"
        out.mkdir()

        def run_pofilter() -> None:
            for number, path in enumerate(paths):
                subprocess.run(
                    [*command, str(path), str(out / f"{number}.po")],
                    check=True,
                    capture_output=True,
                )

        pofilter_seconds, _ = timed("pofilter (6 placeholder/markup tests)", run_pofilter)
        same = pofilter_seconds / same_seconds
        every = pofilter_seconds / all_seconds
        print(f"toolkit check vs pofilter, same 3 families: {same:.1f}x as fast")
        print(f"toolkit check vs pofilter, all {len(report.checks)} checks: {every:.1f}x as fast")


if __name__ == "__main__":
    main()
