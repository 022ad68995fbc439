"""Analysis of stored runs: effects and costs, figures, the report, validation, sensitivity,
per-family advice and policy search. Runs are made and stored by ``experiments``."""
