"""Targets: is the programme on track for its target years? Every result indicator against its
baseline and targets, with a status by the explicit rule of ``metrics/targets.py`` (shown on the page)."""

from __future__ import annotations

import textwrap

import pandas as pd
import streamlit as st

from metrics import provenance
from metrics.registry import METRICS
from metrics.targets import (
    JUDGED,
    LEVELS,
    base_name,
    chart_points,
    computed_series,
    reason,
    side_by_side,
)
from presentation.format import fmt_num, fmt_pct, is_missing, stored_decimals
from presentation.target_charts import panel_figure, progress_figure
from ui import components, figure_cache, filters
from ui.data import assessment, dataset, metric
from ui.i18n import t

f = filters.current()
lang, no_data = f.lang, t("common.no_data")
municipality = dataset("municipalities.sql").set_index("code").loc[f.municipality]
if is_missing(municipality["target_year_1"]) or is_missing(municipality["target_year_2"]):
    st.title(t("targets.title"))  # a municipality without a programme (yet): nothing to assess against
    st.info(t("targets.no_programme", municipality=municipality[f"name_{lang}"]))
    st.stop()
a, values, years = assessment(f.municipality, list(f.years))  # as the Overview's headline has it

st.title(t("targets.title"))
st.subheader(t("targets.subtitle", municipality=municipality[f"name_{lang}"], year1=years[0], year2=years[1]))
if municipality["is_synthetic"]:
    st.warning(t("app.synthetic_warning"))
st.caption(t("targets.caption"))
for chosen, note in ((f.schools, "targets.schools_ignored"), (f.years, "targets.years_applied")):
    if chosen:
        st.caption(t(note))
if a.empty:
    components.no_data(t("targets.no_indicators"))
    st.stop()


def pct(value: object) -> str:
    """A share with as many decimals as stored (0,02 % stays 0,02 %); a computed ratio gets two."""
    return fmt_pct(value, lang, 0 if is_missing(value) else stored_decimals(value), no_data)


def goal(row: pd.Series, n: int) -> str:
    if is_missing(row.get(f"target{n}_value")):
        return t("targets.not_set")
    text = pct(row[f"target{n}_value"])
    return t("targets.at_most", value=text) if row[f"target{n}_comparison"] == "at_most" else text


def label(row: pd.Series, short: bool = True) -> str:
    part = f" ({t('targets.breakdown.' + row['breakdown'])})" if row["breakdown"] else ""
    name = base_name(row[f"name_{lang}"], row["breakdown"]).rstrip(".")
    return f"{row['indicator_no']}{part}. " + (textwrap.shorten(name, 70, placeholder="…") if short else name)


def with_period(value: object, period: object) -> str:
    return t("targets.value_period", value=pct(value), period=period)


a["label"] = [label(row) for _, row in a.iterrows()]
a["full_label"] = [label(row, short=False) for _, row in a.iterrows()]
a["status_text"] = [t(f"targets.status.{s}") for s in a["status"]]
table = pd.DataFrame(
    {
        t("targets.col_no"): [lb.split(". ")[0] for lb in a["label"]],
        t("targets.col_indicator"): a[f"name_{lang}"],
        t("targets.col_baseline"): [
            t("targets.not_set") if is_missing(v) else with_period(v, y)
            for v, y in zip(a["baseline_value"], a["baseline_year"], strict=True)
        ],
        t("targets.col_latest"): [
            no_data if is_missing(v) else with_period(v, p)
            for v, p in zip(a["latest_value"], a["latest_period"], strict=True)
        ],
        **{t("targets.col_target", year=y): [goal(r, n) for _, r in a.iterrows()] for n, y in enumerate(years, 1)},
        t("targets.col_status"): a["status_text"],
        t("targets.col_source"): [  # the latest value's source, else the indicator's (the document)
            provenance.joined(provenance.as_list(latest) or own)
            for latest, own in zip(a["latest_source"], a["source"], strict=True)
        ],
    }
)

counts = [(t(f"targets.status.{s}"), int((a["status"] == s).sum())) for s in JUDGED]
counts.append((t("targets.not_judged"), int((~a["status"].isin(JUDGED)).sum())))
for column, (name, count) in zip(st.columns(len(counts)), counts, strict=True):
    with column:
        components.kpi(name, fmt_num(count, lang))
st.caption(t("targets.count_caption", total=len(a)))
with st.expander(t("targets.rule_title")):
    st.markdown(t("targets.rule"))

PANELS = "targets_panels"  # the on-demand section of the small charts (its state: open or not)
NAMES = {s: t(f"targets.legend_{s}") for s in ("baseline", "path", "target", "actual", "computed")}


