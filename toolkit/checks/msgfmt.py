"""GNU msgfmt as a second opinion: whatever ``msgfmt --check`` rejects is an error."""

from __future__ import annotations

import bisect
import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .base import CatalogCheck, CheckContext, Entry, Problem, register

COMMAND = ("msgfmt", "--check-format", "--check-header", "-o", os.devnull)
_TIMEOUT = 120
_TEMPLATE_DEFAULT = "still has the initial default value"
_NO_HEADER = "PO file header missing or invalid"


@dataclass(frozen=True)
class MsgfmtLine:
    """One diagnostic of msgfmt."""

    line: int
    message: str
    warning: bool
    first_line: int | None = None  # of an ``x...`` / ``...y`` pair, the ``x`` line


def parse_output(output: str, path: Path) -> list[MsgfmtLine]:
    """msgfmt's ``file:line: message`` diagnostics; ``x...`` / ``...y`` pairs become one.

    >>> out = "a.po:2: nplurals = 3...\\na.po:9: ...but some have only 2 plural forms\\n"
    >>> [(d.line, d.message) for d in parse_output(out, Path("a.po"))]
    [(9, 'nplurals = 3, but some have only 2 plural forms')]
    """
    found: list[MsgfmtLine] = []
    if not output:
        return found  # a clean catalog: no pattern to compile for its path
    shape = re.compile(re.escape(str(path)) + r":(\d+):\s*(warning:\s*)?(.*)$")
    for raw in output.splitlines():
        match = shape.match(raw)
        if match is None:
            continue
        line, warning, message = int(match.group(1)), bool(match.group(2)), match.group(3)
        if message.startswith("...") and found and found[-1].message.endswith("..."):
            previous = found.pop()
            message = previous.message[:-3] + ", " + message[3:]
            found.append(MsgfmtLine(line, message, warning, previous.line))
            continue
        found.append(MsgfmtLine(line, message, warning))
    return _one_for_the_plural_header(found)


_LACKS = re.compile(r'^(.*header entry lacks) a "(nplurals=INTEGER|plural=EXPRESSION)" attribute$')


def _one_for_the_plural_header(found: list[MsgfmtLine]) -> list[MsgfmtLine]:
    """msgfmt says twice that a header lacks Plural-Forms (its plural= and its nplurals=
    part): one diagnostic, as ``plural-header`` reports it once.

    >>> out = ('a.po:9: message catalog has plural form translations...\\n'
    ...        'a.po:2: ...but header entry lacks a "plural=EXPRESSION" attribute\\n'
    ...        'a.po:9: message catalog has plural form translations...\\n'
    ...        'a.po:2: ...but header entry lacks a "nplurals=INTEGER" attribute\\n')
    >>> [d.message.split(", but ")[1] for d in parse_output(out, Path("a.po"))]
    ['header entry lacks its Plural-Forms (nplurals=INTEGER; plural=EXPRESSION;)']
    """
    lacking = [d for d in found if _LACKS.match(d.message)]
    if len(lacking) < 2:
        return found
    first = lacking[0]
    head = _LACKS.match(first.message).group(1)  # type: ignore[union-attr]
    merged = MsgfmtLine(
        first.line, f"{head} its Plural-Forms (nplurals=INTEGER; plural=EXPRESSION;)",
        first.warning, first.first_line,
    )  # fmt: skip
    return [merged if d is first else d for d in found if d is first or d not in lacking]


def _obsolete_lines(path: Path) -> frozenset[int]:
    """Line numbers of ``#~`` lines (obsolete entries) in a catalog file."""
    try:
        lines = path.read_text("utf-8", "replace").split("\n")  # not at U+2028
    except OSError:
        return frozenset()
    return frozenset(n for n, line in enumerate(lines, start=1) if line.startswith("#~"))


