"""Exceptions for inputs the pipeline cannot work with (content problems are findings, not exceptions)."""


class PipelineError(Exception):
    """Base for inputs or settings this pipeline cannot work with."""


class UnsupportedFormat(PipelineError, ValueError):
    """The file's suffix and leading bytes match no reader."""


class UnreadableDocument(PipelineError):
    """A reader could not open the bytes (empty, corrupt, encrypted, truncated)."""
