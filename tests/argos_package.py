"""Build small REAL Argos Translate packages without training (tests and benchmarks use it).

The package is what ``argos-train`` ships: a zip holding one folder with ``metadata.json``, a
CTranslate2 Transformer in ``model/`` and a ``sentencepiece.model``. The Transformer's weights
are set by hand so that it translates word by word from a dictionary, deterministically:

* the residual stream is ``[token code | position code]``; both parts are zero-mean and of
  unit norm, so every layer norm only rescales it;
* every encoder sublayer and the decoder's self-attention and feed-forward sublayers add
  nothing (zero output projections, or tiny noise with ``noise > 0``);
* in the first decoder layer's cross-attention, queries and keys read only the position code
  with a large gain, so decoder step ``t`` attends to source position ``t``; values carry the
  source token's code;
* the output projection row of target token ``j`` is the sum of the codes of the source
  tokens that translate to ``j`` (the dictionary entry, otherwise the token itself).

With ``add_source_eos`` the source ends in ``</s>``, which maps to ``</s>``, so decoding stops
right after the last source token, the way a trained model ends its sentences. Dictionary
words are whole SentencePiece pieces (user-defined symbols), so ``Welcome back!`` comes out as
``Velkommen tilbage!`` exactly. Caveat of user-defined symbols: they also match word
prefixes (``backpack`` -> ``▁back`` + ``pack``).

At base size (6+6 layers, d_model 512, 8 heads, FFN 2048, a vocabulary of tens of thousands)
the same construction costs what a real Argos model costs to run.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

#: Characters every test corpus covers, so no input character becomes <unk>.
CHARSET = (
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    "æøåÆØÅąčęėįšųūžĄČĘĖĮŠŲŪŽäöüÄÖÜéèêÉ"
    " .,;:!?-–—()[]{}%/\\\"'#&@<>=+*_|~^$€£`…«»„“”’"
)

#: The dictionary the test suite asserts on (English -> Danish).
EN_DA: dict[str, str] = {
    "Welcome": "Velkommen",
    "back": "tilbage",
    "Hello": "Hej",
    "Hi": "Hej",
    "You": "Du",
    "you": "du",
    "have": "har",
    "points": "point",
    "point": "point",
    "Your": "Din",
    "your": "din",
    "order": "ordre",
    "is": "er",
    "ready": "klar",
    "Thank": "Tak",
    "Thanks": "Tak",
    "for": "for",
    "shopping": "handle",
    "with": "med",
    "us": "os",
    "Click": "Klik",
    "here": "her",
    "to": "for",
    "see": "se",
    "the": "den",
    "The": "Den",
    "offer": "tilbud",
    "new": "ny",
    "New": "Ny",
    "We": "Vi",
    "miss": "savner",
    "One": "Et",
    "item": "vare",
    "items": "varer",
    "in": "i",
    "cart": "kurv",
    "and": "og",
    "good": "god",
    "day": "dag",
    "Save": "Spar",
    "today": "i dag",
    "Pay": "Betal",
    "now": "nu",
    "Good": "God",
    "morning": "morgen",
}


@dataclass(frozen=True)
class ModelShape:
    """Transformer size: the test default is tiny; ``BASE`` is Argos's real architecture."""

    layers: tuple[int, int] = (2, 2)
    d_model: int = 128
    heads: int = 2
    ffn: int = 256
    vocab_size: int = 0  # pad the model vocabulary to this size (0: the SentencePiece size)
    max_positions: int = 512


BASE = ModelShape(layers=(6, 6), d_model=512, heads=8, ffn=2048, vocab_size=50_000)


def build_package(
    out_dir: Path,
    dictionary: Mapping[str, str] = EN_DA,
    *,
    from_code: str = "en",
    to_code: str = "da",
    from_name: str = "English",
    to_name: str = "Danish",
    version: str = "1.0",
    shape: ModelShape = ModelShape(),
    quantization: str | None = None,
    noise: float = 0.0,
    corpus: Iterable[str] = (),
    seed: int = 0,
    spacy_sbd: bool = False,
) -> Path:
    """Write ``translate-<from>_<to>-<version>.argosmodel`` into ``out_dir`` and return it.

    With ``spacy_sbd`` the package ships a blank spaCy pipeline in ``spacy/``, which lets
    argostranslate's own ``translate()`` split sentences offline (``ARGOS_CHUNK_TYPE=SPACY``).
    """
    rng = np.random.default_rng(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    name = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    sp_bytes = train_sentencepiece(dictionary, corpus)
    pieces = _pieces(sp_bytes)
    vocab = list(pieces)
    filler = 0
    while len(vocab) < shape.vocab_size:
        vocab.append(f"<filler{filler}>")
        filler += 1
    mapping = {f"▁{src}": f"▁{tgt.replace(' ', '▁')}" for src, tgt in dictionary.items()}
    # A multi-word target ("i dag") cannot be one output token: keep only single pieces.
    mapping = {s: t for s, t in mapping.items() if t in set(vocab)}
    model_dir = out_dir / f".{name}.model"
    _save_model(model_dir, vocab, mapping, shape, quantization, noise, rng)
    metadata = {
        "package_version": version,
        "argos_version": "1.9",
        "from_code": from_code,
        "from_name": from_name,
        "to_code": to_code,
        "to_name": to_name,
        "type": "translate",
        "links": [],
    }
    package_path = out_dir / f"{name}.argosmodel"
    with zipfile.ZipFile(package_path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{name}/metadata.json", json.dumps(metadata, indent=2))
        archive.writestr(f"{name}/sentencepiece.model", sp_bytes)
        archive.writestr(f"{name}/README.md", "Hand-weighted dictionary model for tests.\n")
        for file in sorted(model_dir.iterdir()):
            archive.write(file, f"{name}/model/{file.name}")
        if spacy_sbd:
            _add_spacy(archive, name, from_code, out_dir)
    for file in model_dir.iterdir():
        file.unlink()
    model_dir.rmdir()
    return package_path


def _add_spacy(archive: zipfile.ZipFile, name: str, language: str, out_dir: Path) -> None:
    import shutil

    import spacy

    folder = out_dir / f".{name}.spacy"
    spacy.blank(language).to_disk(folder)
    for file in sorted(folder.rglob("*")):
        if file.is_file():
            archive.write(file, f"{name}/spacy/{file.relative_to(folder).as_posix()}")
    shutil.rmtree(folder)


def train_sentencepiece(dictionary: Mapping[str, str], corpus: Iterable[str] = ()) -> bytes:
    """A SentencePiece model whose pieces include every dictionary word (both sides) whole."""
    import sentencepiece as spm

    words = sorted(
        {w for pair in dictionary.items() for side in pair for w in side.split()},
        key=lambda w: (-len(w), w),
    )
    sentences = [CHARSET] * 5 + [" ".join(words)] * 5 + list(corpus)
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences),
        model_writer=model,
        vocab_size=max(200, len(words) + 150),
        hard_vocab_limit=False,
        user_defined_symbols=[f"▁{w}" for w in words],
        character_coverage=1.0,
        model_type="unigram",
        minloglevel=2,
    )
    return model.getvalue()


