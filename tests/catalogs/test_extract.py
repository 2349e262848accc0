from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from toolkit.errors import CatalogError
from toolkit.extract import ExtractError, build_template, extract_messages


def pot(config):
    extract_messages(config)
    with config.pot_path.open("rb") as handle:
        return read_po(handle)


def test_jinja_calls_blocks_plurals_contexts_and_comments(project):
    catalog = pot(project)
    hi = catalog.get("Hi %(first_name)s,")
    assert hi is not None
    assert "greeting; first_name is the customer's given name." in hi.auto_comments
    assert [loc for loc in hi.locations] == [
        ("templates/email/points.j2", 5),
        ("templates/email/points.j2", 15),
    ]
    assert "python-format" in hi.flags
    plural = catalog.get("You have %(count)s loyalty point.")
    assert plural.id == ("You have %(count)s loyalty point.", "You have %(count)s loyalty points.")
    assert catalog.get("Open", context="button") is not None
    reward = catalog.get("%(num)s reward", context="reward")
    assert reward.id[1] == "%(num)s rewards"
    assert "python-brace-format" in catalog.get("Redeem them at {url}.").flags


def test_message_parts_are_recorded_for_channel_limits(project):
    catalog = pot(project)
    assert "part: subject" in catalog.get("Your points, %(first_name)s").auto_comments
    assert "part: preheader" in catalog.get("See what you can do with them.").auto_comments


def test_markdown_article_segments(project):
    catalog = pot(project)
    ids = [m.id for m in catalog if m.id and any("kb/" in loc[0] for loc in m.locations)]
    assert ids == [
        "Loyalty points explained",
        "How you earn points and how to spend them.",
        "How points work",
        "You earn **1 point** for every krone you spend. Points are added when your order ships.",
        "Points expire after *12 months*.",
        "See [your account](https://example.com/account) for your balance.",
    ]
    paragraph = catalog.get(ids[3])
    assert paragraph.locations == [("templates/kb/points-explained.md", 8)]
    assert "Markdown paragraph" in paragraph.auto_comments
    assert catalog.get("Loyalty points explained").locations[0][1] == 2


def test_yaml_faq_fields(project):
    catalog = pot(project)
    question = catalog.get("Can I pay with MobilePay?")
    assert question.locations == [("templates/faq/general.yaml", 5)]
    answer = catalog.get("Yes. MobilePay is offered in Denmark and Finland.")
    assert answer.locations == [("templates/faq/general.yaml", 6)]


def test_extract_twice_changes_no_byte(project):
    extract_messages(project)
    first = project.pot_path.read_bytes()
    result = extract_messages(project)
    assert result.written is False
    assert project.pot_path.read_bytes() == first


def test_percent_in_article_is_not_a_format(project):
    article = project.templates_path / "kb" / "sale.md"
    article.write_text("# Sale\n\nSave 100% free shipping on orders.\n", encoding="utf-8")
    message = build_template(project).get("Save 100% free shipping on orders.")
    assert "python-format" not in message.flags


def test_same_messages_as_pybabel(project, tmp_path):
    """pybabel extract with Jinja2's extractor finds exactly the messages we find in templates."""
    mapping = tmp_path / "babel.cfg"
    mapping.write_text(
        "[jinja2: **.j2]\n"
        "extensions = jinja2.ext.do,jinja2.ext.loopcontrols\n"
        "trimmed = true\nnewstyle_gettext = true\n"
        "trim_blocks = true\nlstrip_blocks = true\n",
        encoding="utf-8",
    )
    out = tmp_path / "pybabel.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(mapping),
            "-o",
            str(out),
            "-c",
            "Translators:",
            "-k",
            "pgettext:1c,2",
            "-k",
            "npgettext:1c,2,3",
            str(project.templates_path),
        ],
        check=True,
        capture_output=True,
    )
    with out.open("rb") as handle:
        theirs = {(m.id, m.context) for m in read_po(handle) if m.id}
    ours = {
        (m.id, m.context)
        for m in build_template(project)
        if m.id and any(loc[0].endswith(".j2") for loc in m.locations)
    }
    assert theirs and ours == theirs


