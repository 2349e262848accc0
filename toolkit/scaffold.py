"""``toolkit init``: a new content project that extract/update/compile work on at once."""

from __future__ import annotations

from pathlib import Path

from .errors import InputError
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
    if config.exists():
        raise InputError(
            f"{config} already exists.", hint="Choose an empty folder or edit the existing file."
        )
    pyproject = directory / "pyproject.toml"
    if pyproject.exists() and "[tool.toolkit]" in pyproject.read_text("utf-8", "replace"):
        raise InputError(f"{pyproject} already configures a content project.")
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
        directory / "glossaries" / "_global.csv": (
            "source,target,rule,forms,case_sensitive,pos,note\n"
        ),
    }
    written = []
    for path, text in files.items():
        if path.exists() or path.is_symlink():
            written.append((path, False))
            continue
        write_text_atomic(path, text)
        written.append((path, True))
    (directory / "locales").mkdir(parents=True, exist_ok=True)
    return written
