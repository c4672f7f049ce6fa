"""A test-side attacker for disclosure control: it collects every count a user can see, across many
choices of schools, years and pages, and works out how far each hidden small count can be narrowed
down from them, by linear programming (HiGHS, through ``highspy``).

What it knows: the published counts of every view (registry frames, as every page, meeting screen
and report receives them), each as a sum of cells of a disclosure family (``Metric.cells``; each
shown figure is checked to be exactly that sum of the true cells, so a wrong declaration fails the
audit instead of weakening it), the municipality's own printed totals beside the schools' sums
(equal: the same sum; larger: an upper bound), that a school's risk-group count is the sum of its
sub-risks where they add up, and that counts are never negative. What it attacks:
every hidden cell and every hidden figure whose true value is a small count (0 < value < threshold):
its feasible range (max - min over everything consistent with what was seen) must be at least the
threshold wide. It also records any shown small count, and any share or rate shown beside a hidden
count (a rate with a known base gives the count back).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache

import duckdb
import highspy
import numpy as np
import pandas as pd

from metrics import disclosure, outcomes, registry
from metrics.filters import Filters
from metrics.privacy import hidden_column
from metrics.query import sql_text

TOLERANCE = 1e-6
# Metrics with a row per school, and metrics with a row per school year (or semester, or period):
# choosing schools, or years, only leaves rows out of them, each figure the same sum of the same cells
# decided the same way, so those views are tried only for a few schools (the check that they are).
ROW_PER_SCHOOL = frozenset({"pupils_by_school", "outcomes_by_school", "focus_schools", "staff_gap_by_school"})
ADDS_UP_YEARS = frozenset({"pumpurs_total", "pumpurs_school_totals"})
# parameters under which a metric is computed besides its defaults (the toggles of the pages)
VARIANTS: dict[str, list[dict]] = {
    "pumpurs_school_semesters": [{}, {"merged": True}, {"municipal": False}],
    "pumpurs_school_totals": [{}, {"merged": True}, {"municipal": False}],
    "pumpurs_semesters": [{}, {"merged": True}],
    "pumpurs_total": [{}, {"merged": True}],
}


@dataclass
class Finding:
    family: str
    where: str
    true: float
    low: float
    high: float

    @property
    def width(self) -> float:
        return self.high - self.low


@dataclass
class Result:
    municipality: str
    views: int = 0
    figures: int = 0
    hidden_small: int = 0
    equations: int = 0
    narrowest: float = float("inf")
    findings: list[Finding] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    ranges: list[Finding] = field(default_factory=list)  # every hidden small count attacked

    def line(self) -> str:
        narrowest = "none" if self.narrowest == float("inf") else f"{self.narrowest:g}"
        return (
            f"{self.municipality}: {self.views} views, {self.figures} figures seen, {self.equations} equations, "
            f"{self.hidden_small} hidden small counts attacked, narrowest range {narrowest}, "
            f"{len(self.findings)} narrower than the threshold, {len(self.problems)} other problems"
        )


class Attacker:
    def __init__(self, con: duckdb.DuckDBPyConnection, municipality: str, threshold: int = 5) -> None:
        self.con, self.municipality, self.threshold = con, municipality, threshold
        self.families = {name: disclosure.family(con, name, municipality, threshold) for name in disclosure.BUILDERS}
        self.equal: dict[str, dict[frozenset, float]] = {name: {} for name in self.families}
        self.upper: dict[str, dict[frozenset, float]] = {name: {} for name in self.families}
        self.targets: dict[str, dict[frozenset, tuple[float, str]]] = {name: {} for name in self.families}
        self.result = Result(municipality)
        self.seen: set[tuple] = set()

    # -- what a user sees ---------------------------------------------------------------------------

    def view(self, metric_id: str, filters: Filters, **params: object) -> None:
        """Compute a metric as the app does and take in every figure of it (once per distinct view)."""
        metric = registry.METRICS[metric_id]
        text = sql_text(metric.sql)
        read = filters.model_copy(
            update={
                "schools": filters.schools if "$schools" in text else (),
                "years": filters.years if ("$years" in text or "$start_years" in text) else (),
            }
        )
        key = (metric_id, read.schools, read.years, repr(sorted(params.items())))
        if key in self.seen or not metric.counts:
            return
        self.seen.add(key)
        frame = registry.compute(self.con, metric_id, read, **params)
        self.result.views += 1
        self.frame(metric_id, read, frame, {**metric.defaults, **params})

    def frame(self, metric_id: str, filters: Filters, frame: pd.DataFrame, values: dict) -> None:
        metric = registry.METRICS[metric_id]
        text = sql_text(metric.sql)
        specs = metric.cells(values) if metric.cells else {}
        scope = disclosure.Scope(
            municipality=self.municipality,
            schools=tuple(filters.schools),
            start_years=tuple(filters.start_years),
            threshold=self.threshold,
            reads_schools="$schools" in text,
            reads_years="$years" in text or "$start_years" in text,
        )
        if metric.municipality_column is not None:
            frame = frame[frame[metric.municipality_column] == self.municipality].reset_index(drop=True)
        where = f"{metric_id} {dict(values)} schools={list(filters.schools)} years={list(filters.years)}"
        for column in metric.counts:
            shown = frame[column].notna() & ~frame[hidden_column(column)].astype(bool)
            if column not in specs:
                for value in frame.loc[shown, column]:
                    self.result.figures += 1
                    if 0 < float(value) < self.threshold:
                        self.result.problems.append(f"small count {value} shown: {where} {column}")
                continue
            found: list[tuple[str, np.ndarray] | None] = [None] * len(frame)
            for spec in specs[column]:
                fam = self.families[spec.family]
                cells = disclosure.figure_cells(frame, spec, fam, scope)
                applies = np.ones(len(frame), dtype=bool)
                if spec.rows is not None:
                    applies = frame[spec.rows[0]].isin(spec.rows[1]).to_numpy()
                for i in np.flatnonzero(applies):
                    found[i] = (spec.family, cells[i])
            for i, (value, is_shown) in enumerate(zip(frame[column], shown, strict=True)):
                if pd.isna(value) and not frame[hidden_column(column)].iloc[i]:
                    continue  # no data
                if found[i] is None:
                    self.result.problems.append(f"no cells declared for a figure: {where} {column} row {i}")
                    continue
                name, cells = found[i]
                truth = float(self.families[name].table.values[cells].sum()) if len(cells) else 0.0
                self.see(name, cells, truth, float(value) if is_shown else None, f"{where} {column} row {i}")
        self._ratios(metric, frame, where)
        if metric_id in ("outcomes_by_year", "outcomes_by_school", "dropout_rate"):
            self._shares(outcomes.hide_derived(frame, self.threshold), where)
        if metric_id == "pumpurs_stated":
            self._stated(frame)

    def see(self, family: str, cells: np.ndarray, truth: float, shown: float | None, where: str) -> None:
        """One figure: a sum of ``cells`` that is ``truth``, shown as ``shown`` (None: hidden)."""
        self.result.figures += 1
        key = frozenset(int(c) for c in cells)
        if shown is not None:
            if abs(truth - shown) > TOLERANCE:
                self.result.problems.append(f"shown {shown} is not the sum {truth} of its cells: {where}")
                return
            if 0 < shown < self.threshold:
                self.result.problems.append(f"small count {shown} shown: {where}")
            if key:
                self.equal[family][key] = shown
        elif 0 < truth < self.threshold and key:
            self.targets[family].setdefault(key, (truth, where))

    def _ratios(self, metric: registry.Metric, frame: pd.DataFrame, where: str) -> None:
        for ratio, counts in metric.ratios.items():
            if ratio not in frame:
                continue
            for column in counts:
                flag = hidden_column(column)
                if flag in frame:
                    leak = frame[ratio].notna() & frame[flag].astype(bool)
                    if leak.any():
                        self.result.problems.append(f"{ratio} shown beside a hidden {column}: {where}")

    def _shares(self, frame: pd.DataFrame, where: str) -> None:
        """As the Outcomes page reads a row: no share, rate or printed share beside a hidden count."""
        hidden = frame[hidden_column("pupils")].astype(bool)
        for column in ("share_pct", "rate_pct", "printed_pct"):
            if column in frame and (frame[column].notna() & hidden).any():
                self.result.problems.append(f"{column} shown beside a hidden count: {where}")
        if "enrolled" in frame:
            implied = (pd.to_numeric(frame["printed_pct"], errors="coerce") * frame["enrolled"] / 100).round()
            tiny = frame["printed_pct"].notna() & (implied > 0) & (implied < self.threshold)
            if tiny.any():
                self.result.problems.append(f"a printed share names a small count with its base: {where}")

    def _stated(self, frame: pd.DataFrame) -> None:
        """The municipality's own printed totals beside the schools' cells: equal to their sum, the
        same equation; larger, an upper bound on it."""
        for row in frame[frame["count_value"].notna() & ~frame["count_value_hidden"].astype(bool)].itertuples():
            name = {"iap_count": "pumpurs_iap", "participants": "pumpurs_participants"}.get(row.measure)
            if name is None:
                continue
            cells = self.families[name].cells
            mine = cells[(cells["period"] == row.period) & (cells["semester"] == row.semester) & cells["is_municipal"]]
            if mine.empty:
                continue
            key, total = frozenset(mine["cell"].astype(int)), float(mine["value"].sum())
            if abs(total - row.count_value) <= TOLERANCE:
                self.equal[name][key] = float(row.count_value)
            elif row.count_value > total:
                self.upper[name][key] = float(row.count_value)

    # -- the attack ---------------------------------------------------------------------------------

    def attack(self) -> Result:
        """Every hidden small figure's feasible range, family by family (a family's cells are not tied
        to another family's by anything published)."""
        for name, fam in self.families.items():
            targets = dict(self.targets[name])
            for cell in np.flatnonzero(fam.pattern.hidden & ~fam.table.slack):
                value = fam.table.values[cell]
                if 0 < value < self.threshold:
                    targets.setdefault(frozenset([int(cell)]), (float(value), f"cell {cell} of {name}"))
            self.result.equations += len(self.equal[name]) + len(self.upper[name])
            self.result.hidden_small += len(targets)
            if targets:
                self._solve(name, fam, targets)
        return self.result

    def _solve(self, name: str, fam: disclosure.Family, targets: dict) -> None:
        n = len(fam.table.values)
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        inf = highspy.kHighsInf
        h.addVars(n, np.zeros(n), np.full(n, inf))
        for bounds in (self.equal[name], self.upper[name]):
            for cells, value in bounds.items():
                index = np.array(sorted(cells), dtype=np.int32)
                low = value if bounds is self.equal[name] else -inf
                h.addRow(low, value, len(index), index, np.ones(len(index)))
        for margin, side in enumerate(fam.table.side):  # a group count is the sum of its sub-risks
            if side == "node":
                cells, signs = fam.table.signs(margin)
                h.addRow(0.0, 0.0, len(cells), cells.astype(np.int32), signs)
        everything = np.arange(n, dtype=np.int32)
        for cells, (truth, where) in targets.items():
            cost = np.zeros(n)
            cost[sorted(cells)] = 1.0
            h.changeColsCost(n, everything, cost)
            ends = []
            for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
                h.changeObjectiveSense(sense)
                status = _run(h)
                if status in (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible):
                    ends.append(float("inf"))
                elif status == highspy.HighsModelStatus.kOptimal:
                    ends.append(h.getInfo().objective_function_value)
                else:
                    self.result.problems.append(f"{name}: the attacker's model is {h.modelStatusToString(status)}")
                    return
            finding = Finding(name, where, truth, ends[0], ends[1])
            self.result.ranges.append(finding)
            self.result.narrowest = min(self.result.narrowest, finding.width)
            if finding.width < self.threshold - TOLERANCE:
                self.result.findings.append(finding)


