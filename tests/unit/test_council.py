"""Issue 17 without a browser: CLDR formatting and plural forms, the projection, downloads as numbers."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pytest
from openpyxl import load_workbook

from metrics import projection
from presentation import cldr, table_export
from presentation.format import NBSP, fmt_num, fmt_pct
from presentation.text import Text


def test_numbers_percentages_and_dates_follow_cldr():
    assert fmt_num(1878.5, "lv", 1) == f"1{NBSP}878,5" and fmt_num(1878.5, "en", 1) == "1,878.5"
    assert fmt_num(0.125, "lv", 2) == "0,13"  # half away from zero, as printed tables round
    assert fmt_num(-0.04, "lv", 1) == "0,0"  # never "-0,0"
    assert fmt_pct(0.0011, "lv", 4) == "0,0011%" and fmt_pct(4, "en", 1) == "4.0%"
    assert cldr.date_text(date(2026, 12, 6), "lv") == "06.12.2026"
    assert cldr.date_text(date(2026, 12, 6), "en") == "6 Dec 2026"


@pytest.mark.parametrize(
    ("n", "lv", "en"),
    [(0, "Atjaunotas 0 rindas", "Restored 0 rows"), (1, "Atjaunota 1 rinda", "Restored 1 row"),
     (2, "Atjaunotas 2 rindas", "Restored 2 rows"), (11, "Atjaunotas 11 rindas", "Restored 11 rows"),
     (21, "Atjaunota 21 rinda", "Restored 21 rows")],
)  # fmt: skip
def test_plural_forms_by_the_languages_rules(n, lv, en):
    assert Text("lv")("data.restored", rows=n, id="x").startswith(lv)
    assert Text("en")("data.restored", rows=n, id="x").startswith(en)


def test_no_projection_from_fewer_than_three_values():
    assert projection.project([(2020, 0.9), (2021, 0.9)], [2026, 2028]) is None
    assert projection.project([(2021, 1.0), (2021, 0.8), (2022, 0.7)], [2026]) is None  # one value a year


def test_projection_follows_the_line_with_an_honest_range():
    result = projection.project([(2020, 5.0), (2021, 4.6), (2022, 4.4), (2023, 3.9)], [2022, 2025, 2027])
    assert [p.year for p in result] == [2025, 2027]  # a target year already past is not projected
    near, far = result
    assert near.low <= near.value <= near.high and far.high - far.low > near.high - near.low  # wider further out
    assert projection.project([(2020, 3.0), (2021, 1.5), (2022, 0.2)], [2027])[0].value == 0  # never below 0 %
    exact = projection.project([(2020, 1.0), (2021, 2.0), (2022, 3.0)], [2024])[0]
    assert exact.value == pytest.approx(5.0) and exact.low == pytest.approx(5.0)  # a perfect line: no spread
    assert projection.verdict(exact, 6.0, lower_is_better=True) == projection.LIKELY
    assert projection.verdict(near, near.low - 0.01, lower_is_better=True) == projection.UNLIKELY
    assert projection.verdict(near, near.value, lower_is_better=True) == projection.POSSIBLE


def test_downloads_keep_numbers_as_numbers():
    shown = pd.DataFrame(
        {
            "Izglītības iestāde": ["A", "B", "C"],
            "Mācību gads": ["2023/2024"] * 3,
            "Izglītojamie": [f"1{NBSP}504", "x", "nav datu"],
            "Slodzes": ["1,244", "0,3", "–"],
            "Daļa": ["4,0%", "12,5%", "–"],
            "Nr.": ["1.10", "2.1", "3"],
            "Avots": [["a.txt | 1.tab."], ["b"], []],
        }
    )
    book = load_workbook(io.BytesIO(table_export.to_xlsx(shown, "tabula", "lv"))).active
    rows = list(book.iter_rows(min_row=2, values_only=True))
    assert [r[2] for r in rows] == [1504, "x", "nav datu"]
    assert [r[3] for r in rows] == [1.244, 0.3, "–"] and book["D2"].number_format == "0.000"
    assert rows[0][4] == pytest.approx(0.04) and book["E2"].number_format == "0.0%"
    assert book["C2"].number_format == "#,##0"
    assert [r[5] for r in rows] == ["1.10", "2.1", "3"]  # identifiers stay text
    assert rows[0][6] == "a.txt | 1.tab."
    text = table_export.to_csv(shown, "lv")
    assert text.startswith(b"\xef\xbb\xbf")
    lines = text.decode("utf-8-sig").splitlines()
    assert lines[0] == "Izglītības iestāde;Mācību gads;Izglītojamie;Slodzes;Daļa (%);Nr.;Avots"
    assert lines[1] == "A;2023/2024;1504;1,244;4;1.10;a.txt | 1.tab."
    english = table_export.to_csv(shown.rename(columns={"Daļa": "Share"}).iloc[:, :3], "en")
    assert english.decode("utf-8-sig").splitlines()[0] == "Izglītības iestāde,Mācību gads,Izglītojamie"


# ---------------------------------------------------------------------------------------------
# The rest of issue 17: figures as printed, Latvian wording, the uploader's limit, heat tables on a phone.


def test_a_tiny_share_never_reads_as_zero_and_a_printed_one_keeps_its_decimals():
    from presentation.format import stored_decimals

    assert fmt_pct(0.0011, "lv", 2) == f"<{NBSP}0,01%" and fmt_pct(0.004, "en", 2) == f"<{NBSP}0.01%"
    assert fmt_pct(0, "lv", 2) == "0,00%" and fmt_pct(0.005, "lv", 2) == "0,01%"
    assert fmt_pct(0.0011, "lv", stored_decimals(0.0011)) == "0,0011%"  # as printed, not "0,00%"
    assert stored_decimals(0.05) == 2 and stored_decimals(9.384615) == 2


def test_the_reports_outcome_shares_have_the_pages_decimals_in_text_and_xlsx():
    """A printed 0,0011 % stays 0,0011 %; a computed 9,3846 % reads 9,4 % as on the Outcomes page."""
    from metrics import outcomes
    from presentation.tables import Column, Table, display, row_decimals
    from report.xlsx import _number_format

    data = pd.DataFrame({"share_pct": [0.0011, 9.384615], "share_basis": ["printed", "pupils"]})
    data["share_pct_decimals"] = [outcomes.pct_decimals(v, b == "printed") for v, b in data.to_numpy()]
    column = Column("share_pct", "Daļa", "pct", 2)
    shown = display(Table("t", data, (column,)), "lv", 5, Text("lv"))
    assert shown["Daļa"].tolist() == ["0,0011%", "9,4%"]
    assert [_number_format(column, p) for p in row_decimals(data, "share_pct")] == ["0.0000", "0.0"]


def test_school_years_are_written_in_full_on_the_profile():
    import plotly.graph_objects as go

    from ui.profile_charts import _year_heads

    heads = _year_heads(go.Figure(), ["2021/2022", "2022/2023"]).layout.xaxis.ticktext
    assert heads == ("2021/<br>2022", "2022/<br>2023")  # never "2021/22"


def test_iap_is_not_followed_by_plans_in_latvian():
    """IAP already means "individuālais atbalsta plāns": never "IAP plāni"."""
    from presentation.text import LOCALES

    text = " ".join(p.read_text() for p in (LOCALES / "lv").glob("*.toml"))
    assert "IAP plān" not in text


def test_the_uploader_tells_the_importers_own_limit():
    """server.maxUploadSize is what the uploader prints ("5MB per file", not Streamlit's 200 MB) and must be
    the importer's MAX_BYTES."""
    import tomllib

    from data_loaders.importers.limits import MAX_BYTES
    from tests.conftest import ROOT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == MAX_BYTES


def test_heat_tables_fit_a_phone():
    """Long school names over two lines, worded cells over two, the colour bar under the table."""
    from presentation import margins
    from presentation.charts import heatmap

    frame = pd.DataFrame(
        {"role": ["Psihologs", "Logopēds"], "school": ["Ludzas Mūzikas pamatskola"] * 2, "v": [0.167, 1.5],
         "label": ["0,167", "nav norādīts"]}
    )  # fmt: skip
    fig = margins.presize(heatmap(frame, "role", "school", "v", lang="lv", text="label", zmin=0, zmax=2))
    assert fig.layout.yaxis.ticktext == ("Ludzas Mūzikas<br>pamatskola",)
    assert list(fig.data[0].text[0]) == ["0,167", "nav<br>norādīts"]
    assert fig.data[0].colorbar.orientation == "h" and fig.layout.margin.r < 60 and fig.layout.margin.b > 40
