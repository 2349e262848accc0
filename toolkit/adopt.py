"""``toolkit init`` in an app that already has gettext catalogs: read its pybabel setup.

A Flask or Jinja2 app keeps its catalogs somewhere (``app/translations/<L>/LC_MESSAGES/
<domain>.po``), its pybabel POT (``messages.pot``, Flask-Admin's ``babel/admin.pot``), its
templates (``app/templates``) and its extraction settings (``babel.cfg``, ``setup.cfg``'s
``[extract_messages]`` and ``[compile_catalog]``). :func:`detect` finds them, so the project
``init`` writes works on the app's own catalogs instead of scaffolding an empty tree beside
them. Nothing here writes a file.
"""

from __future__ import annotations

import configparser
import heapq
import json
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import plain_domain, sound_keyword
from .errors import ToolkitError
from .template_files import JINJA_SUFFIXES

#: Folders never searched: version control, virtual environments, dependencies, builds.
_SKIPPED = frozenset(
    {"node_modules", "bower_components", "venv", "env", "site-packages", "__pycache__",
     "build", "dist", "vendor", "htmlcov"}
)  # fmt: skip
#: Folders whose catalogs are documentation's (Sphinx), used only when there are no others.
_DOCS = frozenset({"doc", "docs", "documentation"})
def _inside(directory: Path, name: str) -> Path | None:
    """``directory / name`` when it stays inside ``directory`` (setup.cfg may name anything)."""
    path = directory / name
    try:  # (realpath: resolve() raises RuntimeError on a link that loops)
        Path(os.path.realpath(path)).relative_to(os.path.realpath(directory))
    except (OSError, ValueError):
        return None
    return path


