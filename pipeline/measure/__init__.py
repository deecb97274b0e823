"""Measuring tools run by `make eval` and `make bench*`: the evaluation against truth files and the
benchmarks. Kept out of the installed package."""
