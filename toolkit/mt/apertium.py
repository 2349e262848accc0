"""The Apertium engine: Debian's offline rule-based MT (``apertium dan-nob`` and friends).

Segments are sent many at a time to one ``apertium -z -f none`` process, each ended by a NUL
(null-flush mode: each segment is translated on its own, and its output ends at a NUL). They
were once separated by blank lines in Apertium's text format, whose transfer rules carried
words across them: Bokmål "Saldoen din ..." put Danish "Din" at the end of the message before
it, and the context changed words ("Som er ingen bruker" for "Der er ingen bruger" after
"Tak."). Without a format (``-f none``) the toolkit escapes the stream's special characters
and keeps every run of whitespace but one space as a "superblank" (``[\t]``), which Apertium
passes through: tabs, double and no-break spaces and line breaks come back as they were
(they were collapsed to one space). When the output does not split back into the segments,
each segment of that chunk is translated on its own.

Mask tokens go to Apertium in lower case (``xph3x``): an upper-case ``XPH3X`` is taken for a
proper noun, inflected and agreed with ("det nye XPH3X tilbud" came back "den nye XPH3X-en
tilbud", the ``</b>`` of a link with a definite ending) and moved across quotes; in lower
case it is an unknown word Apertium leaves where it is.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator, Sequence

from ..errors import MissingModelError, ModelError
from .engines import MTOutput
from .masking import TOKEN_RE

#: The version of what this engine sends Apertium, in the memory key: outputs stored before
#: the mask tokens went in lower case (1), or before each segment was translated on its own
#: (2: words carried across segments), are not reused.
_FORMAT = "3"
_QUIET_TOKEN = re.compile(r"(?<![A-Za-z0-9])xph(\d+)x(?![A-Za-z0-9])")

CHUNK = 200
#: ISO 639-1 codes to the ISO 639-3 codes Apertium modes use.
_ISO3 = {
    "da": "dan", "nb": "nob", "nn": "nno", "no": "nob", "sv": "swe", "en": "eng", "es": "spa",
    "ca": "cat", "pt": "por", "fr": "fra", "it": "ita", "gl": "glg", "eu": "eus", "oc": "oci",
    "is": "isl", "fo": "fao", "ro": "ron", "eo": "epo", "cy": "cym", "br": "bre", "ga": "gle",
    "mt": "mlt", "kk": "kaz", "tt": "tat", "be": "bel", "ru": "rus", "uk": "ukr", "mk": "mkd",
    "bg": "bul", "sr": "srp", "hr": "hrv", "bs": "bos", "sl": "slv", "cs": "ces", "sk": "slk",
    "pl": "pol", "lt": "lit", "lv": "lav", "et": "est", "fi": "fin", "se": "sme", "de": "deu",
    "nl": "nld", "af": "afr", "ar": "ara", "he": "heb", "id": "ind", "ms": "msa",
}
_INSTALL_HINT = (
    "Install it with 'sudo apt-get install apertium apertium-dan-nor' (Debian/Ubuntu; other "
    "pairs: 'apt-cache search apertium-'), or use --engine argos."
)


class ApertiumEngine:
    """Translate with the ``apertium`` command for one language pair. The command and its pair
    are looked for when the first segment needs them: segments the memory holds need neither
    (a rerun on a machine without Apertium)."""

    name = "apertium"
    copies_ok = True  # rules that translate a word to itself

    def __init__(self, source: str, target: str) -> None:
        src, tgt = _codes(source), _codes(target)
        if src[0] == tgt[0]:
            raise MissingModelError(
                f"{target} is in the source language ({src[0]}): there is nothing to "
                "machine-translate.",
                hint="Edit its entries by hand (a catalog in the source language holds "
                "corrections of the source text), or translate another locale.",
            )
        self.source, self.target = source, target
        self.mode = f"{src[-1]}-{tgt[-1]}"  # as Debian's packages name it; found on first use
        self.label = f"apertium {self.mode}"
        self.memory_key = f"apertium {self.mode} {_FORMAT}"
        self._binary: str | None = None

    def _ready(self) -> str:
        """The ``apertium`` command, with :attr:`mode` the installed mode of the pair."""
        if self._binary is None:
            binary = shutil.which("apertium")
            if binary is None:
                raise MissingModelError("the apertium engine is not installed.",
                                        hint=_INSTALL_HINT)  # fmt: skip
            self.mode = self._find_mode(binary, self.source, self.target)
            self._binary = binary
        return self._binary

    def _find_mode(self, binary: str, source: str, target: str) -> str:
        try:
            listed = subprocess.run(
                [binary, "-l"], capture_output=True, text=True, timeout=30, check=False
            ).stdout
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ModelError(f"cannot run apertium: {exc}.", hint=_INSTALL_HINT) from exc
        modes = {line.strip() for line in listed.splitlines() if line.strip()}
        src, tgt = _codes(source), _codes(target)
        for a in src:
            for b in tgt:
                if f"{a}-{b}" in modes:
                    return f"{a}-{b}"
        raise MissingModelError(
            f"apertium has no {source}->{target} language pair installed "
            f"(installed: {', '.join(sorted(modes)) or 'none'}).",
            hint=f"Install the pair's data package, e.g. 'sudo apt-get install "
            f"apertium-{src[-1]}-{tgt[-1]}' (see 'apt-cache search apertium-').",
        )

    def translate(self, segments: Sequence[str]) -> Iterator[tuple[list[int], list[MTOutput]]]:
        """Translate chunk by chunk; yield each chunk's indices and outputs (no scores)."""
        for start in range(0, len(segments), CHUNK):
            indices = list(range(start, min(start + CHUNK, len(segments))))
            texts = [_quiet(segments[i]) for i in indices]
            outputs = self._translate_each(texts)
            if outputs is None:  # (an empty output is flagged by the quality gate)
                outputs = [(self._translate_each([text]) or [""])[0] for text in texts]
            yield indices, [MTOutput(_loud(out)) for out in outputs]

    def _translate_each(self, texts: list[str]) -> list[str] | None:
        """Each text's translation, or None when the output does not split into them (each
        ends with the line break sent after it, then a NUL; the pipeline's last programs add
        NULs of their own at the end)."""
        stream = "".join(f"{deformat(text)}[\n]\0" for text in texts)
        parts = self._run(stream).split("\0")
        outputs = [reformat(part) for part in parts[: len(texts)]]
        if len(outputs) < len(texts) or any(parts[len(texts) :]) or not all(
            out.endswith("\n") for out in outputs
        ):
            return None
        return [out[:-1] for out in outputs]

    def _run(self, text: str) -> str:
        binary = self._ready()
        try:
            done = subprocess.run(
                [binary, "-z", "-u", "-f", "none", self.mode],
                input=text,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ModelError(f"apertium {self.mode} failed: {exc}.") from exc
        if done.returncode != 0:
            raise ModelError(
                f"apertium {self.mode} failed: {done.stderr.strip()[:300]}.", hint=_INSTALL_HINT
            )
        return done.stdout


#: Characters of Apertium's stream format that text must escape (as apertium-destxt does).
_SPECIAL = re.compile(r"([\\\[\]^$/<>@{}])")
#: What goes into a superblank, which Apertium keeps as it is: whitespace other than one
#: space, and '~' (which the stream reads as a join of words).
_BLANK = re.compile(r"\s+|~")


def deformat(text: str) -> str:
    r"""``text`` as Apertium's stream: special characters escaped, whitespace other than one
    space (and ``~``) in superblanks.

    >>> deformat("Pris [ny]:\t5$  i alt")
    'Pris \\[ny\\]:[\t]5\\$[  ]i alt'
    """
    out: list[str] = []
    at = 0
    for blank in _BLANK.finditer(text):
        out.append(_SPECIAL.sub(r"\\\1", text[at : blank.start()]))
        out.append(" " if blank.group() == " " else f"[{blank.group()}]")
        at = blank.end()
    out.append(_SPECIAL.sub(r"\\\1", text[at:]))
    return "".join(out)


def reformat(stream: str) -> str:
    r"""Apertium's output stream as text: escapes undone, superblanks opened.

    >>> reformat(deformat("Pris [ny]:\t5$  i alt ~ 10\\")) == "Pris [ny]:\t5$  i alt ~ 10\\"
    True
    """
    out: list[str] = []
    at, end = 0, len(stream)
    while at < end:
        char = stream[at]
        if char == "\\" and at + 1 < end:
            out.append(stream[at + 1])
            at += 2
        elif char == "[":
            close = at + 1
            while close < end and stream[close] != "]":
                close += 2 if stream[close] == "\\" else 1
            out.append(re.sub(r"\\(.)", r"\1", stream[at + 1 : close]))
            at = close + 1
        else:
            out.append(char)
            at += 1
    return "".join(out)


def _codes(locale: str) -> list[str]:
    language = locale.replace("-", "_").split("_")[0].lower()
    three = _ISO3.get(language)
    return [language] + ([three] if three else [])


def _quiet(text: str) -> str:
    """Mask tokens in lower case, which Apertium neither inflects nor moves.

    >>> _quiet("se XPH2X det nye XPH3X tilbud")
    'se xph2x det nye xph3x tilbud'
    """
    return TOKEN_RE.sub(lambda m: f"xph{m.group(1)}x", text)


def _loud(text: str) -> str:
    """The mask tokens back as the masking wrote them.

    >>> _loud('Eksporttypen "xph0x" understøttes ikke.')
    'Eksporttypen "XPH0X" understøttes ikke.'
    """
    return _QUIET_TOKEN.sub(lambda m: f"XPH{m.group(1)}X", text)
