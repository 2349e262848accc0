"""The content project's configuration: ``[tool.toolkit]`` in pyproject.toml or toolkit.toml."""

from __future__ import annotations

import functools
import os
import posixpath
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError, InputError, LocaleError
from .fsutil import is_within, require_inside
from .locales import folder_locale, folder_spelling, locale_id, quoted

CONFIG_FILES = ("toolkit.toml", "pyproject.toml")


def folders_spelled_otherwise(locales_path: Path) -> dict[str, str]:
    """Catalog folders (``<name>/LC_MESSAGES``) whose name is another spelling of a locale
    (``no`` for ``nb``, ``pt-BR``, ``tl`` for ``fil_PH``): identifier -> folder name, the
    first in name order. Read again whenever the folder's listing changes."""
    try:
        stamp = os.stat(locales_path).st_mtime_ns
    except OSError:
        return {}
    return _folders_spelled_otherwise(str(locales_path), stamp)


@functools.lru_cache(maxsize=32)
def _folders_spelled_otherwise(locales_path: str, stamp: int) -> dict[str, str]:
    from .errors import ToolkitError

    found: dict[str, str] = {}
    try:
        names = sorted(os.listdir(locales_path))
    except OSError:
        return found
    for name in names:
        if not os.path.isdir(os.path.join(locales_path, name, "LC_MESSAGES")):
            continue
        try:
            identifier = folder_locale(name)
        except ToolkitError:
            continue  # not a locale folder
        if identifier != name:
            found.setdefault(identifier, name)
    return found


