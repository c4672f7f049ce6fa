"""Comparing municipalities: each municipality keeps its colour whichever others are chosen beside
it (and in either language); all of Latvia keeps a style of its own that no municipality gets."""

from __future__ import annotations

import json

import pytest

from presentation.charts import PALETTE
from presentation.text import t
from tests.pages.conftest import open_app
from ui.compare_charts import MUNICIPALITY_SYMBOLS, NATIONAL_COLOUR, NATIONAL_SYMBOL, municipality_style


def drawn(cmp: str, lang: str = "lv", measure: str = "pupils") -> dict[str, tuple[str, str, str]]:
    """Each trace's name -> (colour drawn, marker symbol, line dash), the colour as Plotly draws it:
    the trace's own, else the layout's colour sequence by the trace's place."""
    at = open_app("pages/compare.py", cmp=cmp, lang=lang)
    at.radio(key="compare_measure").set_value(measure).run()
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    layout = spec["layout"]
    colorway = layout.get("colorway") or layout.get("template", {}).get("layout", {}).get("colorway")
    out = {}
    for place, trace in enumerate(spec["data"]):
        colour = trace.get("line", {}).get("color") or colorway[place % len(colorway)]
        symbol = trace.get("marker", {}).get("symbol", "circle")
        out[trace["name"]] = (colour, symbol, trace.get("line", {}).get("dash", "solid"))
    return out


def test_a_municipality_keeps_its_colour_whoever_is_chosen_beside_it():
    alone = drawn("LUD")["Ludzas novads"]
    with_jek = drawn("LUD,JEK")["Ludzas novads"]
    with_demo = drawn("DEMO,LUD")["Ludzas novads"]
    assert alone == with_jek == with_demo
    assert drawn("LUD,JEK", lang="en")["Ludza municipality"] == with_jek  # and in English
    assert with_jek[0] in PALETTE


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_chosen_municipalities_differ_and_the_national_line_has_its_own_style(lang):
    traces = drawn("DEMO,JEK,LUD", lang=lang, measure="iap_count")  # the plans: with all of Latvia
    national = traces.pop(t("compare.national_line", lang))
    assert national == (NATIONAL_COLOUR, NATIONAL_SYMBOL, "dash")
    assert len({colour for colour, _, _ in traces.values()}) == 3
    assert all(dash == "solid" and colour != NATIONAL_COLOUR for colour, _, dash in traces.values())


def test_styles_stay_apart_beyond_the_palette():
    codes = [f"M{i:02d}" for i in range(43)]  # every Latvian municipality
    styles = [municipality_style(c, codes) for c in codes]
    assert len(set(styles)) == 43
    assert all(colour != NATIONAL_COLOUR and symbol != NATIONAL_SYMBOL for colour, symbol in styles)
    assert {symbol for _, symbol in styles} <= set(MUNICIPALITY_SYMBOLS)
