"""Issue 13: the faster render-batch paths give the same results as the plain ones.

Each fast path (script-URL scan, JSON lines, compiled code shared between locales, plural
memo, ticking render timer, forked workers) is compared with the straightforward way it
replaced; none of these tests measures time.
"""

from __future__ import annotations

import dataclasses
import gettext
import json
import random
import signal
import threading
from decimal import Decimal

import pytest

from toolkit.render import Renderer
from toolkit.render.batch import JsonLines, RowError, pool_context, render_batch
from toolkit.render.environment import SMALL_COUNTS, VettedTranslations
from toolkit.render.filters import CURRENCY_CACHE, locale_filters
from toolkit.render.links import _ATTR_URL, _attribute_urls, script_urls_in_html
from toolkit.render.locale_chain import chain_translations, load_catalog
from toolkit.templating import LimitedSandbox

EMAIL = "email/payment-reminder.j2"
CUSTOMER = {"first_name": "Ona", "amount": "4970.54", "due_date": "2025-02-08", "items": "13",
            "timezone": "Europe/Vilnius"}  # fmt: skip


# -- script URLs -------------------------------------------------------------------------------


def test_attribute_scan_finds_what_the_pattern_finds():
    pieces = [*"hrefsrcactionformxlink:pstbgdui=\"' >\n<a\u017f\u212aHREF\u00a0\u2003\t",
              "href=", "src =", "xlink:href=", "\u017frc=", "formaction=", "javascript:x",
              " = ", "background", "cite=", "action =", "==", "a-href="]  # fmt: skip
    rng = random.Random(13)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        expected = [m.span() + m.groups() for m in _ATTR_URL.finditer(text)]
        assert [m.span() + m.groups() for m in _attribute_urls(text)] == expected, text


@pytest.mark.parametrize(
    ("markup", "found"),
    [
        ('<a href="https://example.com">x</a>', []),
        ('<a HREF = "javascript:alert(1)">x</a>', ["HREF=javascript:alert(1)"]),
        ("<a href=\n'jav&#x09;ascript:x'>", ["href=jav&#x09;ascript:x"]),
        ('<img src="data:text/html,x"><a xlink:href=vbscript:y>',
         ["src=data:text/html,x", "xlink:href=vbscript:y"]),
        ('<form action="x"><button formaction="javascript:z">', ["formaction=javascript:z"]),
        ('<a \u017frc="javascript:x">', ["\u017frc=javascript:x"]),
        ("no attributes at all", []),
    ],
)
def test_script_urls_in_rendered_html(markup, found):
    assert script_urls_in_html(markup) == found


# -- JSON lines -------------------------------------------------------------------------------


def plain_line(number, customer_id, message):
    record = {"row": number, "id": customer_id, **message.as_dict(full_payment_methods=False)}
    return json.dumps(record, ensure_ascii=False, default=str)


@pytest.mark.parametrize(
    ("template", "locale", "data"),
    [
        (EMAIL, "da_DK", CUSTOMER),
        (EMAIL, "lt_LT", {**CUSTOMER, "first_name": 'Ona "\\" \u2028 \x07 😀'}),
        (EMAIL, "de_AT", CUSTOMER),  # no catalog: warnings, source text
        ("sms/reactivation.j2", "da_DK",
         {"first_name": "Mette " * 40, "discount": "50", "code": "VELKOMMEN"}),
        ("push/points-expiring.j2", "lt", {"points": "21", "expires": "2025-03-01"}),
        ("faq/payments.yaml", "da", {}),
        ("kb/paying.md", "nb", {}),
    ],
)
def test_json_lines_equal_json_dumps(renderer, template, locale, data):
    lines = JsonLines()
    message = renderer.render(template, locale, data)
    for number, customer_id in ((2, "c1"), (3, None), (4, "x\"y")):  # cached path too
        assert lines.line(number, customer_id, message) == plain_line(
            number, customer_id, message)