@dataclass(frozen=True)
class ProjectConfig:
    """Where a content project keeps its sources and catalogs, and which locales it targets."""

    root: Path
    source_locale: str = "en"
    locales: tuple[str, ...] = ()
    domain: str = "messages"
    templates_dir: str = "templates"
    #: Files and folders under ``templates_dir`` extract leaves out: shell-style patterns
    #: matched against the path from ``templates_dir`` (``"tests/*"``, ``"*/README.md"``,
    #: ``"static/*"``; ``*`` crosses folders).
    templates_exclude: tuple[str, ...] = ()
    #: More file suffixes extract reads as Jinja2 templates, besides .j2, .jinja, .jinja2,
    #: .html, .htm, .txt and .xml (pgAdmin's babel.cfg maps ``**/templates/**.sql`` too).
    jinja_suffixes: tuple[str, ...] = ()
    locales_dir: str = "locales"
    #: The POT extract writes and update reads, from the project root (default
    #: ``<locales_dir>/<domain>.pot``); a Flask app keeps pybabel's POT of its Python code
    #: there, so the toolkit's may get a path of its own (``"locales/templates.pot"``).
    pot_file: str | None = None
    glossaries_dir: str = "glossaries"
    models_dir: str | None = None
    #: Countries (ISO 3166) the project sends to; empty: the territories of ``locales``.
    markets: tuple[str, ...] = ()
    #: Brand and product names that are never translated (MT masks them, ``check`` guards them).
    brands: tuple[str, ...] = ()
    #: Import paths of extra Jinja2 extensions the templates need (``"jinja2.ext.debug"``).
    jinja_extensions: tuple[str, ...] = ()
    #: Custom tag names (``"snippet"``, ``"url_for"``) parsed as expressions, rendering nothing.
    jinja_opaque_tags: tuple[str, ...] = ()
    #: Further gettext functions templates call, as pybabel's ``-k`` (``"_gettext"``,
    #: ``"_ngettext:1,2"``, ``"pgettext_lazy:1c,2"``); Babel's defaults stay.
    keywords: tuple[str, ...] = ()
    #: Whether ``{% trans %}`` blocks are trimmed (Jinja's ``ext.i18n.trimmed`` policy, babel.cfg's
    #: ``trimmed``): msgids must be what the app's own Jinja looks up at run time.
    jinja_trimmed: bool = True
    #: Jinja's ``trim_blocks`` and ``lstrip_blocks`` (babel.cfg's options of the same names):
    #: the whitespace around block tags, which untrimmed ``{% trans %}`` msgids contain.
    jinja_trim_blocks: bool = True
    jinja_lstrip_blocks: bool = True
    #: Comment prefixes whose template comments go to translators (pybabel's ``-c``), besides
    #: ``Translators:`` (``"i18n:"`` for ``{# i18n: the person's full name #}``).
    comment_tags: tuple[str, ...] = ()
    #: Jinja2 line syntax the templates use (``"%"`` for ``% if x`` lines, ``"##"``).
    jinja_line_statement_prefix: str | None = None
    jinja_line_comment_prefix: str | None = None
    #: Jinja2 delimiters the templates use instead of ``{% %}``, ``{{ }}``, ``{# #}`` (Trac's
    #: ``${name}``: ``jinja_variable_start_string = "${"``, ``jinja_variable_end_string = "}"``).
    jinja_block_start_string: str | None = None
    jinja_block_end_string: str | None = None
    jinja_variable_start_string: str | None = None
    jinja_variable_end_string: str | None = None
    jinja_comment_start_string: str | None = None
    jinja_comment_end_string: str | None = None
    #: ``update``'s treatment of an existing catalog's valid Plural-Forms: "keep" or "cldr".
    plural_forms: str = "keep"
    #: Whether ``update`` gives a new string the translation of a similar old one, fuzzy
    #: (false: as ``update --no-fuzzy-matching``, pybabel's ``update -N``).
    fuzzy_matching: bool = True
    gross_margin: float = 1.0  # retention metrics: CLV = AOV x frequency / churn x margin
    #: Per-message render limits (docs/rendering.md, "Limits").
    render_timeout: float = 5.0
    render_max_output: int = 1_000_000
    config_file: Path | None = field(default=None, compare=False)
    #: Locales configured under another spelling than their identifier, with that spelling
    #: (``("nb", "no")``, ``("pt_BR", "pt-BR")``): an existing catalog folder of that name is
    #: the locale's (CKAN keeps Bokmål in ``no/``).
    locale_folders: tuple[tuple[str, str], ...] = ()

    @property
    def templates_path(self) -> Path:
        return self.root / self.templates_dir

    @property
    def locales_path(self) -> Path:
        return self.root / self.locales_dir

    @property
    def glossaries_path(self) -> Path:
        return self.root / self.glossaries_dir

    @property
    def source_suffixes(self) -> tuple[str, ...]:
        """Every file suffix extract reads (``jinja_suffixes`` as Jinja2 templates)."""
        from .template_files import SOURCE_SUFFIXES

        return SOURCE_SUFFIXES + self.jinja_suffixes

    @property
    def templates_prefix(self) -> str:
        """The templates folder as ``#:`` references start with it (``"templates/"``; ``""``
        for ``templates_dir = "."``: references have no ``./``, and with that prefix update
        took every entry for another tool's and made Trac's 463 reviewed Danish Python-code
        translations obsolete without its refusal)."""
        folder = self.templates_path.relative_to(self.root).as_posix().rstrip("/")
        return "" if folder in ("", ".") else folder + "/"

    @property
    def pot_path(self) -> Path:
        if self.pot_file is not None:
            return self._inside(self.root / self.pot_file)
        return self._inside(self.locales_path / f"{self.domain}.pot")

    def po_path(self, locale: str) -> Path:
        path = self._inside(self._catalog_dir(locale) / f"{self.domain}.po")
        self._refuse_other_language(path, locale)
        return path

    def mo_path(self, locale: str) -> Path:
        return self._inside(self._catalog_dir(locale) / f"{self.domain}.mo")

    def _catalog_dir(self, locale: str) -> Path:
        folder = locale
        if not (self.locales_path / locale).is_dir():
            # The project's own folder name for the locale: the configured spelling, or any
            # existing folder named by another spelling of it (CKAN's no/ for nb).
            written = dict(self.locale_folders).get(locale)
            if written is not None and (self.locales_path / written).is_dir():
                folder = written
            else:
                # A new catalog goes where gettext looks for the name the project wrote, as
                # pybabel's and msginit's do: zh_CN/ (Babel's identifier is zh_Hans_CN).
                new = folder_spelling(written if written is not None else locale)
                folder = folders_spelled_otherwise(self.locales_path).get(locale, new)
        path = self.locales_path / folder / "LC_MESSAGES"
        if os.path.normpath(path.parent.parent) != os.path.normpath(self.locales_path):
            raise LocaleError(f"{quoted(locale)} is not a locale name.")
        return path

    @property
    def served_markets(self) -> tuple[str, ...]:
        """The ``markets`` setting, or else the territory of each configured locale
        (``da`` -> DK, ``nb`` -> NO, ``lt`` -> LT); payment texts are extracted for these."""
        if self.markets:
            return self.markets
        from .locales import territory_for_locale

        found = (territory_for_locale(locale) for locale in self.locales)
        return tuple(dict.fromkeys(t for t in found if t))

    def _refuse_other_language(self, path: Path, locale: str) -> None:
        """A catalog linked to another language's (``lt/``'s to ``da/``'s) would be rewritten
        with that language's plural rule and translated into another language: refused.
        A link between spellings of one language (``nb_NO/`` to ``nb/``) is the project's
        way to keep one catalog (QA pass 83)."""
        real = os.path.realpath(path)
        if real == os.path.abspath(path):
            return
        try:
            folder = Path(real).relative_to(os.path.realpath(self.locales_path)).parts[0]
            theirs = folder_locale(folder)
        except (ValueError, IndexError, LocaleError):
            return  # (not in a locale's folder: the project's own arrangement)
        if theirs is not None and theirs.split("_")[0] != locale.split("_")[0]:
            from .errors import CatalogError

            raise CatalogError(
                f"the {locale} catalog is a link to the {theirs} catalog "
                f"({os.path.relpath(real, self.root)}): one catalog cannot hold two languages.",
                path=path,
                hint=f"Replace the link with a catalog of its own for {locale}, or remove {locale} "
                "from 'locales'.",
            )

    def _inside(self, path: Path) -> Path:
        """``path`` when it resolves inside the project: catalogs reached through a symbolic
        link to another folder are neither read nor written."""
        if path.is_symlink() and not path.exists():  # a loop, or a link to nothing
            from .errors import CatalogError

            try:
                target = os.readlink(path)
            except OSError:  # pragma: no cover - it is a link
                target = "?"
            raise CatalogError(
                f"a symbolic link to a file that does not exist or loops ({target}).",
                path=path,
                hint="Point the link at the file, or delete it ('toolkit extract' and "
                "'toolkit update' create the template and catalogs).",
            )
        return require_inside(path, self.root, shown=str(path.relative_to(self.root)))

    def select_locales(self, requested: list[str] | None) -> list[str]:
        """The locales a command works on: the requested ones (validated) or all configured."""
        if not requested:
            return list(self.locales)
        return list(dict.fromkeys(locale_id(name) for name in requested))  # each once

    def spelled(self, requested: Sequence[str] | None) -> ProjectConfig:
        """This configuration with the spellings of ``requested`` locales (``--locale sr_RS``)
        that it does not configure itself: a catalog created for one goes in a folder of that
        name (``sr_RS/``, where gettext looks; Babel's identifier is ``sr_Cyrl_RS``)."""
        known = {identifier for identifier, _ in self.locale_folders}
        added = {}
        for name in requested or ():
            identifier = locale_id(name)
            if identifier != name.strip() and identifier not in known and identifier not in added:
                added[identifier] = name.strip()
        if not added:
            return self
        return replace(self, locale_folders=(*self.locale_folders, *added.items()))

    def target_locales(self, requested: list[str] | None) -> list[str]:
        """:meth:`select_locales`, for commands that need at least one catalog to work on."""
        targets = self.select_locales(requested)
        if not targets:
            from .errors import CatalogError

            raise CatalogError(
                "no target locales configured.",
                path=self.config_file,
                hint="Add them to 'locales' in [tool.toolkit] or pass --locale.",
            )
        return targets

    @property
    def jinja_syntax(self) -> dict[str, Any]:
        """Options of :func:`toolkit.templating.new_environment` for the configured line
        syntax and trimming (empty when nothing is set)."""
        options: dict[str, Any] = {
            "line_statement_prefix": self.jinja_line_statement_prefix,
            "line_comment_prefix": self.jinja_line_comment_prefix,
        } | {name: getattr(self, f"jinja_{name}") for name in JINJA_DELIMITERS}
        found = {key: value for key, value in options.items() if value}
        for key, value in (("trimmed", self.jinja_trimmed),
                           ("trim_blocks", self.jinja_trim_blocks),
                           ("lstrip_blocks", self.jinja_lstrip_blocks)):  # fmt: skip
            if not value:
                found[key] = False
        return found

    def refuse_as_output(self, path: Path) -> None:
        """An InputError when an export or report (``--out``) would replace one of the
        project's own files: a catalog (``.po``, ``.pot``, ``.mo`` in the locales folder), the
        configuration file, or an existing file or folder of the templates, locales or
        glossaries folders (``xliff export --out locales/fr/LC_MESSAGES/messages.po`` wrote
        XLIFF over the catalog it exported)."""
        try:
            target = path.resolve()
        except (OSError, RuntimeError):  # (a link that loops: nothing of the project's)
            return
        project_file = self.config_file is not None and target == self.config_file.resolve()
        catalog = is_within(target, self.locales_path) and target.suffix.lower() in (
            ".po",
            ".pot",
            ".mo",
        )
        folders = (self.locales_path, self.templates_path, self.glossaries_path)
        source = target.exists() and any(is_within(target, f) for f in folders)
        # A new file inside the templates or glossaries folder becomes one of them: extract
        # reads it, a cluster ships it to every worker with the templates (a 133 MB output in
        # templates/ slowed every later job; QA pass 80), the glossary loader reads a CSV.
        # (Not when the folder is the project root itself: templates_dir = ".".)
        root = self.root.resolve()
        grows = (is_within(target, self.templates_path) and self.templates_path.resolve() != root
                 ) or (is_within(target, self.glossaries_path) and target.suffix.lower() == ".csv"
                       and self.glossaries_path.resolve() != root)  # fmt: skip
        if grows and not (project_file or catalog or source):
            raise InputError(
                f"{path} is inside the project's templates or glossaries folder "
                f"({self.relative(target)}), where an output would be read as one of them "
                "(extract, the glossary, the files a cluster ships to its workers).",
                hint=f"Write the output elsewhere (e.g. --out exports/{path.name}).",
            )
        if project_file or catalog or source:
            raise InputError(
                f"{path} is one of the project's own files ({self.relative(target)}); it was "
                "not replaced.",
                hint=f"Write the output elsewhere (e.g. --out exports/{path.name}).",
            )

    def at_setting(self, key: str, exc: ConfigError) -> ConfigError:
        """``exc``, an error of the setting ``key`` found when it is used (a Jinja2 extension
        that cannot be imported), at the line of the configuration file that sets it."""
        if self.config_file is None or exc.message.startswith(str(self.config_file)):
            return exc
        try:
            text = self.config_file.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            return exc
        line = line_of_key(text, key, tables=("", "tool.toolkit"))
        where = self.relative(self.config_file) + (f":{line}" if line else "")
        return ConfigError(f"{where}: {exc.message}", hint=exc.hint)

    @property
    def settings_file(self) -> str:
        """Where the project's settings are, as hints name it: ``toolkit.toml``, or
        ``[tool.toolkit] of pyproject.toml``."""
        if self.config_file is None:
            return "the project's configuration (toolkit.toml, or [tool.toolkit] of pyproject.toml)"
        name = self.relative(self.config_file)
        return f"[tool.toolkit] of {name}" if self.config_file.name == "pyproject.toml" else name

    def sets(self, key: str) -> bool:
        """Whether the configuration file sets ``key`` (rather than leaving its default)."""
        if self.config_file is None:
            return False
        try:
            text = self.config_file.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            return False
        return line_of_key(text, key, tables=("", "tool.toolkit")) is not None

    def missing_folder(self, key: str, folder: Path, what: str, near: list[Path]) -> ConfigError:
        """The error for the folder setting ``key`` naming a folder that is not there (or a
        file), at the setting's line, with the folders of a near name (``near``: a typo's
        real one)."""
        shown = self.relative(folder)
        if folder.exists():
            return self.at_setting(key, ConfigError(
                f"{what} folder {shown} is a file, not a folder.",
                hint=f"Set {key} in {self.settings_file} to the folder of the {what}.",
            ))  # fmt: skip
        if near:
            hint = (
                f"Did you mean {self.relative(near[0])!r}? Set {key} = "
                f'"{self.relative(near[0])}" in {self.settings_file}.'
            )
        else:
            hint = f"Create it, or set {key} in {self.settings_file} to the folder of the {what}."
        return self.at_setting(key, ConfigError(f"{what} folder {shown} not found.", hint=hint))

    def relative(self, path: Path) -> str:
        """``path`` relative to the project root when inside it, for messages."""
        try:  # (realpath: resolve() raises RuntimeError on a link that loops)
            return str(Path(os.path.realpath(path)).relative_to(os.path.realpath(self.root)))
        except ValueError:
            return str(path)


