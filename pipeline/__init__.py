"""govreport: Chinese government information-disclosure annual reports → clean, keyed data."""

from pipeline.schema import PARSER_VERSION as __version__

__all__ = ["__version__"]
