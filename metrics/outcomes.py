"""Outcome indicators: which topics there are, on what basis each figure stands, and where two
figures must not be compared.

The documents report outcomes unevenly: Ludza has per-school rows and some municipal totals,
printed percentages whose base is not stated, and an "expelled" count that is not the early-leaving
indicator; Jēkabpils has municipal counts and printed shares only; the demo municipality has
complete per-school counts with enrolment. The SQL (``outcome_by_school.sql``,
``outcome_by_year.sql``) pairs each count with its printed share and recomputes rates as
sum(count) / sum(enrolment). This module holds the rules around those rows that are not SQL: the
order and grouping of topics, hiding a rate whose count is hidden, and the caveats a reader must
see (printed shares, shares that contradict their own counts, exam thresholds that change, sums of
only the schools that reported, and a municipal total checked against the sum of its schools).
"""

from __future__ import annotations

import pandas as pd

from metrics.privacy import hidden_column

# Display order. Pupils who left school come first: dropped out and not continuing elsewhere
# (the early-leaving indicator), then expelled (removed from the roll, a different basis).
TOPICS: tuple[str, ...] = (
    "dropped_out",
    "expelled",
    "repeaters",
    "promoted_insufficient",
    "insufficient_yearly_mark",
    "grade9_without_certificate",
    "grade12_without_certificate",
    "low_exam_result",
    "unexcused_hours_per_pupil",
    "pupils_with_unexcused_absences",
    "special_needs",
)
# Topics where more is not worse (drawn in a neutral colour scale).
NEUTRAL: frozenset[str] = frozenset({"special_needs"})
# Topics whose stage is part of their name, so the level is not repeated in a series label.
LEVEL_IMPLIED: frozenset[str] = frozenset({"grade9_without_certificate", "grade12_without_certificate"})
# Caveats that hold whatever the data: "expelled" counts removals from the roll (including
# transfers and extramural pupils; seed README judgement call 8), and the listed pupils with
# unexcused absences were chosen by a criterion the document does not state.
STANDING: dict[str, str] = {"expelled": "expelled_basis", "pupils_with_unexcused_absences": "selection_unknown"}
SERIES: tuple[str, ...] = ("level", "subject", "threshold")
# Each measure a topic can be drawn in: (value column, column saying on what basis it stands).
MEASURES: dict[str, tuple[str, str]] = {
    "pupils": ("pupils", "basis"),
    "share": ("share_pct", "share_basis"),
    "hours": ("hours_per_pupil", "hours_basis"),
}
LEVELS: tuple[str, ...] = ("basic", "secondary", "all")
# A printed share and a computed rate disagree when one is more than this many times the other
# (rounding in print never does that) and they differ by at least this many percentage points.
MISMATCH_RATIO, MISMATCH_POINTS = 1.5, 0.05


def breakdown(topic: str, level: str, subject: str, threshold: str) -> list[tuple[str, str]]:
    """What tells a topic's series apart, as (kind, value): the stage unless the topic names it,
    the exam subject, the exam threshold ("<10%" → "10")."""
    parts = [("level", level)] if level != "all" and topic not in LEVEL_IMPLIED else []
    parts += [("subject", subject)] if subject else []
    return parts + ([("threshold", threshold.strip("<%"))] if threshold else [])


def table_columns(options: list[str], frame: pd.DataFrame) -> list[str]:
    """Columns of a topic's yearly table: breakdown (if any), year, each measure beside its basis,
    the pupils a computed share is over, how many schools reported out of those with pupils, the
    data note and the source."""
    columns = ["series"] * bool(frame["series"].str.len().any()) + ["school_year"]
    columns += [c for m in options for c in (f"{m}_text", f"{MEASURES[m][1]}_text")]
    columns += ["enrolled"] * ("share" in options)
    return [*columns, "schools_reporting", "schools_enrolled", "note", "source"]


def hide_derived(frame: pd.DataFrame, threshold: int = 5) -> pd.DataFrame:
    """A share or rate goes with the count it is made of: with the number of pupils known (it is shown
    elsewhere, or printed), a rate gives a hidden count back. So a computed rate and a printed share
    are hidden where their count is hidden (the Jēkabpils "x · 0,1 %" over some 4 600 pupils would
    name a count of 3 to 6), and a printed share without a count is hidden where it and the pupils
    it is over name a count of 1 to ``threshold - 1`` themselves. So is the average of hours over the
    listed pupils when their number is hidden (it describes very few pupils). ``rate_hidden`` flags
    the row's share as hidden ("x"), not missing. Whether a printed share contradicts its count is
    decided first (``mismatch``) and kept only where both are shown."""
    out = frame.copy()
    out["mismatch"] = [is_mismatch(r, p) for r, p in zip(out["rate_pct"], out["printed_pct"], strict=True)]
    hidden = out[hidden_column("pupils")].astype(bool)
    printed = pd.to_numeric(out["printed_pct"], errors="coerce")
    over = pd.to_numeric(out["enrolled"], errors="coerce") if "enrolled" in out else pd.Series(float("nan"), out.index)
    implied = (printed * over / 100).round()
    tiny = out["pupils"].isna() & ~hidden & (implied > 0) & (implied < threshold)
    gone = hidden | tiny
    out["rate_hidden"] = gone & (out["rate_pct"].notna() | printed.notna())
    out["mismatch"] = out["mismatch"] & ~gone
    out.loc[gone, ["rate_pct", "printed_pct"]] = pd.NA
    if "share_pct" in out:
        out.loc[gone, "share_pct"] = pd.NA
        out.loc[gone, "share_basis"] = None
    listed = hidden & (out["topic"] == "pupils_with_unexcused_absences")
    out.loc[listed, "hours_per_pupil"] = pd.NA
    return out


