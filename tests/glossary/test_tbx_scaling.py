"""Issue 18: TBX import is n log n, not quadratic (2k/4k/8k terms took 3/7.5/33 s).

No timing assertion: the test counts the pairwise source comparisons the import makes, which
grew with the square of the number of terms (8,000 terms: ~47 million)."""

from __future__ import annotations

from pathlib import Path

import pytest

import toolkit.glossary.files as files
from toolkit.config import ProjectConfig
from toolkit.glossary.exchange import import_tbx


def write_tbx(path: Path, terms: int) -> Path:
    entries = [
        f'<termEntry id="c{n}"><langSet xml:lang="en"><tig><term>term {n} word</term></tig>'
        f'</langSet><langSet xml:lang="da"><tig><term>udtryk {n} ord</term>'
        '<termNote type="administrativeStatus">'
        f'{"deprecatedTerm-admn-sts" if n % 10 == 9 else "preferredTerm-admn-sts"}'
        "</termNote></tig></langSet></termEntry>"
        for n in range(terms)
    ]
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX" xml:lang="en">'
                    "<text><body>" + "".join(entries) + "</body></text></martif>\n", "utf-8")
    return path


@pytest.mark.parametrize("terms", [1000, 4000])
def test_import_compares_each_term_a_bounded_number_of_times(
    gproject: ProjectConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, terms: int
) -> None:
    calls = 0
    original = files._same_source

    def counting(a, b):
        nonlocal calls
        calls += 1
        return original(a, b)

    monkeypatch.setattr(files, "_same_source", counting)
    (gproject.glossaries_path / "da.csv").unlink(missing_ok=True)
    results = import_tbx(gproject, write_tbx(tmp_path / "t.tbx", terms), ["da"])
    assert results[0].added == terms
    assert calls <= 10 * terms  # was terms**2 / 2 per duplicate check