#: Jinja2's delimiter options, each configurable as ``jinja_<option>``.
JINJA_DELIMITERS = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
)
_JINJA_DEFAULT_STARTS = {"block": "{%", "variable": "{{", "comment": "{#"}

_KEYS = {f.name for f in fields(ProjectConfig)} - {"root", "config_file", "locale_folders"}


def find_config_file(start: Path) -> Path | None:
    """Walk up from ``start`` to the first toolkit.toml or pyproject.toml with [tool.toolkit]."""
    for folder in [start, *start.parents]:
        toolkit_toml = folder / "toolkit.toml"
        if toolkit_toml.is_file() or toolkit_toml.is_symlink():  # (a link to nothing: said)
            return toolkit_toml
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "[tool.toolkit]" in pyproject.read_text("utf-8", "replace"):
            return pyproject
    return None


def load_config(project: Path | None = None) -> ProjectConfig:
    """Load the configuration of the project at ``project`` or around the current directory."""
    if project is not None:
        project = Path(project)
        if not project.is_dir():
            if project.exists():  # a config file given for its folder, most often
                raise ConfigError(
                    f"'{project}' is a file, not a project folder.",
                    hint=f"Pass the folder that holds toolkit.toml or pyproject.toml: "
                    f"--project '{project.parent}'.",
                )
            raise ConfigError(
                f"Project folder '{project}' does not exist.",
                hint="Pass an existing folder with --project, or create one with 'toolkit init'.",
            )
        path = next(
            (p for p in (project / name for name in CONFIG_FILES) if p.is_file() or p.is_symlink()),
            None,
        )
        if path is None:
            raise ConfigError(
                f"No toolkit.toml or pyproject.toml in '{project}'.",
                hint="Run 'toolkit init' there to create a content project.",
            )
    else:
        path = find_config_file(Path.cwd())
        if path is None:
            raise ConfigError(
                f"No content project found in '{Path.cwd()}' or any folder above it.",
                hint="Run 'toolkit init DIR' to create one, or pass --project DIR.",
            )
    return parse_config_file(path)


