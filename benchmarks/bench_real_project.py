"""The catalog commands on a real project's checkout, against pybabel and pofilter.

``make bench`` measures the repository's own three catalogs; a project people use has more
(ihatemoney: 41, CKAN: 40). Point this script at a checkout and it copies the templates, the
catalogs and the template POT into a scratch project, then times, side by side and as whole
processes (median of ``--runs``):

- ``toolkit extract`` vs ``pybabel extract`` of the Jinja templates;
- ``toolkit update`` vs ``pybabel update`` from the project's own POT;
- ``toolkit compile`` vs ``pybabel compile``: first compile (empty cache, the error checks run)
  and unchanged catalogs (verdicts and MO files from the cache);
- ``toolkit check --no-cache`` and ``toolkit check`` vs ``pofilter`` (its default checks).

    python benchmarks/bench_real_project.py ~/src/ihatemoney \\
        --templates ihatemoney/templates --catalogs ihatemoney/translations \\
        --pot ihatemoney/messages.pot
    python benchmarks/bench_real_project.py ~/src/ckan --templates ckan/templates \\
        --catalogs ckan/i18n --pot ckan/i18n/ckan.pot --domain ckan \\
        --opaque-tags snippet,url_for,link_for,asset,assets

Nothing in the checkout is changed. Catalogs whose errors make ``toolkit compile`` refuse
are reported (the first compile row then times a refusal, not a compile).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_all import format_table, restorer, row, side_by_side, tool  # noqa: E402


def _is_locale(name: str) -> bool:
    """Folders such as Sphinx's ``cak/`` (no CLDR data) or ``zh_TW.Big5/`` are left out, as
    the toolkit's commands leave them out (with a note)."""
    from toolkit.errors import ToolkitError
    from toolkit.locales import locale_id

    try:
        locale_id(name)
    except ToolkitError:
        return False
    return True


