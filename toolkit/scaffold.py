"""``toolkit init``: a new content project that extract/update/compile work on at once."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError

if TYPE_CHECKING:
    from .adopt import Adoption
from .fsutil import write_text_atomic
from .locales import folder_spelling, locale_id

EXAMPLE_TEMPLATE = """\
{#- A message template: each block is one part of the message (subject, preheader, text,
    html for e-mail; sms; push_title and push_body for push). -#}
{% block subject %}{% trans %}Welcome aboard, {{ first_name }}!{% endtrans %}{% endblock %}
{% block preheader %}
{{ _("Three quick steps to get started with your new account.") }}
{% endblock %}
{% block text %}
{# Translators: greeting at the top of the welcome e-mail. #}
{% trans %}Hi {{ first_name }},{% endtrans %}


{{ _("Thanks for joining us. We are glad you are here.") }}
{% endblock %}
{% block html %}
<p>{% trans %}Hi {{ first_name }},{% endtrans %}</p>
<p>{{ _("Thanks for joining us. We are glad you are here.") }}</p>
{% endblock %}
"""


#: An empty global glossary, its columns named (docs/glossary.md).
GLOSSARY_HEADER = "source,target,rule,forms,case_sensitive,pos,note\n"

#: Sample customer data beside the example template: render and showcase work at once.
EXAMPLE_SAMPLE = '{\n  "first_name": "Anna"\n}\n'


def next_steps(directory: Path, locales: list[str], source: str = "en") -> list[str]:
    """The commands to run after ``toolkit init``, in order (printed by the CLI)."""
    first = folder_spelling(locales[0]) if locales else "da"  # as init writes it: zh_CN
    project = "" if directory == Path(".") else f" --project {directory}"
    shown_out = "out" if directory == Path(".") else str(directory / "out")  # not the cwd's
    from .mt.models import language_code

    source_language = language_code(locale_id(source))
    # Machine translation for the first locale in another language (en_GB from en: none).
    foreign = [loc for loc in map(folder_spelling, locales)
               if language_code(locale_id(loc)) != source_language]  # fmt: skip
    machine = []
    if foreign or not locales:
        target = foreign[0] if foreign else first
        pair = f"{source_language}:{language_code(target)}"
        machine = [
            f"toolkit{project} models install {pair}    # online; offline: the pair's "
            ".argosmodel file",
            f"toolkit{project} translate --locale {target}    # needs: pip install \".[mt]\"",
        ]
    return [
        f"toolkit{project} extract",
        f"toolkit{project} update",
        *machine,
        f"toolkit{project} render email/welcome.j2 --locale {first} --from-po --use-fuzzy",
        f"toolkit{project} showcase --from-po --use-fuzzy --out {shown_out}",
    ]


def refuse_configured(directory: Path) -> None:
    if directory.resolve() == Path(directory.resolve().anchor):
        raise InputError(
            f"{directory} is the file system's root: a content project there would span the "
            "whole machine.",
            hint="Run 'toolkit init' in the app's folder, or give a new folder.",
        )
    config = directory / "toolkit.toml"
    if config.exists() or config.is_symlink():  # (a link to nothing is no place to write)
        raise InputError(
            f"{config} already exists.", hint="Choose an empty folder or edit the existing file."
        )
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file():  # (a FIFO would block the read, /dev/zero fill the memory)
        from .fsutil import read_regular_file

        try:
            head = read_regular_file(pyproject, 16 * 1024 * 1024)
        except OSError:
            head = b""
        if b"[tool.toolkit]" in head:
            raise InputError(f"{pyproject} already configures a content project.")


def _toml_list(values: list[str], indent: str = "    ") -> str:
    """A TOML array of strings, one line when short, else a few per line."""
    from .adopt import toml_string

    quoted = [toml_string(v) for v in values]
    one = f"[{', '.join(quoted)}]"
    if len(one) <= 80:
        return one
    lines, line = [], ""
    for item in quoted:
        if line and len(line) + len(item) + 2 > 88:
            lines.append(line.rstrip())
            line = ""
        line += item + ", "
    lines.append(line.rstrip())
    return "[\n" + "".join(f"{indent}{x}\n" for x in lines) + "]"


def adopt_project(
    directory: Path, adoption: Adoption, *, locales: list[str] | None, source: str = "en"
) -> list[tuple[Path, bool]]:
    """Write toolkit.toml for an app that already has catalogs (:func:`toolkit.adopt.detect`):
    its catalogs folder, domain, locales, templates, POT and extraction settings. No example
    template is written (its message would join the app's catalogs); the global glossary is,
    when missing. Refuses a folder that already has a configuration."""
    refuse_configured(directory)
    from .adopt import toml_string

    targets = list(dict.fromkeys(folder_spelling(x) for x in locales)) if locales else (
        adoption.locales)  # fmt: skip
    lines = [
        "# Content project settings for the retention messaging toolkit, read by 'toolkit init'",
        "# from this app's gettext setup (its catalogs, POT, templates"
        + (f" and {adoption.mapping})." if adoption.mapping else ")."),
        "[tool.toolkit]",
        f"source_locale = {toml_string(locale_id(source))}",
        f"locales = {_toml_list(targets)}",
        f"domain = {toml_string(adoption.domain)}",
        f"locales_dir = {toml_string(adoption.locales_dir)}",
    ]
    if adoption.templates_exclude:
        lines.append(f"templates_exclude = {_toml_list(adoption.templates_exclude)}")
    if adoption.templates_dir:
        lines.insert(-1 if adoption.templates_exclude else len(lines),
                     f"templates_dir = {toml_string(adoption.templates_dir)}")  # fmt: skip
    else:
        lines.append("# No templates/ folder was found: set templates_dir to the app's templates.")
    if adoption.app_pot:
        lines.append(f"# The app's own POT ({adoption.app_pot}, pybabel's) is never written over:")
        lines.append("# update from it and the toolkit's (see the next steps 'init' printed).")
    if adoption.pot_file:
        lines.append(f"pot_file = {toml_string(adoption.pot_file)}")
    lines.append('glossaries_dir = "glossaries"')
    if adoption.keywords:
        lines.append("# The app's own gettext functions (pybabel's -k):")
        lines.append(f"keywords = {_toml_list(adoption.keywords)}")
    if adoption.comment_tags:
        lines.append("# Translator comments the app's pybabel keeps (its -c):")
        lines.append(f"comment_tags = {_toml_list(adoption.comment_tags)}")
    if adoption.suffixes:
        lines.append(f"jinja_suffixes = {_toml_list(adoption.suffixes)}")
    if not adoption.fuzzy_matching:
        lines.append("# The app updates its catalogs with 'pybabel update -N': no fuzzy matches.")
        lines.append("fuzzy_matching = false")
    if adoption.mapping is not None:  # pybabel's Jinja extractor trims only when told to
        lines += [
            "# msgids as pybabel extracts them for the app: {% trans %} blocks "
            + ("trimmed" if adoption.trimmed else "not trimmed") + " (as the",
            "# mapping file says), Jinja's block white space kept (as a Flask app's Jinja does).",
            f"jinja_trimmed = {'true' if adoption.trimmed else 'false'}",
            "jinja_trim_blocks = false",
            "jinja_lstrip_blocks = false",
        ]  # fmt: skip
    else:  # (CKAN extracts with its own extractor, which trims: the defaults are its msgids)
        lines += [
            "# No pybabel mapping file was found: {% trans %} blocks are trimmed (the default).",
            "# If the app's msgids keep their white space, set jinja_trimmed, jinja_trim_blocks",
            "# and jinja_lstrip_blocks to false (update notes strings that differ only so).",
        ]
    usable = [e for e in adoption.extensions if _jinja_builtin(e)]
    others = [e for e in adoption.extensions if e not in usable and not e.startswith("jinja2.")]
    if usable:
        lines.append(f"jinja_extensions = {_toml_list(usable)}")
    if others:
        lines.append(f"# The mapping file also names {', '.join(others)}: if extract stops at")
        lines.append("# one of their tags, list the tags in jinja_opaque_tags (or the extension")
        lines.append("# in jinja_extensions where the toolkit's Python can import it).")
    # (a path in a comment may hold any character a file name can: none may end the line)
    lines = [re.sub(r"[\x00-\x08\x0a-\x1f\x7f]", "?", line) if line.startswith("#") else line
             for line in lines]  # fmt: skip
    return _write_missing({
        directory / "toolkit.toml": "\n".join(lines) + "\n",
        directory / "glossaries" / "_global.csv": GLOSSARY_HEADER,
    })  # fmt: skip


def _write_missing(files: dict[Path, str]) -> list[tuple[Path, bool]]:
    """Write each file that is not there yet; each path with whether it was written (a file
    already there, or a link, is left as it is)."""
    written = []
    for path, text in files.items():
        if path.exists() or path.is_symlink():
            written.append((path, False))
            continue
        write_text_atomic(path, text)
        written.append((path, True))
    return written


def _jinja_builtin(extension: str) -> bool:
    """Whether a mapping file's extension is one of Jinja's own that Jinja 3 still has and
    the toolkit does not load itself (``jinja2.ext.do``, ``jinja2.ext.loopcontrols``;
    ``i18n`` is always on, ``autoescape`` and ``with_`` are built in since Jinja 3)."""
    import jinja2.ext

    module, _, name = extension.replace(":", ".").rpartition(".")
    found = getattr(jinja2.ext, name, None) if module == "jinja2.ext" else None
    return (  # (jinja2.ext.re is a module Jinja imports, no extension)
        isinstance(found, type) and issubclass(found, jinja2.ext.Extension)
        and name not in ("i18n", "InternationalizationExtension")
    )  # fmt: skip


def init_project(
    directory: Path, *, locales: list[str], source: str = "en"
) -> list[tuple[Path, bool]]:
    """Create toolkit.toml, an example template and the empty folders; return each file with
    whether it was written (``False``: something is already there and is left as it is).

    Refuses to touch a folder that already holds a toolkit configuration, and never replaces
    a file: a glossary, template or sample data already in the folder is kept.
    """
    targets = list(dict.fromkeys(folder_spelling(x) for x in locales))  # zh_CN stays zh_CN
    source_id = locale_id(source)
    config = directory / "toolkit.toml"
    refuse_configured(directory)
    quoted = ", ".join(f'"{x}"' for x in targets)
    files = {
        config: (
            "# Content project settings for the retention messaging toolkit.\n"
            "[tool.toolkit]\n"
            f'source_locale = "{source_id}"\n'
            f"locales = [{quoted}]\n"
            'domain = "messages"\n'
            'templates_dir = "templates"\n'
            'locales_dir = "locales"\n'
            'glossaries_dir = "glossaries"\n'
            "# Countries you send to (payment-method texts are extracted for these; default:\n"
            "# the countries of the locales above):\n"
            '# markets = ["DK", "NO", "LT"]\n'
            "# Brand and product names that are never translated (payment brands such as\n"
            "# MobilePay and PayPal are protected without being listed):\n"
            '# brands = ["Your Shop", "Your Shop Plus"]\n'
        ),
        directory / "templates" / "email" / "welcome.j2": EXAMPLE_TEMPLATE,
        directory / "templates" / "email" / "welcome.sample.json": EXAMPLE_SAMPLE,
        directory / "glossaries" / "_global.csv": GLOSSARY_HEADER,
    }
    written = _write_missing(files)
    (directory / "locales").mkdir(parents=True, exist_ok=True)
    return written
