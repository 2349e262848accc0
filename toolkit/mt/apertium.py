"""The Apertium engine: Debian's offline rule-based MT (``apertium dan-nob`` and friends).

Segments are sent many at a time, separated by blank lines (Apertium's text format keeps
paragraph breaks); when the output does not split back into the same number of segments,
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

from ..errors import ModelError
from .engines import MTOutput
from .masking import TOKEN_RE

#: The version of what this engine sends Apertium, in the memory key: outputs stored before
#: the mask tokens went in lower case are not reused.
_FORMAT = "2"
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
    """Translate with the ``apertium`` command for one language pair."""

    name = "apertium"
    copies_ok = True  # rules that translate a word to itself

    def __init__(self, source: str, target: str) -> None:
        binary = shutil.which("apertium")
        if binary is None:
            raise ModelError("the apertium engine is not installed.", hint=_INSTALL_HINT)
        self.binary = binary
        self.mode = self._find_mode(source, target)
        self.label = f"apertium {self.mode}"
        self.memory_key = f"apertium {self.mode} {_FORMAT}"

    def _find_mode(self, source: str, target: str) -> str:
        try:
            listed = subprocess.run(
                [self.binary, "-l"], capture_output=True, text=True, timeout=30, check=False
            ).stdout
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ModelError(f"cannot run apertium: {exc}.", hint=_INSTALL_HINT) from exc
        modes = {line.strip() for line in listed.splitlines() if line.strip()}
        src, tgt = _codes(source), _codes(target)
        for a in src:
            for b in tgt:
                if f"{a}-{b}" in modes:
                    return f"{a}-{b}"
        raise ModelError(
            f"apertium has no {source}->{target} language pair installed "
            f"(installed: {', '.join(sorted(modes)) or 'none'}).",
            hint=f"Install the pair's data package, e.g. 'sudo apt-get install "
            f"apertium-{src[-1]}-{tgt[-1]}' (see 'apt-cache search apertium-').",
        )

    def translate(self, segments: Sequence[str]) -> Iterator[tuple[list[int], list[MTOutput]]]:
        """Translate chunk by chunk; yield each chunk's indices and outputs (no scores)."""
        for start in range(0, len(segments), CHUNK):
            indices = list(range(start, min(start + CHUNK, len(segments))))
            texts = [_quiet(" ".join(segments[i].split())) for i in indices]
            outputs = self._run("\n\n".join(texts)).strip("\n").split("\n\n")
            if len(outputs) != len(texts):
                outputs = [self._run(text).strip("\n") for text in texts]
            yield indices, [MTOutput(_loud(" ".join(out.split()))) for out in outputs]

    def _run(self, text: str) -> str:
        try:
            done = subprocess.run(
                [self.binary, "-u", self.mode],
                input=text + "\n",
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