@pytest.mark.parametrize(
    ("name", "content", "line", "needle"),
    [
        ("email/broken.j2", "{% block subject %}\n{{ _('x') \n{% endblock %}", 3, "syntax"),
        ("email/unclosed.j2", "ok\n{% trans %}Hi{% endblock %}", 2, "syntax"),
        ("faq/bad.yaml", "questions:\n  - question: [unclosed\n", 3, "invalid YAML"),
        ("kb/latin1.md", "caf\xe9".encode("latin-1"), 1, "UTF-8"),
    ],
)
def test_broken_sources_name_file_and_line_and_write_nothing(project, name, content, line, needle):
    extract_messages(project)
    before = project.pot_path.read_bytes()
    path = project.templates_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        extract_messages(project)
    assert f"{name}:{line}:" in str(info.value)
    assert needle in str(info.value)
    assert project.pot_path.read_bytes() == before


def test_unreadable_template_is_reported(project, monkeypatch):
    """Tests run as root here, where chmod cannot make a file unreadable: fail the read."""
    import toolkit.extract as extract

    target = project.templates_path / "email" / "points.j2"
    real = extract.read_regular_file

    def read_bytes(path: Path) -> bytes:
        if path == target:
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(extract, "read_regular_file", read_bytes)
    with pytest.raises(CatalogError, match=r"points\.j2: cannot read: Permission denied"):
        extract_messages(project)


def test_block_spans_cover_nested_blocks_to_their_last_line():
    from toolkit.extract import block_spans

    source = (
        "{% block html %}{% block subject %}{{ _('Hi') }}{% endblock %}\n"
        "{% block sms %}\n{{ a }}\n{{ _('Code %(c)s', c=code) }}\n{% endblock %}\n"
        "{% block unrelated %}\n{% endblock %}\n{% endblock %}"
    )
    assert block_spans(source) == [(1, 6, "html"), (1, 1, "subject"), (2, 4, "sms")]


def test_two_cores_extract_what_one_core_extracts(project, monkeypatch):
    """Template files read by a forked child and this process together: the same POT, and
    the same errors (every broken file, in file order) as when this process reads them all."""
    import toolkit.extract as extract_module
    import toolkit.forked as forked

    forks = []
    real_fork = forked.os.fork
    monkeypatch.setattr(forked, "cores", lambda: 2)
    monkeypatch.setattr(forked, "_may_fork", lambda: True)  # other tests' threads
    monkeypatch.setattr(forked.os, "fork", lambda: forks.append(1) or real_fork())

    def run(least: int, **options: bool) -> object:
        monkeypatch.setattr(extract_module, "PARALLEL_MIN_BYTES", least)
        try:
            result = extract_messages(project, **options)
        except CatalogError as refused:
            return str(refused), refused.hint
        return project.pot_path.read_bytes(), result.skipped

    assert run(0) == run(10**12)
    assert len(forks) == 1
    (project.templates_path / "email" / "broken.j2").write_text("{{ _('x') \n", "utf-8")
    (project.templates_path / "faq" / "bad.yaml").write_text("questions: [\n", "utf-8")
    refused = run(0)
    assert refused == run(10**12) and "broken.j2:" in refused[0] and "bad.yaml:" in refused[0]
    assert run(0, keep_going=True) == run(10**12, keep_going=True)
    assert len(forks) == 3