def _run(h: highspy.Highs) -> highspy.HighsModelStatus:
    """Solve, and again from scratch when HiGHS ends undecided ("Unknown": a warm start after the
    objective changed sense can leave it so), then without presolve: the attacker tries harder, and a
    model still undecided after that is reported as a problem, never taken as a safe range."""
    h.run()
    for retry in ("clear", "presolve off"):
        if h.getModelStatus() != highspy.HighsModelStatus.kUnknown:
            break
        if retry == "presolve off":
            h.setOptionValue("presolve", "off")
        h.clearSolver()
        h.run()
    status = h.getModelStatus()
    h.setOptionValue("presolve", "choose")
    return status


def views(con: duckdb.DuckDBPyConnection, municipality: str, seed: int = 0, subsets: int = 3) -> Iterator[Filters]:
    """The choices of schools and years an attacker tries: none; each school with a hidden cell alone
    and all schools but it (the others' figures are sums of shown cells, which tell nothing new); each
    year alone, and with such a school alone or left out; and a few random subsets of schools and years."""
    rng = random.Random(seed)
    schools = [
        s
        for (s,) in con.execute(
            "SELECT school_id FROM school WHERE municipality = ? ORDER BY 1", [municipality]
        ).fetchall()
    ]
    years = _years(con, municipality)
    targets = _with_hidden_cells(con, municipality, schools)
    base = Filters(municipality=municipality)
    yield base
    for school in targets:
        yield base.model_copy(update={"schools": (school,)})
        yield base.model_copy(update={"schools": tuple(s for s in schools if s != school)})
    for year in years:
        yield base.model_copy(update={"years": (year,)})
        if targets:
            pick = rng.choice(targets)
            yield base.model_copy(update={"years": (year,), "schools": (pick,)})
            yield base.model_copy(update={"years": (year,), "schools": tuple(s for s in schools if s != pick)})
    for _ in range(subsets if schools else 0):
        chosen = tuple(sorted(rng.sample(schools, rng.randint(1, len(schools)))))
        picked = tuple(sorted(rng.sample(years, rng.randint(1, len(years))))) if years else ()
        yield base.model_copy(update={"schools": chosen, "years": picked})


