"""Each part type: e-mail, SMS (encoding, segments), push; payment methods; warnings."""

from __future__ import annotations

import datetime as dt

import pytest
from babel import dates, lists, numbers

from toolkit.channels import sms_info
from toolkit.payments import payment_methods_for_locale
from toolkit.render.message import RenderError

EMAIL = "email/payment-reminder.j2"
DATA = {"first_name": "Mette", "amount": 1234.5, "due_date": "2025-03-01", "items": 3}


def test_email_parts_in_danish(renderer):
    message = renderer.render(EMAIL, "da_DK", DATA)
    assert list(message.parts) == ["subject", "preheader", "text", "html"]
    assert message.channels == ["email"]
    amount = numbers.format_currency(1234.5, "DKK", locale="da_DK")
    due = dates.format_date(dt.date(2025, 3, 1), "long", locale="da_DK")
    assert message.parts["subject"] == "Mette, din faktura er klar"
    assert message.parts["preheader"] == (
        f"Betal {amount} senest {due} med den metode, du foretrækker."
    )
    assert f"Din faktura på {amount} forfalder den {due}." in message.parts["text"]
    assert "Du har købt 3 varer." in message.parts["text"]
    assert message.parts["html"].startswith("<p>Hej Mette</p>")
    assert '<a href="https://example.com/terms">betingelserne</a>' in message.parts["html"]
    assert message.sms is None


@pytest.mark.parametrize(("items", "expected"), [
    (1, "Nupirkote 1 prekę."), (3, "Nupirkote 3 prekes."), (10, "Nupirkote 10 prekių."),
    (21, "Nupirkote 21 prekę."), ("12", "Nupirkote 12 prekių."),
])
def test_lithuanian_three_plural_forms(renderer, items, expected):
    message = renderer.render(EMAIL, "lt_LT", {**DATA, "items": items})
    assert expected in message.parts["text"]


def test_payment_methods_are_the_countrys_with_translated_descriptions(renderer):
    message = renderer.render(EMAIL, "da_DK", DATA)
    expected = payment_methods_for_locale("da_DK")
    assert [m.id for m in message.payment_methods] == [m.id for m in expected]
    names = [m.name for m in expected]
    assert f"Du kan betale med {lists.format_list(names, locale='da_DK')}." in message.parts["text"]
    by_id = {m.id: m for m in message.payment_methods}
    assert by_id["mobilepay"].description == "Betal fra din telefon med MobilePay."
    nb = renderer.render(EMAIL, "nb_NO", DATA)
    assert nb.payment_methods[0].name == "Vipps"
    assert nb.payment_methods[0].description == "Betal fra telefonen med Vipps."
    methods = message.as_dict()["payment_methods"]
    assert methods[0]["id"] == expected[0].id and "description" in methods[0]


@pytest.mark.parametrize(("locale", "encoding"), [
    ("da_DK", "GSM-7"), ("nb_NO", "GSM-7"), ("lt_LT", "UCS-2"),
])
def test_sms_encoding_and_normalisation(renderer, locale, encoding):
    message = renderer.render(
        "sms/reactivation.j2", locale, {"first_name": "Åse", "discount": 1234.5, "code": "ØRE20"}
    )
    text = message.parts["sms"]
    assert message.channels == ["sms"]
    assert "\xa0" not in text and "\u202f" not in text and "–" not in text
    assert message.sms is not None
    assert message.sms.normalized is True
    info = sms_info(text)
    assert (message.sms.encoding, message.sms.units, message.sms.segments) == (
        info.encoding, info.units, info.segments)
    assert message.sms.encoding == encoding
    if locale == "da_DK":
        assert text == (
            "Hej Åse! Vi savner dig - her er 1.234,50 kr. rabat på din næste ordre. Kode: ØRE20"
        )
        assert message.sms.segments == 1


@pytest.mark.parametrize(
    ("text", "units", "segments"),
    [
        ("a" * 306, 306, 2),
        ("a" * 152 + "€" + "a" * 152, 306, 3),  # € (2 septets) would straddle 153 and 154
        ("a" * 151 + "€" + "a" * 153, 306, 2),  # ... fits at the end of the first
        ("ą" * 134, 134, 2),
        ("ą" * 66 + "🎉" + "ą" * 66, 134, 3),  # a surrogate pair is not split either
        ("ą" * 69 + "🎉", 71, 2),
        ("a" * 160, 160, 1),
    ],
)  # fmt: skip
def test_a_two_unit_character_is_not_split_between_segments(text, units, segments):
    """The count divided the units by 153 (67): a '€' or an emoji at a segment's end was
    split across two segments, which phones and gateways do not do, so a message billed as
    3 segments was reported as 2 (QA pass 70; Twilio's calculator packs them too)."""
    info = sms_info(text)
    assert (info.units, info.segments) == (units, segments)