st.subheader(t("targets.overview_title"))
st.caption(t("targets.overview_caption"))
shown = a[a["has_numbers"]]
if len(shown) and (box := components.on_demand(t("targets.panels_open", n=len(shown)), PANELS)):
    # one small figure per indicator, each built once per data and language; side by side in columns,
    # stacked on a phone; drawn when opened (eleven charts cost the browser more than the rest of the page)
    one = [shown[shown["key"] == k] for k in shown["key"]]
    panels = [figure_cache.cached(panel_figure, indicator, values, lang, NAMES, pct) for indicator in one]
    cited = provenance.sources(a, values)  # the indicators (baselines, targets) and every value drawn
    with box:
        components.chart_block(panels, table, "targets", cited, "targets_overview", title=t("targets.overview_title"))
if (~a["has_numbers"]).any():
    items = "".join(f"\n- {components.literal(item)}" for item in a.loc[~a["has_numbers"], "full_label"])
    st.info(t("targets.without_numbers", items=items))

st.subheader(t("targets.levels_title"))
for level in LEVELS:
    if (a["prevention_level"] == level).any():
        st.markdown(f"**{t('targets.level.' + level)}**")
        st.table(table[(a["prevention_level"] == level).to_numpy()].iloc[:, :-1], hide_index=True)

st.subheader(t("targets.detail_title"))
keys = a["key"].tolist()
if st.session_state.get("targets_indicator") not in keys:  # another municipality: start at its first baseline
    st.session_state["targets_indicator"] = next(
        (k for k, b in zip(keys, a["judged_baseline"], strict=True) if not is_missing(b)), keys[0]
    )
names = dict(zip(keys, a["label"], strict=True))
key = st.selectbox(t("targets.detail_select"), keys, format_func=names.get, key="targets_indicator")
row = a.set_index("key").loc[key]
why, facts = reason(row)
facts = {k: pct(v) if k in ("value", "expected", "final") else v for k, v in facts.items()}
st.markdown(f"#### {row['status_text']}\n\n" + t(f"targets.why.{why}", **facts))
if row["baseline_measured"]:
    first = {"value": pct(row["judged_baseline"]), "period": int(row["judged_baseline_year"])}
    st.caption(t("targets.baseline_measured", text=row["baseline_text"], **first))
notes = [t("targets.data_source", source=row[f"data_source_{lang}"])]
st.caption(" · ".join(notes + ([] if is_missing(row["ikms_code"]) else [t("targets.ikms", code=row["ikms_code"])])))

own = chart_points(a[a["key"] == key], values)
computed = pd.DataFrame(columns=["period", "year", "value", "hidden", "source"])
if row["metric_id"] in METRICS:
    spec = METRICS[row["metric_id"]]
    linked = metric(spec.id, f.model_copy(update={"schools": ()}))  # the whole municipality, like the indicator
    computed = computed_series(linked, spec.column, row["breakdown"], spec.counts)
    st.caption(
        t("targets.linked" if len(computed) else "targets.linked_no_values", metric=t(f"metrics.{spec.id}.label"))
    )
    # hidden values stay in as gaps, so the line breaks instead of bridging them
    own = pd.concat([own, computed.assign(key=key, series="computed")], ignore_index=True)
elif not is_missing(row["metric_id"]):
    st.caption(t("targets.linked_missing", metric=row["metric_id"]))
hidden = t("targets.hidden_share", threshold=f.threshold)
if own.empty:
    components.no_data(t("targets.no_values"))
else:
    title = t("targets.progress_title", label=row["label"])
    fig = figure_cache.cached(progress_figure, own, lang, NAMES, pct, 460, title=title)
    flags = own["hidden"].fillna(False).astype(bool) if "hidden" in own else pd.Series(False, index=own.index)
    shown_values = [hidden if h else pct(v) for v, h in zip(own["value"], flags, strict=True)]
    detail = own.assign(series=own["series"].map(NAMES), value=shown_values)[["period", "series", "value", "source"]]
    detail.columns = [t(f"targets.col_{c}") for c in ("period", "indicator", "value", "source")]
    components.chart_block(fig, detail, f"indicator_{key}", provenance.sources(own), "targets_detail")

both = side_by_side(own[own["series"] == "actual"][["year", "period", "value", "source"]], computed)
if len(both):
    st.markdown(f"**{t('targets.compare_title')}**")
    differs = int(both["differs"].sum())
    summary = t("targets.compare_differs", n=differs) if differs else t("targets.compare_same")
    st.caption(f"{t('targets.compare_caption')} {summary}")
    computed_text = [hidden if h else pct(v) for v, h in zip(both["value_computed"], both["hidden"], strict=True)]
    compare = {
        t("targets.col_period"): both["period_official"] + " / " + both["period_computed"],
        t("targets.col_official"): both["value_official"].map(pct),
        t("targets.col_computed"): computed_text,
        t("targets.col_difference"): [fmt_num(d, lang, 2) for d in both["difference"]],
        t("targets.col_source"): [provenance.joined(s) for s in both["source_computed"]],
    }
    compare = pd.DataFrame(compare)
    st.table(compare, hide_index=True)
    if note := components.hidden_note(compare):
        st.caption(note)
