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


# --- recall: damage of each family, labelled, found by each tool ----------------------------

#: Damage by family; each function returns the damaged translation, or None when the
#: translation has nothing of that family to damage.
FAMILY_DAMAGE: dict[str, list] = {  # type: ignore[type-arg]
    "placeholders": [
        lambda s: s.replace("%(first_name)s", "%(fornavn)s") if "%(first_name)s" in s else None,
        lambda s: s.replace(" %(date)s", "") if "%(date)s" in s else None,
        lambda s: s.replace("{url}", "{link}") if "{url}" in s else None,
        lambda s: s.replace("{reward} ", "") if "{reward}" in s else None,
        lambda s: s.replace("%(points)s", "%(points)d") if "%(points)s" in s else None,
    ],
    "tags": [
        lambda s: s.replace("</a>", "") if "</a>" in s else None,
        lambda s: s.replace("</a>", "</b>") if "</a>" in s else None,
        lambda s: s.replace("<a href", "<b href").replace("</a>", "</b>") if "<a" in s else None,
    ],
    "urls": [
        lambda s: s.replace(".com", ".dk", 1) if ".com" in s else None,
        lambda s: s.replace("help@", "hjaelp@") if "help@" in s else None,
        lambda s: s.replace("https://example.com/faq", "vores FAQ") if "/faq" in s else None,
        lambda s: s.replace("https://", "http://") if "https://" in s else None,
    ],
    "whitespace": [
        lambda s: " " + s,
        lambda s: s + " ",
        lambda s: s.replace(" ", "  ", 1) if " " in s else None,
        lambda s: "\t" + s,
    ],
}
#: The checks of each family: toolkit check ids, pofilter test names.
FAMILY_CHECKS = {
    "placeholders": ({"placeholders"}, {"variables", "printf", "pythonbraceformat"}),
    "tags": ({"html-tags"}, {"xmltags", "tags"}),
    "urls": ({"urls"}, {"urls", "emails"}),
    "whitespace": (
        {"whitespace", "double-space"},
        {"startwhitespace", "endwhitespace", "doublespacing"},
    ),
}
DAMAGE_RATE = 0.05  # per family, of the entries that have something of it
LINK_DOMAIN = "points-club.com"


def write_labelled_catalog(
    path: Path, locale: str, entries: int, rng: random.Random
) -> dict[str, str]:
    """A catalog like :func:`write_catalog` (no random damage), some entries damaged in one
    family each; returns ``{msgctxt: family}`` of the damaged entries."""
    from toolkit.locales import plural_forms_header

    labels: dict[str, str] = {}
    out = [
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Language: {locale}\\n"\n"Plural-Forms: {plural_forms_header(locale)}\\n"\n'
    ]
    for n in range(entries):
        flags, part, template = SOURCES[n % len(SOURCES)]
        # A real domain: links on example.com are illustrations a translator may localise
        # (docs/checks.md), so the toolkit does not report them changed.
        source = template.replace("{n}", str(n)).replace("example.com", LINK_DOMAIN)
        translation = TRANSLATED[template].replace("{n}", str(n))
        translation = translation.replace("example.com", LINK_DOMAIN)
        families = list(FAMILY_DAMAGE)
        rng.shuffle(families)
        for family in families:
            damaged = rng.choice(FAMILY_DAMAGE[family])(translation)
            if damaged is not None and damaged != translation and rng.random() < DAMAGE_RATE:
                translation, labels[f"m{n}"] = damaged, family
                break
        head = f"#: templates/email/message{n % 300}.j2:{n % 97 + 1}\n"
        block = head + (f"#. part: {part}\n" if part else "") + (f"#, {flags}\n" if flags else "")
        strings = f"msgid {_quote(source)}\nmsgstr {_quote(translation)}\n"
        out.append(block + f'msgctxt "m{n}"\n' + strings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out), "utf-8")
    return labels


def recall(root: Path, catalogs: int, entries: int) -> None:
    """Recall per family of ``toolkit check`` (every check) and of ``pofilter`` with its
    default tests, as a user runs both, on the same labelled catalogs."""
    import re

    import polib

    from toolkit.checks import check_catalogs
    from toolkit.config import load_config

    locales = list(LOCALES[:catalogs])
    (root / "toolkit.toml").write_text(
        "[tool.toolkit]\nlocales = [" + ", ".join(f'"{x}"' for x in locales) + "]\n", "utf-8"
    )
    rng = random.Random(11)
    labels: dict[tuple[str, str], str] = {}
    for locale in locales:
        path = root / "locales" / locale / "LC_MESSAGES" / "messages.po"
        for context, family in write_labelled_catalog(path, locale, entries, rng).items():
            labels[(locale, context)] = family
    ours: dict[tuple[str, str], set[str]] = {}
    for finding in check_catalogs(load_config(root)).findings:
        ours.setdefault((finding.locale, finding.msgctxt or ""), set()).add(finding.check)
    theirs: dict[tuple[str, str], set[str]] = {}
    pofilter = Path(sys.executable).parent / "pofilter"
    for locale in locales:
        out = root / f"pofilter-{locale}.po"
        subprocess.run(
            [str(pofilter), "--progress=none", str(root / "locales" / locale / "LC_MESSAGES" /
             "messages.po"), str(out)], check=True, capture_output=True,
        )  # fmt: skip
        for entry in polib.pofile(str(out)):
            tests = set(re.findall(r"\(pofilter\) ([a-z]+):", entry.tcomment or ""))
            theirs[(locale, entry.msgctxt or "")] = tests
    total = len(locales) * entries
    print(f"\nrecall on {len(labels)} damaged of {total} entries ({len(locales)} catalogs; "
          f"pofilter with its default tests)")  # fmt: skip
    print(f"{'family':<13} {'damaged':>7}  {'toolkit':>14}  {'pofilter':>14}  "
          f"{'false alarms toolkit / pofilter':>32}")  # fmt: skip
    for family, (our_checks, their_tests) in FAMILY_CHECKS.items():
        damaged = [key for key, fam in labels.items() if fam == family]
        found_ours = sum(1 for key in damaged if ours.get(key, set()) & our_checks)
        found_theirs = sum(1 for key in damaged if theirs.get(key, set()) & their_tests)
        false_ours = sum(1 for key, c in ours.items() if c & our_checks and key not in labels)
        false_theirs = sum(
            1 for key, t in theirs.items() if t & their_tests and key not in labels
        )
        print(
            f"{family:<13} {len(damaged):>7}  {found_ours:>5} ({found_ours / len(damaged):6.1%})"
            f"  {found_theirs:>5} ({found_theirs / len(damaged):6.1%})"
            f"  {false_ours:>15} / {false_theirs}"
        )


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
    parser.add_argument("--no-recall", action="store_true", help="skip the recall comparison")
    parser.add_argument("--recall-only", action="store_true", help="only the recall comparison")
    args = parser.parse_args()

    from toolkit.checks import check_catalogs
    from toolkit.config import load_config

    if args.recall_only:
        with tempfile.TemporaryDirectory() as folder:
            recall(Path(folder), min(args.catalogs, 3), 3000)
        return
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
    if args.no_pofilter or args.no_recall:
        return
    with tempfile.TemporaryDirectory() as folder:
        recall(Path(folder), min(args.catalogs, 3), 3000)


if __name__ == "__main__":
    main()