def test_without_normalisation_babel_amounts_would_force_ucs2(renderer):
    amount = numbers.format_currency(1234.5, "DKK", locale="da_DK")
    assert sms_info(f"Pris {amount}").encoding == "UCS-2"
    message = renderer.render("sms/reactivation.j2", "da", {"first_name": "A", "discount": 1234.5,
                                                           "code": "X"})
    assert message.sms is not None and message.sms.encoding == "GSM-7"


def test_long_lithuanian_sms_warns_about_segments(renderer):
    message = renderer.render(
        "sms/reactivation.j2", "lt", {"first_name": "Ona", "discount": 5, "code": "A" * 10}
    )
    assert message.sms is not None and message.sms.segments == 2
    assert any("2 segments" in w for w in message.warnings)


def test_push_parts_and_plural(renderer):
    data = {"points": 3, "expires": "2025-04-01"}
    message = renderer.render("push/points-expiring.j2", "lt", data)
    assert message.channels == ["push"]
    assert message.parts["push_title"] == "3 taškai greitai nebegalios"
    due = dates.format_date(dt.date(2025, 4, 1), "long", locale="lt")
    assert message.parts["push_body"] == f"Iki {due} panaudokite juos."
    assert message.warnings == ()


def test_over_long_parts_warn(renderer, write_template):
    name = write_template(
        "push/long.j2",
        "{% block subject %}{{ s }}{% endblock %}{% block preheader %}Short{% endblock %}"
        "{% block push_title %}{{ s }}{% endblock %}{% block push_body %}{{ s * 3 }}{% endblock %}",
    )
    message = renderer.render(name, "da", {"s": "x" * 60})
    text = " | ".join(message.warnings)
    assert "subject is 60 characters" in text
    assert "preheader is 5 characters" in text
    assert "push_title is 60 characters, over the 40" in text
    assert "push_body is 180 characters, over the 100" in text
    longer = renderer.render(name, "da", {"s": "x" * 80})
    assert any("over the 78 maximum" in w for w in longer.warnings)


def test_template_without_blocks_is_one_part(renderer, write_template):
    write_template("email/plain.txt", "Hej {{ name }}")
    write_template("email/page.html", "<b>{{ name }}</b>")
    assert renderer.render("email/plain.txt", "da", {"name": "<A>"}).parts == {"text": "Hej <A>"}
    assert renderer.render("email/page.html", "da", {"name": "<A>"}).parts == {
        "html": "<b>&lt;A&gt;</b>"}


def test_missing_field_is_an_error_with_template_line(renderer):
    with pytest.raises(RenderError) as info:
        renderer.render(EMAIL, "da", {"amount": 1, "due_date": "2025-01-01", "items": 1})
    text = str(info.value)
    assert "templates/email/payment-reminder.j2:1: subject:" in text
    assert "'first_name' is undefined" in text


def test_customer_fields_named_locale_do_not_override_the_resolved_locale(renderer, write_template):
    name = write_template("sms/loc.j2", "{% block sms %}{{ locale }} {{ country }}{% endblock %}")
    message = renderer.render(name, "da-DK", {"locale": "da-DK"})
    assert message.parts["sms"] == "da_DK DK"


def test_json_shape(renderer):
    data = renderer.render(EMAIL, "da-DK", {**DATA, "timezone": "Europe/Copenhagen"}).as_dict()
    assert set(data) >= {
        "template", "channels", "locale", "requested_locale", "locale_chain", "catalogs",
        "served_by", "country", "currency", "timezone", "parts", "sms", "payment_methods",
        "warnings",
    }
    assert data["locale_chain"] == ["da_DK", "da", "en"]
    assert data["requested_locale"] == "da-DK"
    assert data["timezone"] == "Europe/Copenhagen"
    assert data["currency"] == "DKK"


def test_the_projects_own_gettext_functions_render_as_their_standard_twins(render_dir):
    """A project whose templates call _gettext (Flask-Admin) lists it in 'keywords' for
    extract; rendering said "'_gettext' is undefined" and advised adding it to the customer
    data (QA pass 13). Keywords of a standard shape render as gettext, ngettext, pgettext."""
    from toolkit.config import load_config
    from toolkit.render.message import Renderer

    config_file = render_dir / "toolkit.toml"
    config_file.write_text(
        config_file.read_text("utf-8") + 'keywords = ["_gettext", "_ngettext:1,2"]\n', "utf-8"
    )
    (render_dir / "templates" / "email" / "own.j2").write_text(
        '{% block subject %}{{ _gettext("How to pay") }}, '
        '{{ _ngettext("%(num)s item", "%(num)s items", 2) }}{% endblock %}',
        "utf-8",
    )
    message = Renderer(load_config(render_dir)).render("email/own.j2", "da", {})
    assert message.parts["subject"].startswith("Sådan betaler du, 2 ")