@register
class MsgfmtCheck(CatalogCheck):
    id = "msgfmt"
    name = "GNU msgfmt"
    description = (
        "GNU 'msgfmt --check-format --check-header' rejects the catalog (its warnings are "
        "warnings; a missing msgfmt is one warning)."
    )
    severity = "error"
    defers_to_entry_errors = True

    def begin(self, path: Path) -> subprocess.Popen[str] | None:
        from ..cache import program_path  # shutil.which without importing shutil

        executable = program_path("msgfmt")
        if executable is None:
            return None
        return subprocess.Popen(
            [executable, *COMMAND[1:], str(path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
            env={**os.environ, "LC_ALL": "C", "LANGUAGE": ""},
        )

    def finish(self, token: subprocess.Popen[str] | None) -> None:
        if token is not None and token.stderr is not None and not token.stderr.closed:
            token.kill()
            token.communicate()

    def check(self, context: CheckContext) -> Iterator[Problem]:
        process = context.cache.get(self.id)
        if process is None:
            process = self.begin(context.path)
        if process is None:
            yield Problem(
                "GNU msgfmt is not installed, so its checks were skipped; install gettext "
                "(apt-get install gettext, brew install gettext).",
                severity="warning",
            )
            return
        try:
            _, output = process.communicate(timeout=_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            yield Problem(f"msgfmt did not finish within {_TIMEOUT} s.", severity="warning")
            return
        diagnostics = parse_output(output, context.path)
        lines = [e.line for e in context.entries if e.line is not None] if diagnostics else []
        order = sorted(range(len(lines)), key=lines.__getitem__)
        starts = [lines[i] for i in order]
        obsolete = _obsolete_lines(context.path) if "duplicate" in output else frozenset()
        for item in diagnostics:
            if item.warning and _TEMPLATE_DEFAULT in item.message:
                continue  # "FULL NAME <EMAIL@ADDRESS>" as Babel writes it: noise, not a risk
            # msgfmt names the line of the msgstr; the entry is the last one starting before it.
            position = bisect.bisect_right(starts, item.line) - 1
            entry = context.entries[order[position]] if position >= 0 else None
            if item.first_line in obsolete and item.message.startswith("duplicate message"):
                # An obsolete #~ copy of a live entry: no customer ever sees it (pybabel and
                # the toolkit compile without it), so a warning, with the way to fix it; on
                # the live entry (its msgid line and text), not the msgstr line msgfmt names.
                yield Problem(
                    f"msgfmt: the obsolete entry on line {item.first_line} repeats this msgid; "
                    "GNU msgfmt rejects the file (the toolkit's compile ignores it); delete "
                    "the #~ copy.",
                    entry=entry,
                    line=None if entry is not None else item.line,
                    severity="warning",
                )
                continue
            yield Problem(
                f"msgfmt: {item.message}{_flag_hint(item.message, entry)}",
                entry=entry,
                line=None if entry is not None else item.line,
                severity="warning" if item.warning else "error",
            )
        if process.returncode and not any(not d.warning for d in diagnostics):
            if _NO_HEADER in output:  # an empty file, or entries without the msgid "" header
                yield Problem(
                    "msgfmt: the catalog has no header entry (msgid \"\" with Content-Type "
                    "and Plural-Forms), so msgfmt rejects it; 'toolkit update --locale "
                    f"{context.locale}' writes one.",
                    line=1,
                )
                return
            yield Problem(f"msgfmt failed: {output.strip()[:300] or process.returncode}")


#: A replacement field GNU gettext's python-brace-format accepts (a name or number, then
#: ``.attr`` or ``[key]`` parts, a conversion and a format spec with nested fields) or an
#: escaped brace.
_BRACE_FIELD = re.compile(
    r"\{(?:[A-Za-z_]\w*|\d+)(?:\.[A-Za-z_]\w*|\[[^\]{}]*\])*(?:![rsa])?"
    r"(?::(?:[^{}]|\{(?:[A-Za-z_]\w*|\d+)?\})*)?\}|\{\{|\}\}"
)


def _brace_valid(text: str) -> bool:
    """Whether ``text`` is a valid Python brace format string as msgfmt judges one.

    >>> _brace_valid("Hi {name}, {0:>{width}} {{x}}"), _brace_valid("In {count}1{/count} room")
    (True, False)
    """
    rest = _BRACE_FIELD.sub("", text)  # fields and {{ }} escapes, left to right
    return "{" not in rest and "}" not in rest


def _flag_hint(message: str, entry: Entry | None) -> str:
    """For msgfmt's "not a valid Python brace format string" where the source itself is not
    one (react-jsx-i18n's ``{count}1{/count}``, flagged by Babel's guess): the flag is what is
    wrong, not the translation, which no translator can make valid (QA pass 77)."""
    if entry is None or "valid Python brace format" not in message:
        return ""
    if "python-brace-format" not in entry.flags:
        return ""
    sources = [entry.msgid, *([entry.msgid_plural] if entry.msgid_plural else [])]
    if all(_brace_valid(text) for text in sources):
        return ""
    return (
        " The msgid is no brace format string either: the entry's python-brace-format flag is "
        "wrong, not the translation; remove the flag (or write '#, no-python-brace-format'), "
        "in the template too if it has it."
    )