def test_json_lines_with_missing_fields(renderer, write_template):
    name = write_template("email/fallback.j2", "{% block subject %}Hi {{ first_name|default("
                                               "_('there')) }}{% endblock %}")  # fmt: skip
    message = renderer.render(name, "nb", {"first_name": " ", "note": None})
    assert message.missing == ("first_name",)
    assert JsonLines().line(2, "c", message) == plain_line(2, "c", message)


def test_json_lines_of_messages_made_elsewhere(renderer):
    """A message that is not the renderer's (another chain object) is encoded afresh."""
    lines = JsonLines()
    message = renderer.render(EMAIL, "da_DK", CUSTOMER)
    assert lines.line(2, "a", message) == plain_line(2, "a", message)
    other = dataclasses.replace(message, chain=dataclasses.replace(message.chain),
                                currency="EUR", warnings=("w",))  # fmt: skip
    assert lines.line(3, "b", other) == plain_line(3, "b", other)


# -- compiled code shared between locales ----------------------------------------------------


def test_templates_are_compiled_once_per_environment_kind(render_project, monkeypatch):
    compiled: list[str] = []
    original = LimitedSandbox.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(LimitedSandbox, "compile", counting)
    renderer = Renderer(render_project)
    texts = {loc: renderer.render(EMAIL, loc, CUSTOMER).parts["text"]
             for loc in ("da_DK", "nb_NO", "lt_LT", "de_AT", "da", "en_US")}  # fmt: skip
    assert compiled == [EMAIL, EMAIL]  # text and HTML, not once per locale
    assert "4.970,54\xa0kr." in texts["da_DK"] and "4\xa0970,54\xa0€" in texts["lt_LT"]
    assert "$4,970.54" in texts["en_US"] and "€\xa04.970,54" in texts["de_AT"]


def test_a_filter_folded_at_compile_time_is_not_shared(renderer, write_template):
    """Jinja applies a filter to constant arguments when it compiles; that code holds one
    locale's formatting, so each locale compiles its own."""
    name = write_template("email/constant.j2",
                          "{% block text %}{{ 1234.5|currency }} / {{ amount|currency }}"
                          "{% endblock %}")  # fmt: skip
    texts = [renderer.render(name, loc, {"amount": 2}).parts["text"]
             for loc in ("da_DK", "nb_NO", "lt_LT")]  # fmt: skip
    assert texts == ["1.234,50\xa0kr. / 2,00\xa0kr.", "1\xa0234,50\xa0kr / 2,00\xa0kr",
                     "1\xa0234,50\xa0€ / 2,00\xa0€"]  # fmt: skip


# -- bounded caches ---------------------------------------------------------------------------


def test_plural_memo_is_keyed_by_form(render_project):
    catalog = load_catalog(render_project, "lt")
    assert catalog is not None
    vetted = VettedTranslations([catalog], chain_translations([catalog]), "en")
    gnu = gettext.GNUTranslations.__new__(gettext.GNUTranslations)
    gnu.__dict__.update(catalog.translations.__dict__)
    singular, plural = "You bought %(count)s item.", "You bought %(count)s items."
    counts = [*range(0, 130), 1001, 1002, 1005, 1011, 1021, 1_000_000, *range(5000, 15000)]
    for n in counts:
        expected = gnu.ngettext(singular, plural, n)
        assert vetted.ngettext(None, singular, plural, n) == expected, n
    assert len(vetted._memo) <= SMALL_COUNTS + 3  # the small counts and lt's three forms


def test_currency_cache_stays_bounded():
    currency = locale_filters("da_DK", "DK")["currency"]
    for cents in range(100, 100 + 3 * CURRENCY_CACHE):
        assert currency(Decimal(cents) / 100).endswith("kr.")
    assert currency.cache_info().currsize <= CURRENCY_CACHE
    assert currency("1234.5") == "1.234,50\xa0kr."


# -- the render time limit inside a chunk ----------------------------------------------------