def test_a_render_error_names_the_template_line_it_happened_on(render_dir):
    """Every render error named line 1: Jinja's rewritten traceback already carries template
    lines, and mapping them again sent every one to line 1 (QA pass 14)."""
    from toolkit.config import load_config
    from toolkit.render.message import Renderer

    (render_dir / "templates" / "email" / "bad.j2").write_text(
        "{% block subject %}Hi\n\n{{ 1 / 0 }}{% endblock %}\n"
        "{% block text %}a\nb\nc\n{{ missing_field }}{% endblock %}\n",
        "utf-8",
    )
    renderer = Renderer(load_config(render_dir))
    with pytest.raises(RenderError, match=r"email/bad\.j2:3: subject: ZeroDivisionError"):
        renderer.render("email/bad.j2", "da", {})
    (render_dir / "templates" / "email" / "bad.j2").write_text(
        "{% block subject %}Hi{% endblock %}\n{% block text %}a\nb\n{{ missing_field }}"
        "{% endblock %}\n",
        "utf-8",
    )
    with pytest.raises(RenderError, match=r"email/bad\.j2:4: text: 'missing_field' is undefined"):
        Renderer(load_config(render_dir)).render("email/bad.j2", "da", {})
    # A template without blocks is one text part: its frames are top-level template code.
    (render_dir / "templates" / "sms" / "plain.j2").write_text("a\n\n{{ 1 / 0 }}\n", "utf-8")
    with pytest.raises(RenderError, match=r"sms/plain\.j2:3: \w+: ZeroDivisionError"):
        Renderer(load_config(render_dir)).render("sms/plain.j2", "da", {})


@pytest.mark.parametrize(("use", "what"), [
    ("{{ n|pluralize }}", "No filter named 'pluralize' found"),
    ("{% if n is prime %}p{% endif %}", "No test named 'prime' found"),
])  # fmt: skip
def test_an_apps_own_filter_is_named_at_the_line_that_uses_it(render_dir, use, what):
    """Zulip's |pluralize inside an {% if %} (Jinja reports it when the line runs) was said to
    be on line 1, with "found.." and no word of jinja_extensions (QA pass 64)."""
    from toolkit.config import load_config
    from toolkit.render.message import Renderer

    (render_dir / "templates" / "email" / "app.j2").write_text(
        f"{{% block text %}}{{% if n %}}\nline 2\n{use}\n{{% endif %}}{{% endblock %}}\n",
        "utf-8")  # fmt: skip
    with pytest.raises(RenderError) as info:
        Renderer(load_config(render_dir)).render("email/app.j2", "da", {"n": 2})
    assert str(info.value).startswith(f"templates/email/app.j2:3: text: {what}.")
    assert f"{what}.." not in str(info.value)
    assert "jinja_extensions" in (info.value.hint or "")


def test_an_unknown_filter_outside_an_if_or_in_a_macro_file_names_jinja_extensions(render_dir):
    from toolkit.config import load_config
    from toolkit.errors import ToolkitError
    from toolkit.render.message import Renderer

    email = render_dir / "templates" / "email"
    (email / "plain.j2").write_text("{% block text %}\n{{ n|pluralize }}{% endblock %}", "utf-8")
    (email / "mac.j2").write_text("{% macro m(n) %}\n\n{{ n|money2 }}{% endmacro %}", "utf-8")
    (email / "uses.j2").write_text(
        '{% from "email/mac.j2" import m %}{% block text %}{{ m(1) }}{% endblock %}', "utf-8")
    for name, where in (("plain.j2", "plain.j2"), ("uses.j2", "mac.j2")):
        with pytest.raises(ToolkitError) as info:
            Renderer(load_config(render_dir)).render(f"email/{name}", "da", {"n": 2})
        assert where in str(info.value) and "No filter named" in str(info.value)
        assert "jinja_extensions" in (info.value.hint or "")
        assert "customer data" not in (info.value.hint or "")


def test_a_missing_nested_field_is_named_by_its_path(render_dir):
    """"'dict object' has no attribute 'header'" said neither which value nor which field
    (QA pass 64)."""
    from toolkit.config import load_config
    from toolkit.render.message import Renderer

    (render_dir / "templates" / "email" / "nested.j2").write_text(
        "{% block text %}Hi\n{{ user.profile.header }} {{ user.name }}{% endblock %}\n", "utf-8")
    with pytest.raises(RenderError, match=r"email/nested\.j2:2: text: user\.profile\.header is "
                       r"undefined \(user\.profile has no field 'header'\)\."):  # fmt: skip
        Renderer(load_config(render_dir)).render(
            "email/nested.j2", "da", {"user": {"name": "Ann", "profile": {"x": 1}}})
