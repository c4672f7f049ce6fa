"""One source of truth for each meeting screen and each chapter of the yearly monitoring report.

Each builder reads the same metrics as its page (through ``Reader``: the app's cached ``ui.data``
or a plain connection), applies the same pure rules (``metrics.risks``, ``metrics.staffing``,
``metrics.targets``, ``metrics.pumpurs``, ``metrics.outcomes``, ``metrics.activities``) and returns
a ``Section``: title, one plain sentence with the key figure, one chart, its tables (values already
suppressed, with ``<col>_hidden`` flags), the discussion question and the sources. The meeting page
shows one section per screen; ``report.html`` and ``report.xlsx`` render them all, so a figure in the
report can never differ from the one on the screen.

The report is structured like the Education Board's yearly report: goals and results (indicator
status by universal, targeted and tailored prevention), activities by level, and the data behind
them (pupils, risks, support staff, Pumpurs, outcomes, focus schools).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

import duckdb
import pandas as pd
import plotly.graph_objects as go

from metrics import activities, outcomes, provenance, pumpurs, registry, risks, staffing, targets
from metrics.filters import Filters
from metrics.privacy import is_hidden
from metrics.query import run_sql
from presentation import pumpurs as pumpurs_text
from presentation.charts import bars as chart_bars
from presentation.charts import label_categories, labelled_bars, themed
from presentation.format import fmt_count, fmt_num, fmt_pct, fmt_period, is_missing, stored_decimals
from presentation.staff_charts import gap_figure
from presentation.tables import Column, Table, cell_text
from presentation.target_charts import STATUS_COLOURS
from presentation.text import Text

# The fixed running order of the meeting and the chapters of the report.
SECTIONS = ("overview", "targets", "risks", "support_staff", "pumpurs", "outcomes", "action_plan", "focus_schools")
PLAN_COLOURS = {"done": "#009E73", "in_progress": "#0072B2", "not_done": "#D55E00", "planned": "#56B4E9"}
GREY = "#9CA3AF"


class Reader(Protocol):
    """Where the numbers come from: ``ui.data`` in the app (cached), ``ConnectionReader`` elsewhere."""

    def metric(self, metric_id: str, filters: Filters, **params: object) -> pd.DataFrame: ...

    def dataset(self, sql_name: str, **params: object) -> pd.DataFrame: ...


class ConnectionReader:
    """The same two calls as ``ui.data``, on a DuckDB connection (tests, scripts)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def metric(self, metric_id: str, filters: Filters, **params: object) -> pd.DataFrame:
        return registry.compute(self.con, metric_id, filters, **params)

    def dataset(self, sql_name: str, **params: object) -> pd.DataFrame:
        return run_sql(self.con, sql_name, params)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    sentence: str
    question: str
    figure: go.Figure | None
    tables: tuple[Table, ...] = ()
    # where the figures come from, each source once (``metrics.provenance``); joined only when shown
    sources: list[str] = field(default_factory=list)
    # the key figures as numbers (None where missing or hidden), for tests and the meeting stamp
    figures: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Stamp:
    """What every screen and printed page says about the view: place, years, schools, data date."""

    municipality: str
    years: str
    schools: str
    data_date: str
    synthetic: bool

    def line(self, text: Text) -> str:
        return text(
            "report.stamp",
            municipality=self.municipality,
            years=self.years,
            schools=self.schools,
            date=self.data_date,
        )


@dataclass
class Context:
    reader: Reader
    filters: Filters
    text: Text
    today: date
    plan_year: int | None = None

    @property
    def lang(self) -> str:
        return self.filters.lang

    @property
    def no_data(self) -> str:
        return self.text("common.no_data")

    def metric(self, metric_id: str, **params: object) -> pd.DataFrame:
        return self.reader.metric(metric_id, self.filters, **params)

    def place(self) -> pd.Series:
        return self.reader.dataset("municipalities.sql").set_index("code").loc[self.filters.municipality]

    def name(self) -> str:
        return str(self.place()[f"name_{self.lang}"])

    def count(self, value: object, hidden: object) -> str:
        return fmt_count(value, bool(hidden), self.lang, self.filters.threshold, self.no_data)

    def fte(self, value: object) -> str:
        return fmt_num(value, self.lang, staffing.display_decimals(value), self.no_data)

    def section(self, key: str, sentence: str, figure: go.Figure | None = None, **rest: object) -> Section:
        return Section(
            key=key,
            title=self.text(f"report.{key}.title"),
            sentence=sentence,
            question=self.text(f"report.{key}.question"),
            figure=figure,
            **rest,
        )


