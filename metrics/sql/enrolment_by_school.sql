-- Pupils per school and school year (enrolment_total: the sum of whole grade bands, else the "total" row).
SELECT
    e.school_id,
    s.name                 AS school,
    e.school_year,
    e.start_year,
    e.pupils::BIGINT       AS pupils,
    e.source
FROM enrolment_total e
JOIN school s USING (school_id)
WHERE s.municipality = $municipality
  AND e.pupils IS NOT NULL
  AND chosen($schools::VARCHAR[], e.school_id)
  AND chosen($years::VARCHAR[], e.school_year)
ORDER BY e.start_year, e.pupils DESC
