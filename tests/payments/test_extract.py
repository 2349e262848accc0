"""Templates that list ``payment_methods`` get the descriptions into the POT."""

from __future__ import annotations

import shutil
import subprocess

from babel.messages.pofile import read_po

from toolkit.extract import extract_messages
from toolkit.payments import MESSAGE_CONTEXT, payment_messages

REMINDER = """{% block text %}
{{ _("Pay your invoice with one of these:") }}
{% for method in payment_methods %}- {{ method.name }}: {{ _(method.description) }}
{% endfor %}
{% endblock %}
"""


def test_descriptions_join_the_pot_and_msgfmt_accepts_it(project, project_dir):
    (project_dir / "templates" / "email" / "reminder.j2").write_text(REMINDER, encoding="utf-8")
    result = extract_messages(project)
    with result.path.open("rb") as handle:
        pot = read_po(handle)
    keys = {(m.context, m.id) for m in pot if m.id}
    served = {(m.context, m.text) for m in payment_messages(project.served_markets)}
    assert served and served <= keys
    vipps = pot.get("Pay from your phone with Vipps.", MESSAGE_CONTEXT.format(id="vipps"))
    assert vipps is not None and "python-format" not in vipps.flags
    assert shutil.which("msgfmt"), "GNU gettext (msgfmt) must be installed"
    subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(result.path)], check=True, capture_output=True
    )


def test_projects_without_payment_templates_do_not_get_them(project):
    result = extract_messages(project)
    with result.path.open("rb") as handle:
        pot = read_po(handle)
    assert not [m for m in pot if m.context and m.context.startswith("payment method:")]