def test_a_block_left_open_is_named_not_blamed_on_framework_tags(project):
    """An {% if %} left open before {% endblock %}: Jinja's message names the open block; the
    hint to register framework tags (meant for {% snippet %}) would mislead (QA pass 12)."""
    template = project.templates_path / "broken.html.j2"
    template.write_text(
        '{% block body %}\n{% if unclosed %}\n<p>{{ _("Hi") }}</p>\n{% endblock %}\n', "utf-8"
    )
    with pytest.raises(CatalogError) as raised:
        build_template(project)
    message = str(raised.value)
    assert "The innermost block that needs to be closed is 'if'" in message
    assert "jinja_opaque_tags" not in message and raised.value.line == 4
    template.write_text('{% snippet "x.html" %}\n', "utf-8")
    with pytest.raises(CatalogError) as raised:
        build_template(project)
    assert "unknown tag 'snippet'" in str(raised.value) and "jinja_opaque_tags" in str(
        raised.value
    )
    # With both in one run, the hint's value names the framework's tag only: calibre-web's
    # typo 'endiff' was offered as jinja_opaque_tags = ["cache", "endiff"] (QA pass 80).
    (project.templates_path / "typo.html.j2").write_text(
        '{% if x %}{{ _("A") }}{% endiff %}\n', "utf-8")
    with pytest.raises(ExtractError) as raised:
        extract_messages(project)
    assert 'jinja_opaque_tags = ["snippet"])' in str(raised.value.hint)
    # Each file's hint once, and "rerun" once: "Close the block Jinja names and rerun
    # 'toolkit extract'. Fix the template and rerun 'toolkit extract'." (QA pass 81)
    (project.templates_path / "brace.html.j2").write_text('{{ _("B") }\n', "utf-8")
    with pytest.raises(ExtractError) as raised:
        extract_messages(project)
    hint = str(raised.value.hint)
    for part in ("lose the block Jinja names", "ix the template", "add the framework's"):
        assert part in hint
    assert hint.count("rerun") == 1 and ".;" not in hint and hint.endswith(
        "Then rerun 'toolkit extract', or pass --keep-going to extract the rest.")


def test_templates_exclude_leaves_out_files_and_folders(tmp_path):
    """SecureDrop keeps templates in two folders under securedrop/, so templates_dir is the
    parent, which also holds READMEs and tests (20 stray msgids) and static licence texts
    parsed as text templates (QA pass 12): templates_exclude leaves them out."""
    from toolkit.config import load_config
    from toolkit.extract import source_files

    root = tmp_path / "sd"
    for name, text in {
        "journalist_templates/index.html": '{{ _("Sources") }}',
        "source_templates/index.html": '{{ _("Submit") }}',
        "pretty_bad_protocol/README.md": "# pretty_bad_protocol\n",
        "tests/functional/page.html": '{{ _("test only") }}',
        "static/i/license.txt": "MIT {{ not jinja",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
    (root / "toolkit.toml").write_text(
        'templates_dir = "."\nlocales = ["da"]\n'
        'templates_exclude = ["*/README.md", "tests", "static/*"]\n',
        "utf-8",
    )
    config = load_config(root)
    assert [p.relative_to(root).as_posix() for p in source_files(config)] == [
        "journalist_templates/index.html",
        "source_templates/index.html",
    ]
    catalog = build_template(config)
    assert {m.id for m in catalog if m.id} == {"Sources", "Submit"}
    (root / "toolkit.toml").write_text(
        'templates_dir = "."\ntemplates_exclude = ["./source_templates", "tests", "*.md"]\n'
    )
    assert "source_templates/index.html" not in {
        p.relative_to(root).as_posix() for p in source_files(load_config(root))
    }  # './' is the templates folder itself (QA pass 13: it silently matched nothing)
    (root / "toolkit.toml").write_text(
        'templates_dir = "."\ntemplates_exclude = ["source_templates//./", "tests", "*.md"]\n'
    )  # normalised as a path: 'x//./' is 'x' (QA pass 14)
    assert "source_templates/index.html" not in {
        p.relative_to(root).as_posix() for p in source_files(load_config(root))
    }
    for bad in ('"tests"', '["../x"]', '["/etc"]', '[""]', '["."]'):
        (root / "toolkit.toml").write_text(f"templates_exclude = {bad}\n", "utf-8")
        with pytest.raises(Exception, match="templates_exclude"):
            load_config(root)


def test_jinja_suffixes_adds_file_kinds_extract_reads(tmp_path):
    """pgAdmin's babel.cfg maps .sql templates to jinja2: extract found 11 of pybabel's 135
    messages and said nothing (QA pass 27). 'jinja_suffixes' names more suffixes."""
    from toolkit.config import load_config
    from toolkit.errors import ConfigError

    (tmp_path / "templates" / "sql").mkdir(parents=True)
    (tmp_path / "templates" / "sql" / "a.sql").write_text(
        "SELECT 1; -- {{ _('Table %(name)s not found', name=t) }}\n", "utf-8"
    )
    (tmp_path / "templates" / "a.html").write_text("<p>{{ _('Hello') }}</p>\n", "utf-8")
    config_file = tmp_path / "toolkit.toml"
    config_file.write_text('locales = ["da"]\n', "utf-8")
    assert extract_messages(load_config(tmp_path)).messages == 1
    config_file.write_text('locales = ["da"]\njinja_suffixes = [".SQL"]\n', "utf-8")
    result = extract_messages(load_config(tmp_path))
    assert result.messages == 2
    assert "#: templates/sql/a.sql:1" in load_config(tmp_path).pot_path.read_text("utf-8")
    config_file.write_text('locales = ["da"]\njinja_suffixes = ["sql"]\n', "utf-8")
    with pytest.raises(ConfigError, match="jinja_suffixes"):
        load_config(tmp_path)


def test_every_link_to_nothing_is_reported_and_keep_going_extracts_the_rest(tmp_path):
    """Only the first dangling link was named, and --keep-going still stopped; a link loop
    crashed with a traceback (QA pass 28)."""
    from toolkit.config import load_config
    from toolkit.errors import ToolkitError

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "a.html").write_text("<p>{{ _('Hello') }}</p>\n", "utf-8")
    (templates / "b1.html").symlink_to("gone.html")
    (templates / "b2.html").symlink_to("gone.html")
    (templates / "loop.html").symlink_to("loop.html")
    (tmp_path / "toolkit.toml").write_text('locales = ["da"]\n', "utf-8")
    config = load_config(tmp_path)
    with pytest.raises(ToolkitError) as info:
        extract_messages(config)
    for name in ("b1.html", "b2.html", "loop.html"):
        assert f"templates/{name}: a symbolic link to a file that does not exist or loops" in str(
            info.value)  # fmt: skip
    result = extract_messages(config, keep_going=True)
    assert result.messages == 1 and len(result.skipped) == 3


