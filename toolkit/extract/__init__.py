"""``toolkit extract``: every customer-facing string of a content project into the POT.

Jinja2 templates go through Babel's extraction machinery with Jinja2's own extractor (so
``_()``, ``gettext``, ``ngettext``, ``pgettext``, ``npgettext`` and ``{% trans %}`` blocks,
translator comments and contexts behave exactly as in ``pybabel extract``); Markdown articles
and YAML FAQ files are segmented by :mod:`.markdown` and :mod:`.faq` and need no ``_()``.
"""

from __future__ import annotations

import io
import itertools
import os
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract
from jinja2 import Environment, TemplateSyntaxError, nodes
from jinja2.ext import _CommentFinder, extract_from_ast
from jinja2.lexer import TokenStream

from ..catalogs import build_date, write_catalog
from ..channels import MESSAGE_PARTS
from ..config import ProjectConfig
from ..errors import CatalogError, ConfigError, InputError
from ..fsutil import decode_utf8, file_size, read_error, read_regular_file, require_inside
from ..gcpause import gc_paused
from ..template_files import (
    MARKDOWN_SUFFIXES,
    YAML_SUFFIXES,
    extracted_location,
)
from ..templating import EXTRACT_OPTIONS, JINJA_SUFFIXES, new_environment

COMMENT_TAGS = ("Translators:", "TRANSLATORS:")


@dataclass(frozen=True)
class ExtractResult:
    """What ``extract_messages`` produced."""

    path: Path
    files: int
    messages: int
    written: bool
    #: ``file:line: why`` of each source file left out (only with ``keep_going``).
    skipped: tuple[str, ...] = field(default=())


_CUSTOM_TAGS = "Add the framework's custom tags"
_UNKNOWN_TAG = re.compile(r"template syntax error: Encountered unknown tag '([^']*)'")


def custom_tags_hint(tags: list[str]) -> str:
    """What to set for Jinja tags a framework adds (CKAN's ``{% snippet %}``), naming them
    as the setting's value (111 'unknown tag' lines of CKAN named four tags in all).

    >>> print(custom_tags_hint(["snippet", "url_for"])[:80])
    Add the framework's custom tags to 'jinja_opaque_tags' (jinja_opaque_tags = ["sn
    """
    value = ", ".join(f'"{t}"' for t in tags)
    return (
        f"{_CUSTOM_TAGS} to 'jinja_opaque_tags' (jinja_opaque_tags = [{value}]), or their "
        "extension to 'jinja_extensions', in toolkit.toml (or [tool.toolkit] of "
        "pyproject.toml); see docs/catalogs.md."
    )


class ExtractError(CatalogError):
    """Source files that cannot be read: every one of them, one ``file:line: why`` a line."""

    def __init__(self, failures: list[CatalogError]) -> None:
        self.failures = failures
        lines = "\n".join(f"  {f.message}" for f in failures)
        tags = list(dict.fromkeys(
            m.group(1) for f in failures
            if (f.hint or "").startswith(_CUSTOM_TAGS) and (m := _UNKNOWN_TAG.search(f.message))
        ))  # fmt: skip (an 'endiff' is a block left open, no framework's tag)
        hints = list(dict.fromkeys(
            (custom_tags_hint(tags) if f.hint.startswith(_CUSTOM_TAGS)
             else f.hint.removesuffix(_RERUN)).rstrip(".")
            for f in failures if f.hint
        ))  # fmt: skip
        if len(failures) == 1:
            super().__init__(failures[0].message, hint=failures[0].hint)
        else:
            # "Close the block Jinja names; fix the template ...": said once, not once a file.
            said = "; ".join(h[:1].lower() + h[1:] if n else h for n, h in enumerate(hints))
            super().__init__(
                f"{len(failures)} source files cannot be read; nothing was written:\n{lines}\n",
                hint=f"{said.rstrip('.') or 'Fix them'}. Then rerun 'toolkit extract', or pass "
                "--keep-going to extract the rest.",
            )


#: How the syntax-error hints end; said once when several files fail.
_RERUN = " and rerun 'toolkit extract'."