def ordered(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in topic order, then stage, subject and threshold; school rows by school with the
    municipal figure last; then year."""
    keys = frame.assign(
        _topic=frame["topic"].map({t: i for i, t in enumerate(TOPICS)}).fillna(len(TOPICS)),
        _level=frame["level"].map({lv: i for i, lv in enumerate(LEVELS)}),
    )
    by = ["_topic", "_level", "subject", "threshold"]
    by += [c for c in ("is_municipal_figure", "school") if c in frame] + ["start_year"]
    return keys.sort_values(by, kind="stable", na_position="last").drop(columns=["_topic", "_level"])


def topics_present(frame: pd.DataFrame) -> list[str]:
    return [t for t in TOPICS if t in set(frame["topic"])]


def measures(*frames: pd.DataFrame) -> list[str]:
    """The measures a topic's rows can be drawn in (pupils, share in %, hours per pupil), the one
    with the most figures first, so a topic printed only as shares opens on its shares. A hidden
    figure counts: it is data, shown as "x"."""

    def figures(columns: tuple[str, ...]) -> int:
        total = 0
        for frame in frames:
            known = pd.Series(False, index=frame.index)
            for column in columns:
                if column in frame:
                    known |= frame[column].notna()
                if hidden_column(column) in frame:
                    known |= frame[hidden_column(column)].astype(bool)
            total += int(known.sum())
        return total

    found = {
        "pupils": figures(("pupils",)),
        "share": figures(("share_pct", "rate")),  # rate_hidden marks a share hidden with its count
        "hours": figures(("hours_per_pupil",)),
    }
    return sorted((name for name, n in found.items() if n), key=lambda name: -found[name])


def trace_basis(frame: pd.DataFrame, value: str, basis: str) -> pd.Series:
    """The basis each row is drawn under on a trend line: its own where it has a value; where the
    value is hidden or missing, the usual basis of its series, so the line breaks at that year
    instead of joining the years either side as if nothing happened there."""
    usual = frame[frame[value].notna()].groupby(list(SERIES))[basis].agg(lambda b: b.mode().iloc[0])
    fallback = [usual.get(tuple(key)) for key in frame[list(SERIES)].itertuples(index=False)]
    return frame[basis].where(frame[value].notna(), pd.Series(fallback, index=frame.index, dtype=object))


def gaps(frame: pd.DataFrame, value: str, empty: str) -> list[tuple[str, str]]:
    """(year, label) for years with a figure that cannot be drawn (hidden: its label says "x"),
    once per year, so a trend chart can say why its line breaks there."""
    hidden = frame[frame[value].isna() & (frame["label"] != empty)].drop_duplicates("school_year")
    return [tuple(pair) for pair in hidden[["school_year", "label"]].values]


def is_mismatch(rate: object, printed: object) -> bool:
    """A printed share that cannot be the count over the pupils (e.g. "3 pupils = 0,0011 %")."""
    if pd.isna(rate) or pd.isna(printed):
        return False
    low, high = sorted((float(rate), float(printed)))
    return high - low >= MISMATCH_POINTS and (low == 0 or high / low > MISMATCH_RATIO)


def is_partial(basis: object, reporting: object, enrolled: object) -> bool:
    """A sum of only the schools that reported: fewer than the schools with pupils in the grades
    concerned, or the number of such schools is unknown."""
    if basis != "schools":
        return False
    return bool(pd.isna(enrolled) or reporting < enrolled)


def printed_decimals(value: object, most: int = 4) -> int:
    """Decimals needed to show a printed figure as printed (7.69 → 2, 0.0011 → 4, 10 → 0)."""
    if pd.isna(value):
        return 0
    text = f"{float(value):.{most}f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def rate_decimals(value: object) -> int:
    """Small rates (dropout is a fraction of a percent) need two decimals to be told apart."""
    if pd.isna(value) or float(value) == 0:
        return 0
    return 2 if float(value) < 1 else 1


def pct_decimals(value: object, printed: bool) -> int:
    """A printed share keeps the decimals it was printed with; a computed rate gets a readable few."""
    return printed_decimals(value) if printed else rate_decimals(value)


def caveats(frame: pd.DataFrame, topic: str) -> list[tuple[str, str]]:
    """What a reader must know before comparing the topic's yearly figures: (caveat, years)."""
    rows = frame[frame["topic"] == topic]

    def years(mask: pd.Series) -> str:
        return ", ".join(sorted(set(rows.loc[mask, "school_year"])))

    found: list[tuple[str, str]] = []
    if topic in STANDING:
        found.append((STANDING[topic], years(rows["topic"] == topic)))
    found.append(("printed_share", years(rows["share_basis"] == "printed")))
    found.append(("mismatch", years(rows["mismatch"])))
    changing = rows.groupby(["level", "subject"])["threshold"].transform("nunique") > 1
    found.append(("threshold_change", years(changing)))
    partial = [is_partial(*r) for r in rows[["basis", "schools_reporting", "schools_enrolled"]].itertuples(index=False)]
    found.append(("partial", years(pd.Series(partial, index=rows.index, dtype=bool))))
    both = (
        rows[hidden_column("school_pupils")].eq(False)
        & rows["municipal_pupils"].notna()
        & rows["school_pupils"].notna()
    )
    agrees = rows["municipal_pupils"] == rows["school_pupils"]
    found.append(("check_agrees", years(both & agrees)))
    found.append(("check_differs", years(both & ~agrees)))
    return [(key, when) for key, when in found if when]
