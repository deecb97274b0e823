"""Batch progress: a bar redrawn in place on a terminal, plain lines elsewhere."""

from __future__ import annotations

import io

from pipeline.batch.progress import Progress


def test_a_terminal_gets_one_line_redrawn_in_place():
    stream = io.StringIO()
    progress = Progress(4, stream, tty=True)
    progress.advance(pages=10)
    progress.advance(failed=1)
    progress.close()
    text = stream.getvalue()
    assert text.startswith("\r[")
    assert text.count("\n") == 1
    assert "4 documents" in text
    assert "1 failed" in text
    assert "2/4 documents" in text.rsplit("\r", 1)[-1]
    assert "pages/s" in text
    assert "left" in text


def test_a_log_gets_plain_lines_now_and_then():
    stream = io.StringIO()
    progress = Progress(100, stream, tty=False, line_every=3600)
    for _ in range(100):
        progress.advance(pages=3)
    progress.close()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2  # the first document, and the end
    assert lines[-1].startswith("batch: 100/100 documents, 0 failed, ")
    assert "\r" not in stream.getvalue()
    assert lines[-1].endswith("0:00:00 left")