def test_a_message_repeated_thousands_of_times_is_merged_once_per_occurrence(
    project, monkeypatch
):
    """Babel's ``Catalog.add`` rebuilds a message's locations on every repeat: an article that
    repeats one paragraph 32,000 times took 29 s, a 20 MB one more than ten minutes. The POT
    is the one Babel's own merging gives, built with one Babel merge per distinct message."""
    from babel.messages.catalog import Catalog

    kb = project.templates_path / "kb" / "repeats.md"
    kb.write_text("# Repeats\n\n" + "The same paragraph.\n\n" * 1500, encoding="utf-8")
    (project.templates_path / "email" / "repeats.j2").write_text(
        "{% block text %}{% for i in [1, 2] %}{{ _('Open', ) }}"
        "{{ ngettext('Open', 'Opens', i) }}{{ _('Open') }}{% endfor %}{% endblock %}\n",
        encoding="utf-8",
    )
    expected = _merged_by_babel(project)
    merges = []
    setitem = Catalog.__setitem__

    def counting(self, id, message):  # type: ignore[no-untyped-def]
        merges.append(id)
        setitem(self, id, message)

    monkeypatch.setattr(Catalog, "__setitem__", counting)
    catalog = build_template(project)
    assert merges.count("The same paragraph.") == 1
    assert _entries(catalog) == _entries(expected)
    paragraph = catalog.get("The same paragraph.")
    assert len(paragraph.locations) == 1500


