"""ONNX Runtime backend: the model's transformer exported to ONNX once, pooled in numpy.

sentence-transformers' own `backend="onnx"` needs optimum-onnx, whose releases pin transformers
below 4.58 while sentence-transformers 6 needs transformers 5: the two cannot be installed
together. So skillgraph exports the transformer itself (torch.onnx, TorchScript exporter), runs
it with onnxruntime and pools the token embeddings as the model's Pooling module does.

Variants: "onnx" (float32, the same vectors as torch within 1e-6) and "onnx-int8" (weights
quantised to int8 per channel, dynamic activations: about twice as fast on CPU, cosine to the
torch vectors about 0.99, so it gets its own model id).

An export is keyed by the model id, the torch version and the opset, written atomically under
`export_dir` and reused by every later load; without an export_dir it stays in memory. Every
load checks the graph against the torch model on a few probe texts and re-exports a stored file
that disagrees.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import tempfile
import uuid
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from skillgraph.errors import ModelNotAvailableError, ValidationError

ONNX_BACKENDS = ("onnx", "onnx-int8")
OPSET = 17
INSTALL_HINT = "install the optional extra: pip install 'skillgraph[onnx]' (onnxruntime, onnx)"
# Different lengths, so the check covers padding inside a batch.
PROBE_TEXTS = (
    "Python",
    "manage a team of software engineers and review their code",
    "Forklift driving, warehouse stock control and safety checks on loading docks at night.",
)
MIN_PROBE_COSINE = {"onnx": 0.9999, "onnx-int8": 0.95}
_SUPPORTED_POOLING = ("mean", "cls", "max")
_OUTPUT = "token_embeddings"


def require_onnxruntime() -> Any:
    """The onnxruntime module, or a ModelNotAvailableError naming the extra to install."""
    try:
        import onnxruntime
    except ImportError as exc:
        raise ModelNotAvailableError(
            f"the ONNX embedding backend needs onnxruntime, which is not installed: {INSTALL_HINT}"
        ) from exc
    return onnxruntime


class OnnxTransformer:
    """Runs a sentence-transformers model's transformer with onnxruntime; pooled, not normalised.

    `st_model` is the loaded SentenceTransformer (its tokeniser, pooling and the torch weights the
    export and the probe check use); `model_id` keys the stored export.
    """

    def __init__(
        self,
        st_model: Any,
        *,
        variant: str,
        model_id: str,
        export_dir: Path | None,
        threads: int,
    ) -> None:
        if variant not in ONNX_BACKENDS:
            raise ValidationError(f"ONNX variant {variant!r}: expected one of {ONNX_BACKENDS}")
        self._ort = require_onnxruntime()
        self._st = st_model
        self.variant = variant
        self.pooling = _pooling_mode(st_model)
        self.threads = threads
        self.path = _export_path(export_dir, model_id, variant) if export_dir else None
        self.input_names = _input_names(st_model)
        self._session: Any = None
        self._load_checked()

    def pooled(self, texts: Sequence[str], batch_size: int) -> np.ndarray:
        """(len(texts), dim) float32 sentence embeddings, before normalisation."""
        order = np.argsort([-len(t) for t in texts], kind="stable")  # less padding per batch
        out = np.empty((len(texts), 0), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            rows = order[start : start + batch_size]
            block = self._run([texts[r] for r in rows])
            if out.shape[1] == 0:
                out = np.empty((len(texts), block.shape[1]), dtype=np.float32)
            out[rows] = block
        return out

    # -- running ----------------------------------------------------------------------------

    def _run(self, texts: list[str]) -> np.ndarray:
        features = self._st.preprocess(texts)
        feeds = {name: features[name].numpy().astype(np.int64) for name in self.input_names}
        (tokens,) = self._session.run([_OUTPUT], feeds)
        return _pool(tokens, feeds["attention_mask"], self.pooling)

    # -- loading and checking ---------------------------------------------------------------

    def _load_checked(self) -> None:
        stored = [p for p in self._stored_files() if p.is_file()]
        if stored:
            try:
                if self._agrees(self._session_for(self._graph_bytes())):
                    return
            except Exception:  # noqa: S110  a damaged file: onnx's errors are untyped
                pass
            for path in stored:  # stale or damaged: export again, once
                path.unlink(missing_ok=True)
        if self._agrees(self._session_for(self._graph_bytes())):
            return
        raise ModelNotAvailableError(
            f"the {self.variant} export of this model does not reproduce its torch embeddings "
            f"(cosine below {MIN_PROBE_COSINE[self.variant]}); use backend 'torch'"
        )

    def _stored_files(self) -> list[Path]:
        if self.path is None:
            return []
        return sorted({self.path, self.path.with_name(_file_name("onnx"))})

    def _graph_bytes(self) -> bytes:
        if self.path is not None and self.path.is_file():
            return self.path.read_bytes()
        fp32_path = self.path.with_name(_file_name("onnx")) if self.path else None
        if fp32_path is not None and fp32_path.is_file():
            fp32 = fp32_path.read_bytes()
        else:
            fp32 = export_transformer(self._st)
            if fp32_path is not None:
                atomic_write(fp32_path, fp32)
        data = quantise_int8(fp32) if self.variant == "onnx-int8" else fp32
        if self.path is not None and self.path != fp32_path:
            atomic_write(self.path, data)
        return data

    def _session_for(self, graph: bytes) -> Any:
        options = self._ort.SessionOptions()
        if self.threads > 0:
            options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        return self._ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"])

    def _agrees(self, session: Any) -> bool:
        self._session = session
        probes = list(PROBE_TEXTS)
        reference = np.asarray(
            self._st.encode(probes, normalize_embeddings=True, convert_to_numpy=True)
        )
        got = self._run(probes)
        got /= np.maximum(np.linalg.norm(got, axis=1, keepdims=True), 1e-12)
        cosine = float(np.min(np.sum(got * reference, axis=1)))
        return cosine >= MIN_PROBE_COSINE[self.variant]


# -- export ----------------------------------------------------------------------------------


class _NamedInputs(torch.nn.Module):
    """Positional inputs in `names` order -> the transformer's token embeddings."""

    def __init__(self, transformer: torch.nn.Module, names: Sequence[str]) -> None:
        super().__init__()
        self.transformer = transformer
        self.names = list(names)

    def forward(self, *tensors: torch.Tensor) -> torch.Tensor:
        output = self.transformer(**dict(zip(self.names, tensors, strict=True)))
        return output[0]