def _years(con: duckdb.DuckDBPyConnection, municipality: str) -> list[str]:
    from metrics.query import run_sql

    return run_sql(con, "filter_options.sql", {"municipality": municipality})["school_year"].tolist()


def _with_hidden_cells(con: duckdb.DuckDBPyConnection, municipality: str, schools: list[str]) -> list[str]:
    found: set[str] = set()
    for name in disclosure.BUILDERS:
        fam = disclosure.family(con, name, municipality, 5)
        if "school_id" in fam.cells:
            found |= set(fam.cells.loc[fam.pattern.hidden, "school_id"].dropna())
    return [s for s in schools if s in found]


def relevant(con: duckdb.DuckDBPyConnection, municipality: str, threshold: int = 5) -> list[str]:
    """The count metrics worth attacking: those reading a family with anything hidden (a figure made of
    shown cells only is 0 or at least the threshold and tells nothing new), and those with counts
    of their own (checked for a small count shown)."""
    busy = {
        name
        for name in disclosure.BUILDERS
        if (fam := disclosure.family(con, name, municipality, threshold)).pattern.hidden.any()
        or not fam.pattern.published.all()
    }
    chosen = []
    for metric_id, metric in registry.METRICS.items():
        if not metric.counts:
            continue
        declared = (
            [metric.cells({**metric.defaults, **v}) for v in VARIANTS.get(metric_id, [{}])] if metric.cells else []
        )
        specs = [c for found in declared for cells in found.values() for c in cells]
        if not specs or any(c.family in busy or (c.covers and set(c.covers.families.values()) & busy) for c in specs):
            chosen.append(metric_id)
    return chosen


