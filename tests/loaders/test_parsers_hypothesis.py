"""Properties of the importer's parsers, for any input hypothesis can think of: a template cell, a
CSV value of a numeric column, a whole file's bytes, the privacy guard's patterns. None of them ever
raises; what they accept is a finite number within the column's type, written plainly; a personal
code or phone number is found in whatever text surrounds it and whatever separators it is written
with; text without digits or ``@`` is never taken for a code, phone or e-mail address."""

from __future__ import annotations

import functools
import math

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from data_loaders import importers, models, privacy_guard
from data_loaders.importers import annexes
from data_loaders.importers.files import ParsedFile
from tests.factories import FIGURES, fill_annex6
from tests.loaders.bad_files import row

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

NUMBERISH = st.one_of(
    st.text(alphabet="0123456789 ,._-+eEinfaNx١２\u00a0", max_size=14),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=8),
)
CELL_VALUES = st.one_of(
    NUMBERISH,
    st.integers(min_value=-(10**25), max_value=10**25),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.datetimes(),
)


@FAST
@given(value=CELL_VALUES, kind=st.sampled_from(["count", "participants", "hours"]))
@example(value="1,000", kind="count")
@example(value=float("inf"), kind="hours")
@example(value="7_7", kind="count")
def test_a_template_cell_is_a_plain_finite_number_in_range_or_refused(value, kind):
    parsed = ParsedFile("t.xlsx", "0")
    number = annexes.cell_number(parsed, "Pielikums 6", "G7", 7, value, kind)
    if number is None:
        empty = value is None or (isinstance(value, str) and not value.strip())
        assert empty or parsed.problems, "a value is either read or refused, never dropped"
        assert all(p.code and p.column == "G7" for p in parsed.problems)
        return
    assert not parsed.problems
    assert math.isfinite(number) and number >= 0
    if kind == "hours":
        assert number <= annexes.MAX_HOURS
    else:
        limit = annexes.MAX_SCHOOL_PUPILS if kind == "count" else annexes.MAX_PARTICIPANTS
        assert isinstance(number, int) and number <= limit
    if isinstance(value, str):  # text: digits with one decimal point or comma, nothing else
        assert annexes.CELL_NUMBER.fullmatch(value.strip())


@FAST
@given(pupils=NUMBERISH, fte=NUMBERISH)
@example(pupils="7_7", fte="0.5")
@example(pupils="12", fte="1e-3")
@example(pupils="2147483648", fte="0.1234")
def test_a_csv_number_is_read_strictly_or_refused(pupils, fte):
    enrolment = {**row("enrolment"), "pupils": pupils}
    staff = {**row("support_staff"), "fte": fte}
    for model, raw, column in ((models.Enrolment, enrolment, "pupils"), (models.SupportStaff, staff, "fte")):
        try:
            value = model.model_validate(raw).model_dump()[column]
        except ValidationError:
            continue
        text = raw[column].strip()
        if value is None:
            assert text == ""
            continue
        assert models.PLAIN_NUMBER.fullmatch(text), f"{text!r} read as {value!r}"
        assert math.isfinite(value)
        if column == "pupils":
            assert 0 <= value <= models.INT32_MAX and str(value) == str(int(text))
        else:
            assert 0 <= value <= 10 and abs(value - float(text)) < 1e-12  # not rounded to 3 decimals
            assert len(text.split(".")[1].rstrip("0")) <= 3 if "." in text else True


@settings(max_examples=60, deadline=None)
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.text(max_size=300).map(str.encode),
        st.lists(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=20), max_size=30).map(
            lambda cells: ("school_id,school_year,pupils\n" + ",".join(cells)).encode()
        ),
    ),
    name=st.sampled_from(["enrolment.csv", "outcome.csv", "x.csv", "ezermala.xlsx", "a.pdf", "noext"]),
)
def test_any_bytes_are_read_or_refused_with_a_reason_never_a_traceback(data, name):
    parsed = importers.parse(name, data)
    assert parsed.ok or parsed.problems
    assert all(p.code and p.code != "unreadable" for p in parsed.problems), parsed.problems
    if not parsed.ok:
        assert parsed.tables == {}