def export_transformer(st_model: Any) -> bytes:
    """The model's first module (a Hugging Face transformer) as ONNX bytes, dynamic batch and
    sequence axes."""
    names = _input_names(st_model)
    sample = st_model.preprocess(list(PROBE_TEXTS[:2]))
    wrapper = _NamedInputs(st_model[0].auto_model, names).eval()
    axes = {name: {0: "batch", 1: "sequence"} for name in [*names, _OUTPUT]}
    with (
        tempfile.TemporaryDirectory(prefix="skillgraph-onnx-") as folder,
        torch.no_grad(),
        quiet(),
    ):
        target = Path(folder) / "model.onnx"
        torch.onnx.export(
            wrapper,
            tuple(sample[name] for name in names),
            target,
            input_names=names,
            output_names=[_OUTPUT],
            dynamic_axes=axes,
            opset_version=OPSET,
            dynamo=False,  # the dynamo exporter needs onnxscript; this one only torch
        )
        return target.read_bytes()


def quantise_int8(fp32: bytes) -> bytes:
    """Dynamic int8 quantisation, per-channel weights (per-tensor loses too much: cosine 0.96)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory(prefix="skillgraph-onnx-") as folder:
        source, target = Path(folder) / "model.onnx", Path(folder) / "model-int8.onnx"
        source.write_bytes(fp32)
        with quiet():
            quantize_dynamic(source, target, per_channel=True, weight_type=QuantType.QInt8)
        return target.read_bytes()


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Silence the exporter's tracer warnings and the quantiser's advice (checked by probes)."""
    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logging.disable(previous)


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


# -- model structure -------------------------------------------------------------------------


def _export_path(export_dir: Path, model_id: str, variant: str) -> Path:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", model_id)
    return export_dir / slug / _file_name(variant)


def _file_name(variant: str) -> str:
    torch_version = re.sub(r"[^A-Za-z0-9.]+", "_", torch.__version__)
    suffix = "-int8" if variant == "onnx-int8" else ""
    return f"model-torch{torch_version}-opset{OPSET}{suffix}.onnx"


def _input_names(st_model: Any) -> list[str]:
    features = st_model.preprocess(["probe"])
    return [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in features]


def _pooling_mode(st_model: Any) -> str:
    kinds = [type(module).__name__ for module in st_model]
    supported = kinds[:2] == ["Transformer", "Pooling"] and set(kinds[2:]) <= {"Normalize"}
    mode = str(getattr(st_model[1], "pooling_mode", "")) if len(kinds) > 1 else ""
    if not supported or mode not in _SUPPORTED_POOLING:
        raise ModelNotAvailableError(
            f"the ONNX backend runs Transformer + Pooling ({', '.join(_SUPPORTED_POOLING)}) "
            f"models; this one is {' + '.join(kinds)} (pooling {mode or 'none'}): "
            "use backend 'torch'"
        )
    return mode


def _pool(tokens: np.ndarray, mask: np.ndarray, mode: str) -> np.ndarray:
    """Sentence vectors from (batch, sequence, dim) token embeddings, as sentence-transformers'
    Pooling does: mean or max over the unmasked tokens, or the first ([CLS]) token."""
    if mode == "cls":
        return np.ascontiguousarray(tokens[:, 0], dtype=np.float32)
    weights = mask[..., None].astype(np.float32)
    if mode == "max":
        masked = np.where(weights > 0, tokens, np.float32(-1e9))
        return masked.max(axis=1).astype(np.float32)
    summed = (tokens * weights).sum(axis=1)
    return (summed / np.maximum(weights.sum(axis=1), 1e-9)).astype(np.float32)