def _pieces(sp_bytes: bytes) -> list[str]:
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_proto=sp_bytes)
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def _unit_codes(rng: Any, count: int, dim: int) -> Any:
    """``count`` random zero-mean unit-norm vectors of ``dim`` dimensions."""
    codes = rng.standard_normal((count, dim)).astype("float32")
    codes -= codes.mean(axis=1, keepdims=True)
    codes /= np.linalg.norm(codes, axis=1, keepdims=True)
    return codes


def _save_model(
    model_dir: Path,
    vocab: list[str],
    mapping: Mapping[str, str],
    shape: ModelShape,
    quantization: str | None,
    noise: float,
    rng: Any,
) -> None:
    from ctranslate2.converters.converter import Converter
    from ctranslate2.specs import transformer_spec

    d, heads = shape.d_model, shape.heads
    head_dim = d // heads
    token_dim = d - head_dim  # position code lives in the last head_dim dimensions
    size = len(vocab)
    index = {piece: i for i, piece in enumerate(vocab)}
    token_codes = _unit_codes(rng, size, token_dim)
    position_codes = _unit_codes(rng, shape.max_positions, head_dim)

    def small(*dims: int) -> Any:
        if noise:
            return (rng.standard_normal(dims) * noise).astype("float32")
        return np.zeros(dims, dtype="float32")

    def norm(spec: Any) -> None:
        spec.gamma = np.ones(d, dtype="float32")
        spec.beta = np.zeros(d, dtype="float32")

    def linear(spec: Any, weight: Any) -> None:
        spec.weight = weight
        spec.bias = np.zeros(weight.shape[0], dtype="float32")

    spec = transformer_spec.TransformerSpec.from_config(shape.layers, heads, pre_norm=True)
    spec.config.add_source_eos = True
    spec.config.decoder_start_token = "<s>"

    source_embeddings = np.zeros((size, d), dtype="float32")
    source_embeddings[:, :token_dim] = token_codes
    positions = np.zeros((shape.max_positions, d), dtype="float32")
    positions[:, token_dim:] = position_codes

    encoder = spec.encoder
    encoder.scale_embeddings = False
    encoder.embeddings[0].weight = source_embeddings
    encoder.position_encodings.encodings = positions
    norm(encoder.layer_norm)
    for layer in encoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], small(3 * d, d))
        linear(layer.self_attention.linear[1], small(d, d))
        norm(layer.ffn.layer_norm)
        linear(layer.ffn.linear_0, small(shape.ffn, d))
        linear(layer.ffn.linear_1, small(d, shape.ffn))

    decoder = spec.decoder
    decoder.scale_embeddings = False
    decoder.embeddings.weight = np.zeros((size, d), dtype="float32")
    decoder.position_encodings.encodings = positions
    norm(decoder.layer_norm)
    gain = 60.0
    for number, layer in enumerate(decoder.layer):
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], small(3 * d, d))
        linear(layer.self_attention.linear[1], small(d, d))
        norm(layer.attention.layer_norm)
        query = small(d, d)
        keys_values = small(2 * d, d)
        output = small(d, d)
        if number == 0:
            query[:] = 0
            keys_values[:] = 0
            output[:] = 0
            for head in range(heads):
                rows = slice(head * head_dim, (head + 1) * head_dim)
                query[rows, token_dim:] = np.eye(head_dim) * gain
                keys_values[rows, token_dim:] = np.eye(head_dim)
            keys_values[d : d + token_dim, :token_dim] = np.eye(token_dim)
            output[:token_dim, :token_dim] = np.eye(token_dim) * 4.0
        linear(layer.attention.linear[0], query)
        linear(layer.attention.linear[1], keys_values)
        linear(layer.attention.linear[2], output)
        norm(layer.ffn.layer_norm)
        linear(layer.ffn.linear_0, small(shape.ffn, d))
        linear(layer.ffn.linear_1, small(d, shape.ffn))

    projection = np.zeros((size, d), dtype="float32")
    for i, piece in enumerate(vocab):
        target = mapping.get(piece, piece)
        projection[index[target], :token_dim] += token_codes[i]
    linear(decoder.projection, projection * 3.0)

    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)

    class _HandSet(Converter):
        def _load(self) -> Any:
            return spec

    _HandSet().convert(str(model_dir), quantization=quantization, force=True)

