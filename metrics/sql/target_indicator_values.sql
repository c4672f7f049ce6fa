-- Actual values of the indicators over time, as reported (from the documents or imported later),
-- each with its source. With a year filter, a school year matches itself and a calendar-year
-- value matches the school year that ends in it (2024 ↔ 2023/2024).
SELECT
    v.municipality,
    v.indicator_no,
    v.breakdown,
    v.period,
    v.start_year,
    v.value::DOUBLE               AS value,
    [v.source]                    AS source,
    v.note
FROM indicator_value v
WHERE v.municipality = $municipality
  -- a calendar year (2023) is chosen with the school year that ends in it (2022/2023)
  AND chosen_any($years::VARCHAR[] || list_transform($years::VARCHAR[], lambda y: right(y, 4)), [v.period])
ORDER BY v.indicator_no, v.breakdown, v.start_year, v.period