def parse_config_file(path: Path) -> ProjectConfig:
    """Read and validate one configuration file."""
    from .cache import parsed_toml

    try:
        data_bytes = path.read_bytes()
        text = data_bytes.decode("utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the configuration: {exc.strerror}.") from exc
    except UnicodeDecodeError as exc:
        line = data_bytes.count(b"\n", 0, exc.start) + 1
        raise ConfigError(
            f"{path}:{line}: not UTF-8 text (byte 0x{data_bytes[exc.start]:02x}); TOML files "
            "are UTF-8.",
            hint="Save the file as UTF-8 (e.g. 'iconv -f latin1 -t utf-8'), then rerun.",
        ) from None
    try:
        data = parsed_toml(text, path.absolute())
    except ValueError as exc:  # tomllib.TOMLDecodeError, without importing tomllib first
        raise toml_error(path, text, exc) from exc
    except RecursionError:  # (arrays or tables nested thousands deep: QA pass 83)
        raise ConfigError(
            f"{path}: nested too deeply to read (arrays or tables inside each other thousands "
            "of levels deep).",
            hint="No setting of the toolkit nests; remove the nested value.",
        ) from None
    try:
        return _config_of(data, path)
    except ConfigError as exc:
        raise _with_line(exc, path, text) from None


def toml_error(path: Path | str, text: str, exc: ValueError) -> ConfigError:
    """tomllib's error at ``file:line`` ("(at line 3, column 11)" in its text), or at the last
    line for "(at end of document)": an unclosed bracket or quote."""
    message = str(exc)
    found = re.search(r" \(at line (\d+), column (\d+)\)$", message)
    if found:
        where = f"{path}:{found.group(1)}"
        message = f"{message[: found.start()]} (column {found.group(2)})"
    elif message.endswith(" (at end of document)"):
        where = f"{path}:{max(1, text.count(chr(10)) + (not text.endswith(chr(10))))}"
        message = message.removesuffix(" (at end of document)") + " at the end of the file"
        return ConfigError(
            f"{where}: invalid TOML: {message}.",
            hint="Look for a bracket or quote opened and never closed; fix it and rerun.",
        )
    else:
        where = str(path)
    return ConfigError(f"{where}: invalid TOML: {message}.", hint="Fix the syntax and rerun.")