def toml_string(value: str) -> str:
    """``value`` as a TOML basic string (quotes, backslashes and control characters
    escaped: a folder may be named anything)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


#: Folders whose templates are no part of the app.
_ASIDE = _DOCS | {"example", "examples", "test", "tests", "testing", "sample", "samples"}
#: At most this many folders are looked at (``init`` run in a home folder stays quick), and
#: no deeper than this.
MAX_FOLDERS = 20_000
MAX_DEPTH = 30
#: Of one folder's subfolders, at most this many are searched.
MAX_CHILDREN = 1_000
#: The largest setup.cfg, mapping file or script read (a link to /dev/zero, a 180 MB file).
MAX_READ_BYTES = 1_048_576
#: pybabel's mapping files, by name.
_MAPPING = re.compile(r"babel[\w.-]*\.(cfg|ini|toml)$", re.IGNORECASE)
#: Scripts that may run ``pybabel extract -k ...`` (Flask-Security's is in tox.ini).
_SCRIPT = re.compile(r"(Makefile|justfile|tox\.ini|noxfile\.py|[\w.-]+\.(sh|bat|cmd|mk))$",
                     re.IGNORECASE)  # fmt: skip
#: (a quoted value is a list: pydata-sphinx-theme's --keywords='_ __ l_ lazy_gettext')
_KEYWORD_OPTION = re.compile(
    r"""(?:^|\s)(?:-k\s*|--keywords?[=\s])(?:'([^']*)'|"([^"]*)"|([^\s"']+))"""
)
_NO_FUZZY_OPTION = re.compile(r"(?:^|\s)(?:-N|--no-fuzzy-matching)(?=\s|$|[\"';])")
_COMMENT_OPTION = re.compile(r"""(?:^|\s)(?:-c\s*|--add-comments[=\s])["']?([^\s"']+)""")


def _small_text(path: Path, directory: Path) -> str | None:
    """A small regular file's text, or None (a FIFO, a device, a link to /dev/zero, more than
    :data:`MAX_READ_BYTES`, unreadable): nothing here may block or fill the memory. A file
    reached through a link out of ``directory`` (a ``pyproject.toml`` linked elsewhere) is
    not the project's: None (QA pass 83)."""
    from .fsutil import read_regular_file

    if _inside(directory, os.path.relpath(path, directory)) is None:
        return None
    try:
        data = read_regular_file(path, MAX_READ_BYTES)
    except OSError:
        return None
    if len(data) > MAX_READ_BYTES:
        return None
    return data.decode("utf-8", "replace")


def _script_options(path: Path, directory: Path) -> tuple[list[str], list[str], bool]:
    """The ``-k``/``--keyword`` and ``-c``/``--add-comments`` values of the ``pybabel
    extract`` commands of a small script (a command continued over lines with a backslash),
    and whether a ``pybabel update`` there runs without fuzzy matching (``-N``, SearXNG's)."""
    text = _small_text(path, directory)
    if text is None:
        return [], [], False
    # the options after "pybabel ..." ("sh -c 'pybabel extract'" is no -c of its own), on
    # lines that are no comment ("# pybabel update -N was too slow", QA pass 83); a list of
    # Python strings ("pybabel", "update", "-N") read as one command
    lines = re.sub(r"\\\r?\n", " ", text).splitlines()
    commands = [re.sub(r"""["'],\s*["']""", " ", c[c.index("pybabel"):]) for c in lines
                if "pybabel" in c and not _commented(c)]  # fmt: skip
    extracts = [c for c in commands if "extract" in c]
    # every pybabel of a line ("pybabel extract ... && pybabel update -N"), but not one
    # an echo prints (QA pass 83)
    updates = [_command_of(re.sub(r"""["'],\s*["']""", " ", line[m.start():]), "update")
               for line in lines if not _commented(line)
               for m in re.finditer("pybabel", line) if not _printed(line[:m.start()])]
    return (
        [k for c in extracts for m in _KEYWORD_OPTION.findall(c) for k in "".join(m).split()],
        [t for c in extracts for t in _COMMENT_OPTION.findall(c)],
        any(_NO_FUZZY_OPTION.search(c) for c in updates),
    )


def _commented(line: str) -> bool:
    """Whether a script's line is a comment (shell, Python, Make, a batch file's REM or ::)."""
    start = line.lstrip().lstrip("@").lower()
    return start.startswith(("#", "//", "::", "rem ", "rem\t"))


def _printed(before: str) -> bool:
    """Whether the command a line goes on to is text a command prints (``echo "pybabel
    update -N"``): the shell command before it is an echo or printf."""
    command = re.split(r"&&|\|\||[;|(]", before)[-1].split()
    return bool(command) and command[0].lstrip("@").lower() in ("echo", "printf")


def _command_of(command: str, verb: str) -> str:
    """The options of ``pybabel <verb>`` in a line starting at "pybabel": up to a quote, a
    ``;``, ``&``, ``|`` or ``#`` that ends the command (``echo 'pybabel update' -N`` runs no
    update with -N); empty when the line runs no ``pybabel <verb>``."""
    match = re.match(rf"pybabel[\w.-]*\s+{verb}\b([^'\"`;&|#]*)", command)
    return match.group(1) if match else ""


@dataclass
class Adoption:
    """What an existing app's files say about its catalogs (relative POSIX paths)."""

    locales_dir: str
    domain: str
    locales: list[str]
    templates_dir: str | None = None
    templates_exclude: list[str] = field(default_factory=list)
    app_pot: str | None = None  # the app's own POT, which extract never writes over
    pot_file: str | None = None  # the toolkit's POT, where the app's sits at the default path
    keywords: list[str] = field(default_factory=list)
    comment_tags: list[str] = field(default_factory=list)
    suffixes: list[str] = field(default_factory=list)
    trimmed: bool = False  # babel.cfg's ``trimmed`` for Jinja sections
    extensions: list[str] = field(default_factory=list)  # babel.cfg's Jinja extensions
    mapping: str | None = None  # the babel.cfg read
    fuzzy_matching: bool = True  # false: the app updates with 'pybabel update -N'
    notes: list[str] = field(default_factory=list)

    def update_command(self, project: str, own_pot: str) -> str:
        """The first update: from the app's POT and the toolkit's, merged as one."""
        if self.app_pot is None:
            return f"toolkit{project} update"
        from shlex import quote

        return f"toolkit{project} update --pot {quote(self.app_pot)} --pot {quote(own_pot)}"


def detect(
    directory: Path, source_locale: str = "en", notes: list[str] | None = None
) -> Adoption | None:
    """The app's catalogs and settings below ``directory``; None when it has no catalogs
    (then ``notes`` gets why none may have been found: a bounded search)."""
    found = _scan(directory)
    setup = _setup_cfg(directory)
    groups = found.catalogs
    if not groups or all(_DOCS.intersection(Path(f).parts) for f, _ in groups):
        if found.stopped and notes is not None:
            notes.append(
                f"no gettext catalogs found, but the search was bounded ({MAX_FOLDERS:,} "
                f"folders, {MAX_DEPTH} levels, {MAX_CHILDREN:,} subfolders of one folder): "
                "if the app has catalogs, run 'toolkit init' in the folder that holds them"
            )
        return None  # (documentation's catalogs alone, Sphinx's: no app to adopt)
    stopped = found.stopped
    wanted_dir = setup.get("directory")
    wanted_domain = setup.get("domain")

    def rank(key: tuple[str, str]) -> tuple[int, int, int, int, int, int, int]:
        folder, domain = key
        parts = Path(folder).parts
        return (
            int(folder == wanted_dir and (wanted_domain in (None, domain))),
            int(not _DOCS.intersection(p.lower() for p in parts)),
            # a JavaScript catalog beside the server's (Django's djangojs.po): the server's
            int(not (domain.endswith("js") and (folder, domain[:-2]) in groups)),
            len(groups[key]),
            int(domain == (wanted_domain or "messages")),
            -len(parts),
            found.sizes[key],  # (Django's django.po over its djangojs.po: the larger)
        )

    locales_dir, domain = max(groups, key=rank)
    adoption = Adoption(locales_dir=locales_dir, domain=domain, locales=[])
    others = sorted(
        f for f, _ in groups
        if f != locales_dir and not _DOCS.intersection(Path(f).parts) and len(groups[(f, _)]) > 1
        and not _ASIDE.intersection(Path(f).parts)
    )  # fmt: skip
    if others:
        shown = list(dict.fromkeys(others))
        adoption.notes.append(
            f"catalogs also in {', '.join(shown[:3])}"
            + (f" and {len(shown) - 3} more folders" if len(shown) > 3 else "")
            + ": if that is another app, run 'toolkit init' in its own folder"
        )
    if stopped:
        adoption.notes.append(
            f"the search was bounded ({MAX_FOLDERS:,} folders, {MAX_DEPTH} levels, "
            f"{MAX_CHILDREN:,} subfolders of one folder): catalogs beyond were not looked for"
        )
    _pick_locales(adoption, groups[(locales_dir, domain)], source_locale)
    if domain in ("django", "djangojs"):  # (Tabbycat: every {% load %} stopped extract)
        adoption.notes.append(
            f"{domain}.po is Django's domain: the toolkit reads Jinja2 templates, not Django's "
            "({% load %}, {% url %}); keep the messages it manages in Jinja2 templates of "
            "their own"
        )
    _pick_pot(adoption, directory, setup.get("output_file"), found.pots)
    _pick_templates(adoption, found.templates, locales_dir)
    if adoption.templates_dir is None:
        _templates_beside_catalogs(adoption, directory)
    # pybabel reads no Markdown or YAML: articles and FAQs extract would find there (READMEs,
    # CI files) are no messages of the app.
    adoption.templates_exclude += ["*.md", "*.yaml", "*.yml"]
    keywords = setup.get("keywords", "").split() or found.keywords
    adoption.keywords = [k for k in keywords if sound_keyword(k)]
    if len(adoption.keywords) < len(keywords):  # ("-k $(KW)" in a Makefile)
        adoption.notes.append(
            "left out pybabel keywords that are no function name with an argument spec: "
            + ", ".join(repr(k) for k in keywords if k not in adoption.keywords)
        )
    tags = setup.get("add_comments", "").replace(",", " ").split() or found.comment_tags
    adoption.comment_tags = [t for t in tags if t != "Translators:"  # (that one always counts)
                             and t.isprintable() and '"' not in t]  # fmt: skip
    no_fuzzy = setup.get("no_fuzzy_matching", "").lower() in ("1", "true", "yes", "on")
    adoption.fuzzy_matching = not (no_fuzzy or found.no_fuzzy)
    mapping = setup.get("mapping_file")
    mapping_path = _inside(directory, mapping) if mapping else None
    if mapping_path is None or not mapping_path.is_file():
        mapping_path = found.mappings[0] if found.mappings else None
    suffixes = found.template_suffixes
    if mapping_path is None or not _read_mapping(adoption, directory, mapping_path, suffixes):
        # pybabel reads a [tool.babel] of pyproject.toml as its mapping (-F pyproject.toml)
        _read_mapping(adoption, directory, directory / "pyproject.toml", suffixes)
    return adoption


@dataclass
class _Found:
    catalogs: dict[tuple[str, str], set[str]]
    sizes: Counter[tuple[str, str]]  # bytes of each group's catalogs
    pots: list[str]
    templates: Counter[str]
    mappings: list[Path]
    keywords: list[str]  # pybabel's -k in the app's scripts (Flask-Admin's babel/babel.sh)
    comment_tags: list[str]  # and its -c (Flask-Security's --add-comments=NOTE, in tox.ini)
    stopped: bool  # the search stopped at its bounds (said in a note)
    no_fuzzy: bool = False  # a script runs 'pybabel update -N'
    template_suffixes: Counter[str] = field(default_factory=Counter)


#: Folder names on the path to an app's catalogs, searched first at each level.
_CATALOG_FOLDERS = frozenset(
    {"locale", "locales", "translations", "i18n", "l10n", "po", "lang", "langs", "languages",
     "LC_MESSAGES"}
)  # fmt: skip


def _walk(directory: Path, stopped: list[int]) -> Iterator[tuple[str, list[str], list[str]]]:
    """``os.walk`` breadth first, without recursion (1,500 nested folders passed Python's
    limit), at most :data:`MAX_FOLDERS` folders and :data:`MAX_DEPTH` levels: shallow
    catalogs are found before one wide or deep subfolder uses up the search. Hidden folders,
    environments and dependencies are skipped, symbolic links not followed, and names that
    are no text (undecodable bytes) left out; only regular files are listed. Where a bound
    cut the search, the folders seen so far are appended to ``stopped``."""
    # Level by level; within a level, folders on a catalog-like path first ("locale/da/
    # LC_MESSAGES" before 20,000 folders of data/ that sort before it; QA pass 83).
    queue = [(0, 0, 0, str(directory))]
    order = 0
    seen = 0
    while queue and seen < MAX_FOLDERS:
        depth, _, _, folder = heapq.heappop(queue)
        seen += 1
        subfolders, files = [], []
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    name = entry.name
                    if any("\udc80" <= c <= "\udcff" for c in name):
                        continue  # (bytes that are no UTF-8: no path a setting can hold)
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            if not name.startswith(".") and name not in _SKIPPED:
                                subfolders.append(name)
                        elif entry.is_file(follow_symlinks=False):
                            files.append(name)
                    except OSError:
                        continue
        except OSError:
            continue
        subfolders.sort()
        if len(subfolders) > MAX_CHILDREN:  # (one folder of 100,000 used up the search)
            subfolders = subfolders[:MAX_CHILDREN]
            stopped.append(seen)
        yield folder, subfolders, files
        if depth < MAX_DEPTH:
            likely = _CATALOG_FOLDERS.intersection(Path(folder).parts[-3:])
            for name in subfolders:
                order += 1
                rank = 0 if likely or name in _CATALOG_FOLDERS else 1
                heapq.heappush(queue, (depth + 1, rank, order, os.path.join(folder, name)))
    if queue:
        stopped.append(seen)


def _scan(directory: Path) -> _Found:
    catalogs: dict[tuple[str, str], set[str]] = defaultdict(set)
    sizes: Counter[tuple[str, str]] = Counter()
    pots: list[str] = []
    templates: Counter[str] = Counter()
    mappings: list[Path] = []
    keywords: list[str] = []
    comment_tags: list[str] = []
    no_fuzzy = False
    suffixes: Counter[str] = Counter()  # of the templates found
    root = str(directory)
    projects: list[str] = []  # folders of other content projects (their own toolkit.toml)
    stopped: list[int] = []
    for folder, _subfolders, files in _walk(directory, stopped):
        relative = os.path.relpath(folder, root)
        parts = [] if relative == "." else relative.split(os.sep)
        if any(folder == p or folder.startswith(p + os.sep) for p in projects):
            continue
        if parts and "toolkit.toml" in files:  # another content project: none of this one's
            projects.append(folder)
            continue
        if parts and parts[-1] == "LC_MESSAGES" and len(parts) >= 2:
            for name in files:
                # a domain the configuration can name (as 'domain' must be: a plain name)
                if name.endswith(".po") and plain_domain(name[:-3]):
                    key = ("/".join(parts[:-2]) or ".", name[:-3])
                    catalogs[key].add(parts[-2])
                    try:
                        sizes[key] += os.stat(os.path.join(folder, name)).st_size
                    except OSError:
                        pass
            continue
        for name in files:
            if name.endswith(".pot"):
                pots.append("/".join([*parts, name]))
            elif len(parts) <= 1 and _MAPPING.match(name):
                mappings.append(Path(folder) / name)
            elif len(parts) <= 1 and _SCRIPT.match(name):
                found_keywords, found_tags, found_no_fuzzy = _script_options(Path(folder) / name,
                                                                              directory)
                keywords += found_keywords
                comment_tags += found_tags
                no_fuzzy = no_fuzzy or found_no_fuzzy
            elif name.lower().endswith(JINJA_SUFFIXES) and "templates" in parts:
                cut = len(parts) - parts[::-1].index("templates")
                templates["/".join(parts[:cut])] += 1
                suffixes[os.path.splitext(name)[1].lower()] += 1
    return _Found(dict(catalogs), sizes, sorted(pots, key=lambda p: (p.count("/"), p)), templates,
                  sorted(mappings), list(dict.fromkeys(keywords)),
                  list(dict.fromkeys(comment_tags)), bool(stopped), no_fuzzy,
                  suffixes)  # fmt: skip


#: At most this many files are looked at below the catalogs' parent folder for templates.
MAX_BESIDE_FILES = 20_000


def _templates_beside_catalogs(adoption: Adoption, directory: Path) -> None:
    """Templates in or below the catalogs' parent folder, where no folder is named
    ``templates``: a Sphinx theme keeps ``layout.html`` beside ``locale/`` (sphinx_rtd_theme;
    extract stopped at "templates folder templates not found", QA pass 82), or in a folder
    of its own beside it (pydata-sphinx-theme's ``theme/pydata_sphinx_theme/``, QA pass 83).
    Static files, examples, tests and documentation are left out."""
    parent = Path(adoption.locales_dir).parent
    found: list[str] = []
    aside: set[str] = set()  # folders left out that extract must leave out too
    seen = 0
    top = directory / parent
    for folder, subfolders, files in os.walk(top):
        aside.update(name for name in subfolders if name.lower() in _ASIDE | _SKIPPED)
        deep = len(Path(folder).relative_to(top).parts) >= MAX_DEPTH  # (the search's bound)
        subfolders[:] = [] if deep else sorted(
            name for name in subfolders
            if not name.startswith(".") and name not in _SKIPPED
            and name.lower() not in _ASIDE | {"static"}
        )  # fmt: skip
        seen += len(files)
        found += [os.path.relpath(os.path.join(folder, name), directory / parent)
                  for name in files if name.lower().endswith(JINJA_SUFFIXES)]  # fmt: skip
        if seen > MAX_BESIDE_FILES:
            break
    if not found:
        return
    adoption.templates_dir = parent.as_posix()
    adoption.templates_exclude = ["static", "*/static/*"]
    for name in sorted(aside):
        adoption.templates_exclude += [name, f"*/{name}/*"]
    shown = sorted(found, key=lambda f: (f.count(os.sep), f))[:3]
    adoption.notes.append(
        f"templates beside the catalogs: {len(found)} in or below {adoption.templates_dir}/ "
        f"({', '.join(shown)}{', ...' if len(found) > 3 else ''}), static files left out "
        "(templates_exclude)"
    )


def _pick_templates(adoption: Adoption, folders: Counter[str], locales_dir: str) -> None:
    """The app's templates: its one ``templates`` folder, or the folder that holds all of them
    (pgAdmin and OctoPrint keep one per module or plugin), static files left out; folders of
    examples, tests and documentation do not count, and where the catalogs' parent folder
    holds templates (``flaskbb/translations``, ``flaskbb/templates``), only those do: a folder
    with two apps side by side is not read as one."""
    own = [f for f in folders if not _ASIDE.intersection(p.lower() for p in Path(f).parts)]
    if not own:
        own = list(folders)
    parent = Path(locales_dir).parent
    if parent != Path("."):
        beside = [f for f in own if Path(f).is_relative_to(parent)]
        own = beside or own
    if not own:
        return
    if len(own) == 1:
        adoption.templates_dir = own[0]
        return
    common = Path(os.path.commonpath(own)).as_posix()
    adoption.templates_dir = common if common != "." else "."
    adoption.templates_exclude = ["static", "*/static/*"]
    adoption.notes.append(
        f"templates in {len(own)} folders under {adoption.templates_dir}/ "
        f"({', '.join(sorted(own)[:3])}{', ...' if len(own) > 3 else ''}): all of them are "
        "read, static files left out (templates_exclude)"
    )


def _setup_cfg(directory: Path) -> dict[str, str]:
    """pybabel's settings in ``setup.cfg`` (``[compile_catalog]`` ``directory`` and
    ``domain``, ``[extract_messages]`` ``output_file``, ``keywords`` and ``mapping_file``)."""
    text = _small_text(directory / "setup.cfg", directory)
    if text is None:
        return {}
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        return {}
    found: dict[str, str] = {}
    for section, keys in (
        ("compile_catalog", ("directory", "domain")),
        ("update_catalog", ("output_dir", "domain", "input_file", "no_fuzzy_matching")),
        ("init_catalog", ("output_dir", "domain", "input_file")),
        ("extract_messages", ("output_file", "keywords", "mapping_file", "add_comments")),
    ):
        if not parser.has_section(section):
            continue
        for key in keys:
            value = parser.get(section, key, fallback="").strip()
            name = {"output_dir": "directory", "input_file": "output_file"}.get(key, key)
            if value and name not in found:
                found[name] = value.removeprefix("./").rstrip("/")
    return found


def _pick_locales(adoption: Adoption, folders: set[str], source_locale: str) -> None:
    """The catalog folders that are locales, one folder a locale: Sphinx keeps ``no/`` beside
    ``nb/`` and a legacy ``zh_TW.Big5/`` beside ``zh_TW/``, which every command leaves out
    (status says so); init configured them too (QA pass 83)."""
    from .locales import folder_locale, locale_id

    source = locale_id(source_locale)
    spellings: dict[str, list[str]] = {}
    for folder in sorted(folders):
        try:
            canonical = folder_locale(folder)
        except (ToolkitError, ValueError):
            why = "no locale the toolkit knows"
            if "." in folder:
                why = "a catalog in a legacy codeset"
            adoption.notes.append(f"left out {folder}/: {why}")
            continue
        if canonical == source:
            adoption.notes.append(
                f"left out {folder}/: the source language ({source_locale}); add it to "
                "locales if the app keeps its own wording there"
            )
            continue
        spellings.setdefault(canonical, []).append(folder)
    for canonical, written in spellings.items():
        kept = canonical if canonical in written else written[0]  # (nb/ rather than no/)
        adoption.locales.append(kept)
        adoption.notes += [f"left out {other}/: another spelling of {kept}/, whose catalog is "
                           "read; merge the two and delete one"
                           for other in written if other != kept]  # fmt: skip
    adoption.locales.sort()


def _pick_pot(adoption: Adoption, directory: Path, named: str | None, pots: list[str]) -> None:
    default = f"{adoption.locales_dir}/{adoption.domain}.pot".removeprefix("./")
    candidates = [named] if named and _inside(directory, named) else []
    # Only a POT named after the domain is the app's: a Sphinx build's index.pot or a test
    # fixture's other.pot, merged by the printed update, made the app's entries obsolete.
    candidates += [default] + [p for p in pots if Path(p).name == f"{adoption.domain}.pot"
                               and not _ASIDE.intersection(Path(p).parts)
                               and "_build" not in Path(p).parts]  # fmt: skip
    # ... or the one POT in the catalogs' own folder, whatever its name (MoinMoin's
    # MoinMoin.pot beside its catalogs of the domain 'messages'; QA pass 82)
    beside = [p for p in pots if Path(p).parent == Path(adoption.locales_dir)
              and p != default and Path(p).name != "templates.pot"]  # (the toolkit's own)
    if len(beside) == 1:
        candidates.append(beside[0])
    existing = [pot for pot in dict.fromkeys(candidates)
                if pot and (directory / pot).is_file() and _inside(directory, pot)]  # fmt: skip
    # pybabel's POT of the app holds its Python code's messages; one the toolkit extracted
    # before (init run again) holds templates only.
    python = [pot for pot in existing if _has_python_references(directory / pot)]
    chosen = python or existing
    adoption.app_pot = chosen[0] if chosen else None
    if adoption.app_pot == default:  # extract would write over the app's POT
        adoption.pot_file = f"{adoption.locales_dir}/templates.pot".removeprefix("./")


def _has_python_references(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            head = file.read(4_000_000)
    except OSError:
        return False
    return re.search(rb"^#:.*\.py:\d", head, re.MULTILINE) is not None


def _read_mapping(
    adoption: Adoption, directory: Path, path: Path, found: Counter[str] | None = None
) -> bool:
    """Jinja sections of pybabel's mapping file (``babel.cfg``, a TOML one, or
    ``pyproject.toml``'s ``[[tool.babel.mappings]]``, as MoinMoin keeps them): suffixes
    beyond the usual, ``trimmed``, ``extensions``; the template suffixes ``found`` that its
    Jinja patterns do not read are excluded. False when it holds no mapping."""
    text = _small_text(path, directory)
    sections = None if text is None else _mapping_sections(path, text)
    if sections is None:
        return False
    adoption.mapping = Path(os.path.relpath(path, directory)).as_posix()
    jinja = [(pattern, options) for method, pattern, options in sections if method == "jinja2"]
    if not jinja and adoption.templates_dir is not None:
        # privacyidea maps Python code alone (its static/templates are Angular's): no
        # template of the app is the toolkit's to extract; its own go in a new folder.
        adoption.notes.append(
            f"{adoption.mapping} extracts no Jinja templates (the app's catalogs come from its "
            f"code): {adoption.templates_dir} is left out; put the messages the toolkit "
            "manages in templates/"
        )
        adoption.templates_dir, adoption.templates_exclude = "templates", []
    mapped: set[str] = set()
    known = {*adoption.suffixes, *adoption.extensions}  # (100,000 patterns: a set, not a list)
    open_ended = False  # a Jinja pattern that reads files of any suffix ("**/templates/**")
    for pattern, options in jinja:
        name = pattern.strip().replace("\\", "/").rpartition("/")[2]
        # ("**/templates/dictionary.js" names one file: not every .js is a template)
        suffix = os.path.splitext(name)[1].lower() if "*" in name or "?" in name else ""
        if not re.fullmatch(r"\.[a-z0-9_+-]+", suffix):
            suffix = ""  # ("**.{html,txt}": no one suffix the configuration can name)
            open_ended = open_ended or "*" in name or "?" in name
        mapped.add(suffix)
        if suffix and suffix not in JINJA_SUFFIXES and suffix not in known:
            known.add(suffix)
            if suffix not in (".md", ".yaml", ".yml", ".py"):
                adoption.suffixes.append(suffix)
        if str(options.get("trimmed", "")).strip().lower() in ("true", "1", "yes"):
            adoption.trimmed = True
        for name in re.split(r"[\s,]+", str(options.get("extensions", ""))):
            if name and name not in known:
                known.add(name)
                adoption.extensions.append(name)
    found = found or Counter()
    unread = sorted(x for x in found if x in JINJA_SUFFIXES and x not in mapped)
    if jinja and not open_ended and unread:
        # ihatemoney maps **/templates/**.html: its feed's .xml template was extracted too,
        # one message its next 'pybabel update' made obsolete again (QA pass 82)
        adoption.templates_exclude += [f"*{x}" for x in unread]
        files = sum(found[x] for x in unread)
        adoption.notes.append(
            f"left out the app's {', '.join(unread)} templates ({files} file"
            f"{'s' if files != 1 else ''}), which {adoption.mapping} does not extract; take "
            "them out of templates_exclude to translate them too"
        )
    return True


def _mapping_sections(path: Path, text: str) -> list[tuple[str, str, dict[str, str]]] | None:
    """``(method, pattern, options)`` of each mapping, ``method`` "jinja2" for Jinja's
    extractor under any alias the file's ``extractors`` give it (``j =
    jinja2.ext:babel_extract``); None when the file holds no mapping or cannot be read."""
    if path.suffix.lower() == ".toml":
        import tomllib

        try:
            data: Any = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, RecursionError):  # (arrays nested 10,000 deep)
            return None
        if path.name.lower() == "pyproject.toml":
            tool = data.get("tool")
            data = tool.get("babel") if isinstance(tool, dict) else None
        if not isinstance(data, dict) or not isinstance(data.get("mappings"), list):
            return None
        found = data.get("extractors")
        extractors: dict[str, Any] = found if isinstance(found, dict) else {}
        entries = []
        for entry in data["mappings"]:
            if not isinstance(entry, dict) or not isinstance(entry.get("method"), str):
                continue
            patterns = entry.get("pattern")
            patterns = [patterns] if isinstance(patterns, str) else patterns
            if not isinstance(patterns, list):
                continue
            options = {key: " ".join(map(str, value)) if isinstance(value, list) else str(value)
                       for key, value in entry.items() if key not in ("method", "pattern")}
            target = str(extractors.get(entry["method"], entry["method"]))
            entries += [(entry["method"], target, p, options) for p in patterns
                        if isinstance(p, str)]  # fmt: skip
    else:
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        try:
            parser.read_string(text)
        except configparser.Error:
            return None
        # pybabel's [extractors] names its own methods: "j = jinja2.ext:babel_extract"
        aliases = dict(parser.items("extractors")) if parser.has_section("extractors") else {}
        entries = []
        for section in parser.sections():
            if section == "extractors":
                continue
            method, _, pattern = (part.strip() for part in section.partition(":"))
            target = aliases.get(method.lower(), method)
            entries.append((method, target, pattern, dict(parser.items(section))))
    return [
        ("jinja2" if "jinja2" in method.lower() or "jinja2" in target else method, pattern,
         options)
        for method, target, pattern, options in entries
    ]


def catalogs_elsewhere(root: Path, locales_dir: Path, domain: str) -> str | None:
    """A note when ``update`` created every catalog in ``locales_dir`` while the project
    keeps catalogs of ``domain`` in another folder (``locales_dir = "babel"`` set by mistake
    beside Flask-Admin's ``flask_admin/translations``: four empty catalogs, no word of the
    35 real ones; QA pass 81). None when there are none."""
    try:
        mine = locales_dir.resolve().relative_to(root.resolve()).as_posix()
    except (OSError, ValueError):
        mine = None
    try:
        scanned = _scan(root).catalogs
    except (OSError, RecursionError, ValueError):  # a note: it never fails the update
        return None
    groups = {key: found for key, found in scanned.items()
              if key[1] == domain and key[0] != mine
              and not _ASIDE.intersection(p.lower() for p in Path(key[0]).parts)}  # fmt: skip
    if not groups:
        return None
    folder, _ = max(groups, key=lambda key: len(groups[key]))
    count = len(groups[(folder, domain)])
    return (
        f"{folder}/ holds {count} catalog{'s' if count != 1 else ''} of the domain "
        f"'{domain}' ({folder}/{sorted(groups[(folder, domain)])[0]}/LC_MESSAGES/{domain}.po); "
        f"every catalog was new in {mine or locales_dir}/: if those are the app's, set "
        f"locales_dir = {toml_string(folder)} and delete the new ones"
    )
