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
import math
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

__all__ = ["OcrUnavailable", "TextBox", "available", "crop", "detect", "read_lines", "read_packed", "recognize"]

# The wheel ships one model per task (PP-OCRv6 small in rapidocr 3.10): found by name, whatever its version.
_MODEL_PATTERNS = {"Det": "*det*.onnx", "Rec": "*rec*.onnx", "Cls": "*cls*.onnx"}
CACHE_DIR = Path(sys.prefix) / "var" / "cache"
_REC_HEIGHT = 48  # the recognizer reads lines scaled to this height
_LEAST_WIDTH = 96  # and at least this wide (Rec.rec_img_shape below)
_PACK_GAP = 24  # paper between short pictures read as one line: half a line's height, read as a break
_PACK_WIDTH = 960  # the widest line short pictures are packed into


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


def read_lines(images: Sequence[np.ndarray], pack: bool = False) -> list[tuple[str, float]]:
    """Return (text, confidence) for each image of one line of text, read by the recognizer alone
    (no detection: the caller knows where the text is, e.g. a table cell); with `pack`, the short
    ones several to a line (`read_packed`)."""
    if not images:
        return []
    short = [i for i, image in enumerate(images) if pack and _is_short(image)]
    rest = [i for i, image in enumerate(images) if not (pack and _is_short(image))]
    out: list[tuple[str, float]] = [("", 0.0)] * len(images)
    for index, reading in zip(short, read_packed([images[i] for i in short]), strict=True):
        out[index] = reading
    if rest:
        rgb = [np.repeat(images[i][:, :, None], 3, axis=2) if images[i].ndim == 2 else images[i] for i in rest]
        result = _engine().recognize_txt(rgb)
        texts = result.txts or ("",) * len(rgb)
        for index, text, score in zip(rest, texts, result.scores, strict=True):
            out[index] = (text.strip(), float(score))
    return out


def _is_short(image: np.ndarray) -> bool:
    """Return True for a picture narrower than the least width the recognizer reads, once scaled to its height."""
    return image.shape[1] * _REC_HEIGHT <= _LEAST_WIDTH * image.shape[0]


def read_packed(images: Sequence[np.ndarray]) -> list[tuple[str, float]]:
    """Return (text, confidence) for each picture of a short line (a figure, a dash), read several to a line.

    A lone figure is narrower than the least width the recognizer reads well (`_LEAST_WIDTH`), so
    read one by one every figure costs that width; set side by side with paper between them
    (`_PACK_GAP`, a blank the recognizer never reads across) they cost their own width. Each
    character read goes to the picture under its place in the line; a picture's confidence is the
    mean over its characters, as a line's is.
    """
    if not images:
        return []
    scaled = [_at_height(image) for image in images]
    out: list[tuple[str, float]] = [("", 0.0)] * len(images)
    for group in _packs([image.shape[1] for image in scaled]):
        line, spans = _side_by_side([scaled[i] for i in group])
        for index, reading in zip(group, _read_spans(line, spans), strict=True):
            out[index] = reading
    return out


def _at_height(image: np.ndarray) -> np.ndarray:
    """Return a gray picture scaled to the recognizer's height, its proportions kept."""
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    width = max(1, math.ceil(gray.shape[1] * _REC_HEIGHT / gray.shape[0]))
    return cv2.resize(gray, (width, _REC_HEIGHT))


def _packs(widths: Sequence[int]) -> list[list[int]]:
    """Return the indexes of the pictures grouped into lines no wider than `_PACK_WIDTH`, in order."""
    packs: list[list[int]] = []
    used = _PACK_WIDTH
    for index, width in enumerate(widths):
        if used + width + _PACK_GAP > _PACK_WIDTH:
            packs.append([])
            used = _PACK_GAP
        packs[-1].append(index)
        used += width + _PACK_GAP
    return packs


def _side_by_side(images: Sequence[np.ndarray]) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Return the pictures set in one line with paper between them, and each one's (start, end) in it."""
    parts: list[np.ndarray] = []
    spans: list[tuple[int, int]] = []
    x = _PACK_GAP
    paper = np.full((_REC_HEIGHT, _PACK_GAP), 255, dtype=np.uint8)
    parts.append(paper)
    for image in images:
        parts.extend((image, paper))
        spans.append((x, x + image.shape[1]))
        x += image.shape[1] + _PACK_GAP
    return np.hstack(parts), spans


