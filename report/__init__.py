"""The yearly monitoring report and the meeting screens, built from the same metrics as the pages.

``sections`` computes each section once (sentence, figure, tables, sources); ``html`` and ``xlsx``
render a whole report; the meeting page shows one section per screen. No streamlit here, so a
report can also be built from a script or a test on a plain DuckDB connection.
"""
