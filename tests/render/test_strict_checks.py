"""A served translation that fails the ``urls`` or ``brand-name`` check (a link injected into
its prose, a brand name changed) is a warning, and a reason ``--strict`` refuses the message
for, whether the catalog is read from the PO or compiled (QA: ``render --from-po --strict``
passed both)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolkit.catalogs import read_catalog, write_catalog
from toolkit.checks.urls import UrlsCheck
from toolkit.compile import compile_catalogs
from toolkit.config import ProjectConfig
from toolkit.render import Renderer
from toolkit.render.strict import strict_problems

EMAIL = "email/payment-reminder.j2"
DATA = {"first_name": "Mette", "amount": 10, "due_date": "2025-03-01", "items": 1}
INJECTED = "Hej %(name)s, log ind på https://evil.example/login"
URL_REASON = (
    "translation of 'Hi %(name)s,' (da) fails the 'urls' check: msgstr adds "
    "https://evil.example/login, which the source does not have."
)


def translate_da(
    config: ProjectConfig, strings: dict[str, str], *, flags: tuple[str, ...] = (),
    compiled: bool = False,
) -> Renderer:
    """Put translations (with ``flags``) into the da catalog; a renderer that reads the PO,
    or (``compiled``) the MO that 'compile --force' makes of it."""
    po = config.po_path("da")
    catalog = read_catalog(po, "da")
    for msgid, text in strings.items():
        message = catalog.get(msgid, context=None)
        if message is None:
            message = catalog.add(msgid, text)
        message.string = text
        message.flags.update(flags)
    write_catalog(po, catalog)
    if compiled:
        compile_catalogs(config, ["da"], force=True)
    return Renderer(config, from_po=not compiled)


@pytest.mark.parametrize("compiled", [False, True])
def test_a_link_injected_into_a_translation_fails_strict(render_project, compiled):
    renderer = translate_da(render_project, {"Hi %(name)s,": INJECTED}, compiled=compiled)
    message = renderer.render(EMAIL, "da_DK", DATA)
    assert "https://evil.example/login" in message.parts["text"]  # still rendered as it is
    assert message.failed_checks == (URL_REASON,)  # text and html use it: one reason
    assert URL_REASON in message.warnings
    assert URL_REASON in strict_problems(message)


def test_a_plural_form_with_a_link_fails_for_every_count(render_project):
    renderer = translate_da(render_project, {})
    catalog = read_catalog(render_project.po_path("da"), "da")
    catalog["You bought %(count)s item."].string = (
        "Du har købt %(count)s vare.", "Du har købt %(count)s varer: se www.evil.example",
    )
    write_catalog(render_project.po_path("da"), catalog)
    renderer = Renderer(render_project, from_po=True)
    for items in (1, 5):
        problems = strict_problems(renderer.render(EMAIL, "da", DATA | {"items": items}))
        assert problems == [
            "translation of 'You bought %(count)s item.' (da) fails the 'urls' check: "
            "msgstr[1] adds www.evil.example, which the source does not have."
        ]


def test_a_changed_brand_name_fails_strict_where_the_template_shows_it(
    render_project, write_template
):
    renderer = translate_da(render_project, {
        "Pay with PayPal.": "Betal med BetalPal.",
        "Pay with your Dankort or Visa/Dankort card.": "Betal med dit Dankort eller Visa-kort.",
    })
    name = write_template("email/brand.j2", '{% block text %}{{ _("Pay with PayPal.") }}'
                          "{% for m in payment_methods %}\n{{ m.description }}{% endfor %}"
                          "{% endblock %}")
    reasons = (
        "translation of 'Pay with PayPal.' (da) fails the 'brand-name' check: msgstr: "
        "'PayPal' must stay exactly as in the source",
        "translation of 'Pay with your Dankort or Visa/Dankort card.' (da) fails the "
        "'brand-name' check: msgstr: 'Dankort' must stay exactly as in the source",
    )
    message = renderer.render(name, "da_DK", {})
    assert message.failed_checks == reasons
    assert set(reasons) <= set(strict_problems(message))
    # The payment-reminder e-mail shows the methods' names only: the description is not sent.
    assert renderer.render(EMAIL, "da_DK", DATA).failed_checks == ()


def test_an_article_segment_with_an_injected_link_fails_strict(render_project):
    renderer = translate_da(render_project, {
        "Late payments get a reminder.": "Sene betalinger: skriv til help@evil.example.",
    })
    message = renderer.render("kb/paying.md", "da", {})
    assert strict_problems(message) == [
        "translation of 'Late payments get a reminder.' (da) fails the 'urls' check: msgstr "
        "adds help@evil.example, which the source does not have."
    ]


@pytest.mark.parametrize("compiled", [False, True])
def test_the_entry_s_no_check_flag_waives_the_check(render_project, compiled):
    renderer = translate_da(
        render_project, {"Hi %(name)s,": INJECTED}, flags=("no-check-urls",), compiled=compiled
    )
    message = renderer.render(EMAIL, "da_DK", DATA)
    assert message.failed_checks == ()
    assert strict_problems(message) == []


def test_a_flag_in_a_po_that_no_longer_matches_the_mo_waives_nothing(render_project):
    translate_da(render_project, {"Hi %(name)s,": INJECTED}, compiled=True)
    # The PO changed since (and waives the check for its own, different translation).
    translate_da(render_project, {"Hi %(name)s,": "Hej %(name)s, https://other.example"},
                 flags=("no-check-urls",))
    message = Renderer(render_project).render(EMAIL, "da_DK", DATA)
    assert message.failed_checks == (URL_REASON,)


def test_each_served_translation_is_checked_once_per_catalog(render_project, monkeypatch):
    renderer = translate_da(render_project, {"Hi %(name)s,": INJECTED})
    calls: list[str] = []
    real = UrlsCheck.check

    def counting(self, entry, context):
        calls.append(entry.msgid)
        return real(self, entry, context)

    monkeypatch.setattr(UrlsCheck, "check", counting)
    for locale in ("da", "da_DK", "da", "da_DK"):
        for country in (None, "DK", "SE"):
            data = DATA if country is None else DATA | {"country": country}
            message = renderer.render(EMAIL, locale, data)
            assert message.failed_checks == (URL_REASON,)
    assert calls.count("Hi %(name)s,") == 1
    assert len(calls) == len(set(calls))


def test_strict_render_and_render_batch_refuse_it_on_the_command_line(
    render_project, render_cli, render_dir: Path
):
    translate_da(render_project, {"Hi %(name)s,": INJECTED})
    data = render_dir / "data.json"
    data.write_text(json.dumps(DATA), "utf-8")
    result = render_cli("render", EMAIL, "-l", "da", "-d", str(data), "--from-po", "--strict")
    assert result.exit_code == 1
    assert f"strict: {URL_REASON}" in result.stderr.splitlines()
    relaxed = render_cli("render", EMAIL, "-l", "da", "-d", str(data), "--from-po")
    assert relaxed.exit_code == 0

    customers = render_dir / "customers.csv"
    customers.write_text("id,locale,first_name,amount,due_date,items\n"
                         "c1,nb,Ola,10,2025-03-01,1\nc2,da,Mette,10,2025-03-01,1\n", "utf-8")
    out = render_dir / "out.jsonl"
    result = render_cli("render-batch", EMAIL, "--customers", str(customers), "--out", str(out),
                        "--no-progress", "--from-po", "--strict")
    assert result.exit_code == 1
    assert f"{customers}:3: row 3 (id c2): strict: {URL_REASON}" in result.stderr
    assert [json.loads(x)["id"] for x in out.read_text("utf-8").splitlines()] == ["c1"]


def test_markup_or_a_script_url_added_by_a_translation_fails_strict(render_project):
    """A msgstr '<script>...</script><a href="javascript:...">Hej</a>' passed --strict (the
    text part sent the tags as written) although 'toolkit check' reports it (QA pass 57)."""
    renderer = translate_da(render_project, {
        "Hi %(name)s,": '<script>alert(1)</script><a href="javascript:alert(1)">Hej</a> %(name)s,',
    })
    problems = strict_problems(renderer.render(EMAIL, "da_DK", DATA))
    assert any("fails the 'html-tags' check" in p for p in problems), problems
    assert any("fails the 'urls' check" in p and "javascript:alert(1)" in p for p in problems)
    prose = translate_da(render_project, {"Hi %(name)s,": "Hej %(name)s, klik javascript:x()"})
    assert any("adds javascript:x()" in p
               for p in strict_problems(prose.render(EMAIL, "da_DK", DATA)))  # fmt: skip
