"""The OCR engine: RapidOCR's PP-OCR models on onnxruntime, fully offline.

The `rapidocr` wheel ships its detection and recognition models; they are named by path, so
the engine never looks for (or downloads) anything at run time. onnxruntime keeps a device id
and a telemetry store under $XDG_CACHE_HOME (~/.cache by default); while the engine is loaded
that folder points inside the Python environment (``<sys.prefix>/var/cache``), and telemetry
events are switched off. One thread per engine: batch workers run one engine per process.

`recognize` turns an image into `TextBox`es (text, confidence, axis-aligned box in pixels);
`detect` only finds where lines of text are, `crop` cuts one out as the engine does, and
`read_lines` reads pictures of one line each. Nothing here knows about pages, tables or reports.

The recognizer's cost grows with the width of what it reads once scaled to its height (48 px),
and is about the same per pixel of width whether lines are read one by one or in batches: what
saves time is reading fewer pixels, not calling it differently.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["OcrUnavailable", "TextBox", "available", "crop", "detect", "read_lines", "recognize"]

# The wheel ships one model per task (PP-OCRv6 small in rapidocr 3.10): found by name, whatever its version.
_MODEL_PATTERNS = {"Det": "*det*.onnx", "Rec": "*rec*.onnx", "Cls": "*cls*.onnx"}
CACHE_DIR = Path(sys.prefix) / "var" / "cache"


class OcrUnavailable(RuntimeError):
    """The OCR engine cannot run here (rapidocr or onnxruntime missing, models absent)."""


@dataclass(frozen=True, slots=True)
class TextBox:
    """A piece of text the engine read, with its confidence and its box in image pixels."""

    text: str
    confidence: float
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


def available() -> bool:
    """Return True when the engine can be loaded."""
    try:
        _engine()
    except OcrUnavailable:
        return False
    return True


def recognize(image: np.ndarray) -> list[TextBox]:
    """Return the text boxes the engine reads in an RGB or grayscale image, top to bottom."""
    if image.ndim == 2:
        image = np.repeat(image[:, :, None], 3, axis=2)
    result = _engine()(image)
    if result.boxes is None or result.txts is None:
        return []
    boxes = []
    for quad, text, score in zip(result.boxes, result.txts, result.scores, strict=True):
        if not text.strip():
            continue
        xs, ys = quad[:, 0], quad[:, 1]
        boxes.append(TextBox(text.strip(), float(score), float(xs.min()), float(ys.min()),
                             float(xs.max()), float(ys.max())))
    return sorted(boxes, key=lambda b: (b.top, b.x0))


def read_lines(images: Sequence[np.ndarray]) -> list[tuple[str, float]]:
    """Return (text, confidence) for each image of one line of text, read by the recognizer alone
    (no detection: the caller knows where the text is, e.g. a table cell)."""
    if not images:
        return []
    rgb = [np.repeat(image[:, :, None], 3, axis=2) if image.ndim == 2 else image for image in images]
    result = _engine().recognize_txt(rgb)
    texts = result.txts or ("",) * len(rgb)
    return [(text.strip(), float(score)) for text, score in zip(texts, result.scores, strict=True)]


def detect(image: np.ndarray) -> list[np.ndarray]:
    """Return the quadrilaterals (4 x 2 corners, pixels) of the lines of text the detector finds in
    an RGB or grayscale image, top to bottom; nothing is read."""
    if image.ndim == 2:
        image = np.repeat(image[:, :, None], 3, axis=2)
    found = _engine()(image, use_rec=False, use_cls=False)
    return [] if found.boxes is None else [np.asarray(quad, dtype=np.float32) for quad in found.boxes]


def crop(image: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """Return the picture of one detected line, straightened from its quadrilateral as the engine cuts it."""
    from rapidocr.utils.process_img import get_rotate_crop_image

    return get_rotate_crop_image(image, quad.copy())


@functools.cache
def _engine() -> Any:
    """Load RapidOCR once per process, with the models of its wheel."""
    with _private_cache():
        try:
            import onnxruntime
            import rapidocr
        except ImportError as exc:
            raise OcrUnavailable(f"OCR is not available ({exc.name} is not installed)") from exc
        models = _models(Path(rapidocr.__file__).parent / "models")
        onnxruntime.disable_telemetry_events()
        return rapidocr.RapidOCR(params={
            "Global.log_level": "error",
            "Global.use_cls": False,  # pages are deskewed before OCR; lines are never upside down
            "Global.max_side_len": 4000,  # a 150 dpi A4 page is read at full size
            # Each line is padded to the batch's widest ratio, and at least to this width: the default 320 px
            # makes every lone figure of a table cost as much as a line of prose (recognition took twice as
            # long); below 96 px "0" starts to read as "O".
            "Rec.rec_img_shape": [3, 48, 96],
            "Rec.rec_batch_num": 3,  # lines of like widths batch well; more pads short ones to long ones
            # The detector needs no more than 1280 px on the long side to find a lone "1" in a cell at
            # 150 dpi (at 1024 it misses some); a full page at 1754 px takes twice as long.
            "Det.limit_type": "max",
            "Det.limit_side_len": 1280,
            # No memory arena: it keeps the largest activations ever allocated (the detector's, over a
            # whole page) for the life of the process; without it an OCR process peaks about 200 MB
            # lower (800 → 600 MB) for some 5 % more time.
            "EngineConfig.onnxruntime.enable_cpu_mem_arena": False,
            **{f"{task}.model_path": str(path) for task, path in models.items()},
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        })


def _models(folder: Path) -> dict[str, Path]:
    """Return the model file of each task in the package's folder; naming them all keeps the
    engine from ever downloading one."""
    found = {task: sorted(folder.glob(pattern)) for task, pattern in _MODEL_PATTERNS.items()}
    missing = [task for task, paths in found.items() if not paths]
    if missing:
        raise OcrUnavailable(f"OCR is not available (no {missing[0].lower()} model in {folder})")
    return {task: paths[-1] for task, paths in found.items()}


@contextmanager
def _private_cache() -> Iterator[None]:
    """Point $XDG_CACHE_HOME inside the Python environment while onnxruntime starts up."""
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(CACHE_DIR)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = old