def _with_line(exc: ConfigError, path: Path, text: str) -> ConfigError:
    """A setting's error at the line that sets it (``toolkit.toml:4: unknown key 'locale'``),
    the file named from the current folder when it lies below it, as every other error names
    files (a configuration found by walking up has an absolute path)."""
    from .errors import _display_path

    prefix = f"{path}: "
    if not exc.message.startswith(prefix):
        return exc
    message = exc.message[len(prefix) :]
    shown = _display_path(path)
    tables = ("", "tool.toolkit")
    key = (
        re.match(r"(?:unknown key )?'([A-Za-z_][A-Za-z0-9_]*)'", message)
        or re.match(r"([a-z_]+): ", message)  # "keywords: '_:1,2,3' is not ..."
        or re.search(r" in '([a-z_]+)'", message)  # "'XX' in 'markets' is not ..."
    )
    line = line_of_key(text, key.group(1), tables=tables) if key else None
    value = re.search(r"'([^'\n]+)'", message)
    if line is None and value is not None:  # "Unknown locale 'xx'": the line that has it
        keys = ("locales", "source_locale") if message.startswith("Unknown locale") else None
        line = line_of_value(text, value.group(1), tables=tables, keys=keys)
    if line is None:
        return ConfigError(f"{shown}: {message}", hint=exc.hint)
    return ConfigError(f"{shown}:{line}: {message}", hint=exc.hint)


def line_of_value(
    text: str, value: str, *, tables: tuple[str, ...], keys: tuple[str, ...] | None = None
) -> int | None:
    """The first line of a TOML ``text`` in one of ``tables`` with ``value`` as a quoted
    string (``locales = ["da", "xx"]`` for ``xx``), in the value of one of ``keys`` (None:
    any; an array over several lines is its key's)."""
    quoted_forms = (f'"{value}"', f"'{value}'")
    key = ""
    for number, table, code in _table_lines(text):
        setting = re.match(r"[\"']?([A-Za-z_][A-Za-z0-9_]*)[\"']?\s*=", code)
        if setting is not None:
            key = setting.group(1)
        if table in tables and (keys is None or key in keys) and any(
            q in code for q in quoted_forms
        ):
            return number
    return None


def _table_lines(text: str) -> Iterator[tuple[int, str, str]]:
    """``(line number, table, the line's code)`` of a TOML ``text``'s lines but table headers
    (``""`` before any header; the code stripped, without a ``#`` comment)."""
    table = ""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            table = stripped.split("]")[0].strip("[ ")
            continue
        yield number, table, stripped.split("#")[0]