def _read_spans(line: np.ndarray, spans: Sequence[tuple[int, int]]) -> list[tuple[str, float]]:
    """Return the text and confidence read in each span of a packed line."""
    from rapidocr.ch_ppocr_rec.typings import TextRecInput

    picture = np.repeat(line[:, :, None], 3, axis=2)
    # The recognizer itself (RapidOCR's public call drops it) says where along the line each character was read.
    result = _engine()._load_rec_model()(TextRecInput(img=[picture], return_word_box=True))
    info = result.word_results[0]
    chars: list[list[tuple[str, float]]] = [[] for _ in spans]
    if info is not None and info.line_txt_len:
        text = result.txts[0] or ""
        places = [col for word in info.word_cols for col in word]
        scores = [score for char, score in zip(text, info.confs, strict=False) if not char.isspace()]
        shown = [char for char in text if not char.isspace()]
        step = line.shape[1] / info.line_txt_len  # pixels of the line per output column
        for char, score, col in zip(shown, scores, places, strict=False):
            x = (col + 0.5) * step
            nearest = min(range(len(spans)), key=lambda i: max(spans[i][0] - x, x - spans[i][1], 0))
            chars[nearest].append((char, score))
    return [("".join(c for c, _ in found), sum(s for _, s in found) / len(found)) if found else ("", 0.0)
            for found in chars]


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
    with _private_cache(), _without_memory_patterns():
        try:
            import onnxruntime
            import rapidocr
        except ImportError as exc:
            raise OcrUnavailable(f"OCR is not available ({exc.name} is not installed)") from exc
        models = _models(Path(rapidocr.__file__).parent / "models")
        onnxruntime.disable_telemetry_events()
        engine = rapidocr.RapidOCR(params={
            "Global.log_level": "error",
            "Global.use_cls": False,  # pages are deskewed before OCR; lines are never upside down
            "Global.max_side_len": 4000,  # a 150 dpi A4 page is read at full size
            # Each line is padded at least to this width: the default 320 px
            # makes every lone figure of a table cost as much as a line of prose (recognition took twice as
            # long); below 96 px "0" starts to read as "O".
            "Rec.rec_img_shape": [3, 48, 96],
            # One line a call: a batch pads its lines to the widest, and the activations of three wide lines
            # at once set an OCR process's peak (50–100 MB above one line's), for no less CPU.
            "Rec.rec_batch_num": 1,
            # The caller gives the detector pictures at the scale it wants (parsers.ocr reads the parts of a
            # page that hold prose at 73 % of 150 dpi); the engine does not shrink them again.
            "Det.limit_type": "max",
            "Det.limit_side_len": 4000,
            # No memory arena: it keeps the largest activations ever allocated (the detector's, over a
            # whole page) for the life of the process; without it an OCR process peaks about 200 MB
            # lower (800 → 600 MB) for some 5 % more time.
            "EngineConfig.onnxruntime.enable_cpu_mem_arena": False,
            **{f"{task}.model_path": str(path) for task, path in models.items()},
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        })
        # Both models load here, not on first use, so that their sessions are made without memory patterns.
        engine._load_det_model()
        engine._load_rec_model()
        return engine


@contextmanager
def _without_memory_patterns() -> Iterator[None]:
    """Make the engine's onnxruntime sessions without memory patterns while RapidOCR builds them.

    A memory pattern plans one block for all of a run's intermediate tensors, for each shape of
    input; the detector is given parts of pages of every size, and the recognizer lines of every
    width, so the plans were made again and again, and the blocks (larger than what is alive at
    once) set the process's peak: 787 MB over the 10 scans of `make bench-formats`, 601 MB
    without, for the same CPU time and the same readings (RapidOCR has no setting for it).
    """
    try:
        from rapidocr.inference_engine.onnxruntime.main import OrtInferSession
    except ImportError:  # _engine says what is missing
        yield
        return
    made = OrtInferSession.__dict__["_init_sess_opts"]

    def options(cfg: Any) -> Any:
        sess_opt = made.__func__(cfg)
        sess_opt.enable_mem_pattern = False
        return sess_opt

    setattr(OrtInferSession, "_init_sess_opts", staticmethod(options))  # noqa: B010  (a method mypy would refuse)
    try:
        yield
    finally:
        setattr(OrtInferSession, "_init_sess_opts", made)  # noqa: B010


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
