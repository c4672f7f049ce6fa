"""School profile page: one school's figures from the seeds, "no data" for a year without them, "x"
for small counts, the merge notes of the Jēkabpils school-network reform, and the school in the URL."""

from __future__ import annotations

import base64
import csv
import json

import numpy as np
import pytest

from metrics.staffing import NORM_ROLES
from tests.conftest import ROOT
from tests.pages.conftest import en, lv, open_app, open_on_demand, sections, texts
from tests.pages.test_suppression_everywhere import _leaks, canary_db, canary_env  # noqa: F401 (fixtures)

PAGE = "pages/school_profile.py"
NBSP = "\u00a0"
LUDZA = "lud_ludzas_pilsetas_vidusskola"
PUPILS = lv("profile.kpi_pupils")
RISK = lv("profile.kpi_risk")
PARTICIPANTS = lv("profile.kpi_participants")
STAFF = lv("profile.kpi_staff")
EXPELLED = lv("profile.kpi_expelled")
NO_DATA = lv("common.no_data")


def _seed(folder: str, table: str, **match: str) -> list[dict]:
    with (ROOT / "sample_data" / folder / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return [row for row in csv.DictReader(fh) if all(row[k] == v for k, v in match.items())]


def _pupils(school: str, year: str, folder: str = "real") -> int:
    return int(_seed(folder, "enrolment", school_id=school, school_year=year, grade_band="total")[0]["pupils"])


def _cards(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_default_view_draws_the_first_school_and_offers_every_school_of_the_municipality():
    at = open_app(PAGE, m="LUD")
    choice = at.selectbox(key="profile_school")
    assert len(choice.options) == len(_seed("real", "school", municipality="LUD"))
    first = choice.value
    name = _seed("real", "school", school_id=first)[0]["name"]
    assert lv("profile.subtitle", school=name, municipality="Ludzas novads") in texts(at)
    latest = max(r["school_year"] for r in _seed("real", "enrolment", school_id=first, grade_band="total"))
    assert _cards(at)[PUPILS] == str(_pupils(first, latest))


def test_one_ludza_school_with_its_figures_from_the_seeds():
    at = open_app(PAGE, m="LUD", s=LUDZA, y="2022/2023")
    cards = _cards(at)
    assert cards[PUPILS] == str(_pupils(LUDZA, "2022/2023")) == "491"
    staff = {r["role"]: float(r["fte"]) for r in _seed("real", "support_staff", school_id=LUDZA)}
    met = sum(staff.get(role, 0) >= 0.3 for role in NORM_ROLES)
    assert cards[STAFF] == lv("profile.kpi_staff_value", met=met, of=4)
    assert met == 3  # the special educator is not listed
    pumpurs = _seed("real", "pumpurs", school_id=LUDZA)[0]
    assert cards[PARTICIPANTS] == pumpurs["participants"] == "110"
    assert cards[RISK] == NO_DATA  # Ludza publishes risks for the municipality only
    assert cards[EXPELLED] == NO_DATA  # its only figure is for 2021/2022
    page = texts(at)
    # Literal on purpose: the norm is written with the Latvian decimal comma ("0,3", not "0.3").
    assert "2022/2023: lomas ar vismaz 0,3 slodzes" in page
    assert lv("common.no_data_for", what=lv("profile.no_risk")) in page
    role = lv("profile.col_role")
    staff_table = next(d.value for d in at.dataframe if role in d.value.columns)
    special = lv("support_staff.role.special_educator")
    assert staff_table.set_index(role).loc[special, "2022/2023"] == lv("support_staff.not_listed")


def test_small_counts_read_below_five_never_as_numbers_or_as_no_data():
    at = open_app(PAGE, m="LUD", s=LUDZA)
    assert _cards(at)[EXPELLED] == "x"  # one pupil in 2021/2022
    measure = lv("profile.col_indicator")
    outcomes = next(d.value for d in at.dataframe if measure in d.value.columns and "2021/2022" in d.value.columns)
    cells = outcomes.set_index(measure)
    assert cells.loc[lv("outcomes.topic.repeaters.label"), "2021/2022"] == "x"
    # a printed share with the school's grade 9 beside it (47 pupils) would name 2 pupils: hidden too
    assert cells.loc[lv("outcomes.topic.grade9_without_certificate.label"), "2022/2023"] == "x"
    shown = " ".join(str(v) for v in outcomes.drop(columns=measure).to_numpy().ravel())
    assert "106" not in shown  # the hours of a single listed pupil go with its hidden count
    assert lv("common.hidden_note", mark="x", limit=5) in texts(at)


def test_a_year_without_data_says_so_instead_of_zero():
    at = open_app(PAGE, m="LUD", s=LUDZA, y="2023/2024")
    cards = _cards(at)
    assert cards[PUPILS] == "504" == str(_pupils(LUDZA, "2023/2024"))
    for label in (RISK, PARTICIPANTS, STAFF):
        assert cards[label] == NO_DATA
    assert "0" not in {cards[PARTICIPANTS], cards[STAFF]}


def test_english_jekabpils_school_with_schools_merged_into_it():
    at = open_app(PAGE, m="JEK", s="jek_sunu_pamatskola", lang="en")
    cards = _cards(at)
    assert cards[en("profile.kpi_pupils")] == str(_pupils("jek_sunu_pamatskola", "2022/2023")) == "199"
    plans = {
        (r["period"], r["semester"]): r["iap_count"] for r in _seed("real", "pumpurs", school_id="jek_sunu_pamatskola")
    }
    assert cards[en("profile.kpi_iap_count")] == plans[("2022/2023", "I")] == "11"
    assert cards[en("profile.kpi_staff")] == en("common.no_data")  # Jēkabpils gives no FTE table
    page = texts(at)
    assert en("profile.subtitle", school="Sūnu pamatskola", municipality="Jēkabpils municipality") in page
    assert "Mežāres pamatskola (2022)" in page and "Vīpes pamatskola (2022)" in page
    assert "2022/2023 I" in page
    semester = en("pumpurs.col_semester")
    semesters = next(d.value for d in at.dataframe if semester in d.value.columns)
    iap = semesters.set_index(semester).loc["2022/2023 II", en("pumpurs.col_iap_count")]
    assert iap == en("pumpurs.not_reported_cell")


def test_a_merged_school_says_where_it_went():
    at = open_app(PAGE, m="JEK", s="jek_mezares_pamatskola")
    assert lv("profile.merged_into", year=2022, school="Sūnu pamatskola") in texts(at)


def test_choosing_a_school_on_the_page_puts_it_in_the_url_and_leaves_the_sidebar_view():
    at = open_app(PAGE, m="DEMO")
    at.selectbox(key="profile_school").set_value("demo_parauga_2_vidusskola").run()
    assert not at.exception
    assert at.query_params["school"] in ("demo_parauga_2_vidusskola", ["demo_parauga_2_vidusskola"])
    assert at.session_state["_view"]["schools"] == [] and "s" not in at.query_params
    assert lv("profile.subtitle", school="Parauga 2. vidusskola", municipality="Parauga novads") in texts(at)
    assert _cards(at)[PUPILS] == str(_pupils("demo_parauga_2_vidusskola", "2024/2025", "demo"))


def test_demo_school_in_a_chosen_year_has_every_card_and_every_chart():
    at = open_app(PAGE, m="DEMO", s="demo_parauga_2_vidusskola", y="2022/2023")
    cards = _cards(at)
    assert cards[PUPILS] == str(_pupils("demo_parauga_2_vidusskola", "2022/2023", "demo"))
    assert cards[RISK] not in (NO_DATA, "0")
    assert cards[lv("profile.kpi_iap_count")] not in (NO_DATA, "0")
    assert len(at.get("plotly_chart")) == 5
    assert lv("app.synthetic_warning") in texts(at)


def _array(values) -> np.ndarray:
    """A trace's values as the browser receives them (Plotly sends number arrays base64-encoded)."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    return np.asarray(values, dtype=float)


def test_a_risk_group_without_a_drawn_point_says_why_in_its_legend():
    at = open_app(PAGE, m="DEMO")
    figures = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    risks = next(f for f in figures if f["layout"]["title"]["text"] == lv("profile.risk_chart"))
    lines = {trace["name"]: np.isnan(_array(trace["y"])).all() for trace in risks["data"]}
    empty = [name for name, no_line in lines.items() if no_line]
    assert empty, "the first demo school has risk groups hidden in every year"
    assert all(name.endswith(("– x", f"– {NO_DATA}")) for name in empty), empty
    assert not any("–" in name for name, no_line in lines.items() if not no_line)


# The suppression canary (every pupil count 777, threshold 1000) for named schools and a chosen year; the
# every-page canary opens only the first school of each municipality.
@pytest.mark.usefixtures("canary_env")
@pytest.mark.parametrize(
    "query",
    [
        {"m": "DEMO", "s": "demo_parauga_2_vidusskola", "y": "2022/2023"},
        {"m": "LUD", "s": LUDZA},
        {"m": "JEK", "s": "jek_sunu_pamatskola", "lang": "en"},
    ],
    ids=["DEMO", "LUD", "JEK"],
)
def test_no_pupil_count_below_the_threshold_reaches_the_profile(query):
    at = open_app(PAGE, **query)
    assert _leaks(at) == []
    assert "x" in [m.value for m in at.metric]  # the counts are there, hidden


def test_several_schools_in_the_sidebar_show_the_first_and_say_so():
    at = open_app(PAGE, m="LUD", s=f"{LUDZA},lud_ciblas_vidusskola")
    assert at.selectbox(key="profile_school").value == LUDZA
    assert lv("profile.several") in texts(at)
    assert _cards(at)[PUPILS] == str(_pupils(LUDZA, "2023/2024"))


def test_the_sections_below_the_first_screen_are_drawn_on_demand():
    """Pupils and risks are drawn at once; Pumpurs, staff and outcomes (each with its latest figure on a
    card above) when the reader opens them, which costs the browser three charts less on every visit."""
    at = open_app(PAGE, opened=False, m="DEMO", s="demo_parauga_2_vidusskola", y="2022/2023")
    assert len(at.get("plotly_chart")) == 2
    assert [e.label for e in at.expander].count(lv("profile.show_chart")) == 3
    assert sections(open_on_demand(at)) == ["profile_outcomes_open", "profile_pumpurs_open", "profile_staff_open"]
    assert len(at.get("plotly_chart")) == 5
