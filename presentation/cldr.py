"""Numbers, percentages, dates and plural forms by the Unicode CLDR rules of each language (Babel),
never hand-written and never via ``locale.setlocale`` (which changes the whole process).

Latvian: "1 878,5" (a no-break space between thousands, a decimal comma), "4,0%", "06.12.2026";
English: "1,878.5", "4.0%", "Dec 6, 2026". No streamlit here: the report and the loaders use it too.

Plural forms in the locale files: ``{n:plural:one=rinda;other=rindas}`` chooses the word by the CLDR
category of ``n`` in the string's language (Latvian has zero, one and other: 1, 21 and 101 take
"one"; 0, 10-20 and 30 take "zero", which falls back to "other" when a string does not give it).
"""

from __future__ import annotations

import string
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import cache

from babel import Locale
from babel.dates import format_date as _format_date
from babel.numbers import format_decimal

LOCALES = {"lv": "lv_LV", "en": "en_GB"}


@cache
def locale(lang: str) -> Locale:
    return Locale.parse(LOCALES.get(lang, "lv_LV"))


def _decimal(value: object) -> Decimal:
    """The value as a decimal of its shortest text (0.0011 stays 0.0011; no binary fraction noise)."""
    return value if isinstance(value, Decimal) else Decimal(repr(float(value)))


def _pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def number(value: object, lang: str, decimals: int = 0) -> str:
    """``value`` with exactly ``decimals`` decimals, grouped as the language groups thousands.
    Rounds half away from zero, as a printed table does (0,125 → 0,13)."""
    exact = _decimal(value)
    with localcontext() as context:
        context.rounding = ROUND_HALF_UP
        rounded = exact.quantize(Decimal(1).scaleb(-decimals))
    if rounded == 0:
        rounded = abs(rounded)  # no "-0,0"
    return format_decimal(rounded, format=_pattern(decimals), locale=locale(lang), decimal_quantization=True)


def percent(value: object, lang: str, decimals: int = 1) -> str:
    """A percent number (4.0 means 4 %) in the language's percent pattern: "4,0%", "4.0%"."""
    pattern = locale(lang).percent_formats[None].pattern  # "#,##0%" in both; the sign's place is the locale's
    shown = number(value, lang, decimals)
    prefix, _, suffix = pattern.partition("#,##0")
    return prefix.replace("%", "") + shown + suffix.replace("%", locale(lang).number_symbols["latn"]["percentSign"])


def plural_category(count: object, lang: str) -> str:
    """The CLDR plural category of ``count`` ("zero", "one", "few", "many" or "other")."""
    try:
        value = abs(float(count))
    except (TypeError, ValueError):
        return "other"
    return locale(lang).plural_form(int(value) if value.is_integer() else value)


def plural(count: object, lang: str, forms: dict[str, str]) -> str:
    """The form of ``forms`` for ``count``'s category, else "other"."""
    return forms.get(plural_category(count, lang), forms.get("other", ""))


def date_text(value: date | datetime, lang: str) -> str:
    """A date as the language writes it in a table or a caption: "06.12.2026", "6 Dec 2026"."""
    return _format_date(value, format="medium" if lang != "lv" else "dd.MM.yyyy", locale=locale(lang))


class _Formatter(string.Formatter):
    """``str.format`` with one addition: the ``plural:`` format spec (see the module's docstring)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec.startswith("plural:"):
            forms = dict(part.split("=", 1) for part in format_spec[7:].split(";") if "=" in part)
            return plural(value, self.lang, forms)
        return super().format_field(value, format_spec)


def format_text(text: str, lang: str, values: dict[str, object]) -> str:
    """A locale string with its fields filled in, plural forms chosen by ``lang``'s rules."""
    if "plural:" not in text:
        return text.format(**values)
    return _Formatter(lang).vformat(text, (), values)
