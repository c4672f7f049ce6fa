-- Pupils and schools per school year for the chosen municipality, schools and years.
-- Counts come from each school's total (enrolment_total); municipal totals printed in the
-- documents live in stated_total and are never added in.
SELECT
    e.school_year,
    e.start_year,
    sum(e.pupils)::BIGINT            AS pupils,
    count(DISTINCT e.school_id)      AS schools,
    list_sort(list_distinct(flatten(list(e.source)))) AS source
FROM enrolment_total e
JOIN school s USING (school_id)
WHERE s.municipality = $municipality
  AND e.pupils IS NOT NULL
  AND chosen($schools::VARCHAR[], e.school_id)
  AND chosen($years::VARCHAR[], e.school_year)
GROUP BY e.school_year, e.start_year
ORDER BY e.start_year