def line_of_key(text: str, key: str, *, tables: tuple[str, ...] | None = None) -> int | None:
    """The first line of a TOML ``text`` that sets ``key`` (``key =``, quoted, dotted or in an
    inline table ``{ key = ... }``), in one of ``tables`` (``""``: before any table header;
    None: anywhere); for an error's ``file:line``.

    >>> line_of_key('[project]\\nlocales = 1\\n[tool.toolkit]\\nlocales = []', "locales",
    ...             tables=("", "tool.toolkit"))
    4
    >>> line_of_key("[[rules]]\\nwhen = { points = { min = 1 } }", "points")
    2
    """
    pattern = re.compile(rf"""(?:^|[\s{{,.])["']?{re.escape(key)}["']?\s*[=.]""")
    for number, table, code in _table_lines(text):
        if (tables is None or table in tables) and pattern.search(code):
            return number
    return None


def _config_of(data: dict[str, Any], path: Path) -> ProjectConfig:
    if path.name == "pyproject.toml":
        section = data.get("tool", {}).get("toolkit")
        where = "[tool.toolkit]"
    else:
        section = data.get("tool", {}).get("toolkit", data)
        where = "toolkit.toml"
    if not isinstance(section, dict):
        raise ConfigError(
            f"{path}: no {where} section.",
            hint="Add one with at least 'locales = [\"da\"]', or run 'toolkit init'.",
        )
    return config_from_mapping(section, root=path.parent, path=path)


#: The longest ``render_timeout`` (one day): a message that may render for longer has no limit
#: worth the name, and the timer cannot be set much beyond it on every platform.
MAX_RENDER_TIMEOUT = 86_400


def config_from_mapping(section: dict[str, Any], *, root: Path, path: Path) -> ProjectConfig:
    """Build a validated ProjectConfig from the parsed ``[tool.toolkit]`` table."""
    for key in section:
        if key not in _KEYS:
            import difflib

            close = difflib.get_close_matches(key, sorted(_KEYS), n=1)
            hint = (
                f"Did you mean '{close[0]}'?"
                if close
                else f"Known keys: {', '.join(sorted(_KEYS))}."
            )
            raise ConfigError(f"{path}: unknown key '{key}' in [tool.toolkit].", hint=hint)
    values: dict[str, Any] = {}
    for key in (
        "source_locale",
        "domain",
        "templates_dir",
        "locales_dir",
        "glossaries_dir",
        "models_dir",
        "jinja_line_statement_prefix",
        "jinja_line_comment_prefix",
        *(f"jinja_{name}" for name in JINJA_DELIMITERS),
        "pot_file",
    ):
        if key in section:
            if not isinstance(section[key], str) or not section[key]:
                raise ConfigError(f"{path}: '{key}' must be a non-empty string.")
            values[key] = section[key]
    starts = {kind: values.get(f"jinja_{kind}_start_string", default)
              for kind, default in _JINJA_DEFAULT_STARTS.items()}
    if len(set(starts.values())) < len(starts):
        shown = ", ".join(f"{kind} {start!r}" for kind, start in starts.items())
        raise ConfigError(
            f"{path}: the Jinja2 block, variable and comment delimiters must start differently "
            f"({shown}).",
            hint="Set jinja_block_start_string, jinja_variable_start_string and "
            "jinja_comment_start_string to three different strings.",
        )
    # (a timer cannot be set beyond the platform's time_t: 'inf' or 1e10 was a traceback)
    for key, kind, what in (
        ("render_timeout", (int, float),
         f"a number of seconds above 0 and at most {MAX_RENDER_TIMEOUT:,}"),
        ("render_max_output", (int,), "a whole number above 0"),
    ):  # fmt: skip
        if key in section:
            value = section[key]
            if (
                isinstance(value, bool) or not isinstance(value, kind) or not value > 0
                or (key == "render_timeout" and not value <= MAX_RENDER_TIMEOUT)
            ):  # fmt: skip
                raise ConfigError(
                    f"{path}: '{key}' must be {what}.",
                    hint=f"Example: {key} = {ProjectConfig.__dataclass_fields__[key].default}",
                )
            values[key] = value
    locales = section.get("locales", [])
    if not isinstance(locales, list) or not all(isinstance(x, str) for x in locales):
        raise ConfigError(
            f"{path}: 'locales' must be a list of locale names.",
            hint='Example: locales = ["da", "nb", "lt"]',
        )
    try:
        identifiers = [locale_id(x) for x in locales]
        values["locales"] = tuple(dict.fromkeys(identifiers))
        spellings: dict[str, str] = {}  # the first spelling of each locale
        for name, identifier in zip(locales, identifiers, strict=True):
            spellings.setdefault(identifier, name.strip())
        values["locale_folders"] = tuple((i, x) for i, x in spellings.items() if x != i)
        if "source_locale" in values:
            values["source_locale"] = locale_id(values["source_locale"])
    except LocaleError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    values.update(_markets_and_brands(section, path))
    values.update(_jinja_settings(section, path))
    values.update(_extract_settings(section, path))
    if "plural_forms" in section:
        if section["plural_forms"] not in ("keep", "cldr"):
            raise ConfigError(
                f'{path}: \'plural_forms\' must be "keep" or "cldr".',
                hint='"keep" (default) keeps each catalog\'s own Plural-Forms; "cldr" '
                "converts catalogs to CLDR's rule on 'toolkit update'.",
            )
        values["plural_forms"] = section["plural_forms"]
    if "fuzzy_matching" in section:
        if not isinstance(section["fuzzy_matching"], bool):
            raise ConfigError(
                f"{path}: 'fuzzy_matching' must be true or false.",
                hint="false where the app runs 'pybabel update -N' (no fuzzy matches).",
            )
        values["fuzzy_matching"] = section["fuzzy_matching"]
    for key in ("templates_dir", "locales_dir", "glossaries_dir"):
        if key in values and not is_within(root / values[key], root):
            raise ConfigError(f"{path}: '{key}' must be a folder inside the project.")
    if "pot_file" in values:
        pot = values["pot_file"]
        if not pot.endswith(".pot") or not is_within(root / pot, root) or (root / pot).is_dir():
            raise ConfigError(
                f"{path}: 'pot_file' must be a .pot file inside the project, not '{pot}'.",
                hint='Example: pot_file = "locales/templates.pot"',
            )
    if "gross_margin" in section:
        margin = section["gross_margin"]
        if isinstance(margin, bool) or not isinstance(margin, (int, float)) or not 0 < margin <= 1:
            raise ConfigError(
                f"{path}: 'gross_margin' must be a number above 0 and at most 1.",
                hint="Example: gross_margin = 0.35",
            )
        values["gross_margin"] = float(margin)
    if "domain" in values and not plain_domain(values["domain"]):
        raise ConfigError(f"{path}: 'domain' must be a plain name such as 'messages'.")
    return ProjectConfig(root=root.resolve(), config_file=path, **values)


