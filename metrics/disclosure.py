"""Disclosure control: cell suppression with protection intervals, decided once per municipality.

Every count the dashboard publishes is a sum of **cells**: the fact rows of one kind (a school's
pupils in a school year, its Pumpurs plans in a semester, its pupils with a risk, an outcome count).
A *family* is one kind of cell with the totals the unfiltered municipal view publishes over them
(its **margins**): e.g. the Pumpurs plans by school and semester, with the semester totals (columns)
and each school's total over all semesters (rows). Margins form a two-way table: every cell is in at
most one row and one column margin (either may be missing). Where a published figure is itself a sum
inside the table (a school's count of a risk group is the sum of its sub-risks; a sub-risk's total is
the sum of the schools' counts of it), it is a cell of its own tied to its parts by an identity
**node**, so that the table stays a flow network and the figure is protected like any cell.

1. **Primary suppression.** A cell, or a margin, with 0 < value < threshold is sensitive. Sensitive
   cells are hidden; a sensitive margin is not published (it is a hidden figure too).
2. **Protection intervals.** Given everything published (shown cells and margins), an attacker can
   narrow a hidden figure down to a feasible range. For a two-way table of sums that range is
   exactly a pair of maximum flows (how far the figure can move up and down along alternating cycles
   of hidden cells), so it is computed exactly, without a solver (``_Network``). Every sensitive
   figure must keep a range at least ``threshold`` wide.
3. **Complementary suppression.** Where a range is too narrow, the cheapest way to widen it is found
   as a shortest path through the shown cells (cost: the cell's value + 1, so the smallest cells and
   the fewest are hidden first), those cells are hidden, and the ranges recomputed. A range never
   narrows when more is hidden, so one pass over the sensitive figures suffices. If no cell can help
   (rare: e.g. a school whose whole row is small and has nothing to trade with), the least telling
   total that lets one help stops being published (a school's total before a semester's or a
   group's, smallest first); the figures made of it are then hidden by the rule below.
4. **Every other view.** A count in any view (chosen schools, chosen years, merged schools, another
   page, a rate's numerator) is a sum over some of the family's cells. It is shown only if the hidden
   cells it contains are none, or a combination (linear span) of the hidden parts of published
   margins: then its value follows from what is already published and says nothing new. Otherwise it
   is hidden too. So a subset of schools can never be differenced against the whole, a School profile
   shows nothing the Pumpurs page hides, and a ratio is hidden with the counts it is made of
   (``privacy.hide_ratios``).

The outcome of this module is a ``Pattern`` per family (hidden cells, published margins and the span
of their hidden parts), cached by the family's content, and ``hide``, which the metric registry
applies to every count column of every metric frame (``Metric.cells`` says which cells a row adds
up). Pure numpy/pandas, no solver; ``tests/metrics/test_disclosure_audit.py`` checks the result with a
linear-programming attacker (HiGHS) over every view.
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from metrics.query import run_sql

BIG = 1 << 40  # "unbounded" capacity: a hidden cell can always be larger


# ---------------------------------------------------------------------------------------------
# The table: cells, margins, and the exact feasible ranges of hidden figures.


@dataclass
class Table:
    """One family's cells and margins for one municipality.

    ``values`` (n,): the cells' true values. ``row``/``col`` (n,): index of the cell's row / column
    margin, -1 for none. ``side`` (m,): "row", "col" or "node" per margin. A "node" is not a total but
    an identity between cells: its column cells add up to its row cells (a school's count of a risk
    group is the sum of its sub-risks), so it always holds, is never a sensitive figure and chains a
    row to columns through it. ``slack`` (n,): cells that stand for an unknown remainder (a printed
    municipal total above the sum of the schools): always hidden, never published on their own,
    never sensitive.
    """

    values: np.ndarray
    row: np.ndarray
    col: np.ndarray
    side: list[str]
    slack: np.ndarray

    def signs(self, margin: int) -> tuple[np.ndarray, np.ndarray]:
        """The margin's cells and their signs in its equation (+1; a node's row cells -1)."""
        as_row, as_col = np.flatnonzero(self.row == margin), np.flatnonzero(self.col == margin)
        sign = -1.0 if self.side[margin] == "node" else 1.0
        return np.r_[as_row, as_col], np.r_[np.full(len(as_row), sign), np.ones(len(as_col))]

    @property
    def margin_sums(self) -> np.ndarray:
        sums = np.zeros(len(self.side))
        node = np.array([side == "node" for side in self.side], dtype=bool)
        for ends, flip in ((self.row, True), (self.col, False)):
            inside = ends >= 0
            signed = self.values[inside] * np.where(flip & node[ends[inside]], -1.0, 1.0)
            np.add.at(sums, ends[inside], signed)
        return sums

    def members(self, margin: int) -> np.ndarray:
        return np.flatnonzero((self.row == margin) | (self.col == margin))


class _Network:
    """A small flow network (adjacency lists, residual capacities; arc ``a ^ 1`` is ``a``'s reverse)."""

    def __init__(self, nodes: int) -> None:
        self.adj: list[list[int]] = [[] for _ in range(nodes)]
        self.to: list[int] = []
        self.cap: list[int] = []

    def arc(self, u: int, v: int, cap: int) -> None:
        self.adj[u].append(len(self.to))
        self.to.append(v)
        self.cap.append(cap)
        self.adj[v].append(len(self.to))
        self.to.append(u)
        self.cap.append(0)

    def push(self, s: int, t: int, limit: int) -> int:
        """Send up to ``limit`` units from s to t (shortest augmenting paths); the amount sent."""
        if s == t:
            return limit
        flow = 0
        while flow < limit:
            prev = {s: -1}
            queue = [s]
            for u in queue:
                if u == t:
                    break
                for a in self.adj[u]:
                    if self.cap[a] > 0 and self.to[a] not in prev:
                        prev[self.to[a]] = a
                        queue.append(self.to[a])
            if t not in prev:
                break
            send, v = limit - flow, t
            while v != s:
                a = prev[v]
                send = min(send, self.cap[a])
                v = self.to[a ^ 1]
            v = t
            while v != s:
                a = prev[v]
                self.cap[a] -= send
                self.cap[a ^ 1] += send
                v = self.to[a ^ 1]
            flow += send
        return flow

    def cheapest(self, s: int, t: int, extra: dict[int, list[tuple[int, int, int]]]) -> list[int] | None:
        """The cells to add (``extra``: node -> (node, cell, cost) arcs of shown cells) on the cheapest
        path from s to t that may also use any residual arc at no cost; None when there is none."""
        best = {s: 0}
        back: dict[int, tuple[int, int]] = {}
        heap = [(0, s)]
        while heap:
            cost, u = heapq.heappop(heap)
            if u == t:
                cells, v = [], t
                while v != s:
                    v, cell = back[v]
                    if cell >= 0:
                        cells.append(cell)
                return cells
            if cost > best.get(u, BIG):
                continue
            steps = [(self.to[a], -1, 0) for a in self.adj[u] if self.cap[a] > 0]
            for v, cell, step in steps + extra.get(u, []):
                if cost + step < best.get(v, BIG):
                    best[v] = cost + step
                    back[v] = (u, cell)
                    heapq.heappush(heap, (cost + step, v))
        return None


class _Protector:
    """Hides cells (and, as a last resort, unpublishes margins) until every sensitive figure of the
    table keeps a feasible range at least ``threshold`` wide."""

    def __init__(self, table: Table, threshold: int) -> None:
        self.t, self.limit = table, int(threshold)
        values = table.values
        self.ints = np.rint(values).astype(np.int64)
        self.hidden = table.slack | ((values > 0) & (values < threshold))
        sums = table.margin_sums
        self.published = (sums == 0) | (sums >= threshold)
        self.sensitive_margins = np.flatnonzero(~self.published & (sums > 0))
        # components: margins joined by cells (node 0 is the free node, where unpublished margins and
        # missing ends go; it joins everything it touches)
        self.component = self._components()

    def _components(self) -> np.ndarray:
        parent = list(range(len(self.t.side) + 1))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for r, c in zip(self.t.row + 1, self.t.col + 1, strict=True):
            parent[find(int(r))] = find(int(c))
        roots = np.array([find(i) for i in range(len(parent))])
        return roots

    def node(self, margin: int, own: int = -1) -> int:
        """The network node of a margin: its own (index + 1) if published or asked for, else 0 (free)."""
        if margin < 0:
            return 0
        return margin + 1 if (self.published[margin] or margin == own) else 0

    def _cells_near(self, margins: Sequence[int]) -> np.ndarray:
        roots = {self.component[m + 1] for m in margins if m >= 0} | ({self.component[0]} if -1 in margins else set())
        ends = self.component[self.t.row + 1], self.component[self.t.col + 1]
        return np.flatnonzero(np.isin(ends[0], list(roots)) | np.isin(ends[1], list(roots)))

    def _network(self, cells: np.ndarray, skip: int, own: int) -> _Network:
        net = _Network(len(self.t.side) + 1)
        for a in cells:
            if a == skip or not self.hidden[a]:
                continue
            u, v = self.node(int(self.t.row[a]), own), self.node(int(self.t.col[a]), own)
            if u == v:
                continue
            net.arc(u, v, BIG)  # the cell grows: its row gives, its column takes
            if self.ints[a] > 0:
                net.arc(v, u, int(self.ints[a]))  # the cell shrinks, down to 0
        return net

    def _extra(self, cells: np.ndarray, skip: int, own: int) -> dict[int, list[tuple[int, int, int]]]:
        extra: dict[int, list[tuple[int, int, int]]] = {}
        for a in cells:
            if a == skip or self.hidden[a]:
                continue
            u, v = self.node(int(self.t.row[a]), own), self.node(int(self.t.col[a]), own)
            if u == v:
                continue
            cost = int(self.ints[a]) + 1
            extra.setdefault(u, []).append((v, int(a), cost))
            if self.ints[a] > 0:
                extra.setdefault(v, []).append((u, int(a), cost))
        return extra

    def ranges(self, item: tuple[str, int]) -> tuple[int, int, tuple]:
        """(how far the figure can rise, how far it can fall, the two networks' ends), each capped at the threshold."""
        kind, index = item
        if kind == "cell":
            margins = [int(self.t.row[index]), int(self.t.col[index])]
            r, c = self.node(margins[0]), self.node(margins[1])
            if r == c:
                return self.limit, self.limit, ()
            cells = self._cells_near(margins)
            up = self._network(cells, index, -1)
            down = self._network(cells, index, -1)
            rise = up.push(c, r, self.limit)
            fall = down.push(r, c, min(self.limit, int(self.ints[index])))
            return rise, fall, ((up, c, r, cells, index, -1), (down, r, c, cells, index, -1))
        node = index + 1
        cells = self._cells_near([index])
        up = self._network(cells, -1, index)
        down = self._network(cells, -1, index)
        # a column total rises with the flow into it, a row total with the flow out of it
        s, t = (0, node) if self.t.side[index] == "col" else (node, 0)
        rise = up.push(s, t, self.limit)
        fall = down.push(t, s, self.limit)
        return rise, fall, ((up, s, t, cells, -1, index), (down, t, s, cells, -1, index))

    def protect_item(self, item: tuple[str, int]) -> None:
        while True:
            rise, fall, nets = self.ranges(item)
            if rise + fall >= self.limit:
                return
            path = self._opening(item, nets, fall)
            if path:
                self.hidden[path] = True
            elif not self._loosen(item):
                self._unpublish(item)

    def _opening(self, item: tuple[str, int], nets: tuple, fall: int) -> list[int] | None:
        """The cheapest shown cells whose hiding lets the figure move further (up, else down)."""
        kind, index = item
        for (net, s, t, cells, skip, own), room in zip(
            nets, (True, kind != "cell" or fall < self.ints[index]), strict=True
        ):
            if room and (path := net.cheapest(s, t, self._extra(cells, skip, own))):
                return path
        return None

    def _loosen(self, item: tuple[str, int]) -> bool:
        """When no cell can help, stop publishing the least telling total that lets one help: a school's
        total before a semester's or a group's (those add up to the headline figures), smallest first."""
        for margin in self._candidates(item):
            self.published[margin] = False
            rise, fall, nets = self.ranges(item)
            if rise + fall >= self.limit or self._opening(item, nets, fall):
                return True
            self.published[margin] = True
        return False

    def _candidates(self, item: tuple[str, int]) -> list[int]:
        kind, index = item
        ends = [int(self.t.row[index]), int(self.t.col[index])] if kind == "cell" else [index]
        root = {self.component[m + 1] for m in ends if m >= 0} or {self.component[0]}
        sums = self.t.margin_sums
        found = [
            int(m)
            for m in np.flatnonzero(self.published)
            if self.t.side[m] != "node" and self.component[m + 1] in root and m not in ends
        ]
        return sorted(found, key=lambda m: (self.t.side[m] != "row", sums[m], m))

    def _unpublish(self, item: tuple[str, int]) -> None:
        """The last resort: stop publishing the smallest published total that pins the figure (its own
        row or column first, then any in its part of the table)."""
        kind, index = item
        own = [int(m) for m in ((self.t.row[index], self.t.col[index]) if kind == "cell" else ()) if m >= 0]
        own = [m for m in own if self.published[m] and self.t.side[m] != "node"]
        sums = self.t.margin_sums
        if own:
            self.published[min(own, key=lambda m: (sums[m], m))] = False
            return
        rest = self._candidates(item)
        if not rest:  # cannot happen: with nothing published around it a figure is free
            raise RuntimeError("disclosure: nothing left to unpublish")
        self.published[rest[0]] = False

    def run(self) -> None:
        primary = np.flatnonzero(~self.t.slack & (self.t.values > 0) & (self.t.values < self.limit))
        for index in primary:
            self.protect_item(("cell", int(index)))
        for margin in self.sensitive_margins:
            self.protect_item(("margin", int(margin)))


def feasible_width(table: Table, hidden: np.ndarray, published: np.ndarray, threshold: int) -> dict:
    """The feasible width (rise + fall, capped at the threshold) of every sensitive figure for a given
    pattern (tests compare it with linear programming)."""
    p = _Protector(table, threshold)
    p.hidden, p.published = hidden.copy(), published.copy()
    out = {}
    for index in np.flatnonzero(~table.slack & (table.values > 0) & (table.values < threshold)):
        rise, fall, _ = p.ranges(("cell", int(index)))
        out[("cell", int(index))] = min(rise + fall, threshold)
    for margin in np.flatnonzero(~published & (table.margin_sums > 0) & (table.margin_sums < threshold)):
        rise, fall, _ = p.ranges(("margin", int(margin)))
        out[("margin", int(margin))] = min(rise + fall, threshold)
    return out


@dataclass
class Pattern:
    """The result for one family: which cells are hidden, which margins are published, and the span
    of the published margins' hidden parts, block by block (``blocks``: the hidden cells' positions
    in a block of the table that published margins tie together, and orthonormal rows spanning the
    margins' hidden parts over them)."""

    hidden: np.ndarray
    published: np.ndarray
    position: np.ndarray  # cell -> its position among the hidden cells (-1 for a shown cell)
    blocks: list[tuple[np.ndarray, np.ndarray]]

    def revealing(self, cells: Sequence[np.ndarray]) -> np.ndarray:
        """For each figure (its cells), True where it would say something the published figures do
        not: it contains hidden cells outside the span of the published margins' hidden parts."""
        out = np.zeros(len(cells), dtype=bool)
        width = int((self.position >= 0).sum())
        rows = [(i, self.position[c[self.hidden[c]]]) for i, c in enumerate(cells) if len(c) and self.hidden[c].any()]
        if not rows:
            return out
        residual = np.zeros((len(rows), width))
        for j, (_, positions) in enumerate(rows):
            np.add.at(residual[j], positions, 1.0)
        for positions, basis in self.blocks:
            part = residual[:, positions]
            residual[:, positions] = part - (part @ basis.T) @ basis
        out[[i for i, _ in rows]] = np.abs(residual).max(axis=1) > 1e-7
        return out


def protect(table: Table, threshold: int) -> Pattern:
    """The suppression pattern of one table (see the module docstring)."""
    p = _Protector(table, threshold)
    p.run()
    hidden, published = p.hidden, p.published
    position = np.full(len(hidden), -1)
    position[hidden] = np.arange(int(hidden.sum()))
    # blocks: hidden cells tied together by published margins (the span is the sum of the blocks')
    parent = list(range(len(table.side)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r, c in zip(table.row[hidden], table.col[hidden], strict=True):
        if r >= 0 and c >= 0 and published[r] and published[c]:
            parent[find(int(r))] = find(int(c))
    blocks: list[tuple[np.ndarray, np.ndarray]] = []
    by_root: dict[int, list[int]] = {}
    for m in np.flatnonzero(published):
        by_root.setdefault(find(int(m)), []).append(int(m))
    for margins in by_root.values():
        rows, positions = [], set()
        for m in margins:
            cells, signs = table.signs(m)
            inside = hidden[cells]
            if inside.any():
                rows.append((position[cells[inside]], signs[inside]))
                positions |= set(position[cells[inside]].tolist())
        if not rows:
            continue
        order = np.array(sorted(positions))
        local = {p_: i for i, p_ in enumerate(order)}
        matrix = np.zeros((len(rows), len(order)))
        for j, (where, signs) in enumerate(rows):
            matrix[j, [local[w] for w in where]] = signs
        _, s, vt = np.linalg.svd(matrix, full_matrices=False)
        blocks.append((order, vt[: int((s > 1e-9 * max(1.0, s.max())).sum())]))
    return Pattern(hidden=hidden, published=published, position=position, blocks=blocks)


# ---------------------------------------------------------------------------------------------
# The families: cells from the fact tables, with the margins the unfiltered view publishes.


@dataclass
class Family:
    """A family's cells (``cells``: attribute columns and ``value``), their table and its pattern, and
    named **views**: lookup tables (attribute columns + ``cell``) through which a published figure
    names the cells it adds up (a cell can stand in several views, e.g. a school's outcome count is
    both its own figure and part of the printed municipal figure)."""

    name: str
    cells: pd.DataFrame
    table: Table
    pattern: Pattern
    views: dict[str, pd.DataFrame] = field(default_factory=dict)
    margin_keys: list[Hashable] = field(default_factory=list)


def _table(cells: pd.DataFrame) -> tuple[Table, list[Hashable]]:
    """Margins from the cells' ``row`` and ``col`` labels (None: no margin). A label ("node", ...) is
    an identity node (``Table``), the same margin whether a cell names it as its row or its column."""
    keys: dict[Hashable, int] = {}
    sides: list[str] = []

    def index(labels: pd.Series, side: str) -> np.ndarray:
        out = np.full(len(labels), -1)
        for i, label in enumerate(labels):
            if label is None or (isinstance(label, float) and np.isnan(label)):
                continue
            kind = "node" if isinstance(label, tuple) and label and label[0] == "node" else side
            key = (kind, label)
            if key not in keys:
                keys[key] = len(sides)
                sides.append(kind)
            out[i] = keys[key]
        return out

    row, col = index(cells["row"], "row"), index(cells["col"], "col")
    table = Table(
        values=cells["value"].to_numpy(dtype=float),
        row=row,
        col=col,
        side=sides,
        slack=cells["slack"].to_numpy(dtype=bool) if "slack" in cells else np.zeros(len(cells), dtype=bool),
    )
    return table, list(keys)


def _frame(con: duckdb.DuckDBPyConnection, name: str, municipality: str) -> pd.DataFrame:
    return run_sql(con, name, {"municipality": municipality})


View = Callable[[pd.DataFrame], pd.DataFrame]
Built = tuple[pd.DataFrame, dict[str, View]]
ALL: dict[str, View] = {"cells": lambda cells: cells}


def _enrolment(raw: pd.DataFrame, municipality: str) -> Built:
    cells = raw.rename(columns={"pupils": "value"})
    cells["row"] = None
    cells["col"] = list(cells["school_year"])  # the municipality's pupils in a school year
    return cells, ALL


def _pumpurs(raw: pd.DataFrame, municipality: str, measure: str) -> Built:
    cells = raw[raw[measure].notna()].rename(columns={measure: "value"}).reset_index(drop=True)
    municipal = cells["is_municipal"].astype(bool)
    # columns: the municipal schools' total of a semester (a span reported whole is its own column);
    # rows: a school's total over everything (plans add up over semesters; pupils only over whole spans)
    cells["col"] = [
        (p, s) if m else None for p, s, m in zip(cells["period"], cells["semester"], municipal, strict=True)
    ]
    counted = (cells["semester"] == "all") if measure == "participants" else pd.Series(True, index=cells.index)
    cells["row"] = [sid if c else None for sid, c in zip(cells["school_id"], counted, strict=True)]
    return cells, ALL


def _stated(raw: pd.DataFrame, municipality: str) -> Built:
    cells = raw.rename(columns={"count_value": "value"})
    cells["row"], cells["col"] = None, None  # printed on their own: nothing here adds up to them
    return cells, ALL


def _risk(raw: pd.DataFrame, municipality: str) -> Built:
    """Risk counts per school, period, group and sub-risk. Where a group's sub-risks are all counted
    and add up to the group's count (the demo's reports), the group count (``groupsum``) is tied to
    its sub-risks (``nested``) by an identity node, so that a school's group count is protected as a
    figure of its own although only its sub-risks are totalled across schools; otherwise the group
    count is a plain cell (``group``) and its sub-risks, if any, cells that add up only to their own
    totals (``sub``). Each sub-risk's total over the schools is a cell too (``colsum``), tied to its
    schools' counts by a node, so that the protection may hide a sub-risk total and keep the group's."""
    raw = raw[raw["pupils"].notna()].reset_index(drop=True)
    key = ["school_id", "period", "risk_group"]
    groups = {tuple(k): v for *k, v in raw.loc[raw["sub_risk"] == "", [*key, "pupils"]].itertuples(index=False)}
    sums: dict[tuple, float] = {}
    for *k, v in raw.loc[(raw["sub_risk"] != "") & raw["complete_subs"], [*key, "pupils"]].itertuples(index=False):
        sums[tuple(k)] = sums.get(tuple(k), 0.0) + v
    nested = {k for k, v in sums.items() if k in groups and groups[k] == v}
    kinds = []
    for row in raw[[*key, "sub_risk"]].itertuples(index=False):
        inside = tuple(row[:3]) in nested
        kinds.append(("nested" if inside else "sub") if row.sub_risk else ("groupsum" if inside else "group"))
    cells = raw.assign(kind=kinds).rename(columns={"pupils": "value"})
    report = cells["complete_report"].astype(bool)
    cells["in_group"] = cells["kind"].isin(["group", "groupsum"])
    cells["in_sub"] = cells["kind"].isin(["nested", "sub"]) & cells["complete_subs"].astype(bool)
    # Rows: a school's identified risks in a period (the focus list), made of its group counts. Nodes:
    # a school's group count is the sum of its sub-risks; a sub-risk's total is the sum of the schools'
    # counts of it. Columns: a group's total, made of its sub-risk totals (``colsum`` cells, which
    # can be hidden like any cell) and the group counts without a breakdown, where that is what it is.
    node = [("node", s, p, g) for s, p, g in zip(cells["school_id"], cells["period"], cells["risk_group"], strict=True)]
    rows = []
    for kind, s_, p_, r, n in zip(cells["kind"], cells["school_id"], cells["period"], report, node, strict=True):
        rows.append(n if kind == "nested" else ((s_, p_) if kind in ("group", "groupsum") and r else None))
    cells["row"] = rows
    unclean = {
        (p, g)
        for p, g, kind, r in zip(cells["period"], cells["risk_group"], cells["kind"], report, strict=True)
        if kind == "sub" or (kind == "nested" and not r)
    }
    cols = []
    for row, n in zip(cells.itertuples(), node, strict=True):
        if row.kind == "groupsum":
            cols.append(n)
        elif row.in_sub:
            cols.append(("node", "total", row.period, row.risk_group, row.sub_risk))
        elif row.kind == "group" and row.complete_report and (row.period, row.risk_group) not in unclean:
            cols.append(("group", row.period, row.risk_group))
        else:
            cols.append(None)
    cells["col"] = cols
    totals = cells[cells["in_sub"]].groupby(["period", "risk_group", "sub_risk"], sort=False)
    colsums = totals.agg(value=("value", "sum"), start_year=("start_year", "first"), end_year=("end_year", "first"))
    colsums = colsums.reset_index().assign(
        kind="colsum", school_id=None, in_group=False, in_sub=False, complete_report=False, complete_subs=False,
        one_year=lambda d: d["start_year"] == d["end_year"], with_plans=False, school_year=lambda d: d["period"],
    )  # fmt: skip
    colsums["row"] = [("node", "total", p, g, sub) for p, g, sub in
                      zip(colsums["period"], colsums["risk_group"], colsums["sub_risk"], strict=True)]  # fmt: skip
    colsums["col"] = [None if (p, g) in unclean else ("group", p, g) for p, g in
                      zip(colsums["period"], colsums["risk_group"], strict=True)]  # fmt: skip
    cells = pd.concat([cells, colsums[[c for c in colsums.columns if c in cells.columns]]], ignore_index=True)
    return cells, {
        "cells": lambda c: c,
        "group": lambda c: c[c["in_group"]],
        "sub": lambda c: c[c["kind"].isin(["nested", "sub"])],
    }


OUTCOME_KEY = ("school_year", "level", "topic", "subject", "threshold")


def _outcome(raw: pd.DataFrame, municipality: str) -> Built:
    """Outcome counts per school and the printed municipal figure. Where the municipal figure equals
    the schools' sum it is their total; where it is larger, their total plus an unknown remainder (a
    slack cell: the schools without a figure); otherwise (smaller, or no school counts at all) it is a
    figure of its own and the schools' sum is not published as a total."""
    key = list(OUTCOME_KEY)
    raw = raw.assign(_key=list(zip(*(raw[k] for k in key), strict=True)) if len(raw) else [])
    municipal = raw["municipal"].astype(bool)
    schools, whole = raw[~municipal], raw[municipal].drop_duplicates("_key")
    total = schools.groupby("_key")["pupils"].sum()
    printed = whole.set_index("_key")["pupils"]
    summed = {k for k, v in total.items() if k not in printed.index or printed[k] >= v}
    own = schools.assign(
        col=[k if k in summed else None for k in schools["_key"]],
        slack=False,
        in_municipal=[k in summed and k in printed.index for k in schools["_key"]],
    )
    rest = [(k in summed, total.get(k)) for k in whole["_key"]]
    whole = whole.assign(
        pupils=[v - t if inside else v for v, (inside, t) in zip(whole["pupils"], rest, strict=True)],
        col=[k if inside else None for k, (inside, _) in zip(whole["_key"], rest, strict=True)],
        slack=[inside for inside, _ in rest],
        in_municipal=True,
    )
    whole = whole[~whole["slack"] | (whole["pupils"] > 0)]  # equal to the schools' sum: it is their total
    cells = pd.concat([own, whole], ignore_index=True).drop(columns="_key").rename(columns={"pupils": "value"})
    cells["row"] = None
    cells["slack"] = cells["slack"].astype(bool)
    cells["in_municipal"] = cells["in_municipal"].astype(bool)
    cells["in_schools"] = ~cells["municipal"].astype(bool)

    def figures(c: pd.DataFrame) -> pd.DataFrame:
        """A school's own figure under its code, the municipal figure under the municipality's."""
        own = c[c["in_schools"]].assign(figure=lambda d: d["scope"])
        return pd.concat([own, c[c["in_municipal"]].assign(figure=municipality)], ignore_index=True)

    return cells, {
        "cells": lambda c: c,
        "schools": lambda c: c[c["in_schools"]],
        "municipal": lambda c: c[c["in_municipal"]],
        "figures": figures,
    }


# family -> (the SQL of its cells, how the cells and their margins are read from it)
BUILDERS: dict[str, tuple[str, Callable[[pd.DataFrame, str], Built]]] = {
    "enrolment": ("cells_enrolment.sql", _enrolment),
    "pumpurs_iap": ("cells_pumpurs.sql", lambda raw, m: _pumpurs(raw, m, "iap_count")),
    "pumpurs_participants": ("cells_pumpurs.sql", lambda raw, m: _pumpurs(raw, m, "participants")),
    "pumpurs_stated": ("cells_stated.sql", _stated),
    "risk": ("cells_risk.sql", _risk),
    "outcome": ("cells_outcome.sql", _outcome),
}


def _content_key(frame: pd.DataFrame) -> str:
    digest = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    return hashlib.sha1(digest.tobytes() + "|".join(map(str, frame.columns)).encode()).hexdigest()


_FAMILIES: dict[tuple, Family] = {}
_STEADY: dict[int, dict[tuple, Family]] = {}


@contextmanager
def steady(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Within the block the database behind ``con`` does not change, so each family is read once
    (a long audit or a batch of reports; the app caches whole metric frames instead)."""
    _STEADY[id(con)] = {}
    try:
        yield
    finally:
        _STEADY.pop(id(con), None)


def family(con: duckdb.DuckDBPyConnection, name: str, municipality: str, threshold: int) -> Family:
    """A family of a municipality with its pattern. One query of the cells each time; the rest is
    cached by the cells' content and the threshold, so a rebuilt or imported database is protected
    afresh and an unchanged one costs only that query."""
    memo = _STEADY.get(id(con))
    if memo is not None:
        if (name, municipality, threshold) not in memo:
            memo[(name, municipality, threshold)] = _family(con, name, municipality, threshold)
        return memo[(name, municipality, threshold)]
    return _family(con, name, municipality, threshold)


def _family(con: duckdb.DuckDBPyConnection, name: str, municipality: str, threshold: int) -> Family:
    sql, build = BUILDERS[name]
    raw = _frame(con, sql, municipality)
    key = (name, municipality, int(threshold), _content_key(raw))
    found = _FAMILIES.get(key)
    if found is None:
        cells, views = build(raw, municipality)
        cells = cells.reset_index(drop=True).assign(cell=lambda d: np.arange(len(d)))
        table, keys = _table(cells)
        views = {k: view(cells) for k, view in views.items()}
        found = Family(name, cells, table, protect(table, threshold), views, keys)
        if len(_FAMILIES) > 256:
            _FAMILIES.clear()
        _FAMILIES[key] = found
    return found  # not read back from the shared dict: another session's thread may clear it meanwhile


# ---------------------------------------------------------------------------------------------
# Published figures: which cells each row of a metric frame adds up, and whether it may be shown.


@dataclass(frozen=True)
class Cells:
    """Which cells a count column adds up, row by row.

    ``family`` and ``view`` name the lookup table; ``on`` maps frame columns to view columns (a row
    adds up the cells that match it on all of them); ``where`` names boolean view columns that must
    all be true; ``schools`` the view columns the chosen schools are looked up in (a cell is in when any
    of them is chosen); ``years`` restricts the cells to the chosen school years (by overlap of
    ``start_year``..``end_year``) when the metric's SQL reads them; ``rows`` applies the spec only to
    frame rows where a column has one of the given values (several specs may share a column)."""

    family: str
    view: str = "cells"
    on: Mapping[str, str] = field(default_factory=dict)
    where: tuple[str, ...] = ()
    equals: Mapping[str, object] = field(default_factory=dict)
    schools: tuple[str, ...] = ("school_id",)
    years: bool = True
    rows: tuple[str, tuple] | None = None
    covers: Covers | None = None


@dataclass(frozen=True)
class Covers:
    """A printed municipal total beside the schools' cells it covers (another family, chosen per row by
    the value of ``by``): where it is at least their sum, it tells their total (equal) or a bound on it
    (larger), so it is shown only where their total could be."""

    by: str
    families: Mapping[str, str]
    on: Mapping[str, str]
    equals: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Scope:
    """What a frame was computed for: the municipality, chosen schools and years (empty: all), whether
    the metric's SQL reads them, and the threshold."""

    municipality: str
    schools: tuple[str, ...]
    start_years: tuple[int, ...]
    threshold: int
    reads_schools: bool = True
    reads_years: bool = True


def figure_cells(frame: pd.DataFrame, spec: Cells, fam: Family, scope: Scope) -> list[np.ndarray]:
    """For each frame row, the family's cells it adds up (an empty array for a row the spec does not cover)."""
    view = fam.views[spec.view]
    keep = np.ones(len(view), dtype=bool)
    for column in spec.where:
        keep &= view[column].fillna(False).to_numpy(dtype=bool)
    for column, value in spec.equals.items():
        keep &= (view[column] == value).to_numpy(dtype=bool)
    if scope.reads_schools and scope.schools and spec.schools:
        chosen = np.zeros(len(view), dtype=bool)
        for column in spec.schools:
            chosen |= view[column].isin(scope.schools).to_numpy(dtype=bool)
        keep &= chosen
    if spec.years and scope.reads_years and scope.start_years:
        end = view["end_year"] if "end_year" in view else view["start_year"]
        years = np.array(scope.start_years, dtype=float)[None, :]
        start, stop = view["start_year"].to_numpy(dtype=float)[:, None], end.to_numpy(dtype=float)[:, None]
        keep &= ((years >= start) & (years <= stop)).any(axis=1)
    empty = np.zeros(0, dtype=np.int64)
    out = [empty] * len(frame)
    rows = np.arange(len(frame))
    if spec.rows is not None:
        column, values = spec.rows
        rows = rows[frame[column].isin(values).to_numpy(dtype=bool)]
    cells = view["cell"].to_numpy(dtype=np.int64)[keep]
    if not len(rows) or not len(cells):
        return out
    if not spec.on:
        for i in rows:
            out[i] = cells
        return out
    found: dict[tuple, list[int]] = {}
    for key, cell in zip(_keys(view, spec.on.values(), keep), cells, strict=True):
        found.setdefault(key, []).append(int(cell))
    for i, key in zip(rows, _keys(frame, spec.on.keys(), rows), strict=True):
        if key in found:
            out[i] = np.array(found[key], dtype=np.int64)
    return out


def _keys(frame: pd.DataFrame, columns: Iterable[str], rows: np.ndarray) -> list[tuple]:
    """Row keys that match across types (a year as 2021, 2021.0 or "2021")."""

    def norm(value: object) -> object:
        if isinstance(value, bool | np.bool_):
            return bool(value)
        if isinstance(value, int | float | np.integer | np.floating):
            number = float(value)
            return None if np.isnan(number) else (int(number) if number.is_integer() else number)
        if isinstance(value, str) and value.lstrip("-").isdigit():
            return int(value)
        return None if value is None or value is pd.NA else value

    arrays = [frame[c].to_numpy(dtype=object)[rows] for c in columns]
    return [tuple(norm(v) for v in values) for values in zip(*arrays, strict=True)] if arrays else []


def small(values: pd.Series, threshold: int) -> np.ndarray:
    number = pd.to_numeric(values, errors="coerce").astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        return (number > 0) & (number < threshold)


def hidden_figures(
    frame: pd.DataFrame, column: str, specs: Sequence[Cells], families: Callable[[str], Family], scope: Scope
) -> np.ndarray:
    """Which values of a count column must be hidden: small ones (0 < value < threshold), and those
    that contain hidden cells outside the span of the published margins (they would tell more)."""
    values = frame[column]
    hide = small(values, scope.threshold)
    for spec in specs:
        fam = families(spec.family)
        cells = figure_cells(frame, spec, fam, scope)
        hide |= fam.pattern.revealing(cells)
        if spec.covers is not None:
            hide |= _covering(frame, column, spec.covers, families, scope)
    return hide & values.notna().to_numpy()


def _covering(frame: pd.DataFrame, column: str, covers: Covers, families: Callable[[str], Family], scope: Scope):
    """Rows whose printed total covers schools' cells that their own total could not show."""
    hide = np.zeros(len(frame), dtype=bool)
    everyone = Scope(scope.municipality, (), (), scope.threshold, reads_schools=False, reads_years=False)
    for kind, name in covers.families.items():
        rows = np.flatnonzero((frame[covers.by] == kind).to_numpy())
        if not len(rows):
            continue
        other = families(name)
        part = frame.iloc[rows].reset_index(drop=True)
        cells = figure_cells(part, Cells(name, on=covers.on, equals=covers.equals, schools=()), other, everyone)
        printed = pd.to_numeric(part[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        sums = np.array([other.table.values[c].sum() if len(c) else np.nan for c in cells])
        covered = [c if len(c) and printed[i] >= sums[i] - 1e-9 else c[:0] for i, c in enumerate(cells)]
        hide[rows] = other.pattern.revealing(covered)
    return hide