def extract_messages(
    config: ProjectConfig, *, dry_run: bool = False, keep_going: bool = False
) -> ExtractResult:
    """Scan the project's templates folder and write ``locales/<domain>.pot``.

    Every source file is read before anything is written: files that cannot be parsed are
    all reported in one :class:`ExtractError` and the POT stays as it was, unless
    ``keep_going``, which writes the POT from the other files and lists the skipped ones in
    the result (when none can be read, nothing is written either). With ``dry_run`` nothing
    is written; ``written`` then says whether the POT
    would change.
    """
    failures: list[CatalogError] = []
    files = source_files(config)
    with gc_paused():  # every template's tree and the catalog: see toolkit.gcpause
        catalog = build_template(config, failures=failures, files=files)
    if failures and (not keep_going or len(failures) == len(files)):
        # (--keep-going with every file unreadable would replace the POT with an empty one)
        raise ExtractError(failures)
    refuse_dropping_foreign(config, catalog)
    written = write_catalog(config.pot_path, catalog, dry_run=dry_run)
    return ExtractResult(
        path=config.pot_path,
        files=len(files) - len(failures),
        messages=sum(1 for m in catalog if m.id),
        written=written,
        skipped=tuple(f.message for f in failures),
    )


_LOCATIONS = re.compile(rb"^#: (.+)$", re.MULTILINE)


def refuse_dropping_foreign(config: ProjectConfig, catalog: Catalog) -> None:
    """Refuse to replace a POT that holds messages of files extract does not read (a Flask
    app's pybabel POT with its Python code's messages: Flask-Security's 151 of 257), which the
    new POT would drop, and 'toolkit update' would then make obsolete in every catalog."""
    pot = config.pot_path
    try:
        data = pot.read_bytes() if pot.is_file() else b""
    except OSError:
        return  # written over as before; the write names any problem
    prefix = config.templates_prefix

    def foreign(location: str) -> bool:
        return not extracted_location(location, prefix, config.source_suffixes)

    # A look at the location lines first: a POT of the toolkit's own is not parsed again.
    # A POT with messages but no location line at all was written without them (pybabel
    # --no-location, as ihatemoney's: 95 of its 294 messages are its Python code's): its
    # messages may be anyone's. (The toolkit's own POT locates every template message; only
    # its payment-method names have none.)
    lines = _LOCATIONS.findall(data)
    tokens = (token for line in lines for token in line.decode("utf-8", "replace").split())
    unlocated = not lines and re.search(rb'^msgid "[^"]', data, re.MULTILINE) is not None
    if not unlocated and not any(foreign(token) for token in tokens):
        return
    from ..catalogs import read_catalog

    dropped = [
        message for message in read_catalog(pot)
        if message.id and (message.locations or unlocated)
        and all(foreign(f"{name}:{line}" if line else name) for name, line in message.locations)
        and catalog.get(message.id, context=message.context) is None
    ]  # fmt: skip
    if dropped:
        where = dropped[0].locations[0] if dropped[0].locations else None
        shown = (f"{where[0]}:{where[1]}" if where[1] else where[0]) if where else (
            f"no location: '{dropped[0].id}'"
        )
        own = f"{config.locales_dir.rstrip('/')}/templates.pot"
        raise InputError(
            f"{config.relative(pot)} has {len(dropped)} messages from files extract does not "
            f"read ({shown}, ...): writing it would drop them, and 'toolkit "
            "update' would then make their translations obsolete.",
            hint="Keep that POT (pybabel's?) and give the toolkit its own: pot_file = "
            f'"{own}" in the project\'s configuration; then update from both '
            f"('toolkit update --pot app.pot --pot {own}').",
        )