def _merged_by_babel(config):
    """The POT as ``Catalog.add`` merges it, occurrence by occurrence."""
    from babel.messages.catalog import Catalog

    import toolkit.extract as extract

    catalog = build_template(config)
    plain = Catalog(domain=config.domain)
    paths = extract.source_files(config)
    env = extract.jinja_environment(config)
    tags = (*extract.COMMENT_TAGS, *config.comment_tags)
    for path in paths:
        reference = path.relative_to(config.root).as_posix()
        extracted = extract.extract_file(
            path, env, keywords=extract.extraction_keywords(config), comment_tags=tags
        )
        for line, message, comments, context, is_plain in extracted:
            plain.add(message, None, [(reference, line)], auto_comments=comments,
                      context=context)
            if is_plain:
                stored = plain.get(message if isinstance(message, str) else message[0], context)
                stored.flags.discard("python-format")
                if isinstance(stored.id, str) and "%" in stored.id:
                    stored.flags.add("no-python-format")
    for message in catalog:  # the payment texts build_template adds at the end
        if message.id and plain.get(message.id if isinstance(message.id, str)
                                    else message.id[0], message.context) is None:
            plain[message.id] = message
    return plain


def _entries(catalog):
    return [(m.id, m.context, m.locations, m.auto_comments, sorted(m.flags)) for m in catalog
            if m.id]


@pytest.mark.parametrize(
    ("front_matter", "line", "problem"),
    [
        ("title: [x\n", 2, "expected ',' or ']'"),  # where the '[' opened
        ("title: a: b\n", 2, "mapping values are not allowed here"),
        ("title: ok\ndescription: \"open\n", 3, "unexpected end of stream"),
        ("- a list\n", 2, "front matter must be a mapping"),
    ],
)
def test_malformed_front_matter_is_a_file_line_error_not_a_traceback(
    tmp_path, front_matter, line, problem
):
    """A YAML syntax error in an article's front matter crashed extract with PyYAML's
    traceback, --keep-going too (QA pass 56); it is the article's file:line error, and
    --keep-going skips the article and extracts the rest."""
    from toolkit.config import load_config

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "a.html").write_text("<p>{{ _('Hello') }}</p>\n", "utf-8")
    (templates / "art.md").write_text(f"---\n{front_matter}---\n# Heading\n", "utf-8")
    (tmp_path / "toolkit.toml").write_text('locales = ["da"]\n', "utf-8")
    config = load_config(tmp_path)
    with pytest.raises(CatalogError) as info:
        extract_messages(config)
    assert f"templates/art.md:{line}: unreadable front matter: " in str(info.value)
    assert problem in str(info.value)
    result = extract_messages(config, keep_going=True)
    assert result.messages == 1 and len(result.skipped) == 1


def test_keep_going_with_every_file_unreadable_leaves_the_pot_as_it_was(tmp_path):
    """--keep-going with every template broken replaced a 19-message POT with an empty one
    (QA pass 57): with nothing read there is nothing to extract from."""
    from toolkit.config import load_config

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "a.html").write_text("<p>{{ _('Hello') }}</p>\n", "utf-8")
    (tmp_path / "toolkit.toml").write_text('locales = ["da"]\n', "utf-8")
    config = load_config(tmp_path)
    extract_messages(config)
    pot = config.pot_path.read_bytes()
    (templates / "a.html").write_text("<p>{% endif %}</p>\n", "utf-8")
    (templates / "b.html").write_text("<p>{{ _('x' }}</p>\n", "utf-8")
    with pytest.raises(ExtractError) as info:
        extract_messages(config, keep_going=True)
    assert "2 source files cannot be read; nothing was written" in str(info.value)
    assert config.pot_path.read_bytes() == pot


def test_a_fifo_at_the_pots_path_is_refused_not_waited_on(tmp_path):
    """extract blocked for ever reading a FIFO where the POT goes (update refused it) (QA
    pass 81)."""
    import os

    from toolkit.config import load_config

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "a.html").write_text("<p>{{ _('Hello') }}</p>\n", "utf-8")
    (tmp_path / "toolkit.toml").write_text('locales = ["da"]\n', "utf-8")
    config = load_config(tmp_path)
    config.pot_path.parent.mkdir()
    os.mkfifo(config.pot_path)
    for dry_run in (False, True):
        with pytest.raises(CatalogError, match="not a regular file"):
            extract_messages(config, dry_run=dry_run)
    assert config.pot_path.is_fifo()