def _number(value: object) -> float | None:
    return None if is_missing(value) else float(value)


# ---------------------------------------------------------------------------------------------
# Charts: themed like the pages; a row without a value keeps its place and its label, never a 0 bar.


def stacked(frame: pd.DataFrame, y: str, x: str, colour: str, colours: Mapping[str, str], lang: str) -> go.Figure:
    """Horizontal stacked counts (indicators or activities by level and status)."""
    fig = chart_bars(
        frame, x, y, color=colour, orientation="h", text=x, color_discrete_map=dict(colours),
        category_orders={colour: list(colours), y: list(dict.fromkeys(frame[y]))}, labels={x: "", y: "", colour: ""},
    )  # fmt: skip
    fig.update_traces(textposition="inside", insidetextanchor="middle", textfont={"color": "white"})
    fig = themed(fig, lang, height=140 + 70 * frame[y].nunique())
    most = float(frame.groupby(y)[x].sum().max())
    fig.update_xaxes(tickformat="d", rangemode="tozero", dtick=1 if most <= 12 else None)  # counts: whole ticks
    fig.update_yaxes(autorange="reversed", ticksuffix="  ")
    return fig.update_layout(legend_title=None, barmode="stack")


# ---------------------------------------------------------------------------------------------
# The sections.


def overview(c: Context) -> Section:
    enrol, by_school = c.metric("pupils_total"), c.metric("pupils_by_school")
    if enrol.empty:
        return c.section("overview", c.text("report.overview.none", municipality=c.name()))
    row = enrol.iloc[-1]
    year = row["school_year"]
    latest = by_school[by_school["school_year"] == year].sort_values("school")
    labels = zip(latest["pupils"], is_hidden(latest, "pupils"), strict=True)
    latest = latest.assign(label=[c.count(v, h) for v, h in labels])
    pupils = c.count(row["pupils"], row.get("pupils_hidden", False))
    sentence = c.text(
        "report.overview.sentence", year=year, pupils=pupils, schools=fmt_num(row["schools"], c.lang),
        municipality=c.name(),
    )  # fmt: skip
    columns = (
        Column("school", c.text("common.school")),
        Column("pupils", c.text("common.pupils"), "count"),
    )
    table = Table(c.text("report.overview.table", year=year), latest.reset_index(drop=True), columns)
    hidden = bool(row.get("pupils_hidden", False))
    return c.section(
        "overview", sentence, labelled_bars(latest, "pupils", "school", "label", c.lang), tables=(table,),
        sources=provenance.sources(latest, enrol.tail(1)),
        figures={"year": year, "pupils": None if hidden else _number(row["pupils"]), "pupils_hidden": hidden,
                 "schools": int(row["schools"])},
    )  # fmt: skip