def source_files(config: ProjectConfig) -> list[Path]:
    """Every file extract reads, sorted, so output order never depends on the file system."""
    root = config.templates_path
    if not root.is_dir():
        from ..fsutil import similar_folders

        raise config.missing_folder("templates_dir", root, "templates", similar_folders(root))
    suffixes = config.source_suffixes

    def unreadable(exc: OSError) -> None:
        # rglob skips folders it cannot list; extract must not: their messages would turn
        # obsolete at the next 'toolkit update'.
        raise CatalogError(
            f"cannot read this folder: {exc.strerror}.",
            path=Path(exc.filename) if exc.filename else root,
            hint="Fix its permissions and rerun; no catalog was changed.",
        ) from exc

    excluded = _excluded(config.templates_exclude)
    found = []
    for folder, dirs, names in os.walk(root, onerror=unreadable):
        here = os.path.relpath(folder, root).replace(os.sep, "/")
        inside = "" if here == "." else here + "/"
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not excluded(inside + d))
        for name in names:
            if name.startswith(".") or Path(name).suffix.lower() not in suffixes:
                continue
            path = Path(folder, name)
            # A file, or a link to nothing: read as a broken source (pybabel fails on it).
            if not excluded(inside + name) and (
                path.is_file() or (path.is_symlink() and not path.exists())
            ):
                found.append(path)
    found.sort()
    for path in found:  # a symbolic link out of the project is an error, not a source
        if path.exists():  # (a link to nothing, or a loop, is read as a broken source)
            require_inside(path, config.root, shown=config.relative(path))
    return found


def extraction_keywords(config: ProjectConfig) -> Mapping[str, Any]:
    """The gettext functions whose calls in templates are messages: Babel's defaults (``_``,
    ``gettext``, ``ngettext``, ``pgettext``, ...) and the project's ``keywords`` in
    xgettext/pybabel ``-k`` form (``_gettext``, ``_ngettext:1,2``, ``pgettext_lazy:1c,2``)."""
    if not config.keywords:
        return DEFAULT_KEYWORDS
    from babel.messages.frontend import parse_keywords

    return {**DEFAULT_KEYWORDS, **parse_keywords(config.keywords)}


def _fits(spec: Any, message: Any) -> bool:
    """Whether a call has the arguments its keyword's spec names: ``my_ctx:2c,1`` called
    with one argument is skipped, as xgettext skips it (Babel's spec matching would raise)."""
    count = len(message) if isinstance(message, (tuple, list)) else 1
    if isinstance(spec, dict):  # specs by argument count ("t"): Babel picks one or none
        if count not in spec and None not in spec:
            return False
        spec = spec[count] if count in spec else spec[None]
    if not spec:
        return count >= 1
    needed = max(part[0] if isinstance(part, tuple) else part for part in spec)
    return count >= needed


