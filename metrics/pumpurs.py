"""Pumpurs page logic that is not SQL: semester status, printed totals beside computed ones,
headline figures, the stacked timeline and the municipality's own totals.

Pure pandas on frames that ``registry.compute`` has already suppressed: a hidden count stays
hidden (its ``<col>_hidden`` flag is carried along), a semester without any municipal report
is "not reported" (never 0), and the state college is never in these frames at all (its rows
come from a separate metric call). Numbers and flags only: the text a reader sees (cell and bar
labels, tick labels, school labels, the heat and risk tables) is made in ``presentation/pumpurs.py``.
"""

from __future__ import annotations

import pandas as pd

from metrics import provenance
from metrics.privacy import hidden_column

OTHER = "__other__"


def period_label(period: str, semester: str | None) -> str:
    """``2021/2022 II`` for a semester, ``2021/2022–2022/2023`` for a whole span."""
    text = str(period).replace("-", "–")
    return text if semester in (None, "all", "") else f"{text} {semester}"


def _hidden(frame: pd.DataFrame, column: str) -> pd.Series:
    flag = hidden_column(column)
    return frame[flag].astype(bool) if flag in frame else pd.Series(False, index=frame.index)


def _has(frame: pd.DataFrame, column: str) -> bool:
    return column in frame and bool((frame[column].notna() | _hidden(frame, column)).any())


def value_column(frame: pd.DataFrame) -> str:
    """What the municipality reports per school: plans (IAP) if any, else supported pupils."""
    return "iap_count" if _has(frame, "iap_count") else "participants"


def with_status(semesters: pd.DataFrame, stated: pd.DataFrame) -> pd.DataFrame:
    """Semester rows with a label, a status and the programme's printed figures beside them.

    ``not_reported``: a semester inside the reported range in which no municipal school has a
    row (the SQL lists every semester between the first and the last one named). The printed
    municipal total of such a semester (Jēkabpils 2022/2023 II is printed as 0) is kept only
    as ``stated_iap`` for the note; it is never the semester's value. The share of pupils is
    the computed one where the pupils are known, else the printed one (``share_basis``), and it
    is hidden with the participant count it is made of.
    """
    out = semesters.copy()
    out["label"] = [period_label(p, s) for p, s in zip(out["period"], out["semester"], strict=True)]
    out["status"] = [
        "not_reported" if sem in ("I", "II") and n == 0 else "reported"
        for sem, n in zip(out["semester"], out["schools_reporting"], strict=True)
    ]
    printed = stated[stated["semester"].isin(["I", "II", "all"])] if len(stated) else stated
    for measure, name, column in (
        ("iap_count", "stated_iap", "count_value"),
        ("participating_schools", "stated_schools", "value"),
        ("participant_share_pct", "stated_share_pct", "value"),
    ):
        part = printed[printed["measure"] == measure] if len(printed) else printed
        keys = zip(part["period"], part["semester"], strict=True)
        values = {k: float(v) for k, v in zip(keys, part[column], strict=True) if pd.notna(v)} if len(part) else {}
        out[name] = [values.get(key) for key in zip(out["period"], out["semester"], strict=True)]
    share = out["share_pct"].astype("Float64").mask(_hidden(out, "participants"))
    out["share_basis"] = ["computed" if pd.notna(v) else None for v in share]
    stated_share = pd.to_numeric(out["stated_share_pct"], errors="coerce").astype("Float64")
    use_stated = share.isna() & stated_share.notna() & (out["status"] == "reported")
    out.loc[use_stated, "share_basis"] = "stated"
    out["share"] = share.where(~use_stated, stated_share)
    shares = printed[printed["measure"] == "participant_share_pct"] if len(printed) else printed
    cited = dict(zip(zip(shares["period"], shares["semester"], strict=True), shares["source"], strict=True))
    out["source"] = [  # a printed share names its own table beside the school rows' source
        provenance.merge(source, cited.get((p, sem)) if use else None)
        for source, p, sem, use in zip(out["source"], out["period"], out["semester"], use_stated, strict=True)
    ]
    return out