def targets_section(c: Context) -> Section:
    place = c.place()
    if is_missing(place["target_year_1"]) or is_missing(place["target_year_2"]):
        return c.section("targets", c.text("report.targets.no_programme", municipality=c.name()))
    years = [int(place["target_year_1"]), int(place["target_year_2"])]
    m = c.filters.municipality
    values = c.reader.dataset("target_indicator_values.sql", municipality=m, years=list(c.filters.years))
    a = targets.assess_indicators(
        c.reader.dataset("target_indicators.sql", municipality=m),
        c.reader.dataset("target_indicator_targets.sql", municipality=m),
        values,
    )
    if a.empty:
        return c.section("targets", c.text("report.targets.none", municipality=c.name()))
    counts = {s: int((a["status"] == s).sum()) for s in targets.JUDGED}
    counts["not_judged"] = int((~a["status"].isin(targets.JUDGED)).sum())
    level_order = {lv: i for i, lv in enumerate(targets.LEVELS)}
    a = a.assign(_order=a["prevention_level"].map(level_order)).sort_values(["_order", "indicator_no", "breakdown"])

    def goal(row: pd.Series, n: int) -> str:
        value = row.get(f"target{n}_value")
        if is_missing(value):
            return c.text("targets.not_set")
        shown = fmt_pct(value, c.lang, stored_decimals(value))
        return c.text("targets.at_most", value=shown) if row[f"target{n}_comparison"] == "at_most" else shown

    def number(row: pd.Series) -> str:
        part = f" ({c.text('targets.breakdown.' + row['breakdown'])})" if row["breakdown"] else ""
        return f"{row['indicator_no']}{part}"

    data = pd.DataFrame(
        {
            "no": [number(r) for _, r in a.iterrows()],
            "level": [c.text(f"targets.level.{lv}") for lv in a["prevention_level"]],
            "indicator": [
                textwrap.shorten(targets.base_name(n, b).rstrip("."), 110, placeholder="…")
                for n, b in zip(a[f"name_{c.lang}"], a["breakdown"], strict=True)
            ],
            "baseline": pd.to_numeric(a["baseline_value"], errors="coerce"),
            "baseline_year": a["baseline_year"].astype(object).where(a["baseline_year"].notna(), None),
            "latest": pd.to_numeric(a["latest_value"], errors="coerce"),
            "latest_period": a["latest_period"],
            **{f"target{n}": [goal(r, n) for _, r in a.iterrows()] for n in (1, 2)},
            "status": [c.text(f"targets.status.{s}") for s in a["status"]],
            "source": a["latest_source"].where(a["latest_source"].notna(), a["source"]),
        }
    ).reset_index(drop=True)
    columns = (
        Column("no", c.text("targets.col_no")),
        Column("level", c.text("report.col_level")),
        Column("indicator", c.text("targets.col_indicator")),
        Column("baseline", c.text("targets.col_baseline"), "pct", None),
        Column("baseline_year", c.text("report.col_baseline_year")),
        Column("latest", c.text("targets.col_latest"), "pct", None),
        Column("latest_period", c.text("report.col_latest_period")),
        Column("target1", c.text("targets.col_target", year=years[0])),
        Column("target2", c.text("targets.col_target", year=years[1])),
        Column("status", c.text("targets.col_status")),
    )
    statuses = {c.text(f"targets.status.{s}"): STATUS_COLOURS[s] for s in targets.JUDGED}
    statuses[c.text("targets.not_judged")] = GREY
    judged = a["status"].where(a["status"].isin(targets.JUDGED), "not_judged")
    grid = pd.DataFrame(
        {
            "level": a["prevention_level"].map(lambda lv: c.text(f"targets.level.{lv}")),
            "status": [
                c.text("targets.not_judged") if s == "not_judged" else c.text(f"targets.status.{s}") for s in judged
            ],
        }
    )
    grid = grid.groupby(["level", "status"], sort=False).size().reset_index(name="indicators")
    figure = stacked(grid, "level", "indicators", "status", statuses, c.lang)
    sentence = c.text(
        "report.targets.sentence", total=len(a), municipality=c.name(), year1=years[0], year2=years[1],
        **{k: fmt_num(v, c.lang) for k, v in counts.items()},
    )  # fmt: skip
    table = Table(c.text("report.targets.table"), data, columns, group="level")
    return c.section(
        "targets", sentence, figure, tables=(table,), sources=provenance.merge(*a["source"], *a["latest_source"]),
        figures={"total": len(a), **counts},
    )  # fmt: skip


def risks_section(c: Context) -> Section:
    groups = c.metric("risk_group_share")
    if groups.empty:
        return c.section("risks", c.text("report.risks.none", municipality=c.name()))
    period = risks.latest_period(groups)
    latest = groups[groups["period"] == period].reset_index(drop=True)
    latest = latest.assign(
        group=[c.text(f"risks.group.{g}") for g in latest["risk_group"]],
        basis=[c.text(f"risks.basis_{b}") if isinstance(b, str) else c.no_data for b in latest["share_basis"]],
    )
    share_column = Column("share_pct", c.text("risks.col_share"), "pct", 1)
    hidden = is_hidden(latest, "share_pct")
    latest["label"] = [
        cell_text(v, bool(h), share_column, c.lang, c.filters.threshold, c.text)
        for v, h in zip(latest["share_pct"], hidden, strict=True)
    ]
    shown = latest[latest["share_pct"].notna()]
    when = fmt_period(period)
    if shown.empty:
        sentence, top = c.text("report.risks.sentence_none", period=when), None
    else:
        top = shown.loc[shown["share_pct"].astype(float).idxmax()]
        sentence = c.text("report.risks.sentence", period=when, group=top["group"], share=top["label"])
    columns = (
        Column("group", c.text("risks.col_group")),
        share_column,
        Column("pupils", c.text("risks.col_pupils"), "count"),
        Column("basis", c.text("risks.col_basis")),
    )
    table = Table(c.text("report.risks.table", period=when), latest, columns)
    return c.section(
        "risks", sentence, labelled_bars(latest, "share_pct", "group", "label", c.lang), tables=(table,),
        sources=provenance.sources(latest),
        figures={"period": period, "top_group": None if top is None else top["risk_group"],
                 "top_share": None if top is None else float(top["share_pct"])},
    )  # fmt: skip