@functools.cache
def _annex6() -> bytes:
    return fill_annex6(FIGURES)


@FAST
@given(damage=st.binary(min_size=1, max_size=200), position=st.integers(min_value=0, max_value=10**6))
@example(damage=b"\x00\x00@", position=539648)  # a zip directory claiming version 6.4: NotImplementedError
def test_a_damaged_workbook_is_read_or_refused_with_a_reason(damage, position):
    data = _annex6()
    position %= len(data)
    damaged = data[:position] + damage + data[position + len(damage) :]
    parsed = importers.parse("ezermala.xlsx", damaged)
    assert parsed.ok or all(p.code and p.code != "unreadable" for p in parsed.problems), parsed.problems


SEPARATORS = st.sampled_from(["", " ", "-", "–", "—", ".", " - ", "‑", "\u00a0"])
AROUND = st.text(alphabet=st.characters(categories=["L", "Zs", "P"], exclude_characters="@"), max_size=30)


@FAST
@given(
    day=st.integers(1, 31),
    month=st.integers(1, 12),
    year=st.integers(0, 99),
    number=st.integers(0, 29_999),
    first=SEPARATORS,
    second=SEPARATORS,
    before=AROUND,
    after=AROUND,
    wide=st.booleans(),
)
def test_a_personal_code_is_found_however_it_is_written(day, month, year, number, first, second, before, after, wide):
    date_sep = "." if first == "." else ""
    code = f"{day:02d}{date_sep}{month:02d}{date_sep}{year:02d}{second}{number:05d}"
    if wide:  # full-width digits, as a phone's keyboard or a PDF may give them
        code = code.translate({ord(str(d)): chr(0xFF10 + d) for d in range(10)})
    text = f"{before} {code} {after}"
    assert privacy_guard.value_kind(text) == "code", text


@FAST
@given(
    digits=st.integers(0, 9_999_999).map(lambda n: f"2{n:07d}"[:8]),
    grouping=st.sampled_from([(8,), (4, 4), (2, 2, 2, 2), (3, 2, 3), (2, 3, 3)]),
    separator=st.sampled_from([" ", "-"]),
    prefix=st.sampled_from(["", "+371 ", "00371 ", "(+371) ", "+371"]),
    before=AROUND,
)
def test_a_phone_number_is_found_however_it_is_grouped(digits, grouping, separator, prefix, before):
    if digits.startswith("21") and not prefix and grouping == (8,):
        return  # an education programme code (21011111) is let through on purpose
    parts, start = [], 0
    for size in grouping:
        parts.append(digits[start : start + size])
        start += size
    if not prefix and len(parts) > 1 and 1990 <= int(parts[0]) <= 2099 and len(parts[0]) == 4:
        return  # "2019-2022", "2021 0901": years and dates are not taken for phones
    text = f"{before} {prefix}{separator.join(parts)}."
    assert privacy_guard.value_kind(text) == "phone", text


@FAST
@given(
    text=st.text(
        alphabet=st.characters(exclude_categories=["Nd", "No", "Nl"], exclude_characters="@＠﹫"), max_size=400
    )
)
def test_text_without_digits_or_at_signs_is_never_a_code_phone_or_email(text):
    assert privacy_guard.value_kind(text) not in ("code", "phone", "email", "birth_date", "address")


@FAST
@given(text=st.text(max_size=500))
def test_the_guard_reads_any_text(text):
    kind = privacy_guard.value_kind(text)
    assert kind is None or kind in privacy_guard.REASONS


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 1e308, -0.0, 2**63, True])
def test_the_guard_reads_any_number(value):
    assert privacy_guard.value_kind(value) in (None, *privacy_guard.REASONS)