def protect(cells: pd.DataFrame, column: str) -> pd.DataFrame:
    """The school-by-semester cells as the registry gives them.

    Secondary suppression across both ways of the table (the semester totals and each school's
    total in the ranking) is part of the municipality's disclosure pattern (``metrics/disclosure.py``:
    both are margins of the Pumpurs table), so the cells need nothing more here, and hiding more on
    one page only would make the pages disagree. Kept so that callers read the same."""
    return cells


def _figure(value: object = None, hidden: object = False, when: str = "", basis: str = "computed") -> dict:
    return {"value": None if pd.isna(value) else value, "hidden": bool(hidden), "when": when, "basis": basis}


def headline(total: pd.DataFrame, semesters: pd.DataFrame, stated: pd.DataFrame) -> dict[str, dict]:
    """The four KPI figures, each with the period it belongs to and whether it is computed or printed.

    ``total`` is the one-row ``pumpurs_total`` (suppressed like any count). Plans add up over
    semesters; pupils do not (one pupil may be supported in several semesters), so the pupils
    figure is the sum of whole-span rows, else the printed project total when its span lies
    inside the chosen years, else the latest semester's count.
    """
    reported = semesters[semesters["status"] == "reported"]
    first, last = (reported["label"].iloc[0], reported["label"].iloc[-1]) if len(reported) else ("", "")
    span = first if first == last else f"{first} – {last}"
    row = total.iloc[0] if len(total) else pd.Series(dtype=object)
    out = {"plans": _figure(row.get("iap_count"), row.get("iap_count_hidden", False), span)}

    printed = stated[(stated["measure"] == "participants") & (stated["semester"] == "all")] if len(stated) else stated
    if len(printed) and len(semesters):
        printed = printed[
            (printed["start_year"] >= semesters["start_year"].min())
            & (printed["end_year"] <= semesters["end_year"].max())
        ]
    with_pupils = reported[reported["participants"].notna() | _hidden(reported, "participants")]
    if pd.notna(row.get("participants")) or row.get("participants_hidden", False):
        out["pupils"] = _figure(row["participants"], row.get("participants_hidden", False), span)
    elif len(printed):
        latest = printed.iloc[-1]
        hidden = latest.get("count_value_hidden", False)
        out["pupils"] = _figure(latest["count_value"], hidden, period_label(latest["period"], None), "stated")
    elif len(with_pupils):
        latest = with_pupils.iloc[-1]
        out["pupils"] = _figure(latest["participants"], _hidden(with_pupils, "participants").iloc[-1], latest["label"])
    else:
        out["pupils"] = _figure()

    latest = reported.iloc[-1] if len(reported) else None
    out["schools"] = _figure() if latest is None else _figure(latest["schools"], False, latest["label"])
    shares = reported[reported["share"].notna()]
    out["share"] = (
        _figure()
        if shares.empty
        else _figure(shares["share"].iloc[-1], False, shares["label"].iloc[-1], shares["share_basis"].iloc[-1])
    )
    return out


