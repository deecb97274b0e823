"""The parser's version, written into every documents row: the installed package's own, one source.

Read from the package metadata that pyproject.toml gives; a source tree that was never installed
says so instead of guessing a number.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    PARSER_VERSION = version("govreport")
except PackageNotFoundError:  # run from a checkout without `pip install -e .`
    PARSER_VERSION = "0+unknown"