@pytest.mark.parametrize("workers", [1, 2])
def test_a_runaway_row_stops_at_the_time_limit_and_the_batch_goes_on(
    render_project, write_template, tmp_path, workers
):
    config = dataclasses.replace(render_project, render_timeout=0.3)
    write_template("email/loop.j2",
                   "{% block text %}Hi {{ first_name }}{% if first_name == 'Loop' %}"
                   "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}"
                   "{% endfor %}{% endif %}{% endblock %}")  # fmt: skip
    customers = tmp_path / "c.csv"
    names = ["Ona", "Loop", "Ola", "Mette"]
    customers.write_text("id,locale,first_name\n" + "".join(
        f"c{i},da,{name}\n" for i, name in enumerate(names)), "utf-8")  # fmt: skip
    errors: list[RowError] = []
    before = signal.getsignal(signal.SIGALRM)
    result = render_batch(config, "email/loop.j2", customers, tmp_path / "out.jsonl",
                          workers=workers, on_error=errors.append)  # fmt: skip
    assert (result.rendered, result.failed) == (3, 1)
    assert [(e.row, "took longer than 0.3 s" in e.reason) for e in errors] == [(3, True)]
    lines = (tmp_path / "out.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line)["parts"]["text"] for line in lines] == ["Hi Ona", "Hi Ola",
                                                                      "Hi Mette"]  # fmt: skip
    assert signal.getsignal(signal.SIGALRM) == before  # the chunk's timer is gone
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


# -- worker pool ------------------------------------------------------------------------------


def test_pool_forks_only_without_other_threads(monkeypatch):
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert pool_context().get_start_method() == "fork"
    monkeypatch.setattr(threading, "active_count", lambda: 2)  # e.g. a web server's threads
    assert pool_context().get_start_method() == "spawn"


def test_forked_and_spawned_workers_write_the_same_bytes(render_project, tmp_path, monkeypatch):
    customers = tmp_path / "c.csv"
    locales = ["da_DK", "nb-NO", "xx_YY", "lt", "de_AT", "en_US", "da"]
    customers.write_text("id,locale,first_name,amount,due_date,items,timezone\n" + "".join(
        f"c{i},{locales[i % 7]},N{i},{i}.5,2025-03-0{1 + i % 9},{i % 30},UTC\n"
        for i in range(200)), "utf-8")  # fmt: skip
    outputs = {}
    for name in ("one", "fork", "spawn"):
        if name == "spawn":
            monkeypatch.setattr("toolkit.render.batch.pool_context",
                                lambda: __import__("multiprocessing").get_context("spawn"))
        errors: list[RowError] = []
        render_batch(render_project, EMAIL, customers, tmp_path / f"{name}.jsonl",
                     workers=1 if name == "one" else 2, chunk_rows=16,
                     on_error=errors.append)  # fmt: skip
        outputs[name] = ((tmp_path / f"{name}.jsonl").read_bytes(), errors)
    assert outputs["one"] == outputs["fork"] == outputs["spawn"]
    assert len(outputs["one"][1]) == 29  # the xx_YY rows, each with its line


def test_a_worker_that_dies_stops_the_batch_with_a_clear_error(render_project, tmp_path,
                                                                 monkeypatch):
    """A killed worker (out of memory, kill -9) ends the batch with one error and no output
    file, instead of waiting for a result that never comes."""
    import multiprocessing
    import os

    import toolkit.render.batch as batch
    from toolkit.errors import ToolkitError

    customers = tmp_path / "c.csv"
    customers.write_text("id,locale,first_name,amount,due_date,items,timezone\n" + "".join(
        f"c{i},da,N{i},{i},2025-03-01,2,UTC\n" for i in range(64)), "utf-8")  # fmt: skip
    monkeypatch.setattr(batch, "pool_context", lambda: multiprocessing.get_context("fork"))
    parent, chunk = os.getpid(), batch._BatchRenderer.chunk

    def dies_in_a_worker(self, rows):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            os._exit(9)
        return chunk(self, rows)

    monkeypatch.setattr(batch._BatchRenderer, "chunk", dies_in_a_worker)
    with pytest.raises(ToolkitError, match="render worker stopped unexpectedly"):
        render_batch(render_project, EMAIL, customers, tmp_path / "out.jsonl", workers=2,
                     chunk_rows=8)  # fmt: skip
    assert not (tmp_path / "out.jsonl").exists()
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*"))  # no leftovers