def support_staff(c: Context) -> Section:
    rule = staffing.DEFAULT_RULE
    by_year = c.metric("staff_gap_fte", **rule.params())
    if by_year.empty:
        return c.section("support_staff", c.text("report.support_staff.none", municipality=c.name()))
    row = by_year.iloc[-1]
    year = row["school_year"]
    cells = c.metric("staff_gap_by_school", **rule.params())
    norm = cells[(cells["school_year"] == year) & cells["role"].isin(staffing.NORM_ROLES)]
    roles = {r: c.text(f"support_staff.role.{r}") for r in staffing.NORM_ROLES}
    schools = norm.drop_duplicates("school").set_index("school").sort_index()
    wide = norm.pivot(index="school", columns="role", values="gap_fte").reindex(schools.index)
    data = pd.DataFrame(
        {
            "school": schools.index,
            "pupils": schools["pupils"].to_numpy(),
            "pupils_hidden": is_hidden(schools, "pupils").to_numpy(),
            **{role: wide[role].to_numpy() if role in wide else None for role in staffing.NORM_ROLES},
            "gap": schools["school_gap_fte"].to_numpy(),
            "status": [c.text(f"support_staff.status.{s}") for s in schools["school_status"]],
        }
    )
    columns = (
        Column("school", c.text("common.school")),
        Column("pupils", c.text("common.pupils"), "count"),
        *(Column(role, roles[role], "fte") for role in staffing.NORM_ROLES),
        Column("gap", c.text("support_staff.col_gap"), "fte"),
        Column("status", c.text("support_staff.col_status")),
    )
    rule_text = c.text("support_staff.rule_flat_text", base=c.fte(rule.base_fte))
    gaps = norm[norm["gap_fte"].fillna(0) > 0].assign(role_label=lambda d: d["role"].map(roles))
    figure = None
    if len(gaps):
        totals = schools["school_gap_fte"].dropna()
        totals = totals[totals > 0].sort_values()
        figure = gap_figure(gaps, totals, list(roles.values()), c.text("support_staff.axis_gap"), c.fte, c.lang)
    sentence = c.text(
        "report.support_staff.sentence", year=year, below=fmt_num(row["schools_below_norm"], c.lang),
        reporting=fmt_num(row["schools_reporting"], c.lang), gap=c.fte(row["gap_fte"]), base=c.fte(rule.base_fte),
    )  # fmt: skip
    table = Table(c.text("report.support_staff.table", year=year), data, columns)
    return c.section(
        "support_staff", sentence, figure, tables=(table,),
        sources=[*provenance.sources(norm, columns=provenance.COLUMNS), rule_text],  # the pupils' source too
        figures={"year": year, "below": int(row["schools_below_norm"]), "meeting": int(row["schools_meeting_norm"]),
                 "reporting": int(row["schools_reporting"]), "gap_fte": float(row["gap_fte"])},
    )  # fmt: skip


def pumpurs_section(c: Context) -> Section:
    stated, total = c.metric("pumpurs_stated"), c.metric("pumpurs_total", merged=False)
    semesters = pumpurs.with_status(c.metric("pumpurs_semesters", merged=False), stated)
    if total.empty:
        own = pumpurs.municipal_totals(stated)
        if own.empty:
            return c.section("pumpurs", c.text("report.pumpurs.none", municipality=c.name()))
        return _pumpurs_own(c, own)
    column = pumpurs.value_column(semesters)
    head = pumpurs.headline(total, semesters, stated)
    figure_of = head["plans"] if column == "iap_count" else head["pupils"]
    not_reported = c.text("pumpurs.not_reported_cell")
    semesters = semesters.assign(
        status_text=[c.text(f"pumpurs.status_{s}") for s in semesters["status"]],
        basis=[c.text(f"pumpurs.basis_{b}") if isinstance(b, str) else "" for b in semesters["share_basis"]],
        top=pumpurs_text.bar_tops(semesters, column, c.count, not_reported),
    )
    one_period = figure_of["when"] is not None and figure_of["when"] == head["schools"]["when"]
    sentence = c.text(
        f"report.pumpurs.sentence_{column}{'_one' if one_period else ''}", when=figure_of["when"] or c.no_data,
        value=c.count(figure_of["value"], figure_of["hidden"]),
        schools=fmt_num(head["schools"]["value"], c.lang, 0, c.no_data), last=head["schools"]["when"] or c.no_data,
    )  # fmt: skip
    columns = (
        Column("label", c.text("pumpurs.col_semester")),
        Column(column, c.text(f"pumpurs.col_{column}"), "count"),
        Column("schools", c.text("pumpurs.col_schools"), "number"),
        Column("share", c.text("pumpurs.col_share"), "pct", 1),
        Column("basis", c.text("pumpurs.col_basis")),
        Column("status_text", c.text("pumpurs.col_status")),
    )
    table = Table(c.text(f"pumpurs.timeline_title_{column}"), semesters.reset_index(drop=True), columns)
    figure = labelled_bars(semesters, "label", column, "top", c.lang, horizontal=False)
    label_categories(figure, semesters["label"], pumpurs_text.axis_labels(semesters))
    return c.section(
        "pumpurs", sentence, figure, tables=(table,), sources=provenance.sources(semesters),
        figures={"column": column, "value": None if figure_of["hidden"] else _number(figure_of["value"]),
                 "hidden": figure_of["hidden"], "when": figure_of["when"],
                 "schools": _number(head["schools"]["value"])},
    )  # fmt: skip