def _markets_and_brands(section: dict[str, Any], path: Path) -> dict[str, Any]:
    """``markets`` (ISO 3166 codes Babel knows) and ``brands`` (non-empty names), validated."""
    values: dict[str, Any] = {}
    markets = section.get("markets")
    if markets is not None:
        if not isinstance(markets, list) or not all(isinstance(x, str) for x in markets):
            raise ConfigError(
                f"{path}: 'markets' must be a list of country codes.",
                hint='Example: markets = ["DK", "NO", "LT"]',
            )
        from babel import Locale

        known = Locale("en").territories
        codes = []
        for market in markets:
            code = market.strip().upper()
            if code not in known:
                raise ConfigError(
                    f"{path}: '{market}' in 'markets' is not an ISO 3166 country code.",
                    hint='Use codes such as "DK", "NO" or "LT".',
                )
            codes.append(code)
        values["markets"] = tuple(dict.fromkeys(codes))
    brands = section.get("brands")
    if brands is not None:
        if not isinstance(brands, list) or not all(
            isinstance(x, str) and x.strip() for x in brands
        ):
            raise ConfigError(
                f"{path}: 'brands' must be a list of non-empty names.",
                hint='Example: brands = ["Nordlys", "Nordlys Plus"]',
            )
        values["brands"] = tuple(dict.fromkeys(x.strip() for x in brands))
    return values


_TAG_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: Tags Jinja2 and the extensions the toolkit loads define: listed as opaque, ``trans`` hid
#: every {% trans %} block from extraction (65 % of Zulip's e-mail strings, QA pass 64).
_JINJA_OWN_TAGS = frozenset({
    "autoescape", "block", "extends", "for", "from", "if", "import", "include", "macro",
    "print", "set", "with", "filter", "call", "raw", "else", "elif", "trans", "pluralize",
    "break", "continue", "do",
})  # fmt: skip
#: A gettext keyword as xgettext's and pybabel's ``-k``: a name, then argument numbers
#: (``c``: context, ``t``: only calls with that many arguments).
_KEYWORD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?::[1-9][0-9]*[ct]?(?:,[1-9][0-9]*[ct]?)*)?$")


def plain_domain(domain: str) -> bool:
    """Whether 'domain' can be ``domain``: a plain name (letters, digits, ``-`` and ``_``)."""
    return domain.replace("-", "").replace("_", "").isalnum()


def sound_keyword(keyword: str) -> bool:
    """Whether 'keywords' can hold ``keyword``: pybabel's ``-k`` form with a sound spec."""
    return bool(_KEYWORD.match(keyword)) and _sound_spec(keyword)


def _sound_spec(keyword: str) -> bool:
    """A spec xgettext would take: one or two message arguments, at most one context and one
    argument count, no argument twice (``foo:1c`` names no message, ``foo:1,1`` one twice)."""
    _, _, spec = keyword.partition(":")
    if not spec:
        return True
    parts = spec.split(",")
    messages = [p for p in parts if p.isdigit()]
    contexts = [p[:-1] for p in parts if p.endswith("c")]
    counts = [p for p in parts if p.endswith("t")]
    used = messages + contexts
    return (
        1 <= len(messages) <= 2
        and len(contexts) <= 1
        and len(counts) <= 1
        and len(set(used)) == len(used)
    )


