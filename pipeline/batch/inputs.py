"""Inputs of a batch: folders, globs, files and .zip archives, each expanded into Sources.

Owns the safety of archives. A member is never extracted to its own name: its bytes are
hashed as they stream out of the archive, and copied to a work file named after their
sha256 only when they still need parsing. A member whose name is absolute or climbs out
with "../" (zip-slip), one that would inflate past the size limit or by an absurd ratio (zip
bomb), an encrypted member and an archive inside the archive are refused: each becomes a
Source with the reason, and nothing of it is read.
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from parsers import SUFFIXES
from pipeline.output.write import atomic

ARCHIVE_SUFFIXES = (".zip",)
# Archives of other kinds are not opened; inside a .zip they are named as refused, not skipped.
NESTED_SUFFIXES = (".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz")
_GLOB_CHARS = re.compile(r"[*?\[]")
_COPY_BLOCK = 1 << 20
_MB = 1 << 20


@dataclass(frozen=True)
class ZipLimits:
    """How far a .zip member may inflate before it is refused as a zip bomb."""

    max_member_mb: int = 200  # uncompressed size of one member
    max_ratio: float = 100.0  # uncompressed : compressed …
    ratio_floor_mb: int = 10  # … only refused above this size (small files compress well, harmlessly)


@dataclass(frozen=True)
class Source:
    """One input: a file on disk or a member of a .zip archive, or a refusal with its reason."""

    source_path: str  # as recorded: "reports/a.pdf" or "reports/2023.zip!dept/a.pdf"
    path: Path | None = None  # the file on disk (None for an archive member)
    archive: Path | None = None
    member: str | None = None  # the member's name inside the archive, as stored
    refused: str | None = None  # why the input is not read at all

    @property
    def name(self) -> str:
        """Return the recorded name without its archive: the member's name, or the file's path."""
        return self.source_path.rsplit("!", 1)[-1] if self.archive is not None else self.source_path

    @property
    def suffix(self) -> str:
        """Return the lower-case suffix of the recorded name."""
        return PurePosixPath(self.name).suffix.lower()


class MemberRefused(Exception):
    """A member turned out too large or damaged while it was being read."""


def expand_sources(inputs: Iterable[str | Path], limits: ZipLimits = ZipLimits()) -> list[Source]:
    """Return the Sources of folders, globs, files and .zip archives, each file once.

    Folders are searched through symbolic links; a link that loops back into a folder already being
    searched, or that points nowhere, is a refused Source naming it, never a silent gap.
    """
    out: list[Source] = []
    seen: set[Path] = set()
    for found in _expand_paths(inputs):
        if isinstance(found, Source):
            out.append(found)
            continue
        resolved = found.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        if found.suffix.lower() in ARCHIVE_SUFFIXES:
            out.extend(archive_sources(found, limits))
        else:
            out.append(Source(str(found), path=found))
    return out


def missing_inputs(inputs: Iterable[str | Path]) -> list[str]:
    """Return the inputs that are neither an existing path nor a glob that matches something."""
    return [str(i) for i in inputs if not Path(i).exists() and not glob.glob(str(i), recursive=True)]


def _expand_paths(inputs: Iterable[str | Path]) -> Iterator[Path | Source]:
    """Yield the files named by the inputs (folders searched, globs matched, files as given), and a
    refused Source for each link in a folder that loops or points nowhere."""
    for item in inputs:
        path = Path(item)
        if not path.exists() and _GLOB_CHARS.search(str(item)):
            matches = [Path(m) for m in sorted(glob.glob(str(item), recursive=True))]
        else:
            matches = [path]
        for match in matches:
            if match.is_dir():
                yield from _walk(match)
            elif match.is_file():
                yield match


def _walk(folder: Path) -> Iterator[Path | Source]:
    """Yield the report files under `folder` in name order, following links to folders once each."""
    wanted = (*SUFFIXES, *ARCHIVE_SUFFIXES)
    # Real folders on the way down from `folder`: a link back into one of them is a loop.
    ancestors: dict[str, Path] = {}

    def visit(current: Path) -> Iterator[Path | Source]:
        real = os.path.realpath(current)
        if real in ancestors:
            yield Source(str(current), refused=f"symbolic link loop: {current} leads back to {ancestors[real]}")
            return
        ancestors[real] = current
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as exc:
            yield Source(str(current), refused=f"cannot read folder: {exc.strerror or exc}")
            entries = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            child = Path(entry.path)
            if entry.is_dir(follow_symlinks=True):
                yield from visit(child)
            elif entry.is_file(follow_symlinks=True):
                if child.suffix.lower() in wanted:
                    yield child
            elif entry.is_symlink():
                yield Source(str(child), refused=f"broken symbolic link: {child} → {os.readlink(child)}")
        del ancestors[real]

    yield from visit(folder)


def archive_sources(archive: Path, limits: ZipLimits = ZipLimits()) -> list[Source]:
    """Return a Source for each report member of a .zip archive; unsafe members carry their refusal."""
    try:
        with zipfile.ZipFile(archive) as handle:
            infos = handle.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        return [Source(str(archive), refused=f"damaged zip archive ({exc})")]
    out = []
    for info in infos:
        name = display_name(info)
        if info.is_dir() or _is_clutter(name):
            continue
        source = Source(f"{archive}!{name}", archive=archive, member=info.filename)
        reason = refusal(info, name, limits)
        if reason:
            out.append(Source(source.source_path, refused=reason))
        elif source.suffix in SUFFIXES:
            out.append(source)
    return out


def display_name(info: zipfile.ZipInfo) -> str:
    """Return a member's name as its author wrote it."""
    # Archives made on Chinese Windows store names in GBK without the UTF-8 flag (bit 11);
    # zipfile then decodes them as cp437, which turns 报告 into mojibake.
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _is_clutter(name: str) -> bool:
    """Return True for the metadata files archivers add (__MACOSX/, ._name, .DS_Store)."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return bool(parts) and (parts[0] == "__MACOSX" or parts[-1].startswith("."))


def refusal(info: zipfile.ZipInfo, name: str, limits: ZipLimits) -> str | None:
    """Return why a member must not be read, or None when it is safe to copy."""
    posix = name.replace("\\", "/")
    if posix.startswith("/") or re.match(r"^[A-Za-z]:", posix) or ".." in PurePosixPath(posix).parts:
        return f"unsafe path in zip archive (absolute or ../, zip-slip): {name}"
    if PurePosixPath(posix).suffix.lower() in NESTED_SUFFIXES:
        return f"nested archive not expanded: {name}"
    if info.flag_bits & 0x1:
        return f"encrypted zip member: {name}"
    if info.file_size > limits.max_member_mb * _MB:
        return (f"zip member too large ({info.file_size / _MB:.0f} MB uncompressed; "
                f"limit {limits.max_member_mb} MB): {name}")
    ratio = info.file_size / max(info.compress_size, 1)
    if ratio > limits.max_ratio and info.file_size > limits.ratio_floor_mb * _MB:
        return f"zip bomb suspected (compression ratio {ratio:.0f}:1): {name}"
    return None


def member_sha256(source: Source, limits: ZipLimits = ZipLimits()) -> str:
    """Return the sha256 of an archive member's bytes, read without writing them anywhere."""
    digest = hashlib.sha256()
    for block in member_blocks(source, limits):
        digest.update(block)
    return digest.hexdigest()


def copy_member(source: Source, target: Path, limits: ZipLimits = ZipLimits()) -> Path:
    """Copy an archive member's bytes to `target` (never to the member's own name); return `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)

    def copy(tmp: str) -> None:
        with open(tmp, "wb") as out:
            for block in member_blocks(source, limits):
                out.write(block)

    return atomic(target, copy)


def member_blocks(source: Source, limits: ZipLimits) -> Iterator[bytes]:
    """Yield an archive member's bytes block by block.

    Raises MemberRefused when the member inflates past the limit (the sizes in the central
    directory can lie) or its bytes are damaged.
    """
    if source.archive is None or source.member is None:
        raise ValueError(f"not an archive member: {source.source_path}")
    read = 0
    try:
        with zipfile.ZipFile(source.archive) as handle, handle.open(source.member) as member:
            for block in iter(lambda: member.read(_COPY_BLOCK), b""):
                read += len(block)
                if read > limits.max_member_mb * _MB:
                    raise MemberRefused(f"zip member too large (over {limits.max_member_mb} MB uncompressed; "
                                        f"limit {limits.max_member_mb} MB): {source.name}")
                yield block
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise MemberRefused(f"damaged zip member ({exc}): {source.name}") from exc