def _pumpurs_own(c: Context, own: pd.DataFrame) -> Section:
    """A municipality that reports Pumpurs only for itself, not split by school."""
    latest = own.iloc[-1]
    sentence = c.text(
        "report.pumpurs.own", municipality=c.name(), year=latest["period"],
        plans=c.count(latest["iap_count"], latest["iap_count_hidden"]),
        pupils=c.count(latest["participants"], latest["participants_hidden"]),
    )  # fmt: skip
    kinds = {"iap_count": "count", "participants": "count", "participating_schools": "number"}
    columns = (
        Column("period", c.text("pumpurs.own_year")),
        *(
            Column(m, c.text(f"pumpurs.own_{m}"), kinds.get(m, "eur"), 0 if m in kinds else 2)
            for m in pumpurs.MUNICIPAL_MEASURES
        ),
    )
    table = Table(c.text("pumpurs.own_title"), own.reset_index(drop=True), columns)
    labels = [c.count(v, h) for v, h in zip(own["iap_count"], own["iap_count_hidden"], strict=True)]
    chart = own.assign(label=labels, iap_count=own["iap_count"].where(~own["iap_count_hidden"].astype(bool)))
    figure = labelled_bars(chart, "period", "iap_count", "label", c.lang, horizontal=False)
    return c.section("pumpurs", sentence, figure, tables=(table,), sources=provenance.sources(own))


HEADLINE_OUTCOME = "dropped_out"