def scratch_project(args: argparse.Namespace, work: Path) -> tuple[Path, list[str]]:
    checkout = Path(args.checkout)
    project = work / "project"
    shutil.copytree(checkout / args.templates, project / "templates")
    found = (checkout / args.catalogs).glob(f"*/LC_MESSAGES/{args.domain}.po")
    locales = sorted(p.parent.parent.name for p in found if _is_locale(p.parent.parent.name))
    if not locales:
        raise SystemExit(f"no */LC_MESSAGES/{args.domain}.po under {checkout / args.catalogs}")
    for locale in locales:
        source = checkout / args.catalogs / locale / "LC_MESSAGES" / f"{args.domain}.po"
        target = project / "locales" / locale / "LC_MESSAGES" / f"{args.domain}.po"
        target.parent.mkdir(parents=True)
        shutil.copy(source, target)
    shutil.copy(checkout / args.pot, project / "locales" / f"{args.domain}.pot")
    names = ", ".join(f'"{locale}"' for locale in locales)
    tags = ", ".join(f'"{tag}"' for tag in args.opaque_tags.split(",") if tag)
    (project / "toolkit.toml").write_text(
        f'[tool.toolkit]\nsource_locale = "en"\nlocales = [{names}]\ndomain = "{args.domain}"\n'
        f"jinja_opaque_tags = [{tags}]\n",
        "utf-8",
    )
    (project / "babel.cfg").write_text(f"[jinja2: templates/{args.glob}]\n", "utf-8")
    return project, locales


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("checkout", help="the project's checkout")
    parser.add_argument("--templates", required=True, help="its Jinja templates folder")
    parser.add_argument("--catalogs", required=True, help="its folder of <locale>/LC_MESSAGES")
    parser.add_argument("--pot", required=True, help="its template POT")
    parser.add_argument("--domain", default="messages")
    parser.add_argument("--glob", default="**.html", help="templates pybabel extracts")
    parser.add_argument("--opaque-tags", default="", help="the framework's custom Jinja tags, "
                        "comma-separated (jinja_opaque_tags: snippet,url_for for CKAN)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    toolkit, pybabel, pofilter = tool("toolkit"), tool("pybabel"), tool("pofilter")
    with tempfile.TemporaryDirectory(prefix="bench-real-") as scratch:
        work = Path(scratch)
        project, locales = scratch_project(args, work)
        os.environ["TOOLKIT_CACHE_DIR"] = str(work / "cache")  # not the user's cache folder
        catalogs = project / "locales"
        pristine = work / "pristine"
        restore = restorer(catalogs, pristine)

        entries = sum(p.read_bytes().count(b"\nmsgid ") for p in pristine.rglob("*.po"))
        size = sum(p.stat().st_size for p in pristine.rglob("*.po"))
        what = f"{len(locales)} catalogs, {entries:,} entries, {size / 1e6:.1f} MB"
        tk = [toolkit, "--project", str(project)]
        rows = []
        ours, plain = side_by_side(
            tk + ["extract"],
            [[pybabel, "extract", "-F", "babel.cfg", "-o", str(work / "b.pot"), "-k", "_", "."]],
            args.runs, prepare=restore, cwd=project)  # fmt: skip
        templates = sum(1 for p in (project / "templates").rglob("*") if p.is_file())
        rows.append(row(f"extract vs `pybabel extract` ({templates} template files)", ours,
                        plain, "<= 1.0"))  # fmt: skip
        ours, plain = side_by_side(
            tk + ["update"], [[pybabel, "update", "-i", f"locales/{args.domain}.pot", "-d",
                               "locales", "-D", args.domain]],
            args.runs, prepare=restore, cwd=project)  # fmt: skip
        rows.append(row(f"update vs `pybabel update` ({what})", ours, plain, "<= 1.0"))
        restore()
        refused = subprocess.run(tk + ["compile"], cwd=project, capture_output=True, text=True)
        compiled = [pybabel, "compile", "-d", "locales", "-D", args.domain]
        fresh = iter(range(10**6))

        def first_compile() -> None:
            env = dict(os.environ, TOOLKIT_CACHE_DIR=str(work / f"cache{next(fresh)}"))
            subprocess.run(tk + ["compile"], cwd=project, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)  # fmt: skip

        ours, plain = side_by_side(first_compile, [compiled], args.runs, prepare=restore,
                                   cwd=project)  # fmt: skip
        if refused.returncode:  # errors: the checks refuse; --force compiles without them
            rows.append(row("compile (first: checks run and refuse) vs `pybabel compile`", ours,
                            plain, "<= 1.0"))  # fmt: skip
            ours, plain = side_by_side(tk + ["compile", "--force"], [compiled], args.runs,
                                       prepare=restore, cwd=project)  # fmt: skip
            rows.append(row("compile --force vs `pybabel compile`", ours, plain, "<= 1.0"))
        else:
            rows.append(row("compile vs `pybabel compile`, first compile: checks run", ours,
                            plain, "<= 1.0"))  # fmt: skip
            ours, plain = side_by_side(tk + ["compile"], [compiled], args.runs, prepare=restore,
                                       cwd=project)  # fmt: skip
            rows.append(row("compile vs `pybabel compile`, unchanged catalogs (from the cache)",
                            ours, plain, "<= 1.0"))  # fmt: skip
        restore()
        out = work / "pofilter-out"

        def run_pofilter() -> None:
            shutil.rmtree(out, ignore_errors=True)
            subprocess.run([pofilter, "--progress=none", str(catalogs), str(out)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip

        def check(*options: str) -> Callable[[], object]:
            return lambda: subprocess.run(tk + ["check", *options], cwd=project,
                                          stdout=subprocess.DEVNULL)  # fmt: skip

        ours, plain = side_by_side(check("--no-cache"), run_pofilter, args.runs)
        rows.append(row("check --no-cache (all checks) vs pofilter default checks", ours, plain,
                        "<= 0.33"))  # fmt: skip
        check()()  # fills the cache
        ours, plain = side_by_side(check(), run_pofilter, args.runs)
        rows.append(row("check (unchanged catalogs: findings from the cache) vs pofilter", ours,
                        plain, "<= 0.33"))  # fmt: skip
    header = (
        f"{Path(args.checkout).name}: {what}; {os.cpu_count()} CPUs, load "
        f"{os.getloadavg()[0]:.1f}, median of {args.runs} runs, wall time of whole processes."
    )
    if refused.returncode:
        header += f" compile refuses: {refused.stderr.strip().splitlines()[0][:200]}"
    print(format_table(rows, header))


if __name__ == "__main__":
    main()
