"""The one description of what the user is looking at; pages, metrics and URLs share it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Lang = Literal["lv", "en"]


class Filters(BaseModel):
    """Municipality, schools and school years chosen. Empty lists mean "all"."""

    model_config = ConfigDict(frozen=True)

    municipality: str = "LUD"
    schools: tuple[str, ...] = ()
    years: tuple[str, ...] = Field(default=(), description="school years, e.g. 2022/2023")
    lang: Lang = "lv"
    # Small-number suppression: always on in the default view; never taken from the URL.
    suppress: bool = True
    threshold: int = Field(default=5, ge=1, le=100_000)

    @property
    def start_years(self) -> list[int]:
        return sorted(int(y[:4]) for y in self.years)

    def params(self) -> dict[str, object]:
        """Named parameters for the metric SQL ($municipality, $schools, $years, $start_years)."""
        return {
            "municipality": self.municipality,
            "schools": list(self.schools),
            "years": list(self.years),
            "start_years": self.start_years,
        }

    def to_query(self) -> dict[str, str]:
        """The URL form: ?m=LUD&y=2022/2023,2023/2024&s=...&lang=en (defaults left out)."""
        query = {"m": self.municipality}
        if self.years:
            query["y"] = ",".join(self.years)
        if self.schools:
            query["s"] = ",".join(self.schools)
        if self.lang != "lv":
            query["lang"] = self.lang
        return query

    @classmethod
    def from_query(cls, query: dict[str, str]) -> Filters:
        """Parse URL parameters leniently: unknown values are dropped by the caller's checks."""

        def split(key: str) -> tuple[str, ...]:
            raw = query.get(key) or ""
            return tuple(v for v in raw.split(",") if v)

        lang = query.get("lang", "lv")
        return cls(
            municipality=query.get("m") or "LUD",
            schools=split("s"),
            years=split("y"),
            lang=lang if lang in ("lv", "en") else "lv",
        )