def outcomes_section(c: Context) -> Section:
    by_year = outcomes.ordered(outcomes.hide_derived(c.metric("outcomes_by_year"), c.filters.threshold))
    if by_year.empty:
        return c.section("outcomes", c.text("report.outcomes.none", municipality=c.name()))
    topics = outcomes.topics_present(by_year)

    def series(row) -> str:
        parts = outcomes.breakdown(row.topic, row.level, row.subject, row.threshold)
        return ", ".join(
            c.text("outcomes.threshold", value=v) if k == "threshold" else c.text(f"outcomes.{k}.{v}") for k, v in parts
        )

    rows = list(by_year.itertuples())
    labels = [c.text(f"outcomes.topic.{r.topic}.label") for r in rows]
    kinds = [series(r) for r in rows]
    share_hidden = by_year["rate_hidden"].astype(bool) & by_year["share_pct"].isna()
    data = by_year.assign(
        indicator=[f"{n} – {s}" if s else n for n, s in zip(labels, kinds, strict=True)],
        series=kinds,
        share_pct=pd.to_numeric(by_year["share_pct"], errors="coerce"),
        share_pct_hidden=share_hidden,
        share_basis_text=[c.text(f"outcomes.basis.{b}") if isinstance(b, str) else "–" for b in by_year["share_basis"]],
    ).reset_index(drop=True)
    data["share_pct_decimals"] = [  # as the Outcomes page: a printed share keeps its decimals (0,0011 %)
        outcomes.pct_decimals(v, b == "printed") for v, b in zip(data["share_pct"], data["share_basis"], strict=True)
    ]
    topic = HEADLINE_OUTCOME if HEADLINE_OUTCOME in topics else topics[0]
    own = data[data["topic"] == topic]
    own = own.assign(label=[c.count(v, h) for v, h in zip(own["pupils"], is_hidden(own, "pupils"), strict=True)])
    shown = own["pupils"].notna() | is_hidden(own, "pupils")
    fullest = own[shown].groupby("series", sort=False)["pupils"].agg(["size", "sum"])
    main = fullest.sort_values(["size", "sum"], ascending=False, kind="stable").index[0] if len(fullest) else ""
    first = own[own["series"] == main].iloc[0] if len(fullest) else own.iloc[0]
    last = own[own["series"] == first["series"]].iloc[-1]
    printed = last.get("share_basis") == "printed"  # as the Outcomes page: a printed share keeps its decimals
    share_column = Column("share_pct", "", "pct", outcomes.pct_decimals(last["share_pct"], printed))
    share = cell_text(
        last["share_pct"], bool(last["share_pct_hidden"]), share_column, c.lang, c.filters.threshold, c.text
    )
    name = c.text(f"outcomes.topic.{topic}.label") + (f" ({first['series']})" if first["series"] else "")
    sentence = c.text(
        "report.outcomes.sentence", topic=name, year=last["school_year"], share=share, topics=len(topics),
        pupils=c.count(last["pupils"], last["pupils_hidden"]),
    )  # fmt: skip
    several = own["series"].nunique() > 1
    figure = labelled_bars(
        own, "school_year", "pupils", "label", c.lang, horizontal=False, colour="series" if several else None
    )
    title = c.text(f"outcomes.topic.{topic}.label")
    figure.update_layout(title={"text": title, "font": {"size": 17}}, margin_t=90 if several else 60)
    columns = (
        Column("indicator", c.text("outcomes.col_indicator")),
        Column("school_year", c.text("common.school_year")),
        Column("pupils", c.text("common.pupils"), "count"),
        Column("share_pct", c.text("report.col_share"), "pct", 2),
        Column("share_basis_text", c.text("report.col_share_basis")),
    )
    if data["hours_per_pupil"].notna().any():  # unexcused absences are given in hours per pupil
        columns += (Column("hours_per_pupil", c.text("outcomes.measure_hours"), "number", 2, missing="–"),)
    table = Table(c.text("report.outcomes.table"), data, columns)
    hidden = bool(last["pupils_hidden"])
    return c.section(
        "outcomes", sentence, figure, tables=(table,), sources=provenance.sources(by_year),
        figures={"topic": topic, "series": first["series"], "year": last["school_year"],
                 "pupils": None if hidden else _number(last["pupils"]), "pupils_hidden": hidden},
    )  # fmt: skip


