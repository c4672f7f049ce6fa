-- Pumpurs figures as printed in the programme for the whole municipality (totals per semester,
-- participating schools, participant shares, pupils supported over the project). They are
-- shown beside the figures computed from the school rows, never added to them; where a
-- municipality reports only for itself (no school breakdown) they are its figures, "not split by
-- school". Plans and pupils are in `count_value` (suppressed), schools, shares and euro in `value`.
SELECT
    period,
    CAST(left(period, 4) AS INTEGER)                               AS start_year,
    CAST(left(string_split(period, '-')[-1], 4) AS INTEGER)        AS end_year,
    semester,
    measure,
    -- counts of plans or pupils go in their own column so that they are suppressed like any count
    CASE WHEN measure IN ('iap_count', 'participants') THEN value END::DOUBLE AS count_value,
    CASE WHEN measure NOT IN ('iap_count', 'participants') THEN value END::DOUBLE AS value,
    unit,
    note,
    [source] AS source
FROM stated_total
WHERE municipality = $municipality
  AND topic = 'pumpurs'
  AND len($schools::VARCHAR[]) = 0  -- a municipal total says nothing about one chosen school
  AND chosen_any($start_years::INTEGER[],
                 range(CAST(left(period, 4) AS INTEGER), CAST(left(string_split(period, '-')[-1], 4) AS INTEGER) + 1))
ORDER BY start_year, end_year, semester, measure
