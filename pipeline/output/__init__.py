"""The output tables: their schemas (the contract), the one atomic writer, the CSV / DuckDB copies,
the Data Package description, and reading an output folder back."""
