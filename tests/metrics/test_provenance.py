"""Provenance travels as lists: every metric row's ``source`` is a list of the fact rows' sources,
a source that holds "; " itself stays one source from the database to the caption, and merging
keeps each source once."""

from __future__ import annotations

import pickle

import duckdb
import numpy as np
import pandas as pd
import pytest

from metrics import provenance, risks
from metrics.filters import Filters
from metrics.query import run_sql
from metrics.registry import METRICS, compute
from presentation.text import readable_sources
from tests import factories

# Sources as the loaders write them, each with "; " inside: a document table whose title has one,
# and the synthetic note.
TABLE = "000_1fa73b8ac5d971ff.txt | 1.1.tab. Izglītojamo skaits; klašu komplekti"
SYNTHETIC = "synthetic: data_loaders/synthetic.py (seed 2024); not a real figure"
STATED = "004_b7416a05c39121db.txt | 1.2. tabula. Kopā; visas klases"
RISK = "004_b7416a05c39121db.txt | 1.9. tabula. Riski; skolu dati"
BANDS = ("1-3", "4", "5", "6", "7", "8", "9")
Y = "2022/2023"
F = Filters(municipality="AAA")


def _risk(group: str) -> dict:
    return {
        "municipality": "AAA",
        "scope": "a",
        "period": Y,
        "start_year": 2022,
        "end_year": 2022,
        "risk_group": group,
        "sub_risk": "",
        "pupils": 6,
        "population": "pupils at PMP risk",
        "source": RISK,
    }


@pytest.fixture
def con(tiny_db):
    bands = [factories.enrolment("a", Y, 10, band, source=TABLE if band < "6" else SYNTHETIC) for band in BANDS]
    return tiny_db(
        {
            "municipality": [factories.municipality("AAA")],
            "school": [factories.school("a"), factories.school("b")],
            "enrolment": [
                *bands,  # a whole school from its grade bands: the sum and the bands' sources
                factories.enrolment("a", Y, 71, "total", source="printed total (kept beside, not a source of the sum)"),
                factories.enrolment("b", Y, 40, "total", source=STATED),  # only a total row: its own source
            ],
            "risk": [_risk(group) for group in risks.GROUPS],  # school a's complete report
        }
    )


def test_a_source_holding_a_semicolon_stays_one_source_through_a_metric(con):
    total = compute(con, "pupils_total", F)
    assert total["pupils"].tolist() == [110]
    assert total["source"].tolist() == [sorted([TABLE, SYNTHETIC, STATED])]  # a list, each source whole
    by_school = compute(con, "pupils_by_school", F).set_index("school_id")["source"]
    assert by_school.to_dict() == {"a": [TABLE, SYNTHETIC], "b": [STATED]}

    caption = readable_sources(provenance.sources(total), "en")
    title = "Ludza municipality's PMP prevention system and implementation plan 2024–2027"
    jek = "Jēkabpils municipality's PMP prevention system and implementation plan 2024–2028"
    synthetic = "synthetic data made up for the demo (data_loaders/synthetic.py, seed 2024), not real figures"
    assert caption == (
        f"{title}: 1.1.tab. Izglītojamo skaits; klašu komplekti · {jek}: 1.2. tabula. Kopā; visas klases · {synthetic}"
    )
    # a single text is one source, never split where "; " is followed by another file name
    glued = f"{TABLE}; {STATED}"
    assert readable_sources(glued, "en") == f"{title}: 1.1.tab. Izglītojamo skaits; klašu komplekti; {STATED}"


def test_a_rate_cites_its_counts_and_its_enrolment(con):
    focus = compute(con, "focus_schools", F)
    assert focus["source"].tolist() == [[RISK, TABLE, SYNTHETIC]]  # the risk report first, then the enrolment


def test_merging_keeps_each_source_once_in_first_seen_order():
    assert provenance.merge(["b", "a"], None, "a", np.array(["c", "b"], dtype=object), [], pd.NA) == ["b", "a", "c"]
    assert provenance.as_list(SYNTHETIC) == [SYNTHETIC]  # a text is one source
    assert provenance.as_list(None) == [] and provenance.as_list(float("nan")) == []
    frames = (pd.DataFrame({"source": [["x"], ["y", "x"]]}), pd.DataFrame({"other": [1]}))
    assert provenance.sources(*frames) == ["x", "y"]
    both = pd.DataFrame({"source": [["x"]], "pupils_source": [["p"]]})
    assert provenance.sources(both) == ["x"] and provenance.sources(both, columns=provenance.COLUMNS) == ["x", "p"]


def test_tables_and_downloads_show_a_rows_sources_joined():
    frame = pd.DataFrame({"school": ["A", "B"], "source": [[TABLE, SYNTHETIC], []], "pupils": [1, 2]})
    shown = provenance.readable_cells(frame)
    assert shown["source"].tolist() == [f"{TABLE}; {SYNTHETIC}", ""]
    assert frame["source"].tolist() == [[TABLE, SYNTHETIC], []]  # the frame itself is left as it was
    plain = pd.DataFrame({"school": ["A"]})
    assert provenance.readable_cells(plain) is plain


@pytest.fixture(scope="module")
def sample(sample_db):
    connection = duckdb.connect(str(sample_db), read_only=True)
    yield connection
    connection.close()


DATASETS = (
    "activity_plan.sql",
    "activity_timeline.sql",
    "staffing_stated_totals.sql",
    "target_indicators.sql",
    "target_indicator_targets.sql",
    "target_indicator_values.sql",
)


@pytest.mark.parametrize("municipality", ["LUD", "JEK", "DEMO"])
def test_every_metric_row_carries_a_list_of_sources(sample, municipality):
    view = Filters(municipality=municipality)
    frames = {metric_id: compute(sample, metric_id, view) for metric_id in METRICS}
    params = {"municipality": municipality, "years": [], "schools": []}
    frames |= {name: run_sql(sample, name, params) for name in DATASETS}
    for name, frame in frames.items():
        for cell in frame["source"]:
            assert isinstance(cell, list) and cell, (name, cell)  # never empty: every figure has a source
            assert all(isinstance(s, str) and s for s in cell), (name, cell)
            assert len(set(cell)) == len(cell), (name, cell)
        # st.cache_data pickles the frames: the lists come back equal
        assert pickle.loads(pickle.dumps(frame))["source"].tolist() == frame["source"].tolist(), name