def audit(
    con: duckdb.DuckDBPyConnection,
    municipality: str,
    threshold: int = 5,
    filters: Iterable[Filters] | None = None,
    metrics: Iterable[str] | None = None,
) -> Result:
    """Every count metric worth attacking in every view (``views`` unless given), then the attack."""
    with disclosure.steady(con):
        attacker = Attacker(con, municipality, threshold)
        chosen = list(metrics) if metrics is not None else relevant(con, municipality, threshold)
        for number, view in enumerate(filters if filters is not None else views(con, municipality)):
            view = view.model_copy(update={"threshold": threshold})
            for metric_id in chosen:
                if view.schools and metric_id in ROW_PER_SCHOOL and number % 5:
                    continue
                if view.years and metric_id not in ADDS_UP_YEARS and number % 5:
                    continue
                params = {"municipalities": [municipality]} if metric_id == "compare_municipalities" else {}
                for variant in VARIANTS.get(metric_id, [{}]):
                    attacker.view(metric_id, view, **params, **variant)
        return attacker.attack()


@cache
def _specs() -> tuple[tuple[disclosure.Cells, disclosure.Covers | None], ...]:
    """Every cell declaration of the registry (all parameter variants), each once, for every key
    whatever row it would apply to; with the printed totals it covers, if any."""
    found: dict[str, tuple[disclosure.Cells, disclosure.Covers | None]] = {}
    for metric_id, metric in registry.METRICS.items():
        if metric.cells is None:
            continue
        for variant in VARIANTS.get(metric_id, [{}]):
            for cells in metric.cells({**metric.defaults, **variant}).values():
                for spec in cells:
                    plain = replace(spec, rows=None, covers=None)
                    found.setdefault(repr(plain) + repr(spec.covers), (plain, spec.covers))
    return tuple(found.values())


