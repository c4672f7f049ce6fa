"""PMP risks: what must stay hidden after small-number suppression, and the focus-schools ranking.

Shares and rates are computed in SQL from unsuppressed sums (``metrics/sql/risk_*.sql``). The
registry then hides small pupil counts and, with them, the ratios computed from them (a share ×
total would give the count back; ``Metric.ratios``), flagged ``<ratio>_hidden`` so that a page
can say "hidden" rather than "no data". Sub-risks add up to their group's count, so a group
whose count is hidden keeps its sub-risks hidden too (``sub_shares``).

The focus list ranks only schools whose rate is shown. A school whose count is hidden is listed
without a rank: a rank between two shown rates would narrow the hidden value down.
Pure pandas: the Risks page and the meeting screen use the same rules.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from data_loaders.vocabularies import RISK_GROUPS
from metrics.privacy import hidden_column, hide_ratios, is_hidden

GROUPS = RISK_GROUPS


def sub_shares(subs: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``risk_sub_share``; every sub-risk of a group whose count is hidden is hidden too."""
    flag = hidden_column("pupils")
    group_hidden = groups.set_index(["period", "risk_group"])[flag].fillna(False).astype(bool).to_dict()
    out = subs.copy()
    of_hidden = [group_hidden.get(key, False) for key in zip(out["period"], out["risk_group"], strict=True)]
    out[flag] = is_hidden(out, "pupils") | pd.Series(of_hidden, index=out.index, dtype=bool)
    out["pupils"] = out["pupils"].mask(out[flag])
    return hide_ratios(out, {"share_pct": ("pupils",)})


def latest_period(frame: pd.DataFrame) -> str:
    """The period that ends last (then starts last): the one a "latest" chart shows."""
    return str(frame.sort_values(["end_year", "start_year"])["period"].iloc[-1])


def focus_schools(frame: pd.DataFrame, schools: Sequence[str] = ()) -> pd.DataFrame:
    """The latest chosen school year, schools ranked by identified risks per 100 pupils (highest
    first, ties share a rank), with last year's rank and rate beside them.

    ``frame`` is the ``focus_schools`` metric (suppressed) for the whole municipality, so a rank is
    the school's place among all its schools; ``schools`` keeps only those rows (the chosen schools).
    Rows come out ranked first, then the schools without a shown rate (hidden or no data) by name,
    with ``rank`` missing.
    """
    chosen = frame[frame["selected"].astype(bool)]
    if chosen.empty:
        return chosen.assign(rank=pd.Series(dtype="Int64"), prev_rank=pd.Series(dtype="Int64"), prev_per_100=None)
    year = int(chosen["start_year"].max())

    def ranks(rows: pd.DataFrame) -> pd.Series:
        return rows.set_index("school_id")["per_100"].astype(float).rank(method="min", ascending=False)

    now = frame[frame["start_year"] == year].copy()
    before = frame[frame["start_year"] == year - 1]
    now["rank"] = now["school_id"].map(ranks(now)).astype("Int64")
    now["prev_rank"] = now["school_id"].map(ranks(before)).astype("Int64")
    now["prev_per_100"] = now["school_id"].map(before.set_index("school_id")["per_100"]).astype("Float64")
    if schools:
        now = now[now["school_id"].isin(schools)]
    return now.sort_values(["rank", "school"], na_position="last").reset_index(drop=True)


def trend_lines(groups: pd.DataFrame) -> pd.DataFrame:
    """Rows of the yearly trend from ``risk_group_share`` rows: each group's identified risks per 100
    pupils, plus a ``risk_group = "total"`` line for all groups together (hidden where the total
    is). Only periods whose shares come from counts: printed shares have no rate."""
    counted = groups[groups["share_basis"] == "counts"]
    total = counted.drop_duplicates("period").assign(
        risk_group="total",
        pupils=lambda d: d["identified"],
        pupils_hidden=lambda d: d["identified_hidden"],
        per_100=lambda d: d["identified_per_100"],
        per_100_hidden=lambda d: d["identified_per_100_hidden"],
    )
    return pd.concat([total, counted], ignore_index=True)
