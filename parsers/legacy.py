"""Read legacy Word (.doc, Word 97-2003; RTF served as .doc) and WPS (.wps) files by converting them
with LibreOffice.

LibreOffice (``soffice --headless --convert-to docx``) writes a .docx into a private temporary
folder, and the Word reader (`parsers.docx.read_docx`) reads it; the Document keeps the original
format ("doc" / "wps") and source path. Each call runs its own LibreOffice with a private
profile (parallel conversions never share one), under a time limit; on timeout the whole
process group is killed, since soffice starts soffice.bin as a child.

Every way a conversion can fail (LibreOffice missing, a crash, a hang, no file written, an
encrypted or damaged file) is an `UnreadableDocument` whose message says which, so the file
becomes a failed row with its reason. This module never reads the OLE bytes itself.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from parsers.docx import read_docx
from parsers.files import read_document_bytes
from pipeline.errors import UnreadableDocument
from pipeline.model import Document

__all__ = ["TIME_LIMIT", "convert_to_docx", "read_legacy", "soffice_path"]

TIME_LIMIT = 120.0  # seconds; a normal report converts in 2-5 s, a hang never ends by itself
_FORMATS = {".doc": "doc", ".wps": "wps"}
# UTF-16 names of the streams an encrypted Office file carries inside its OLE container.
_ENCRYPTED_MARKS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))


def read_legacy(path: str | Path, time_limit: float = TIME_LIMIT) -> Document:
    """Return the Document of a .doc or .wps file, read through a LibreOffice conversion to .docx.

    Raises `UnreadableDocument` with the reason when the file cannot be converted.
    """
    path = Path(path)
    fmt = _FORMATS.get(path.suffix.lower(), "doc")
    data = read_document_bytes(path)
    _refuse_encrypted(data)
    with tempfile.TemporaryDirectory(prefix="govreport-legacy-") as tmp:
        converted = convert_to_docx(data, path.suffix, Path(tmp), time_limit)
        try:
            document = read_docx(converted)
        except UnreadableDocument as exc:
            raise UnreadableDocument(f"LibreOffice wrote an unreadable .docx ({exc})") from exc
    return replace(document, source_path=str(path), format=fmt)


def soffice_path() -> str | None:
    """Return the LibreOffice command on PATH, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(data: bytes, suffix: str, out_dir: Path, time_limit: float = TIME_LIMIT) -> Path:
    """Convert a .doc/.wps file's bytes to a .docx in `out_dir` with LibreOffice; return its path."""
    soffice = soffice_path()
    if soffice is None:
        raise UnreadableDocument("LibreOffice is not installed (needed to read .doc and .wps files)")
    # LibreOffice names its output after the input; a copy with a plain name keeps odd
    # characters and a missing suffix out of the command line and lets the filter be chosen.
    source = out_dir / f"source{suffix.lower() if suffix.lower() in _FORMATS else '.doc'}"
    try:
        source.write_bytes(data)
    except OSError as exc:
        raise UnreadableDocument(f"cannot write a work copy for LibreOffice: {exc.strerror or exc}") from exc
    profile = out_dir / "profile"
    command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--nologo", "--nodefault", "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML",
               "--outdir", str(out_dir), str(source)]
    _run(command, time_limit, env={**os.environ, "HOME": str(out_dir)})
    target = out_dir / "source.docx"
    if not target.is_file() or target.stat().st_size == 0:
        raise UnreadableDocument("LibreOffice could not convert the file (damaged, encrypted or not a Word document)")
    return target


def _run(command: list[str], time_limit: float, env: dict[str, str]) -> None:
    """Run LibreOffice in its own process group; kill the whole group when the time limit passes."""
    try:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                                   start_new_session=True)
    except OSError as exc:
        raise UnreadableDocument(f"LibreOffice could not be started ({exc})") from exc
    try:
        _, stderr = process.communicate(timeout=time_limit)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise UnreadableDocument(f"LibreOffice conversion timed out after {time_limit:g} s") from None
    if process.returncode != 0:
        detail = stderr.decode("utf-8", errors="replace").strip().splitlines()
        reason = detail[-1] if detail else f"exit status {process.returncode}"
        raise UnreadableDocument(f"LibreOffice conversion failed ({reason})")


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill LibreOffice and every process it started, then reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def _refuse_encrypted(data: bytes) -> None:
    """Raise for a password-protected Office file: LibreOffice cannot open it without the password."""
    if any(mark in data for mark in _ENCRYPTED_MARKS):
        raise UnreadableDocument("encrypted Word document (a password is needed to read it)")
