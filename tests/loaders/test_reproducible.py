"""The committed sample data is exactly what the converter and the seeded generator produce,
and the pydantic models describe the same columns as schema.sql."""

from __future__ import annotations

import duckdb
import pytest

from data_loaders.build import SCHEMA
from data_loaders.tables import TABLES
from devtools import seed_convert, synthetic


def _compare(out_dir, committed_dir):
    for table in TABLES:
        fresh = (out_dir / f"{table}.csv").read_text(encoding="utf-8")
        assert fresh == (committed_dir / f"{table}.csv").read_text(encoding="utf-8"), table


@pytest.mark.skipif(not seed_convert.SEED_DIR.exists(), reason="../shared/seed_data is not beside the project")
def test_real_sample_data_is_the_converted_seed(tmp_path):
    seed_convert.write_all(seed_convert.convert(), tmp_path)
    _compare(tmp_path, seed_convert.OUT_DIR)


def test_demo_municipality_is_the_seeded_generator_output(tmp_path):
    seed_convert.write_all(synthetic.generate(), tmp_path)
    _compare(tmp_path, synthetic.OUT_DIR)


def test_demo_generator_is_deterministic_and_seed_dependent():
    assert synthetic.generate(7) == synthetic.generate(7)
    assert synthetic.generate(7)["enrolment"] != synthetic.generate(8)["enrolment"]


def test_demo_municipality_has_complete_series_for_every_table():
    tables = synthetic.generate()
    years = {f"{y}/{y + 1}" for y in range(2018, 2025)}
    for table in ("enrolment", "support_staff", "outcome"):
        assert {r["school_year"] for r in tables[table]} == years, table
    for table in ("pumpurs", "risk"):
        assert {r["period"] for r in tables[table]} == years, table
    assert "sintētiski" in tables["municipality"][0]["name_lv"]
    assert "synthetic" in tables["municipality"][0]["name_en"]


def test_models_have_the_columns_of_the_schema(tmp_path):
    con = duckdb.connect(str(tmp_path / "s.duckdb"))
    con.execute(SCHEMA.read_text(encoding="utf-8"))
    for table, spec in TABLES.items():
        columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
        assert sorted(columns) == sorted([*spec.columns, "import_id"]), table


def test_data_dictionary_is_generated_from_the_schema():
    from data_loaders.dictionary import OUT, render

    assert OUT.read_text(encoding="utf-8") == render(), "run: python -m data_loaders.dictionary"
    for table in TABLES:
        assert f"## `{table}`" in render()
