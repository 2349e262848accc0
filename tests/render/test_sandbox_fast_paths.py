"""The sandbox's fast paths (trusted gettext calls, attributes of plain data classes) give the
same answers as the sandbox's own checks: private and internal attributes stay refused and
any other callable is still inspected."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from jinja2 import StrictUndefined, pass_context
from jinja2.exceptions import SecurityError, UndefinedError

from toolkit.templating import new_environment


@dataclass(frozen=True)
class Method:
    name: str
    _secret: str = "hidden"


@pytest.fixture
def env():
    env = new_environment(undefined=StrictUndefined)
    env.trust_attributes_of(Method)
    env.globals["methods"] = [Method("PayPal"), Method("Klarna")]
    return env


def test_public_attributes_read_through_every_syntax(env):
    template = env.from_string(
        "{{ methods[0].name }} {{ methods[1]['name'] }} "
        "{{ methods|map(attribute='name')|join(',') }}"
    )
    assert template.render() == "PayPal Klarna PayPal,Klarna"


@pytest.mark.parametrize(
    "expression",
    ["methods[0]._secret", "methods[0]['_secret']", "methods[0].__class__",
     "methods[0].__class__.__mro__", "methods|map(attribute='_secret')|join"],
)  # fmt: skip
def test_private_and_internal_attributes_stay_refused(env, expression):
    with pytest.raises(SecurityError):
        env.from_string("{{ " + expression + " }}").render()


def test_missing_attribute_is_still_undefined(env):
    with pytest.raises(UndefinedError):
        env.from_string("{{ methods[0].nothing }}").render()


def test_only_trusted_functions_skip_the_call_check(env):
    @pass_context
    def greet(context, name):
        return f"{context['greeting']} {name}"

    def dangerous():
        return "ran"

    dangerous.unsafe_callable = True  # type: ignore[attr-defined]
    env.trust_call(greet)
    env.globals.update(greet=greet, dangerous=dangerous)
    assert env.from_string("{{ greet('Ona') }}").render(greeting="Labas") == "Labas Ona"
    loop = "{% for n in ['A', 'B'] %}{% set greeting = n %}{{ greet(n) }}{% endfor %}"
    assert env.from_string(loop).render(greeting="x") == "A AB B"
    with pytest.raises(SecurityError):
        env.from_string("{{ dangerous() }}").render()