def _jinja_settings(section: dict[str, Any], path: Path) -> dict[str, Any]:
    """``jinja_extensions`` and ``jinja_opaque_tags`` (lists of strings, tag names
    identifiers), ``jinja_trimmed`` (a boolean) and ``comment_tags`` (prefixes)."""
    values: dict[str, Any] = {}
    for key, example in (
        ("jinja_extensions", '["jinja2.ext.debug"]'),
        ("jinja_opaque_tags", '["snippet", "url_for", "link_for", "asset"]'),
    ):
        if key not in section:
            continue
        items = section[key]
        if not isinstance(items, list) or not all(isinstance(x, str) and x for x in items):
            raise ConfigError(
                f"{path}: '{key}' must be a list of strings.", hint=f"Example: {key} = {example}"
            )
        values[key] = tuple(dict.fromkeys(items))
    for key in ("jinja_trimmed", "jinja_trim_blocks", "jinja_lstrip_blocks"):
        if key in section:
            if not isinstance(section[key], bool):
                raise ConfigError(
                    f"{path}: '{key}' must be true or false.",
                    hint="false where the app's own Jinja does not do it (a Flask app's "
                    "default; babel.cfg without 'trimmed = true', 'trim_blocks = true').",
                )
            values[key] = section[key]
    if "comment_tags" in section:
        items = section["comment_tags"]
        if not isinstance(items, list) or not all(isinstance(x, str) and x.strip() for x in items):
            raise ConfigError(
                f"{path}: 'comment_tags' must be a list of non-empty strings.",
                hint='Example: comment_tags = ["i18n:"] (pybabel extract -c i18n:)',
            )
        values["comment_tags"] = tuple(dict.fromkeys(x.strip() for x in items))
    for tag in values.get("jinja_opaque_tags", ()):
        if not _TAG_NAME.match(tag):
            raise ConfigError(
                f"{path}: jinja_opaque_tags: '{tag}' is not a tag name.",
                hint="Write the name as it follows '{%', e.g. 'snippet' for {% snippet ... %}.",
            )
        if tag in _JINJA_OWN_TAGS or tag.removeprefix("end") in _JINJA_OWN_TAGS:
            raise ConfigError(
                f"{path}: jinja_opaque_tags: '{tag}' is a tag of Jinja2 itself"
                + (" (its i18n extension: the translatable text of {% trans %} blocks)"
                   if tag.removeprefix("end") in ("trans", "pluralize") else "")  # fmt: skip
                + ", not a custom one to skip.",
                hint="Remove it from jinja_opaque_tags; list only your application's own tags.",
            )
    return values


def _extract_settings(section: dict[str, Any], path: Path) -> dict[str, tuple[str, ...]]:
    """``templates_exclude`` (patterns inside the templates folder, normalised as paths) and
    ``keywords`` (gettext functions in pybabel's ``-k`` form), validated."""
    values: dict[str, tuple[str, ...]] = {}
    if "templates_exclude" in section:
        items = section["templates_exclude"]
        if not isinstance(items, list) or not all(isinstance(x, str) and x for x in items):
            raise ConfigError(
                f"{path}: 'templates_exclude' must be a list of non-empty patterns.",
                hint='Example: templates_exclude = ["tests/*", "*/README.md", "static/*"]',
            )
        patterns = []
        for pattern in items:
            cleaned = posixpath.normpath(pattern) if pattern.strip() else ""
            if pattern.startswith("/") or ".." in cleaned.split("/") or cleaned in ("", "."):
                raise ConfigError(
                    f"{path}: templates_exclude: '{pattern}' is not a pattern inside the "
                    "templates folder.",
                    hint="Write it from templates_dir, e.g. 'tests' or 'static/*'.",
                )
            patterns.append(cleaned)
        values["templates_exclude"] = tuple(dict.fromkeys(patterns))
    if "jinja_suffixes" in section:
        items = section["jinja_suffixes"]
        if not isinstance(items, list) or not all(
            isinstance(x, str) and re.fullmatch(r"\.[A-Za-z0-9_+-]+", x) for x in items
        ):
            raise ConfigError(
                f"{path}: 'jinja_suffixes' must be a list of file suffixes such as '.sql'.",
                hint='Example: jinja_suffixes = [".sql", ".js"]',
            )
        values["jinja_suffixes"] = tuple(dict.fromkeys(x.lower() for x in items))
    if "keywords" in section:
        items = section["keywords"]
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            raise ConfigError(
                f"{path}: 'keywords' must be a list of strings.",
                hint='Example: keywords = ["_gettext", "_ngettext:1,2", "lazy_gettext"]',
            )
        for keyword in items:
            if not sound_keyword(keyword):
                raise ConfigError(
                    f"{path}: keywords: '{keyword}' is not a function name with an optional "
                    "argument spec.",
                    hint="Write it as pybabel's -k takes it: 'name', 'name:1,2' (singular, "
                    "plural) or 'name:1c,2' (context, message).",
                )
        values["keywords"] = tuple(dict.fromkeys(items))
    return values