def simulate(con: duckdb.DuckDBPyConnection, municipality: str, threshold: int = 5, seed: int = 0) -> Result:
    """The family-level attack: every figure the registry's cell declarations can form (each key of
    each declaration: a school's cell, a semester's, a year's, a school's total, a group's ...) for
    every choice of schools (none, each alone, all but each, random subsets) and years (all, each
    alone, all but each), decided by the same code as the pages (``Pattern.revealing``, the small-count
    rule, printed totals covering the schools' cells) but without running each metric's SQL, so that
    hundreds of random municipalities can be attacked. That the declarations match the SQL is checked
    on the sample municipalities (``audit``: every shown figure must be the sum of its cells)."""
    rng = random.Random(seed)
    with disclosure.steady(con):
        attacker = Attacker(con, municipality, threshold)
        schools = [
            s for (s,) in con.execute("SELECT school_id FROM school WHERE municipality = ?", [municipality]).fetchall()
        ]
        years = sorted(int(y[:4]) for y in _years(con, municipality))
        school_views: list[tuple[str, ...]] = [()] + [(s,) for s in schools]
        school_views += [tuple(x for x in schools if x != s) for s in schools if len(schools) > 2]
        school_views += [tuple(rng.sample(schools, rng.randint(1, len(schools)))) for _ in range(2) if schools]
        year_views: list[tuple[int, ...]] = [()] + [(y,) for y in years]
        year_views += [tuple(x for x in years if x != y) for y in years if len(years) > 2]
        everyone = disclosure.Scope(municipality, (), (), threshold, reads_schools=False, reads_years=False)
        sets: dict[str, dict[frozenset, str]] = {name: {} for name in attacker.families}
        covered: list[tuple[np.ndarray, bool, str]] = []
        for spec, covers in _specs():
            fam = attacker.families[spec.family]
            view = fam.views[spec.view]
            keep = pd.Series(True, index=view.index)
            for column in spec.where:
                keep &= view[column].fillna(False).astype(bool)
            for column, value in spec.equals.items():
                keep &= view[column] == value
            view = view[keep]
            keys = view[list(spec.on.values())].drop_duplicates().set_axis(list(spec.on), axis=1)
            keys = keys.reset_index(drop=True) if spec.on else pd.DataFrame(index=[0])
            groups = disclosure.figure_cells(keys, spec, fam, everyone)
            start = fam.cells["start_year"].to_numpy(dtype=float)
            end = fam.cells["end_year"].to_numpy(dtype=float)
            owners = [fam.cells[c].astype(str).to_numpy() for c in spec.schools if c in fam.cells]
            if covers is not None:
                covered += _covers(keys, replace(spec, covers=covers), attacker, fam, groups, everyone)
            for chosen in school_views:
                in_schools = np.ones(len(start), dtype=bool)
                if chosen and owners:
                    in_schools = np.isin(owners[0], chosen)
                    for other in owners[1:]:
                        in_schools |= np.isin(other, chosen)
                for picked in year_views:
                    mask = in_schools.copy()
                    if picked and spec.years:
                        wanted = np.array(picked)[None, :]
                        mask &= ((wanted >= start[:, None]) & (wanted <= end[:, None])).any(axis=1)
                    for cells in groups:
                        part = cells[mask[cells]] if len(cells) else cells
                        if len(part):
                            sets[spec.family].setdefault(frozenset(int(c) for c in part), f"{spec.family}/{spec.view}")
        for name, found in sets.items():
            fam = attacker.families[name]
            cells = [np.array(sorted(s), dtype=np.int64) for s in found]
            values = np.array([fam.table.values[c].sum() for c in cells])
            hidden = fam.pattern.revealing(cells) | ((values > 0) & (values < threshold))
            for c, value, gone, where in zip(cells, values, hidden, found.values(), strict=True):
                attacker.see(name, c, float(value), None if gone else float(value), where)
        for cells, gone, name in covered:
            fam = attacker.families[name]
            attacker.result.figures += 1
            if not gone:  # a printed total shown: the schools' total it covers is known (or bounded)
                attacker.equal[name][frozenset(int(c) for c in cells)] = float(fam.table.values[cells].sum())
        attacker.result.views = len(school_views) * len(year_views)
        return attacker.attack()


def _covers(keys, spec, attacker, fam, groups, everyone) -> list[tuple[np.ndarray, bool, str]]:
    """Printed totals: each with the schools' cells it covers, and whether the pages hide it."""
    out = []
    values = pd.Series([fam.table.values[c].sum() if len(c) else np.nan for c in groups])
    frame = keys.assign(_value=values)
    gone = disclosure.hidden_figures(frame, "_value", [spec], lambda n: attacker.families[n], everyone)
    for kind, name in spec.covers.families.items():
        rows = np.flatnonzero((frame[spec.covers.by] == kind).to_numpy())
        other = attacker.families[name]
        part = frame.iloc[rows].reset_index(drop=True)
        linked = disclosure.figure_cells(
            part, disclosure.Cells(name, on=spec.covers.on, equals=spec.covers.equals, schools=()), other, everyone
        )
        for i, cells in zip(rows, linked, strict=True):
            if len(cells) and values[i] >= other.table.values[cells].sum():
                out.append((cells, bool(gone[i]), name))
    return out
