"""The QA checks every translation a catalog serves must pass to be sent under ``--strict``.

``toolkit check`` reports a msgstr that adds a link its msgid does not have (link injection:
``Se https://evil.example``), changes a protected brand name (``PayPal`` -> ``BetalPal``) or
adds markup (``<script>``) as an error, and ``toolkit compile`` refuses such a catalog; but
``render --from-po``, a catalog compiled with ``compile --force`` or by ``msgfmt`` serve it
all the same. The renderer runs
the same checks (:data:`SERVED_CHECKS`, the check classes themselves) on each translation it
serves, once per catalog and entry, and records what they find for the message: a warning,
and a reason ``--strict`` refuses the message for (:mod:`toolkit.render.strict`).

A ``no-check-<id>`` flag on the entry in the catalog's PO file switches a check off as it does
for ``toolkit check``: the PO read for rendering (``--from-po``), or for a compiled catalog the
PO next to it, when its entry has the same translation as the MO.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import ToolkitError

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog as BabelCatalog

    from ..catalogs.entry import Entry
    from ..checks.base import CheckContext, EntryCheck
    from ..config import ProjectConfig
    from .locale_chain import Catalog

#: Ids of the checks a served translation must pass (:mod:`toolkit.checks.urls`,
#: :mod:`toolkit.checks.brands`, :mod:`toolkit.checks.markup`: a ``<script>`` or an ``<a
#: href>`` a msgstr adds reached the text part, and the HTML as escaped text).
SERVED_CHECKS = ("urls", "brand-name", "html-tags")
#: The longest msgid shown in a reason.
MSGID_WIDTH = 50

_NOTHING: tuple[str, ...] = ()


class ServedChecks:
    """:data:`SERVED_CHECKS` over the entries one catalog serves, each entry checked once."""

    def __init__(self, catalog: Catalog, config: ProjectConfig) -> None:
        self.catalog = catalog
        self.config = config
        self._table: dict[Any, str] = catalog.translations._catalog  # type: ignore[attr-defined]
        self._found: dict[object, tuple[str, ...]] = {}
        self._context: CheckContext | None = None
        self._checks: tuple[EntryCheck, ...] = ()
        self._po: BabelCatalog | None | bool = catalog.po if catalog.po is not None else False

    def problems(self, key: object, msgids: tuple[str, ...]) -> tuple[str, ...]:
        """What the checks find in the catalog's entry for ``key`` (its gettext key: the
        msgid, ``msgctxt\\x04msgid``, or ``(that, 0)`` for a plural entry, whose source is
        ``msgids``, singular and plural); one line each, naming msgid, locale and check."""
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = self._check(key, msgids)
        return found

    def _check(self, key: object, msgids: tuple[str, ...]) -> tuple[str, ...]:
        entry = self._entry(key, msgids)
        if entry is None:
            return _NOTHING
        if self._context is None:
            self._context, self._checks = self._prepare()
        context = self._context
        problems = []
        suppressed: frozenset[str] | None = None
        for check in self._checks:
            messages = list(check.check(entry, context))
            if not messages:
                continue
            if suppressed is None:  # the PO is only looked at for a translation that fails
                suppressed = self._suppressed(entry)
            if check.id in suppressed:
                continue
            from ..checks.base import shorten

            shown = shorten(entry.msgid, MSGID_WIDTH)
            problems += [
                f"translation of {shown!r} ({self.catalog.locale}) fails the '{check.id}' "
                f"check: {message}"
                for message in messages
            ]
        return tuple(problems)

    def _entry(self, key: object, msgids: tuple[str, ...]) -> Entry | None:
        """The catalog's entry for ``key`` as checks see it, or None when it has none."""
        from ..catalogs.entry import Entry

        table = self._table
        forms: list[str]
        if isinstance(key, tuple):
            base = key[0]
            forms = []
            while (base, len(forms)) in table:
                forms.append(table[(base, len(forms))])
            plural: str | None = msgids[-1]
        else:
            base = key
            forms = [table[key]] if key in table else []
            plural = None
        if not forms:
            return None
        msgctxt, separator, msgid = str(base).rpartition("\x04")
        return Entry(
            msgid=msgid,
            msgid_plural=plural,
            msgctxt=msgctxt if separator else None,  # ("\x04Open": msgctxt "", QA pass 75)
            strings=tuple(forms),
            flags=frozenset(),
            auto_comments=(),
            user_comments=(),
            locations=(),
            line=None,
            form_count=len(forms),
        )

    def _prepare(self) -> tuple[CheckContext, tuple[EntryCheck, ...]]:
        from ..checks import brands, markup, urls  # noqa: F401  (registers the checks)
        from ..checks.base import CheckContext, EntryCheck, registered

        checks = registered()
        chosen = tuple(
            check
            for check in (checks[i] for i in SERVED_CHECKS)
            if isinstance(check, EntryCheck)
        )
        context = CheckContext(
            locale=self.catalog.locale,
            path=self.catalog.path,
            catalog=None,
            nplurals=2,
            relaxed_forms=frozenset(),
            header_line=1,
            config=self.config,
            source_locale=self.config.source_locale,
        )
        return context, tuple(c for c in chosen if c.applies(context))

    def _suppressed(self, entry: Entry) -> frozenset[str]:
        """Checks the PO switches off for ``entry`` (``#, no-check-urls``): the PO's entry with
        the same msgid and context, when it has the translation the catalog serves."""
        from ..catalogs.entry import Entry, forms_of

        po = self._read_po()
        if po is None:
            return frozenset()
        message = po.get(entry.msgid, context=entry.msgctxt)
        if message is None or forms_of(message) != entry.strings:
            return frozenset()
        return Entry.from_message(message).suppressed()

    def _read_po(self) -> BabelCatalog | None:
        if self._po is False:
            path = self.config.po_path(self.catalog.locale)
            self._po = None
            if path.is_file():
                from ..catalogs import read_catalog

                try:
                    self._po = read_catalog(path, locale=self.catalog.locale)
                except ToolkitError:
                    self._po = None  # a broken PO waives nothing
        return self._po if not isinstance(self._po, bool) else None