def test_workers_are_capped_at_four_per_cpu(render_cli, render_dir, monkeypatch):
    import toolkit.render.batch as batch

    started: list[int] = []
    real = batch.ProcessPoolExecutor

    def recording(workers, **kwargs):  # type: ignore[no-untyped-def]
        started.append(workers)
        return real(workers, **kwargs)

    monkeypatch.setattr(batch, "ProcessPoolExecutor", recording)
    monkeypatch.setattr(batch.os, "cpu_count", lambda: 1)
    customers = render_dir / "c.csv"
    customers.write_text("id,locale,first_name,amount,due_date,items,timezone\n" + "".join(
        f"c{i},da,N{i},{i},2025-03-01,2,UTC\n" for i in range(3)), "utf-8")  # fmt: skip
    result = render_cli("render-batch", EMAIL, "-c", str(customers), "-o", "out.jsonl",
                        "--workers", "1000", "--no-progress")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "--workers 1000 is more than 4 per CPU; using 4" in result.output
    assert started == [4]
    assert len((render_dir / "out.jsonl").read_text("utf-8").splitlines()) == 3


def test_the_command_with_progress_runs_no_refresh_thread(render_cli, render_dir, monkeypatch):
    """The progress display is refreshed after each chunk, not by rich's thread, so that
    ``--workers`` can fork (in a process that runs no other thread)."""
    import toolkit.render.batch as batch

    threads: list[list[str]] = []
    original = batch.pool_context

    def recording():
        threads.append([type(t).__name__ for t in threading.enumerate()])
        return original()

    monkeypatch.setattr(batch, "pool_context", recording)
    customers = render_dir / "c.csv"
    customers.write_text("id,locale,first_name,amount,due_date,items,timezone\n" + "".join(
        f"c{i},da,N{i},{i},2025-03-01,2,UTC\n" for i in range(40)), "utf-8")  # fmt: skip
    result = render_cli("render-batch", EMAIL, "-c", str(customers), "-o", "out.jsonl",
                        "--workers", "2", "--progress")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(threads) == 1 and "_RefreshThread" not in threads[0]
    assert len((render_dir / "out.jsonl").read_text("utf-8").splitlines()) == 40


# -- map(attribute=...) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "expression",
    [
        'payment_methods|map(attribute="name")|list',
        'payment_methods|map(attribute="id")|join(",")',
        'payment_methods|map(attribute="nope")|list',
        'payment_methods|map(attribute="_private")|list',
        'payment_methods|map(attribute="name", default="x")|list',
        'rows|map(attribute="a.b")|list',
        'rows|map(attribute="0")|list',
        'rows|map(attribute="a")|map("upper")|list',
        'rows|map(attribute="missing")|list',
        '[]|map(attribute="a")|list',
        'none_value|map(attribute="a")|list',
        'rows|map(attributes="a")|list',
        'rows|map|list',
    ],
)
def test_map_filter_gives_jinjas_results(render_project, write_template, expression):
    """The toolkit's ``map`` equals Jinja's: same values, same errors."""
    import jinja2.filters

    name = write_template("email/map.j2", f"{{% block text %}}{{{{ {expression} }}}}"
                                          "{% endblock %}")  # fmt: skip
    data = {"rows": [{"a": {"b": "x", 0: "zero"}, "0": "y"}, {"a": {"b": "z"}}],
            "none_value": ""}  # fmt: skip

    def outcome(renderer):
        try:
            return renderer.render(name, "da_DK", data).parts["text"]
        except Exception as exc:
            return type(exc).__name__, str(exc)

    ours = outcome(Renderer(render_project))
    renderer = Renderer(render_project)
    state = renderer.locale_state("da_DK")
    state.envs.text.filters["map"] = jinja2.filters.FILTERS["map"]
    assert ours == outcome(renderer)


# -- interrupts while the output's temp file is created ----------------------------------------