def action_plan(c: Context) -> Section:
    m = c.filters.municipality
    place = c.place()
    if is_missing(place["plan_start"]):
        return c.section("action_plan", c.text("report.action_plan.no_programme", municipality=c.name()))
    first, last = int(place["plan_start"]), int(place["plan_end"])
    plan = c.reader.dataset("activity_plan.sql", municipality=m)
    if plan.empty:
        return c.section("action_plan", c.text("report.action_plan.none", municipality=c.name()))
    year = c.plan_year if c.plan_year is not None else min(max(c.today.year, first), last)
    timeline = c.reader.dataset("activity_timeline.sql", municipality=m)
    timeline = timeline.assign(
        reported=timeline["status"].notna(), status=activities.year_status(timeline, c.today.year)
    )
    in_year = timeline[timeline["year"] == year]
    statuses = {s: c.text(f"action_plan.status.{s}") for s in activities.YEAR_STATUSES}
    levels = {lv: c.text(f"targets.level.{lv}") for lv in targets.LEVELS}
    rows = plan[["activity_no", "prevention_level", "activity_lv", "activity_en", "responsible_lv", "source"]].merge(
        in_year[["activity_no", "status", "reported"]], on="activity_no"
    )
    reports = c.metric("activity_participants")
    filed = reports[reports["year"] == year]
    mine = filed[["activity_no", "participants", "participants_hidden"]]
    rows = rows.merge(mine, on="activity_no", how="left")
    rows = rows.assign(
        level=rows["prevention_level"].map(levels),
        activity=rows["activity_no"] + " " + rows[f"activity_{c.lang}"],
        status_text=rows["status"].map(statuses),
        participants_hidden=rows["participants_hidden"].fillna(False).astype(bool),
    )
    summary = []
    for level, name in levels.items():
        part = rows[rows["prevention_level"] == level]
        if len(part):
            counts = {s: int((part["status"] == s).sum()) for s in activities.YEAR_STATUSES}
            summary.append({"level": name, "running": len(part), "reported": int(part["reported"].sum()), **counts})
    summary = pd.DataFrame(summary, columns=["level", "running", "reported", *activities.YEAR_STATUSES])
    figures = {
        "year": year,
        "running": len(rows),
        "reported": int(rows["reported"].sum()),
        **{s: int((rows["status"] == s).sum()) for s in activities.YEAR_STATUSES},
    }
    if rows.empty:
        sentence = c.text("report.action_plan.sentence_none", year=year, start=first, end=last)
    else:
        counts = {k: fmt_num(v, c.lang) for k, v in figures.items() if k != "year"}
        sentence = c.text("report.action_plan.sentence", year=year, **counts)
    columns = (
        Column("level", c.text("report.col_level")),
        Column("running", c.text("report.col_running"), "number"),
        Column("reported", c.text("report.col_reported"), "number"),
        *(Column(s, statuses[s], "number") for s in activities.YEAR_STATUSES),
    )
    listing = (
        Column("activity", c.text("action_plan.col_activity")),
        Column("level", c.text("report.col_level")),
        Column("responsible_lv", c.text("action_plan.col_responsible")),
        Column("status_text", c.text("action_plan.col_status", year=year)),
        Column("participants", c.text("action_plan.col_participants"), "count"),
    )
    tables = (
        Table(c.text("report.action_plan.summary_table", year=year), summary, columns),
        Table(c.text("report.action_plan.list_table", year=year), rows, listing, group="level"),
    )
    figure = None
    if len(rows):
        colours = {statuses[s]: PLAN_COLOURS.get(s, GREY) for s in activities.YEAR_STATUSES}
        grid = rows.groupby(["level", "status_text"], sort=False).size().reset_index(name="activities")
        grid = grid.assign(_o=grid["level"].map({v: i for i, v in enumerate(levels.values())})).sort_values("_o")
        figure = stacked(grid.drop(columns="_o"), "level", "activities", "status_text", colours, c.lang)
    listed = rows["activity_no"]  # the plan, each listed activity's status that year and its report
    cited = provenance.sources(
        rows, in_year[in_year["activity_no"].isin(listed)], filed[filed["activity_no"].isin(listed)]
    )
    return c.section(
        "action_plan", sentence, figure, tables=tables if len(rows) else (), sources=cited, figures=figures
    )


def focus_schools(c: Context) -> Section:
    whole = c.reader.metric("focus_schools", c.filters.model_copy(update={"schools": ()}))
    focus = risks.focus_schools(whole, c.filters.schools)  # places among all the municipality's schools
    if focus.empty:
        return c.section("focus_schools", c.text("report.focus_schools.none", municipality=c.name()))
    year = focus["school_year"].iloc[0]
    rate = Column("per_100", c.text("risks.col_per_100"), "number", 1)
    rates = [
        cell_text(v, bool(h), rate, c.lang, c.filters.threshold, c.text)
        for v, h in zip(focus["per_100"], is_hidden(focus, "per_100"), strict=True)
    ]
    before = [
        c.text("risks.prev_rank", rank=p) if pd.notna(p) else c.text("risks.prev_none") for p in focus["prev_rank"]
    ]
    focus = focus.assign(
        label=[s if pd.isna(r) else f"{r}. {s}" for r, s in zip(focus["rank"], focus["school"], strict=True)],
        bar_text=[f"{v}  ({p})" for v, p in zip(rates, before, strict=True)],
        rate_text=rates,
    )
    ranked = focus[focus["rank"].notna()]
    if ranked.empty:
        sentence, top = c.text("report.focus_schools.sentence_hidden", year=year, limit=c.filters.threshold), None
    else:
        top = ranked.iloc[0]
        sentence = c.text(
            "report.focus_schools.sentence", year=year, school=top["school"], rate=top["rate_text"],
            ranked=len(ranked), schools=len(focus),
        )  # fmt: skip
    columns = (
        Column("rank", c.text("risks.col_rank"), "number", missing="–"),
        Column("school", c.text("common.school")),
        rate,
        Column("identified", c.text("risks.col_identified"), "count"),
        Column("enrolled", c.text("risks.col_enrolled"), "count"),
        Column("prev_rank", c.text("risks.col_prev_rank"), "number", missing="–"),
    )
    table = Table(c.text("report.focus_schools.table", year=year), focus, columns)
    return c.section(
        "focus_schools", sentence, labelled_bars(focus, "per_100", "label", "bar_text", c.lang), tables=(table,),
        sources=provenance.sources(focus),
        figures={"year": year, "top_school": None if top is None else top["school"],
                 "top_rate": None if top is None else float(top["per_100"]), "schools": len(focus),
                 "ranked": len(ranked)},
    )  # fmt: skip


