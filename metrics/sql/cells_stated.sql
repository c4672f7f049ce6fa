-- Disclosure control (metrics/disclosure.py): the plans and pupils a municipality printed for itself
-- (stated_total), one cell per period, semester and measure, as pumpurs_stated.sql reads them.
SELECT
    measure,
    period,
    semester,
    CAST(left(period, 4) AS INTEGER)                               AS start_year,
    CAST(left(string_split(period, '-')[-1], 4) AS INTEGER)        AS end_year,
    length(period) = 9                                              AS one_year,
    value::DOUBLE                                                   AS count_value
FROM stated_total
WHERE municipality = $municipality
  AND topic = 'pumpurs'
  AND measure IN ('iap_count', 'participants')
  AND value IS NOT NULL
ORDER BY start_year, end_year, semester, measure