def _excluded(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    """Whether a path from the templates folder (``a/b.html``) matches a ``templates_exclude``
    pattern: the path itself or, for a folder pattern such as ``tests``, anything in it."""
    if not patterns:
        return lambda relative: False
    import fnmatch

    def excluded(relative: str) -> bool:
        return any(fnmatch.fnmatchcase(relative, pattern) for pattern in patterns)

    return excluded


def jinja_environment(config: ProjectConfig) -> Environment:
    """The project's Jinja2 environment for parsing: built-in plus configured extensions."""
    try:
        return new_environment(
            None,
            extensions=config.jinja_extensions,
            opaque_tags=config.jinja_opaque_tags,
            **config.jinja_syntax,
        )
    except ConfigError as exc:
        raise config.at_setting("jinja_extensions", exc) from exc


def build_template(
    config: ProjectConfig,
    *,
    failures: list[CatalogError] | None = None,
    files: list[Path] | None = None,
) -> Catalog:
    """The POT catalog for the project, in memory.

    A file that cannot be read raises CatalogError, or, when a ``failures`` list is given,
    is appended to it and left out. ``files``: :func:`source_files` when already listed.
    """
    env = jinja_environment(config)
    keywords = extraction_keywords(config)
    tags = (*COMMENT_TAGS, *config.comment_tags)
    catalog = Catalog(
        project=config.domain,
        domain=config.domain,
        creation_date=build_date(),
        charset="utf-8",
    )
    uses_payments = False
    merged = _Merger(catalog)
    paths = source_files(config) if files is None else files
    for path, read in zip(paths, _read_sources(paths, env, keywords, tags), strict=True):
        reference = path.relative_to(config.root).as_posix()
        if read is None:  # an error: read here again, so it is raised or listed as it is
            try:
                extract_file(path, env, keywords=keywords, comment_tags=tags)
            except CatalogError as exc:
                if failures is None:
                    raise
                failures.append(exc)
                continue
            raise AssertionError(f"{path} failed in a worker only")  # pragma: no cover
        extracted, payments = read
        uses_payments = uses_payments or payments
        for line, message, comments, context, plain in extracted:
            merged.add(message, [(reference, line)], comments, context)
            if plain:
                # Articles and FAQs are not %-formatted: "100% free" is not a placeholder.
                stored = catalog.get(message if isinstance(message, str) else message[0], context)
                if stored is not None:
                    stored.flags.discard("python-format")
                    if isinstance(stored.id, str) and "%" in stored.id:
                        # Babel re-adds python-format on reading "50% off"; the explicit
                        # flag keeps checks, msgfmt and MT reading '% o' as text.
                        stored.flags.add("no-python-format")
    if uses_payments:
        add_payment_descriptions(catalog, config.served_markets)
    return catalog


class _Merger:
    """``catalog.add`` for many occurrences of one message in linear time.

    Babel merges a message that is already in the catalog by rebuilding its locations and
    comments (``dict.fromkeys`` over all of them) on every occurrence: a Markdown article that
    repeats one paragraph 32,000 times took 29 s to extract, and a 20 MB one ran for more than
    ten minutes. Here a repeated occurrence is appended, with sets remembering what the
    message holds; the result is Babel's, entry for entry.
    """

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.seen: dict[int, tuple[set[Any], set[str], Any]] = {}

    def add(self, message: Any, locations: list[tuple[str, int]], comments: list[str],
            context: str | None) -> None:
        catalog = self.catalog
        current = catalog.get(message if isinstance(message, str) else message[0], context)
        new = Message(message, None, locations, auto_comments=comments, context=context)
        if current is None or (new.pluralizable and not current.pluralizable):
            if current is not None:
                self.seen.pop(id(current), None)
            catalog.add(message, None, locations, auto_comments=comments, context=context)
            return
        sets = self.seen.get(id(current))
        if sets is None or sets[2] is not current:
            # Babel's first merge drops repeats already in the lists, as this one does.
            current.locations = list(dict.fromkeys(current.locations))
            current.auto_comments = list(dict.fromkeys(current.auto_comments))
            current.user_comments = list(dict.fromkeys(current.user_comments))
            sets = (set(current.locations), set(current.auto_comments), current)
            self.seen[id(current)] = sets
        for location in new.locations:
            if location not in sets[0]:
                sets[0].add(location)
                current.locations.append(location)
        for comment in new.auto_comments:
            if comment not in sets[1]:
                sets[1].add(comment)
                current.auto_comments.append(comment)
        current.flags |= new.flags


def uses_payment_methods(path: Path, env: Environment, tree: nodes.Template | None = None) -> bool:
    """Whether a template reads the renderer's ``payment_methods`` global: a loop over it,
    a filter (``payment_methods|map(attribute="name")|join(", ")``, ``|first``), an index.
    (A loop only counted: a template that joined the names showed Lithuanian customers
    "Online banking" in English.) A template that sets a ``payment_methods`` of its own, or a
    ``payment_methods_icons`` macro (another name), does not pull the texts in.
    """
    data = path.read_bytes()
    if b"payment_methods" not in data:
        return False
    if tree is None:
        tree = env.parse(data.decode("utf-8"))
    if not _payment_names(tree, "load"):
        return False
    assigned: list[nodes.Name] = []
    for assign in tree.find_all(nodes.Assign):
        targets = _payment_names(assign.target, "store")
        if targets and not _payment_names(assign.node, "load"):
            return False  # {% set payment_methods = ["Cash"] %}: the template's own list
        assigned += targets  # {% set payment_methods = payment_methods|rejectattr(...) %}
    # Another store of that name (a loop variable, a macro argument): the template's own.
    return all(any(n is a for a in assigned) for n in _payment_names(tree, "store"))


def _payment_names(node: nodes.Node, ctx: str) -> list[nodes.Name]:
    """The ``payment_methods`` names in ``node`` (itself included) with ``ctx``."""
    found = [node] if isinstance(node, nodes.Name) else []
    found += list(node.find_all(nodes.Name))
    return [n for n in found if n.name == "payment_methods" and n.ctx == ctx]


def add_payment_descriptions(catalog: Catalog, markets: tuple[str, ...] | None = None) -> None:
    """Templates that list ``payment_methods`` show method names and descriptions: make them
    translatable, for the methods of the project's ``markets`` only.

    Each method's texts carry its own msgctxt (``payment method: <id>``), so a description
    shared by several methods can read differently per method. Brand names are not messages.
    The texts come from the toolkit's payment data, not from a project file, so the entries
    carry an extracted comment instead of a file reference.
    """
    from ..payment_texts import package_payment_messages

    for message in package_payment_messages(markets or ()):
        if catalog.get(message.text, message.context) is None:
            catalog.add(
                message.text,
                None,
                [],
                auto_comments=[message.comment, "toolkit payment data"],
                context=message.context,
            )


Extracted = tuple[int, Any, list[str], str | None, bool]


#: Source files of this size or more in total are read by forked children and this process
#: together (toolkit.forked; below it a fork costs about what it saves).
PARALLEL_MIN_BYTES = 32_000


def _read_sources(
    paths: list[Path],
    env: Environment,
    keywords: Mapping[str, Any] = DEFAULT_KEYWORDS,
    comment_tags: tuple[str, ...] = COMMENT_TAGS,
) -> list[tuple[list[Extracted], bool] | None]:
    """Each file's messages and whether it shows payment methods (None: it cannot be read)."""
    from ..forked import map_split

    def read(share: list[Path]) -> list[tuple[list[Extracted], bool] | None]:
        results: list[tuple[list[Extracted], bool] | None] = []
        trees: dict[Path, nodes.Template] = {}
        for path in share:
            try:
                extracted = extract_file(
                    path, env, trees, keywords=keywords, comment_tags=comment_tags
                )
            except CatalogError:
                results.append(None)
                continue
            tree = trees.pop(path, None)
            payments = path.suffix.lower() in JINJA_SUFFIXES and uses_payment_methods(
                path, env, tree
            )
            results.append((extracted, payments))
        return results

    sizes = [file_size(path) for path in paths]
    return map_split(read, paths, sizes, PARALLEL_MIN_BYTES)


def extract_file(
    path: Path,
    env: Environment | None = None,
    trees: dict[Path, nodes.Template] | None = None,
    *,
    keywords: Mapping[str, Any] = DEFAULT_KEYWORDS,
    comment_tags: tuple[str, ...] = COMMENT_TAGS,
) -> list[Extracted]:
    """Messages of one source file: ``(line, message, comments, context, plain)``; a Jinja
    template's parsed tree is put in ``trees`` when given. ``keywords``: the gettext
    functions whose calls are messages (Babel's form: :func:`extraction_keywords`);
    ``comment_tags``: the prefixes of comments for translators (the project's
    ``comment_tags`` besides ``Translators:``)."""
    try:
        data = read_regular_file(path)
    except OSError as exc:
        if path.is_symlink() and not path.exists():
            try:
                target = os.readlink(path)
            except OSError:
                target = "?"
            raise CatalogError(
                f"a symbolic link to a file that does not exist or loops ({target}).",
                path=path,
                hint="Point the link at the template, delete it, or exclude it with "
                "'templates_exclude'.",
            ) from exc
        raise read_error(path, exc) from exc
    text = decode_utf8(data, path)
    suffix = path.suffix.lower()
    try:
        if suffix in MARKDOWN_SUFFIXES:  # markdown-it and YAML imported only when needed
            from .markdown import FrontMatterError, article_segments

            try:
                segments = article_segments(text)
            except FrontMatterError as exc:
                raise CatalogError(
                    f"unreadable front matter: {exc}",
                    path=path,
                    line=exc.line,
                    hint="Fix the YAML between the two '---' lines and rerun 'toolkit extract'.",
                ) from exc
            return [(s.line, s.text, [f"Markdown {s.kind}"], None, True) for s in segments]
        if suffix in YAML_SUFFIXES:
            return _faq_messages(text, path)
        return list(_jinja_messages(data, env or new_environment(), trees, path, keywords,
                                    comment_tags))  # fmt: skip
    except TemplateSyntaxError as exc:
        message = exc.message or ""
        tag = re.match(r"Encountered unknown tag '([^']*)'", message)
        # An end or middle tag Jinja did not expect ({% endblock %} while an {% if %} is open)
        # is a block left open: Jinja's whole message names the block. Another unknown tag
        # is a framework's own: the tag's name is what matters, not the open block.
        nesting = tag is not None and (
            tag.group(1).startswith("end") or tag.group(1) in ("else", "elif", "pluralize")
        )
        unknown = tag is not None and not nesting
        why = message.split(". ")[0].rstrip(".") if unknown else message.rstrip(".")
        innermost = re.search(r"The innermost block that needs to be closed is '(\w+)'", message)
        if innermost is not None:
            opened = open_block_line(env or new_environment(), text, innermost.group(1),
                                     exc.lineno)  # fmt: skip
            if opened is not None:
                why += f" (the {{% {innermost.group(1)} %}} opened on line {opened})"
        raise CatalogError(
            f"template syntax error: {why}",
            path=path,
            line=exc.lineno,
            hint=(
                custom_tags_hint([tag.group(1)])
                if unknown and tag is not None
                else "Close the block Jinja names and rerun 'toolkit extract'."
                if nesting
                else "Fix the template and rerun 'toolkit extract'."
            ),
        ) from exc
    except ValueError as exc:
        raise CatalogError(str(exc), path=path, hint="Fix the file and rerun.") from exc
    except RecursionError as exc:
        raise CatalogError(
            "nested too deeply to read.", path=path, hint="Simplify the file and rerun."
        ) from exc


#: Tags that open a block their ``end...`` tag closes (``set`` only without ``=``).
_BLOCK_TAGS = frozenset({"if", "for", "block", "macro", "call", "filter", "trans", "with",
                         "set", "autoescape", "raw"})  # fmt: skip


def open_block_line(env: Environment, source: str, name: str, before: int | None) -> int | None:
    r"""The line of the innermost ``{% <name> %}`` still open at line ``before`` (the end of
    the template when None): Jinja names the block a template left open, and the line where
    it noticed, often the template's last; the line that opened it is what to fix.

    >>> from toolkit.templating import new_environment
    >>> open_block_line(new_environment(), "{% for x in y %}\n{% if x %}\nHi\n{% endfor %}",
    ...                 "if", 4)
    2
    """
    stack: list[tuple[str, int]] = []
    try:
        tokens = [token for token in env.lex(source) if token[1] != "whitespace"]
    except Exception:  # noqa: BLE001 - a template the lexer refuses: Jinja's line stands
        return None
    for index, (line, kind, value) in enumerate(tokens):
        if before is not None and line > before:
            break
        if kind != "name" or index == 0 or tokens[index - 1][1] != "block_begin":
            continue
        if value.startswith("end") and stack and stack[-1][0] == value[3:]:
            stack.pop()
        elif value in _BLOCK_TAGS:
            if value == "set" and _assigns(tokens, index):
                continue
            stack.append((value, line))
    return next((line for tag, line in reversed(stack) if tag == name), None)


def _assigns(tokens: list[tuple[int, str, str]], start: int) -> bool:
    """Whether the ``{% set ... %}`` at ``start`` assigns (``set x = 1``) rather than opens."""
    for _, kind, _ in tokens[start + 1 :]:
        if kind == "block_end":
            return False
        if kind == "assign":
            return True
    return False


def _faq_messages(text: str, path: Path) -> list[Extracted]:
    import yaml  # PyYAML only for projects with FAQ files

    from .faq import faq_segments

    try:
        return [(s.line, s.text, [f"FAQ {s.kind}"], None, True) for s in faq_segments(text)]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CatalogError(
            f"invalid YAML: {getattr(exc, 'problem', None) or exc}",
            path=path,
            line=mark.line + 1 if mark is not None else None,
            hint="Fix the YAML and rerun 'toolkit extract'.",
        ) from exc


def _jinja_messages(
    data: bytes,
    env: Environment,
    trees: dict[Path, nodes.Template] | None,
    path: Path,
    keywords: Mapping[str, Any] = DEFAULT_KEYWORDS,
    comment_tags: tuple[str, ...] = COMMENT_TAGS,
) -> Iterator[Extracted]:
    source = data.decode("utf-8")
    commented = any(tag in source for tag in comment_tags)
    tree, tokens = parse_with_tokens(env, source) if commented else (env.parse(source), [])
    if trees is not None:
        trees[path] = tree
    blocks = block_spans(source, tree)

    def jinja_extract(
        fileobj: IO[bytes],
        names: Collection[str],
        comment_tags: Collection[str],
        options: Mapping[str, Any],
    ) -> Iterator[tuple[int, str, Any, list[str]]]:
        # jinja2.ext.babel_extract, on the project's environment (configured extensions and
        # opaque tags) and the tree parsed once: extraction parses exactly as rendering does.
        # (Babel passes the keywords' names; their specs are ``keywords``'s.)
        calls = (
            (lineno, func, message)
            for lineno, func, message in extract_from_ast(tree, tuple(names))
            if _fits(keywords.get(func), message)
        )
        if not commented:
            for lineno, func, message in calls:
                yield lineno, func, message, []
            return
        finder = _CommentFinder(tokens, comment_tags)  # type: ignore[arg-type]
        for lineno, func, message in calls:
            yield lineno, func, message, finder.find_comments(lineno)

    for line, message, comments, context in extract(
        jinja_extract,  # type: ignore[arg-type]  # Babel's stubs are narrower than its API
        io.BytesIO(data),
        keywords=keywords,
        comment_tags=comment_tags,
        options=EXTRACT_OPTIONS,
    ):
        part = _part_at(blocks, line)
        notes = [*comments, f"part: {part}"] if part else list(comments)
        yield line, message, notes, context, False


Token = tuple[int, str, str]


def parse_with_tokens(env: Environment, source: str) -> tuple[nodes.Template, list[Token]]:
    """``env.parse(source)`` and ``list(env.lex(env.preprocess(source)))`` from one lexing.

    Translator comments are lexer tokens the parser drops, so ``babel_extract`` lexes every
    template twice: once for the comments, once inside the parse (~a quarter of extract's
    time). Here the parse's own lexing keeps a copy of the raw tokens, through the
    environment's tokenizing step as Jinja writes it (preprocess, lex, the extensions'
    stream filters); a test compares the tokens with ``env.lex`` on real templates. With a
    Jinja whose internals differ, it lexes twice as before.
    """
    lexer = env.lexer
    if not (hasattr(lexer, "tokeniter") and hasattr(lexer, "wrap")):  # pragma: no cover
        return env.parse(source), list(env.lex(env.preprocess(source)))
    raw: list[Token] = []

    def recorded(tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            raw.append(token)
            yield token

    def tokenize(
        text: str, name: str | None, filename: str | None = None, state: str | None = None
    ) -> TokenStream:
        text = env.preprocess(text, name, filename)
        stream = TokenStream(
            lexer.wrap(recorded(lexer.tokeniter(text, name, filename, state)), name, filename),
            name,
            filename,
        )
        for extension in env.iter_extensions():
            stream = extension.filter_stream(stream)  # type: ignore[assignment]
            if not isinstance(stream, TokenStream):
                stream = TokenStream(stream, name, filename)
        return stream

    env._tokenize = tokenize  # type: ignore[method-assign,assignment]  # this parse only
    try:
        tree = env.parse(source)
    finally:
        del env._tokenize
    return tree, raw


def block_spans(source: str, tree: nodes.Template | None = None) -> list[tuple[int, int, str]]:
    """``(first line, last line, name)`` of every ``{% block %}`` whose name is a message part.

    Checks use the part to apply channel limits (SMS, push, subject) to the right strings.
    """
    if tree is None:
        tree = new_environment().parse(source)
    found: list[tuple[int, int, int, str]] = []  # (order met, first, last, name)
    met = itertools.count()

    def last_line(node: nodes.Node) -> int:  # one walk of the tree for every block
        order = next(met)
        last = node.lineno or 0
        for child in node.iter_child_nodes():
            last = max(last, last_line(child))
        if isinstance(node, nodes.Block) and node.name in MESSAGE_PARTS:
            found.append((order, node.lineno, max(last, node.lineno), node.name))
        return last

    last_line(tree)
    return [(first, last, name) for _, first, last, name in sorted(found)]


def _part_at(spans: list[tuple[int, int, str]], line: int) -> str | None:
    inside = [s for s in spans if s[0] <= line <= s[1]]
    return min(inside, key=lambda s: s[1] - s[0])[2] if inside else None
