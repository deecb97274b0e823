"""`python -m pipeline` runs the govreport command line."""

from pipeline.cli import main

main()