BUILDERS: dict[str, Callable[[Context], Section]] = {
    "overview": overview,
    "targets": targets_section,
    "risks": risks_section,
    "support_staff": support_staff,
    "pumpurs": pumpurs_section,
    "outcomes": outcomes_section,
    "action_plan": action_plan,
    "focus_schools": focus_schools,
}


def build(
    reader: Reader, filters: Filters, keys: tuple[str, ...] = SECTIONS, *, plan_year: int | None = None,
    today: date | None = None,
) -> list[Section]:  # fmt: skip
    """The sections for the view, in the running order (or just ``keys``)."""
    context = Context(reader, filters, Text(filters.lang), today or date.today(), plan_year)
    return [BUILDERS[key](context) for key in keys]


@dataclass(frozen=True)
class Report:
    """A yearly report: the school year, its view, the stamp and the sections, as of ``generated``."""

    year: str
    filters: Filters
    stamp: Stamp
    generated: date
    sections: list[Section]

    @property
    def generated_text(self) -> str:
        return self.generated.strftime("%d.%m.%Y") if self.filters.lang == "lv" else self.generated.isoformat()


def yearly_report(reader: Reader, filters: Filters, year: str, today: date | None = None) -> Report:
    """The report of ``year`` for the view's municipality, schools and language (see ``report_filters``)."""
    today = today or date.today()
    view = report_filters(reader, filters, year)
    built = build(reader, view, plan_year=plan_year_of(year), today=today)
    return Report(year, view, stamp(reader, view), today, built)


# ---------------------------------------------------------------------------------------------
# The view: the report's filters for a school year, and the stamp.


def school_years(reader: Reader, municipality: str) -> list[str]:
    return reader.dataset("filter_options.sql", municipality=municipality)["school_year"].tolist()


def default_report_year(filters: Filters, known: list[str]) -> str | None:
    """The school year a yearly report (and the meeting following it) is about: the latest chosen
    one, else the latest with data (``known``: ``school_years``)."""
    return max(filters.years) if filters.years else (known[-1] if known else None)


def report_filters(reader: Reader, filters: Filters, year: str) -> Filters:
    """The view of a yearly report: every school year up to and including ``year`` (the trends and
    "last year" columns need the years before; the latest figures are those of ``year``)."""
    known = school_years(reader, filters.municipality)
    upto = tuple(y for y in known if int(y[:4]) <= int(year[:4]))
    return filters.model_copy(update={"years": upto or (year,)})


def plan_year_of(school_year: str) -> int:
    """The calendar year whose activity reports belong to a school year's report: the year it ends
    in (the report is written in that summer; ``metrics.targets.period_year``)."""
    return int(targets.period_year(school_year))


def _years_text(years: tuple[str, ...], text: Text) -> str:
    if not years:
        return text("report.all_years")
    if len(years) == 1:
        return years[0]
    starts = [int(y[:4]) for y in years]
    if starts == list(range(starts[0], starts[0] + len(starts))):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(years)


def data_date(reader: Reader, lang: str) -> str:
    """The date of the latest import or build (the import log's newest entry)."""
    log = reader.dataset("import_log.sql")
    if log.empty:
        return Text(lang)("common.no_data")
    when = pd.Timestamp(log["imported_at"].max())
    return when.strftime("%d.%m.%Y") if lang == "lv" else when.strftime("%Y-%m-%d")


def stamp(reader: Reader, filters: Filters) -> Stamp:
    text = Text(filters.lang)
    place = reader.dataset("municipalities.sql").set_index("code").loc[filters.municipality]
    schools = text("report.all_schools")
    if filters.schools:
        names = reader.dataset("schools.sql", municipality=filters.municipality).set_index("school_id")["name"]
        chosen = [str(names.get(s, s)) for s in filters.schools]
        schools = ", ".join(chosen[:3]) + (f" (+{len(chosen) - 3})" if len(chosen) > 3 else "")
    return Stamp(
        municipality=str(place[f"name_{filters.lang}"]),
        years=_years_text(filters.years, text),
        schools=schools,
        data_date=data_date(reader, filters.lang),
        synthetic=bool(place["is_synthetic"]),
    )
