"""Streamlit-free presentation: number and date formats, the string catalogue, chart builders and
theme, the table renderer and downloads. Used by ``ui/`` (the app) and ``report/`` (the yearly report)
alike; it never imports streamlit (import-linter contracts in ``pyproject.toml``)."""