def test_an_interrupt_as_the_temp_file_appears_leaves_nothing(tmp_path, monkeypatch):
    """render-batch's SIGTERM test sends the signal as soon as the temp file exists; an
    interrupt right after its creation must still remove it."""
    from toolkit import fsutil
    from toolkit.fsutil import atomic_open

    real = fsutil.new_temp_file

    def new_temp_file(*args, **kwargs):
        made = real(*args, **kwargs)
        signal.pthread_kill(threading.get_ident(), signal.SIGINT)  # arrives right now
        return made

    monkeypatch.setattr(fsutil, "new_temp_file", new_temp_file)
    with pytest.raises(KeyboardInterrupt), atomic_open(tmp_path / "out.jsonl", "w") as sink:
        sink.write("x")
    assert list(tmp_path.iterdir()) == []


def test_an_interrupt_taken_by_another_thread_leaves_nothing(tmp_path, monkeypatch):
    """With worker threads running (a process pool's), the kernel may hand the signal to one
    of them; Python still raises it in the main thread: it must wait for the ``try`` too."""
    import os

    from toolkit import fsutil
    from toolkit.fsutil import atomic_open

    real = fsutil.new_temp_file
    go, sent = threading.Event(), threading.Event()

    def send() -> None:  # a thread started before: it does not share a mask set later
        go.wait()
        os.kill(os.getpid(), signal.SIGINT)
        sent.set()

    def new_temp_file(*args, **kwargs):
        made = real(*args, **kwargs)
        go.set()
        sent.wait()
        return made

    sender = threading.Thread(target=send)
    sender.start()
    monkeypatch.setattr(fsutil, "new_temp_file", new_temp_file)
    try:
        with pytest.raises(KeyboardInterrupt), atomic_open(tmp_path / "o.jsonl", "w") as sink:
            sink.write("x")
    finally:
        sender.join()
    assert list(tmp_path.iterdir()) == []
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_worker_chunks_for_a_jsonl_file_are_encoded_as_the_file_stores_them():
    from toolkit.render.batch import EncodedChunk

    results = [(2, "a", '{"x": "æø"}', None), (3, "b", None, "bad row"), (4, None, "{}", None)]
    encoded = EncodedChunk.of(results)
    assert isinstance(encoded, EncodedChunk)
    assert encoded.data == '{"x": "æø"}\n{}\n'.encode()
    assert (encoded.rendered, encoded.failures) == (2, [(3, "b", None, "bad row")])
    lone = [(2, "a", '{"x": "\ud800"}', None)]  # not encodable: the parent's write decides
    assert EncodedChunk.of(lone) is lone


# -- gettext formatting in HTML ---------------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    ["Hi %(name)s,", "%(name)s and %(name)s: 100%%", "%(count)d items", "%(name)r", "%%(name)s",
     "%(missing)s", "%(name)5s|%(name)-3s", "plain text", "%(a(b)s",
     'Read <a href="x">%(name)s</a>'],
)
@pytest.mark.parametrize("name", ["Ona", "<b>Ona & Co</b>", "Ona's \"shop\"", 7])
def test_html_gettext_formats_like_jinjas_newstyle_gettext(message, name):
    """The toolkit's gettext under autoescape gives what Jinja's own new-style gettext
    gives (the same text, the same escaping, the same errors)."""
    from jinja2.sandbox import SandboxedEnvironment

    from toolkit.render.environment import install_translations
    from toolkit.templating import new_environment

    source = "{{ _(message, name=name, count=3) }}|{{ ngettext(message, message, 2, name=name) }}"
    ours = new_environment(autoescape=True)
    install_translations(ours, VettedTranslations([], gettext.NullTranslations(), "en"))
    jinja = SandboxedEnvironment(extensions=["jinja2.ext.i18n"], autoescape=True)
    jinja.install_gettext_translations(gettext.NullTranslations(), newstyle=True)  # type: ignore[attr-defined]

    def outcome(env):
        try:
            return env.from_string(source).render(message=message, name=name)
        except Exception as exc:
            return type(exc).__name__, str(exc)

    assert outcome(ours) == outcome(jinja)