def timeline(
    cells: pd.DataFrame, semesters: pd.DataFrame, ranking: pd.DataFrame, column: str, top: int = 6
) -> pd.DataFrame:
    """Long frame for the stacked bars: one row per semester and school bucket that has a value.

    The ``top`` schools of the ranking get their own colour; every other school, and any cell
    hidden by suppression, goes into ``OTHER`` = semester total minus the shown schools, which
    anyone could work out from the chart anyway (and which holds at least two hidden cells).
    Schools are told apart by ``school_label`` in ``cells`` and ``ranking`` (the page adds it:
    ``presentation.pumpurs.label_schools``).
    """
    ranked = ranking.sort_values(column, ascending=False, na_position="last")
    leaders = [s for s in ranked["school_label"] if s in set(cells["school_label"])][:top]
    shown = cells[cells["school_label"].isin(leaders) & cells[column].notna()]
    key = ["period", "semester"]
    slots = semesters[[*key, "label", column]].reset_index(drop=True).rename(columns={column: "total"})
    slots["slot"] = range(len(slots))
    # school by school, so the bars stack in the ranking's order; semester by semester within a school
    first = shown.drop_duplicates(["school_label", *key])[["school_label", *key, column]]
    cells_in = first.merge(slots[[*key, "label", "slot"]], on=key)
    cells_in["rank"] = cells_in["school_label"].map({school: i for i, school in enumerate(leaders)})
    cells_in = cells_in.sort_values(["rank", "slot"], kind="stable")
    schools = pd.DataFrame(
        {"label": cells_in["label"], "school": cells_in["school_label"], "value": cells_in[column].astype(float)}
    )
    parts = shown.groupby(key, dropna=False)[column].sum().rename("part").reset_index()
    other = slots.merge(parts, on=key, how="left").sort_values("slot", kind="stable")
    other["part"] = other["part"].fillna(0)
    other = other[other["total"].notna() & (other["total"] > other["part"])]
    rest = pd.DataFrame(
        {"label": other["label"], "school": OTHER, "value": (other["total"] - other["part"]).astype(float)}
    )
    return pd.concat([schools, rest], ignore_index=True)[["label", "school", "value"]]


def risk_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """The all-risk rows of ``pumpurs_risk_link`` (the registry has already hidden the rate
    wherever one of the two counts it is made of is hidden)."""
    return frame[frame["risk_group"] == "all"].copy()


# The figures a municipality may report for itself, with no school breakdown (stated_total).
MUNICIPAL_MEASURES = ("iap_count", "participants", "participating_schools", "funding_eur", "funding_eur_cumulative")


def municipal_totals(stated: pd.DataFrame) -> pd.DataFrame:
    """The municipality's own Pumpurs figures per school year, "not split by school": plans (its
    semesters added up, as the school figures are, or its whole-year figure), pupils supported,
    participating schools and funding in euro (that year's and cumulative). One row per single
    school year that has any of them; spans of years (a project total) are left to the other tables.
    A count hidden below the threshold hides the plans of the year it is part of."""
    columns = ["period", "start_year", *MUNICIPAL_MEASURES, "plans_semesters", "iap_count_hidden",
               "participants_hidden", "source"]  # fmt: skip
    if stated.empty:
        return pd.DataFrame(columns=columns)
    one_year = stated[stated["period"].str.len() == 9]
    rows = []
    for (period, start), group in one_year.groupby(["period", "start_year"], sort=True):
        row: dict = {"period": period, "start_year": int(start), "source": provenance.sources(group)}
        plans = group[group["measure"] == "iap_count"]
        halves = plans[plans["semester"].isin(["I", "II"])]
        chosen = halves if len(halves) else plans
        row["plans_semesters"] = ", ".join(sorted(halves["semester"])) if len(halves) else ""
        row["iap_count"] = chosen["count_value"].sum(min_count=1) if len(chosen) else None
        row["iap_count_hidden"] = bool(_hidden(chosen, "count_value").any()) if len(chosen) else False
        pupils = group[group["measure"] == "participants"]
        row["participants"] = pupils["count_value"].iloc[0] if len(pupils) else None
        row["participants_hidden"] = bool(_hidden(pupils, "count_value").any()) if len(pupils) else False
        for measure in ("participating_schools", "funding_eur", "funding_eur_cumulative"):
            found = group[(group["measure"] == measure) & group["semester"].isin(["", "all"])]
            row[measure] = found["value"].iloc[0] if len(found) else None
        if any(row[m] is not None and not pd.isna(row[m]) for m in MUNICIPAL_MEASURES):
            rows.append(row)
    return pd.DataFrame(rows, columns=columns)
