"""Gettext catalogs (PO/POT/MO): the one model of a PO entry that every stage uses.

Babel's :class:`~babel.messages.catalog.Catalog` is the model; this package owns reading it
(:mod:`.pofile`: one read that checks syntax, parses and notes layout facts in one pass),
writing it, the :class:`Entry` view of a message (:mod:`.entry`), the merge behind
``toolkit update`` (:mod:`.merge`) and MO bytes (:mod:`.mofile`). Checks, machine translation,
compile, status and render all go through it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

if TYPE_CHECKING:
    from .entry import (
        HUMAN_PROVENANCE,
        MT_PROVENANCE_PREFIX,
        SUPPRESS_PREFIX,
        Entry,
        Pair,
        entries,
        forms_of,
        is_machine_translated,
        is_memory_match,
        is_translated,
        msgid_of,
        mt_provenance,
        set_forms,
        source_ids,
    )
    from .lock import LOCK_TIMEOUT, catalog_lock, edit_catalog
    from .merge import (
        build_date,
        merge_template,
        new_catalog,
        set_plural_forms,
        update_catalogs,
    )
    from .mofile import mo_bytes, shipped
    from .pofile import (
        PO_WIDTH,
        Layout,
        PoFile,
        check_po_syntax,
        parse_catalog,
        parse_po_file,
        read_catalog,
        read_po_bytes,
        read_po_file,
        serialize_catalog,
        write_catalog,
    )
    from .reader import PoEntries, parse_po_entries, read_po_entries
    from .update_cache import UpdateResult, update_catalogs_cached

#: Where each public name lives. The submodules are imported on first use: ``extract`` needs
#: the PO writer, not the merge; ``compile`` of unchanged catalogs needs none of them.
_WHERE = {
    "HUMAN_PROVENANCE": "entry",
    "MT_PROVENANCE_PREFIX": "entry",
    "SUPPRESS_PREFIX": "entry",
    "Entry": "entry",
    "Pair": "entry",
    "entries": "entry",
    "forms_of": "entry",
    "is_machine_translated": "entry",
    "is_memory_match": "entry",
    "is_translated": "entry",
    "msgid_of": "entry",
    "mt_provenance": "entry",
    "set_forms": "entry",
    "source_ids": "entry",
    "LOCK_TIMEOUT": "lock",
    "catalog_lock": "lock",
    "edit_catalog": "lock",
    "UpdateResult": "update_cache",
    "build_date": "header",
    "merge_template": "merge",
    "new_catalog": "merge",
    "set_plural_forms": "merge",
    "update_catalogs": "merge",
    "update_catalogs_cached": "update_cache",
    "mo_bytes": "mofile",
    "shipped": "mofile",
    "PO_WIDTH": "pofile",
    "Layout": "pofile",
    "PoFile": "pofile",
    "check_po_syntax": "pofile",
    "parse_catalog": "pofile",
    "parse_po_file": "pofile",
    "read_catalog": "pofile",
    "read_po_bytes": "pofile",
    "read_po_file": "pofile",
    "serialize_catalog": "pofile",
    "write_catalog": "pofile",
    "PoEntries": "reader",
    "read_po_entries": "reader",
    "parse_po_entries": "reader",
}


__getattr__ = lazy_names(__name__, _WHERE)


__all__ = [
    "LOCK_TIMEOUT",
    "catalog_lock",
    "edit_catalog",
    "HUMAN_PROVENANCE",
    "MT_PROVENANCE_PREFIX",
    "PO_WIDTH",
    "SUPPRESS_PREFIX",
    "Entry",
    "Layout",
    "Pair",
    "PoEntries",
    "PoFile",
    "UpdateResult",
    "build_date",
    "check_po_syntax",
    "entries",
    "forms_of",
    "is_machine_translated",
    "is_memory_match",
    "is_translated",
    "merge_template",
    "mo_bytes",
    "msgid_of",
    "mt_provenance",
    "new_catalog",
    "parse_catalog",
    "parse_po_file",
    "read_catalog",
    "read_po_bytes",
    "read_po_entries",
    "parse_po_entries",
    "read_po_file",
    "serialize_catalog",
    "set_forms",
    "set_plural_forms",
    "shipped",
    "source_ids",
    "update_catalogs",
    "update_catalogs_cached",
    "write_catalog",
]
