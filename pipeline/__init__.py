"""govreport: Chinese government information-disclosure annual reports → clean, keyed data.

`parse(path)` and `load(out_dir)` are the analysis API (pipeline.api); they import pandas,
so they load on first use and the command line starts without it.
"""

from typing import Any

from pipeline.version import PARSER_VERSION as __version__

__all__ = ["__version__", "load", "parse"]


def __getattr__(name: str) -> Any:
    if name in ("parse", "load", "Report"):
        from pipeline import api

        return getattr(api, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
